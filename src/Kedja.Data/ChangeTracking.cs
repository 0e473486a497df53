using System.Text.Json;
using Kedja.Domain;
using Kedja.Domain.Auditing;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kedja.Data;

/// <summary>What SaveChanges does before it writes: tenant checks, version bumps and the audit entries to append.</summary>
internal static class ChangeTracking
{
    /// <param name="ModifiedTenant">A tenant whose own row changed (its name, its portal settings): what it shows the public changed.</param>
    public sealed record Prepared(List<AuditEntry> Entries, bool TouchesEngineData, List<(StatusChangeKind Kind, Guid? Id)> StatusChanges, Guid? ModifiedTenant);

    public static Prepared Prepare(KedjaDbContext db, string actor)
    {
        db.ChangeTracker.DetectChanges();
        InputBounds.Check(db.ChangeTracker);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var entries = new List<AuditEntry>();
        var touchesEngine = false;
        var statusChanges = new List<(StatusChangeKind Kind, Guid? Id)>();
        Guid? modifiedTenant = null;
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (entry.Entity is AuditEntry)
            {
                if (entry.State != EntityState.Added)
                {
                    throw new InvalidOperationException("Granskningsloggen kan inte ändras eller raderas.");
                }

                continue;
            }

            Guid? tenantId = null;
            if (entry.Entity is ITenantOwned owned)
            {
                tenantId = CheckTenant(db.Scope, owned, entry.State);
                if (owned is not IOperationalRow)
                {
                    touchesEngine = true;
                    statusChanges.AddRange(StatusChange.Of(entry));
                }
            }
            else if (entry.Entity is Tenant tenant)
            {
                tenantId = tenant.Id;
                if (entry.State == EntityState.Modified)
                {
                    modifiedTenant = tenant.Id;
                }
            }

            if (entry.State == EntityState.Modified && entry.Entity is IVersioned versioned)
            {
                var original = (int)entry.Property(nameof(IVersioned.Version)).OriginalValue!;
                versioned.Version = original + 1;
            }

            if (!db.SuppressRowAudit && IsDomain(entry.Entity))
            {
                entries.Add(Describe(entry, tenantId, actor, now));
            }
        }

        return new Prepared(entries, touchesEngine, statusChanges, modifiedTenant);
    }

    private static Guid CheckTenant(TenantScope scope, ITenantOwned owned, EntityState state)
    {
        if (scope.TenantId is not { } current)
        {
            throw new InvalidOperationException("Ändringar i en kommuns data kräver att kommunen är vald (TenantScope).");
        }

        if (state == EntityState.Added && owned.TenantId == Guid.Empty)
        {
            owned.TenantId = current;
        }

        if (owned.TenantId != current)
        {
            throw new InvalidOperationException("Ändringen gäller en annan kommun än den valda och stoppades.");
        }

        return current;
    }

    private static bool IsDomain(object entity) =>
        entity.GetType().Namespace?.StartsWith("Kedja.Domain", StringComparison.Ordinal) == true;

    /// <summary>
    /// The values a tenant's trail records. A membership's account id is left out: the same id in two municipalities'
    /// trails would tell each that the person had an account in the other (ADR 11); the trail names the e-mail instead.
    /// </summary>
    private static IEnumerable<PropertyEntry> Recorded(EntityEntry entry) =>
        entry.Entity is TenantMembership ? entry.Properties.Where(p => p.Metadata.Name != nameof(TenantMembership.UserId)) : entry.Properties;

    private static AuditEntry Describe(EntityEntry entry, Guid? tenantId, string actor, DateTime now)
    {
        var key = entry.Metadata.FindPrimaryKey()!;
        var keyParts = key.Properties.Where(p => p.Name != nameof(ITenantOwned.TenantId)).Select(p => entry.Property(p.Name).CurrentValue?.ToString() ?? "");
        Dictionary<string, object?>? before = null;
        Dictionary<string, object?>? after = null;
        switch (entry.State)
        {
            case EntityState.Added:
                after = Recorded(entry).ToDictionary(p => p.Metadata.Name, p => p.CurrentValue);
                break;
            case EntityState.Deleted:
                before = Recorded(entry).ToDictionary(p => p.Metadata.Name, p => p.OriginalValue);
                break;
            default:
                var changed = Recorded(entry).Where(p => p.IsModified && !p.Metadata.GetValueComparer().Equals(p.OriginalValue, p.CurrentValue)).ToList();
                before = changed.ToDictionary(p => p.Metadata.Name, p => p.OriginalValue);
                after = changed.ToDictionary(p => p.Metadata.Name, p => p.CurrentValue);
                break;
        }

        return new AuditEntry
        {
            TenantId = tenantId,
            UserName = actor,
            At = now,
            Entity = entry.Metadata.ClrType.Name,
            EntityId = string.Join('/', keyParts),
            Action = entry.State.ToString(),
            Before = before is null ? null : JsonSerializer.Serialize(before, KedjaDbContext.Json),
            After = after is null ? null : JsonSerializer.Serialize(after, KedjaDbContext.Json),
        };
    }
}
