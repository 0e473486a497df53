using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

/// <summary>Closes a goal's actions for a period (true) or opens them again (false), from the version read.</summary>
public sealed record ActionsStateInput(bool Closed, int? Version);

/// <param name="Version">The assessment's version, with which the actions are closed.</param>
public sealed record OpenActionDto(string PeriodKey, string PeriodName, StatusDto Status, string? Analysis, string Actions, string AssessedBy, DateTime AssessedAt, int Version);

/// <summary>What planning a goal for a year starts from.</summary>
/// <param name="Continues">Whether the goal is valid in the year, so that it is planned for again.</param>
/// <param name="OpenActions">The actions decided in earlier years' assessments of the goal that nobody has closed, oldest first.</param>
public sealed record GoalPlanningDto(Guid GoalId, string Title, string? Code, Guid OwnerUnitId, int Year, bool Continues, int? ValidFromYear, int? ValidToYear,
    List<OpenActionDto> OpenActions);

/// <summary>
/// The actions (åtgärder) an assessment decides on a deviation: open until someone closes them, and carried into the
/// planning of every later year until then. See docs/adr/0012-scorecard-shape-and-open-actions.md.
/// </summary>
public sealed class AssessmentActions(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{

    /// <summary>
    /// Closes or reopens the actions of the goal's assessment for the period. Unlike the assessment itself this is not
    /// held by the period's workflow: actions decided in a locked T3 are carried out, and closed, the year after.
    /// </summary>
    public async Task<ServiceResult<VersionedAssessment>> SetStateAsync(Guid goalId, string periodKey, ActionsStateInput input, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound("Målet finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, goal.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden("Du får bara stänga åtgärder för din egen enhet och enheterna under den.");
        }

        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var period = found.Value!;
        var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.GoalId == goalId && a.PeriodId == period.Id, cancellationToken);
        if (assessment is null)
        {
            return ServiceError.NotFound($"Målet har ingen bedömning för {period.Name}.");
        }

        if (string.IsNullOrWhiteSpace(assessment.Actions))
        {
            return ServiceError.Invalid("closed", "Bedömningen har inga åtgärder att stänga eller öppna.");
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        db.ExpectVersion(assessment, input.Version.Value);
        if (!input.Closed)
        {
            (assessment.ActionsClosedAt, assessment.ActionsClosedBy) = (null, null);
        }
        else if (assessment.ActionsClosedAt is null)
        {
            (assessment.ActionsClosedAt, assessment.ActionsClosedBy) = (clock.GetUtcNow().UtcDateTime, actor.Name);
        }

        return await db.TrySaveAsync()
            ? VersionedAssessment.From(assessment, period.Key)
            : ServiceError.Conflict();
    }

    /// <summary>The goal as planning for <paramref name="year"/> (by default next year) starts from.</summary>
    public async Task<ServiceResult<GoalPlanningDto>> PlanningAsync(Guid goalId, int? year, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound("Målet finns inte.");
        }

        var planned = year ?? clock.GetUtcNow().Year + 1;
        if (!Years.Contains(planned))
        {
            return ServiceError.Invalid("year", Years.Message);
        }

        var open = await OpenActionsAsync([goal.Id], planned, cancellationToken);
        var actions = open.GetValueOrDefault(goal.Id) ?? [];
        return ServiceResult<GoalPlanningDto>.Of(new GoalPlanningDto(goal.Id, goal.Title, goal.Code, goal.OwnerUnitId, planned, goal.IsValidIn(planned),
            goal.ValidFromYear, goal.ValidToYear, actions));
    }

    /// <summary>The open actions of earlier years' assessments of the goals, oldest first per goal.</summary>
    public async Task<Dictionary<Guid, List<OpenActionDto>>> OpenActionsAsync(IReadOnlyCollection<Guid> goalIds, int year, CancellationToken cancellationToken = default)
    {
        var open = await db.Assessments.AsNoTracking()
            .Where(a => goalIds.Contains(a.GoalId) && a.ActionsClosedAt == null && a.Actions != null)
            .Join(db.Periods.Where(p => p.Year < year), a => a.PeriodId, p => p.Id, (a, p) => new { Assessment = a, Period = p })
            .Join(db.Goals, x => x.Assessment.GoalId, g => g.Id, (x, g) => new { x.Assessment, x.Period, g.ModelId })
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return [];
        }

        var scale = await ScaleAsync(cancellationToken);
        return open.Where(x => !string.IsNullOrWhiteSpace(x.Assessment.Actions)).OrderBy(x => x.Period.Ref)
            .GroupBy(x => x.Assessment.GoalId)
            .ToDictionary(g => g.Key, g => g.Select(x =>
            {
                var a = x.Assessment;
                return new OpenActionDto(x.Period.Key, x.Period.Name, Status(scale, x.ModelId, a.StatusKey), a.Analysis, a.Actions!, a.AssessedBy, a.AssessedAt, a.Version);
            }).ToList());
    }

    /// <summary>The steps of every scale of the tenant, by model and key.</summary>
    public async Task<Dictionary<(Guid Model, string Key), Domain.Model.ScaleLevel>> ScaleAsync(CancellationToken cancellationToken = default) =>
        await db.ScaleLevels.AsNoTracking().ToDictionaryAsync(s => (s.ModelId, s.Key), cancellationToken);

    public static StatusDto Status(IReadOnlyDictionary<(Guid Model, string Key), Domain.Model.ScaleLevel> scale, Guid modelId, string key) =>
        scale.TryGetValue((modelId, key), out var level)
            ? new StatusDto(level.Key, level.Label, level.Colour, level.Symbol)
            : new StatusDto(key, key, "#5f6368", "");
}
