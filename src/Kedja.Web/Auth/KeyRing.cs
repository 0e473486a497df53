using Kedja.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>
/// The data-protection key ring (sign-in cookies, antiforgery tokens) in the database (ADR 21), in a context of its
/// own: the keys are no tenant's data, and the audited context would copy their secret XML into the audit trail.
/// </summary>
public sealed class KeyRingContext(DbContextOptions<KeyRingContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var key = builder.Entity<DataProtectionKey>();
        key.ToTable("data_protection_keys");
        key.HasKey(k => k.Id).HasName("pk_data_protection_keys");
        key.Property(k => k.Id).HasColumnName("id");
        key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        key.Property(k => k.Xml).HasColumnName("xml");
    }
}

public static class KeyRing
{
    /// <summary>One application name for every node, so that they read each other's cookies.</summary>
    public const string ApplicationName = "Kedja";

    public static IServiceCollection AddKedjaKeyRing(this IServiceCollection services)
    {
        services.AddDbContext<KeyRingContext>((sp, o) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            KedjaDatabase.Configure(o, database.Provider, database.ConnectionString!);
        });
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<KeyRingContext>();
        return services;
    }
}
