using Kedja.Data;
using Kedja.Domain.Organisation;
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

/// <summary>One deadline of the person's units: a period and a day, the units due then and those that have not submitted.</summary>
/// <param name="DaysLeft">0 today, negative when it has passed.</param>
public sealed record DeadlineGroup(string PeriodKey, string PeriodName, DateOnly DueOn, int DaysLeft, List<UnitKind> Kinds, int Units, List<DueFollowUp> Missing);

/// <param name="Upcoming">The person's coming deadlines (today included), nearest first.</param>
/// <param name="Late">Their units past the deadline and not submitted; for an administrator every unit (who is late).</param>
public sealed record MyDeadlines(List<DeadlineGroup> Upcoming, List<(DueFollowUp FollowUp, int DaysLate)> Late);

/// <summary>
/// What the signed-in person must do in the period being followed up now (att göra): which of their units still have
/// to report and by when, and for an administrator where every unit stands. The same workflow rules as the API.
/// </summary>
public sealed class ToDo(KedjaDbContext db, TenantContext tenant, FollowUpWorkflow workflow, FollowUp.StatusService statuses, Deadlines deadlines, TimeProvider clock)
{
    private List<DueFollowUp>? lateRead;

    /// <summary>How far ahead the start page looks for deadlines.</summary>
    public const int DaysAhead = 180;

    /// <summary>
    /// The deadlines of the units the person reports for (an editor: their unit and those below; an administrator: all;
    /// a reader: none), and which of them are late. Late counts as on the start page since ADR 29: only deadlines on or after
    /// the municipality came into Kedja, only units with something to report.
    /// </summary>
    public async Task<MyDeadlines> MyDeadlinesAsync(CancellationToken cancellationToken = default)
    {
        var mine = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var today = deadlines.Today();
        var upcoming = (await deadlines.DueBetweenAsync(today, today.AddDays(DaysAhead), cancellationToken)).Where(d => mine(d.UnitId))
            .GroupBy(d => (d.PeriodKey, d.DueOn))
            .Select(g => new DeadlineGroup(g.Key.PeriodKey, g.First().PeriodName, g.Key.DueOn, g.Key.DueOn.DayNumber - today.DayNumber,
                [.. g.Select(d => d.UnitKind).Distinct().Order()], g.Count(), [.. g.Where(d => d.IsOpen)]))
            .OrderBy(g => g.DueOn).ThenBy(g => PeriodRef.Parse(g.PeriodKey)).ToList();
        var late = (await LateAsync(cancellationToken)).Where(d => mine(d.UnitId))
            .Select(d => (d, today.DayNumber - d.DueOn.DayNumber)).ToList();
        return new MyDeadlines(upcoming, late);
    }

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

        var today = deadlines.Today();
        // A deadline that passed before the municipality was in Kedja could not be met in Kedja (ADR 29).
        var created = DateOnly.FromDateTime(await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => t.CreatedAt).SingleAsync(cancellationToken));
        var pastDeadline = period.Deadline is { } deadline && deadline < today && deadline >= created;
        // Each unit is late by its own level's deadline (ADR 45), with the rules of ADR 29.
        var late = (await LateAsync(cancellationToken)).Where(d => d.PeriodId == period.Id).Select(d => d.UnitId).ToHashSet();
        var mine = tenant.Role == TenantRole.Reader ? (_ => true) : await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var withoutAction = tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin
            ? await NotMetWithoutActionAsync(period, cancellationToken)
            : [];
        var rows = units.Where(u => mine(u.UnitId))
            .Select(u => new ToDoUnit(u, late.Contains(u.UnitId), withoutAction.GetValueOrDefault(u.UnitId)))
            .OrderBy(u => u.Workflow.State != WorkflowState.Open).ThenBy(u => u.Workflow.UnitName, StringComparer.Create(Ui.Language.Formats, false))
            .ToList();
        var counts = Enum.GetValues<WorkflowState>().ToDictionary(s => s, s => rows.Count(r => r.Workflow.State == s));
        return new ToDoList(period, pastDeadline, rows, counts);
    }

    /// <summary>Who is late, read once for the page's two lists (this service lives as long as the request).</summary>
    private async Task<List<DueFollowUp>> LateAsync(CancellationToken cancellationToken) => lateRead ??= await deadlines.LateAsync(cancellationToken);

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
