using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Activities;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Planning;

/// <summary>Where a goal stands in the planned year: it goes on, it is new that year, or it ended the year before.</summary>
public enum PlanState
{
    Continues,
    Starts,
    Ends,
}

/// <param name="LastStatus">The latest assessment of the year before the planned one, with its period.</param>
/// <param name="NotMetWithoutAction">The latest assessment found the goal short of met and decided no action: the planning must answer it.</param>
public sealed record PlannedGoal(Guid Id, string Title, string? Code, string Level, int? ValidFromYear, int? ValidToYear, PlanState State,
    StatusDto? LastStatus, string? LastPeriodName, List<OpenActionDto> OpenActions, bool NotMetWithoutAction);

public sealed record PlannedActivity(Guid Id, string Title, string? Goal, DateOnly? Start, DateOnly? End, ActivityStatus Status, int Progress, bool CarriedOver);

/// <param name="Years">The years the model plans, to choose between.</param>
/// <param name="CanEdit">Whether the reader may close actions and plan activities for the unit.</param>
public sealed record UnitPlanningView(Guid UnitId, string UnitName, int Year, List<int> Years, bool CanEdit, List<PlannedGoal> Goals, List<PlannedActivity> Activities);

/// <summary>
/// What planning a unit's next year starts from: the goals that go on, start or end; the actions decided on goals not met
/// that nobody has closed (ADR 12); goals not met without an action; the activities planned for the year or carried over
/// unfinished. Issue 16 builds the year's draft on this; this view only reads.
/// </summary>
public sealed class UnitPlanning(KedjaDbContext db, TenantContext tenant, AssessmentActions actions, TimeProvider clock)
{
    public async Task<ServiceResult<UnitPlanningView>> ForAsync(Guid unitId, int? year, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Id, u.Name }).SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound("Enheten finns inte.");
        }

        var models = await db.Models.AsNoTracking().Select(m => new { m.FirstYear, m.LastYear }).ToListAsync(cancellationToken);
        var planned = year ?? clock.GetUtcNow().Year + 1;
        if (!Years.Contains(planned))
        {
            return ServiceError.Invalid("year", Years.Message);
        }

        var goals = await db.Goals.AsNoTracking()
            .Where(g => g.OwnerUnitId == unitId && (g.ValidToYear == null || g.ValidToYear >= planned - 1) && (g.ValidFromYear == null || g.ValidFromYear <= planned))
            .Join(db.GoalLevels, g => g.LevelId, l => l.Id, (g, l) => new { Goal = g, Level = l.Name, l.Depth })
            .OrderBy(x => x.Depth).ThenBy(x => x.Goal.SortOrder).ThenBy(x => x.Goal.Title)
            .ToListAsync(cancellationToken);
        var ids = goals.Select(g => g.Goal.Id).ToList();
        var open = await actions.OpenActionsAsync(ids, planned, cancellationToken);

        // The latest assessment of the year before: what the planning answers.
        var latest = (await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.GoalId))
                .Join(db.Periods.Where(p => p.Year == planned - 1), a => a.PeriodId, p => p.Id, (a, p) => new { a.GoalId, a.StatusKey, a.Actions, p.Key, p.Name })
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.GoalId).ToDictionary(g => g.Key, g => g.MaxBy(a => Domain.Periods.PeriodRef.Parse(a.Key))!);
        var scale = await actions.ScaleAsync(cancellationToken);

        var lines = goals.Select(x =>
        {
            var g = x.Goal;
            var state = !g.IsValidIn(planned) ? PlanState.Ends : g.ValidFromYear == planned ? PlanState.Starts : PlanState.Continues;
            StatusDto? status = null;
            var notMetWithoutAction = false;
            if (latest.TryGetValue(g.Id, out var last))
            {
                status = AssessmentActions.Status(scale, g.ModelId, last.StatusKey);
                notMetWithoutAction = scale.GetValueOrDefault((g.ModelId, last.StatusKey)) is { IsNotAssessed: false, Score: < 1m } && string.IsNullOrWhiteSpace(last.Actions);
            }

            return new PlannedGoal(g.Id, g.Title, g.Code, x.Level, g.ValidFromYear, g.ValidToYear, state, status, last?.Name, open.GetValueOrDefault(g.Id) ?? [], notMetWithoutAction);
        }).ToList();

        // Activities of the year, and those of earlier years left unfinished (carried over until done or cancelled).
        var (start, end) = (new DateOnly(planned, 1, 1), new DateOnly(planned, 12, 31));
        var activities = await db.Activities.AsNoTracking()
            .Where(a => a.ResponsibleUnitId == unitId && a.ProgramId == null
                && ((a.StartDate == null || a.StartDate <= end) && (a.EndDate == null || a.EndDate >= start)
                    || (a.EndDate < start && a.Status != ActivityStatus.Done && a.Status != ActivityStatus.Cancelled)))
            .GroupJoin(db.Goals, a => a.GoalId, g => g.Id, (a, gs) => new { Activity = a, Goals = gs })
            .SelectMany(x => x.Goals.DefaultIfEmpty(), (x, g) => new { x.Activity, Goal = g == null ? null : g.Title })
            .OrderBy(x => x.Activity.StartDate).ThenBy(x => x.Activity.Title)
            .ToListAsync(cancellationToken);
        var planning = activities.Select(x => new PlannedActivity(x.Activity.Id, x.Activity.Title, x.Goal, x.Activity.StartDate, x.Activity.EndDate,
            x.Activity.Status, x.Activity.Progress, x.Activity.EndDate < start)).ToList();

        // The model's years and the one after the last, which is planned in the last year's autumn.
        var years = models.SelectMany(m => Enumerable.Range(m.FirstYear, m.LastYear - m.FirstYear + 2)).Append(planned).Where(Years.Contains).Distinct().Order().ToList();
        var canEdit = tenant.Role >= Domain.Tenancy.TenantRole.Editor && await UnitScope.AllowsAsync(tenant, db, unitId, cancellationToken);
        return ServiceResult<UnitPlanningView>.Of(new UnitPlanningView(unit.Id, unit.Name, planned, years, canEdit, lines, planning));
    }
}
