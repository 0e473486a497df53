using Microsoft.EntityFrameworkCore;

namespace Kedja.Data;

/// <summary>
/// The CREATE script EF derives from the model for a provider. Used to author a new migration script (diff it against
/// the previous one) and by the test that proves the migrated schema equals the model.
/// </summary>
public static class SchemaScript
{
    public static string Generate(DatabaseProvider provider)
    {
        var options = new DbContextOptionsBuilder<KedjaDbContext>();
        KedjaDatabase.Configure(options, provider, provider == DatabaseProvider.Postgres ? "Host=localhost" : "Data Source=:memory:");
        using var db = new KedjaDbContext(options.Options, new TenantScope(), new FixedActor("schema"));
        return db.Database.GenerateCreateScript();
    }
}
