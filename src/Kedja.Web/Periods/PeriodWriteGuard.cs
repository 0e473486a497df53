using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>
/// The one check before a goal's or indicator's value for a period is written (outcomes, forecasts, assessments, file
/// imports, Kolada; review 16, finding 1): may this person write it, and is the follow-up it belongs to still open. Both
/// are asked of the unit that owned the goal or indicator at the period's end (<see cref="OwnerHistory.OwnerAt"/>), as the
/// cards read it, not of today's owner: after a reorganisation the new unit has no follow-up of the years before it, so
/// today's owner would find every locked year open.
/// </summary>
public sealed class PeriodWriteGuard(KedjaDbContext db, TenantContext tenant)
{
    /// <summary>Reads, once for a batch, the entities' histories, the person's units and the follow-up states of every unit that owned them.</summary>
    /// <param name="owners">Each goal or indicator with its current owner and, for an indicator of a goal, the goal (<see cref="UnitOwnership.OwnersAsync"/>).</param>
    public async Task<PeriodWrites> LoadAsync(IReadOnlyCollection<(Guid EntityId, Guid OwnerUnitId, Guid? GoalId)> owners, CancellationToken cancellationToken = default)
    {
        var history = await UnitOwnership.OwnersAsync(db, owners, cancellationToken);
        var allowed = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var earlier = history.Units.ToList();
        var states = await WorkflowGuard.LoadAsync(db, [.. owners.Select(o => o.OwnerUnitId).Concat(earlier).Distinct()], cancellationToken);
        var names = earlier.Count == 0 ? []
            : await db.Units.AsNoTracking().Where(u => earlier.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return new PeriodWrites(history, allowed, states, names);
    }
}

/// <summary>What <see cref="PeriodWriteGuard.LoadAsync"/> read: answers per entity and period without further reads.</summary>
public sealed class PeriodWrites(OwnerHistory history, Func<Guid, bool> allowed, FollowUpStates states, Dictionary<Guid, string> names)
{
    /// <summary>The unit that owned the entity at the date.</summary>
    public Guid OwnerAt(Guid entityId, Guid currentOwner, DateOnly date) => history.OwnerAt(entityId, currentOwner, date);

    /// <summary>
    /// The date a result of the period is owned by: the end of the follow-up it is reported in (whose card shows it),
    /// or its own end outside the calendar.
    /// </summary>
    public DateOnly DateOfResult(PeriodRef result) => states.ReportedIn(result)?.EndDate ?? result.End;

    /// <summary>The unit that owned the entity when the result's follow-up ended.</summary>
    public Guid OwnerOfResult(Guid entityId, Guid currentOwner, PeriodRef result) => OwnerAt(entityId, currentOwner, DateOfResult(result));

    /// <summary>
    /// Null when the person may write the entity's value as of the date. Outside the units they act for: 403 with
    /// <paramref name="outsideScope"/>. A person of today's owner writing a period that belonged to an earlier owner is
    /// refused with a conflict instead (409): the value is theirs to change from the reorganisation on, not before it.
    /// </summary>
    public ServiceError? Scope(Guid entityId, Guid currentOwner, DateOnly date, string outsideScope)
    {
        var owner = OwnerAt(entityId, currentOwner, date);
        if (allowed(owner))
        {
            return null;
        }

        return owner != currentOwner && allowed(currentOwner)
            ? ServiceError.Conflict($"Den {date:yyyy-MM-dd} hörde detta till {names.GetValueOrDefault(owner, "en annan enhet")}, så värdena för perioden ändras av den enheten. "
                + "Din enhet har det från omorganisationen och framåt.")
            : ServiceError.Forbidden(outsideScope);
    }

    /// <summary>As <see cref="Scope"/> for a result of the period (owned as at the end of the follow-up it is reported in).</summary>
    public ServiceError? ScopeOfResult(Guid entityId, Guid currentOwner, PeriodRef result, string outsideScope) =>
        Scope(entityId, currentOwner, DateOfResult(result), outsideScope);

    /// <summary>Null while the follow-up of the period is open for the unit that owned the entity at its end; else the conflict.</summary>
    public ServiceError? Closed(Guid entityId, Guid currentOwner, FollowUpPeriod period) => states.Check(OwnerAt(entityId, currentOwner, period.EndDate), period);

    /// <summary>As <see cref="Closed"/>, for a result of the given period, guarded by the follow-up it is reported in.</summary>
    public ServiceError? ClosedResult(Guid entityId, Guid currentOwner, PeriodRef result) => ClosedResultOf(OwnerOfResult(entityId, currentOwner, result), result);

    /// <summary>As <see cref="ClosedResult"/>, for a unit already resolved by <see cref="OwnerOfResult"/> (an import asks once per unit and period).</summary>
    public ServiceError? ClosedResultOf(Guid ownerUnitId, PeriodRef result) => states.CheckResult(ownerUnitId, result);

    /// <summary>
    /// Null when the result may be written at all: within the person's units as of its period and in an open follow-up.
    /// A locked follow-up answers first, since nobody may change it, whoever asks.
    /// </summary>
    public ServiceError? WriteResult(Guid entityId, Guid currentOwner, PeriodRef result, string outsideScope) =>
        ClosedResult(entityId, currentOwner, result) ?? ScopeOfResult(entityId, currentOwner, result, outsideScope);
}
