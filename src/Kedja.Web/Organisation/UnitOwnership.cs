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
    /// A goal's indicator without a history of its own that belongs to its goal's owner moved with the goal (a
    /// reorganisation maps goals, and their indicators follow), so it follows the goal's history. One cheap question when
    /// the tenant has no history at all; else one statement per 5,000 ids.
    /// </summary>
    /// <param name="entities">Each goal or indicator with its current owner and, for an indicator of a goal, the goal.</param>
    public static async Task<OwnerHistory> OwnersAsync(KedjaDbContext db, IReadOnlyCollection<(Guid EntityId, Guid OwnerUnitId, Guid? GoalId)> entities,
        CancellationToken cancellationToken)
    {
        if (entities.Count == 0 || !await db.Ownerships.AnyAsync(cancellationToken))
        {
            return new OwnerHistory([], []);
        }

        var goalIds = entities.Where(e => e.GoalId is not null).Select(e => e.GoalId!.Value).Distinct().ToList();
        var goalOwners = new Dictionary<Guid, Guid>();
        foreach (var chunk in goalIds.Chunk(5000))
        {
            foreach (var g in await db.Goals.AsNoTracking().Where(g => chunk.Contains(g.Id)).Select(g => new { g.Id, g.OwnerUnitId }).ToListAsync(cancellationToken))
            {
                goalOwners[g.Id] = g.OwnerUnitId;
            }
        }

        var rows = new List<OwnershipPeriod>();
        foreach (var chunk in entities.Select(e => e.EntityId).Concat(goalIds).Distinct().Chunk(5000))
        {
            rows.AddRange(await db.Ownerships.AsNoTracking().Where(o => chunk.Contains(o.EntityId)).ToListAsync(cancellationToken));
        }

        var histories = rows.GroupBy(r => r.EntityId).ToDictionary(g => g.Key,
            g => (IReadOnlyCollection<Owner>)[.. g.DistinctBy(r => (r.UnitId, r.ValidFrom)).Select(r => new Owner(r.UnitId, new DateSpan(r.ValidFrom, r.ValidTo)))]);
        var follows = entities.Where(e => e.GoalId is { } goal && histories.ContainsKey(goal)
                && Ownership.FollowsGoal(histories.ContainsKey(e.EntityId), e.OwnerUnitId, goalOwners.TryGetValue(goal, out var owner) ? owner : null))
            .DistinctBy(e => e.EntityId).ToDictionary(e => e.EntityId, e => e.GoalId!.Value);
        return new OwnerHistory(histories, follows);
    }

    /// <summary>
    /// Rewrites an entity's history (its rows, tracked) so that it passes to <paramref name="to"/> from <paramref name="date"/>
    /// (<see cref="Ownership.Move"/>): earlier rows keep their days before it and the reorganisation that wrote them.
    /// </summary>
    public static void Move(KedjaDbContext db, OwnedKind kind, Guid entityId, Guid currentOwner, List<OwnershipPeriod> old, Guid to, DateOnly date, Guid? reorganisationId)
    {
        var moved = Ownership.Move(currentOwner, [.. old.Select(o => new Owner(o.UnitId, new DateSpan(o.ValidFrom, o.ValidTo)))], to, date);
        db.Ownerships.RemoveRange(old);
        db.Ownerships.AddRange(moved.Select(o => new OwnershipPeriod
        {
            EntityKind = kind, EntityId = entityId, UnitId = o.UnitId, ValidFrom = o.Span.From, ValidTo = o.Span.To,
            ReorganisationId = reorganisationId ?? old.FirstOrDefault(r => r.UnitId == o.UnitId && r.ValidFrom == o.Span.From)?.ReorganisationId,
        }));
    }

    /// <summary>
    /// A person gives a goal or indicator another owner (review 16, finding 4). Without a history its owner column is the
    /// last word and nothing more is written; with one, the history is what every period reads, so the change is written
    /// into it from <paramref name="today"/>: periods ending before keep their owner, later ones follow the new one.
    /// </summary>
    public static async Task MoveIfHistoryAsync(KedjaDbContext db, OwnedKind kind, Guid entityId, Guid from, Guid to, DateOnly today, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            return;
        }

        var old = await db.Ownerships.Where(o => o.EntityId == entityId).ToListAsync(cancellationToken);
        if (old.Count == 0)
        {
            return;
        }

        if (kind == OwnedKind.Goal)
        {
            // The goal's indicators that followed its history (none of their own, the goal's owner) stay with their owner:
            // they keep the history they had as one of their own, so that their past periods still read as before.
            var following = await db.Indicators.Where(i => i.GoalId == entityId && i.ProgramId == null && i.OwnerUnitId == from
                && !db.Ownerships.Any(o => o.EntityId == i.Id)).Select(i => i.Id).ToListAsync(cancellationToken);
            db.Ownerships.AddRange(following.SelectMany(id => old.Select(o => new OwnershipPeriod
            {
                EntityKind = OwnedKind.Indicator, EntityId = id, UnitId = o.UnitId, ValidFrom = o.ValidFrom, ValidTo = o.ValidTo, ReorganisationId = o.ReorganisationId,
            })));
        }

        Move(db, kind, entityId, from, old, to, today, reorganisationId: null);
    }
}

/// <summary>The ownership histories of some goals or indicators, as <see cref="UnitOwnership.OwnersAsync"/> read them.</summary>
/// <param name="follows">Indicators that follow their goal's history, with the goal.</param>
public sealed class OwnerHistory(Dictionary<Guid, IReadOnlyCollection<Owner>> histories, Dictionary<Guid, Guid> follows)
{
    /// <summary>Every unit the histories name: whoever owned one of the entities at some date.</summary>
    public IEnumerable<Guid> Units => histories.Values.SelectMany(h => h.Select(o => o.UnitId)).Distinct();

    /// <summary>The entity's history, empty without one.</summary>
    public IReadOnlyCollection<Owner> Of(Guid entityId) => histories.GetValueOrDefault(follows.TryGetValue(entityId, out var goal) ? goal : entityId) ?? [];

    /// <summary>The unit that owned the entity at the date: its history's, or the current owner without one.</summary>
    public Guid OwnerAt(Guid entityId, Guid currentOwner, DateOnly date) => Ownership.At(currentOwner, Of(entityId), date);
}
