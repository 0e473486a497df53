using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <summary>
/// What a unit owned and was called at a date, after reorganisations (ADR 47 section 5): read from the owners' history
/// rows that name the unit and the unit's own versions, in one statement. An entity with history always has a row naming
/// each unit that ever owned it (<see cref="Ownership.Move"/> writes the whole history), so the unit's rows alone say
/// whether it owned the entity at the date.
/// </summary>
public sealed class UnitOwnership
{
    private readonly Guid unitId;
    private readonly HashSet<Guid> covering;
    private readonly HashSet<Guid> elsewhere;

    private readonly List<DateOnly> changes;

    private UnitOwnership(Guid unitId, HashSet<Guid> covering, HashSet<Guid> elsewhere, string? name, List<DateOnly> changes)
    {
        this.unitId = unitId;
        this.covering = covering;
        this.elsewhere = elsewhere;
        this.changes = changes;
        Name = name;
    }

    /// <summary>
    /// Whether a reorganisation changed the unit after <paramref name="from"/> and on or before <paramref name="to"/>: every
    /// step writes versions of the units it changes, so a unit without one needs no further read.
    /// </summary>
    public bool ChangedWithin(DateOnly from, DateOnly to) => changes.Any(d => d > from && d <= to);

    /// <summary>The unit's name at the date, when its history says one (a rename since); else null.</summary>
    public string? Name { get; }

    /// <summary>Entities the history gives the unit at the date, whoever owns them now.</summary>
    public IReadOnlyCollection<Guid> Extra => covering;

    /// <summary>Whether the unit owned an entity at the date, given its current owner.</summary>
    public bool Owns(Guid entityId, Guid currentOwner) => covering.Contains(entityId) || (currentOwner == unitId && !elsewhere.Contains(entityId));

    public static async Task<UnitOwnership> ReadAsync(KedjaDbContext db, Guid unitId, DateOnly date, CancellationToken cancellationToken)
    {
        var rows = await db.Ownerships.AsNoTracking().Where(o => o.UnitId == unitId)
            .Select(o => new { Owned = true, Id = o.EntityId, o.ValidFrom, o.ValidTo, Name = (string?)null })
            .Concat(db.OrgUnitVersions.AsNoTracking().Where(v => v.UnitId == unitId).Select(v => new { Owned = false, Id = v.UnitId, v.ValidFrom, v.ValidTo, Name = (string?)v.Name }))
            .ToListAsync(cancellationToken);
        var covering = rows.Where(r => r.Owned && new DateSpan(r.ValidFrom, r.ValidTo).Covers(date)).Select(r => r.Id).ToHashSet();
        var elsewhere = rows.Where(r => r.Owned && !covering.Contains(r.Id)).Select(r => r.Id).ToHashSet();
        var name = rows.Where(r => !r.Owned && new DateSpan(r.ValidFrom, r.ValidTo).Covers(date)).Select(r => r.Name).FirstOrDefault();
        var changes = rows.Where(r => !r.Owned && r.ValidFrom is not null).Select(r => r.ValidFrom!.Value).ToList();
        return new UnitOwnership(unitId, covering, elsewhere, name, changes);
    }

    /// <summary>The unit's goals at the date, in the card's order.</summary>
    public async Task<List<Goal>> GoalsAsync(KedjaDbContext db, CancellationToken cancellationToken)
    {
        var extra = covering.ToList();
        var query = db.Goals.AsNoTracking().Where(g => g.OwnerUnitId == unitId);
        if (extra.Count > 0)
        {
            query = query.Concat(db.Goals.AsNoTracking().Where(g => extra.Contains(g.Id)));
        }

        return [.. (await query.ToListAsync(cancellationToken)).DistinctBy(g => g.Id).Where(g => Owns(g.Id, g.OwnerUnitId)).OrderBy(g => g.SortOrder).ThenBy(g => g.Title)];
    }

    /// <summary>Indicators the history gives the unit at the date that a query by current owner misses (none, without a reorganisation).</summary>
    public IQueryable<Indicator>? ExtraIndicators(KedjaDbContext db)
    {
        var extra = covering.ToList();
        return extra.Count == 0 ? null : db.Indicators.AsNoTracking().Where(i => extra.Contains(i.Id));
    }

    /// <summary>
    /// The owners' histories of the goals or indicators (review 16, finding 1): whoever writes a value for a period asks
    /// <see cref="OwnerHistory.OwnerAt"/> whose it was at the period's end, as <see cref="Ownership.At"/> (and the cards) say.
    /// One cheap question when the tenant has no history at all; else one statement per 5,000 ids.
    /// </summary>
    public static async Task<OwnerHistory> OwnersAsync(KedjaDbContext db, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        var rows = new List<OwnershipPeriod>();
        if (entityIds.Count > 0 && await db.Ownerships.AnyAsync(cancellationToken))
        {
            foreach (var chunk in entityIds.Distinct().Chunk(5000))
            {
                rows.AddRange(await db.Ownerships.AsNoTracking().Where(o => chunk.Contains(o.EntityId)).ToListAsync(cancellationToken));
            }
        }

        return new OwnerHistory(rows.GroupBy(r => r.EntityId).ToDictionary(g => g.Key,
            g => (IReadOnlyCollection<Owner>)[.. g.DistinctBy(r => (r.UnitId, r.ValidFrom)).Select(r => new Owner(r.UnitId, new DateSpan(r.ValidFrom, r.ValidTo)))]));
    }
}

/// <summary>The ownership histories of some goals or indicators, as <see cref="UnitOwnership.OwnersAsync"/> read them.</summary>
public sealed class OwnerHistory(Dictionary<Guid, IReadOnlyCollection<Owner>> histories)
{
    /// <summary>Every unit the histories name: whoever owned one of the entities at some date.</summary>
    public IEnumerable<Guid> Units => histories.Values.SelectMany(h => h.Select(o => o.UnitId)).Distinct();

    /// <summary>Whether the entity has a history (and its current owner column is not the last word).</summary>
    public bool Has(Guid entityId) => histories.ContainsKey(entityId);

    /// <summary>The entity's history, empty without one.</summary>
    public IReadOnlyCollection<Owner> Of(Guid entityId) => histories.GetValueOrDefault(entityId) ?? [];

    /// <summary>The unit that owned the entity at the date: its history's, or the current owner without one.</summary>
    public Guid OwnerAt(Guid entityId, Guid currentOwner, DateOnly date) => Ownership.At(currentOwner, Of(entityId), date);
}
