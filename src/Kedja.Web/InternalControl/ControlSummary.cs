using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.InternalControl;

/// <summary>
/// One committee's internal control in a year as the executive board oversees it (uppsiktsplikt): the plan's status,
/// its control actions, their latest results by outcome, those not yet reported, and the open and late measures
/// (carried ones from earlier years' plans included). <see cref="PlanId"/> is null for a committee without a plan.
/// </summary>
public sealed record CommitteeControlSummary(Guid UnitId, string UnitName, Guid? PlanId, ControlPlanStatus? Status, string StatusName, DateOnly? DecidedOn,
    string? DecisionParagraph, int Actions, int WithoutRemark, int WithDeviation, int NotPerformed, int NotReported, int OpenMeasures, int LateMeasures);

/// <summary>A control action the person's units have still to report in the current period.</summary>
public sealed record ControlToDo(Guid ActionId, string Title, Guid ResponsibleUnitId, string ResponsibleUnit, string PlanUnit, string PeriodKey, string PeriodName, WorkflowState State);

/// <summary>
/// The overview of internal control (ADR 46): per committee for a year, for whoever sees it – a committee's people its
/// own (and its departments') plans, the executive board's and council's members and readers of the whole municipality
/// every one (<see cref="UnitScope.SeesManyAsync"/>) – and what the person's units have still to follow up.
/// </summary>
public sealed class ControlSummary(KedjaDbContext db, TenantContext tenant, ControlPlans plans, TimeProvider clock)
{
    /// <summary>
    /// Every unit with a plan for the year that the person sees, and every committee and executive board they see
    /// without one (named "Ingen plan", which is what the board must notice). Ordered by the organisation's order.
    /// </summary>
    public async Task<List<CommitteeControlSummary>> ForYearAsync(int year, CancellationToken cancellationToken = default)
    {
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.Kind, u.SortOrder }).ToListAsync(cancellationToken);
        var yearPlans = await db.ControlPlans.AsNoTracking().Include(p => p.Actions).ThenInclude(a => a.Results).Include(p => p.Actions).ThenInclude(a => a.Measures)
            .AsSplitQuery().Where(p => p.Year == year).ToListAsync(cancellationToken);
        var keys = await plans.PeriodKeysAsync(cancellationToken);
        var today = Deadlines.Today(clock);
        var rows = new List<(int Kind, int Sort, CommitteeControlSummary Row)>();
        var seen = yearPlans.Where(p => sees(p.UnitId)).ToList();
        var carriedByUnit = await plans.CarriedAsync([.. seen.Select(p => p.UnitId)], year, keys, cancellationToken);
        foreach (var plan in seen)
        {
            var unit = units.Single(u => u.Id == plan.UnitId);
            var latest = plan.Actions.Select(a => a.Results.OrderByDescending(r => keys[r.PeriodId], StringComparer.Ordinal).FirstOrDefault()).ToList();
            var carried = carriedByUnit.GetValueOrDefault(plan.UnitId) ?? [];
            var measures = plan.Actions.SelectMany(a => a.Measures).Select(m => (m.Status, m.Deadline))
                .Concat(carried.Select(c => (c.Measure.Status, c.Measure.Deadline))).Where(m => m.Status != MeasureStatus.Done).ToList();
            rows.Add(((int)unit.Kind, unit.SortOrder, new CommitteeControlSummary(unit.Id, unit.Name, plan.Id, plan.Status, ControlNames.Swedish(plan.Status),
                plan.DecidedOn, plan.DecisionParagraph, plan.Actions.Count,
                latest.Count(r => r?.Outcome == ControlOutcome.WithoutRemark), latest.Count(r => r?.Outcome == ControlOutcome.WithDeviation),
                latest.Count(r => r?.Outcome == ControlOutcome.NotPerformed), latest.Count(r => r is null),
                measures.Count, measures.Count(m => RiskScale.IsLate(new ControlMeasure { Text = "", Status = m.Status, Deadline = m.Deadline }, today)))));
        }

        var planned = yearPlans.Select(p => p.UnitId).ToHashSet();
        foreach (var unit in units.Where(u => u.Kind is UnitKind.Committee or UnitKind.ExecutiveBoard && !planned.Contains(u.Id) && sees(u.Id)))
        {
            rows.Add(((int)unit.Kind, unit.SortOrder, new CommitteeControlSummary(unit.Id, unit.Name, null, null, "Ingen plan", null, null, 0, 0, 0, 0, 0, 0, 0)));
        }

        return [.. rows.OrderBy(r => r.Kind).ThenBy(r => r.Sort).ThenBy(r => r.Row.UnitName, StringComparer.CurrentCulture).Select(r => r.Row)];
    }

    /// <summary>
    /// The control actions of the current follow-up period (<see cref="FollowUpCalendar.FindOrCurrent"/>) that units the
    /// person reports for (<see cref="UnitScope.AllowsManyAsync"/>) have not yet reported, with where their follow-up stands.
    /// </summary>
    public async Task<List<ControlToDo>> ToFollowUpAsync(CancellationToken cancellationToken = default)
    {
        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        if (FollowUpCalendar.FindOrCurrent(calendar, null, clock).Value is not { } period)
        {
            return [];
        }

        var allows = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var due = await (from a in db.ControlActions.AsNoTracking()
                         join p in db.ControlPlans.AsNoTracking() on a.PlanId equals p.Id
                         where a.PeriodId == period.Id && !db.ControlResults.Any(r => r.ActionId == a.Id && r.PeriodId == period.Id)
                         orderby a.SortOrder
                         select new { a.Id, a.Title, a.ResponsibleUnitId, p.UnitId }).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        var names = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var closed = await WorkflowGuard.ClosedAsync(db, period.Key, cancellationToken);
        return
        [
            .. due.Where(a => allows(a.ResponsibleUnitId)).Select(a => new ControlToDo(a.Id, a.Title, a.ResponsibleUnitId, names[a.ResponsibleUnitId], names[a.UnitId],
                period.Key, period.Name, closed.GetValueOrDefault(a.ResponsibleUnitId, WorkflowState.Open))),
        ];
    }
}
