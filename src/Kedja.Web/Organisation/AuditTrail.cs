using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <param name="Sequence">The entry's place in the tenant's audit chain; <paramref name="Hash"/> links it to the one before (ADR 14).</param>
public sealed record AuditEntryDto(long Id, long Sequence, DateTime At, string UserName, string Entity, string EntityId, string Action, string? Before, string? After, string Hash);

/// <summary>Reads the tenant's audit trail for its administrators: the table's shape is not the API's.</summary>
public sealed class AuditTrail(KedjaDbContext db)
{
    public const int DefaultTake = 100;

    public const int MaxTake = 1000;

    /// <summary>The newest entries first, of one entity type or one entity when asked, at most <see cref="MaxTake"/>.</summary>
    public Task<List<AuditEntryDto>> ListAsync(string? entity, string? entityId, int? take, CancellationToken cancellationToken = default) =>
        db.AuditEntries.AsNoTracking()
            .Where(a => (entity == null || a.Entity == entity) && (entityId == null || a.EntityId == entityId))
            .OrderByDescending(a => a.Id).Take(Math.Clamp(take ?? DefaultTake, 1, MaxTake))
            .Select(a => new AuditEntryDto(a.Id, a.Sequence, a.At, a.UserName, a.Entity, a.EntityId, a.Action, a.Before, a.After, a.Hash))
            .ToListAsync(cancellationToken);
}
