using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tenants;

/// <param name="Late">Past the period's deadline and not yet submitted.</param>
/// <param name="NotMetWithoutAction">For administrators: the unit's goals short of met in the period whose assessment decides no action.</param>
public sealed record ToDoUnit(UnitWorkflowDto Workflow, bool Late, int NotMetWithoutAction = 0);

/// <param name="Units">The units the person reports for (an editor: their unit and those below; an administrator: all).</param>
public sealed record ToDoList(FollowUpPeriod Period, bool PastDeadline, List<ToDoUnit> Units, IReadOnlyDictionary<WorkflowState, int> Counts);

/// <summary>
/// What the signed-in person must do in the period being followed up now (att göra): which of their units still have
/// to report and by when, and for an administrator where every unit stands. The same workflow rules as the API.
/// </summary>
public sealed class ToDo(KedjaDbContext db, TenantContext tenant, FollowUpWorkflow workflow, FollowUp.StatusService statuses, TimeProvider clock)
{
    public async Task<ServiceResult<ToDoList>> ForCurrentPeriodAsync(string? periodKey, CancellationToken cancellationToken = default)
    {
        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var found = FollowUpCalendar.FindOrCurrent(calendar, periodKey, clock);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var listed = await workflow.ListAsync(period.Key, cancellationToken);
        if (listed.Value is not { } units)
        {
            return listed.Error!;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // A deadline that passed before the municipality was in Kedja could not be met in Kedja (ADR 29).
        var created = DateOnly.FromDateTime(await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => t.CreatedAt).SingleAsync(cancellationToken));
        var pastDeadline = period.Deadline is { } deadline && deadline < today && deadline >= created;
        var reporting = pastDeadline ? await ReportingUnitsAsync(period, cancellationToken) : [];
        var mine = tenant.Role == TenantRole.Reader ? (_ => true) : await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var withoutAction = tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin
            ? await NotMetWithoutActionAsync(period, cancellationToken)
            : [];
        var rows = units.Where(u => mine(u.UnitId))
            .Select(u => new ToDoUnit(u, pastDeadline && u.State == WorkflowState.Open && reporting.Contains(u.UnitId), withoutAction.GetValueOrDefault(u.UnitId)))
            .OrderBy(u => u.Workflow.State != WorkflowState.Open).ThenBy(u => u.Workflow.UnitName, StringComparer.Create(Ui.Language.Formats, false))
            .ToList();
        var counts = Enum.GetValues<WorkflowState>().ToDictionary(s => s, s => rows.Count(r => r.Workflow.State == s));
        return new ToDoList(period, pastDeadline, rows, counts);
    }

    /// <summary>
    /// The units that have something to report in the period: a goal valid in its year, or an indicator of their own
    /// outside the goals (a program's, the basic mission's). A unit with neither is not late (ADR 29).
    /// </summary>
    private async Task<HashSet<Guid>> ReportingUnitsAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var year = period.Year;
        var goals = await db.Goals.AsNoTracking()
            .Where(g => (g.ValidFromYear == null || g.ValidFromYear <= year) && (g.ValidToYear == null || g.ValidToYear >= year))
            .Select(g => g.OwnerUnitId).Distinct().ToListAsync(cancellationToken);
        var indicators = await db.Indicators.AsNoTracking().Where(i => i.GoalId == null).Select(i => i.OwnerUnitId).Distinct().ToListAsync(cancellationToken);
        return [.. goals, .. indicators];
    }

    /// <summary>
    /// Per unit, its goals whose status in the period (assessed, or the rule's suggestion) is short of met and that have
    /// no action decided: what an administrator chases before the report goes to the committee. From the held results.
    /// </summary>
    private async Task<Dictionary<Guid, int>> NotMetWithoutActionAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var held = await statuses.ForPeriodAsync(period, cancellationToken);
        var withAction = (await db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Id && a.Actions != null && a.Actions != "")
            .Select(a => a.GoalId).ToListAsync(cancellationToken)).ToHashSet();
        var counts = new Dictionary<Guid, int>();
        foreach (var (goalId, result) in held.Goals)
        {
            if (withAction.Contains(goalId) || !held.GoalFacts.TryGetValue(goalId, out var facts)
                || held.Level(result.Status, held.ModelOfGoal.TryGetValue(goalId, out var model) ? model : null) is not { IsNotAssessed: false, Score: < 1m })
            {
                continue;
            }

            counts[facts.OwnerUnitId] = counts.GetValueOrDefault(facts.OwnerUnitId) + 1;
        }

        return counts;
    }
}
