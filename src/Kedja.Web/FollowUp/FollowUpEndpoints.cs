using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

/// <param name="ActionsClosedAt">Null while the actions are open; open actions are carried into the planning of later years.</param>
public sealed record AssessmentDto(string Status, string? SuggestedStatus, bool DeviatesFromRule, string? Motivation, string? Analysis, string? Actions,
    DateTime? ActionsClosedAt, string? ActionsClosedBy, string AssessedBy, DateTime AssessedAt, int Version)
{
    public static AssessmentDto From(Assessment a) => new(a.StatusKey, a.SuggestedStatusKey, a.DeviatesFromRule, a.Motivation, a.Analysis, a.Actions,
        a.ActionsClosedAt, a.ActionsClosedBy, a.AssessedBy, a.AssessedAt, a.Version);
}

public sealed record AssessmentInput(string Status, string? Motivation, string? Analysis, string? Actions, int? Version);

public static class FollowUpEndpoints
{
    public static void MapFollowUp(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Uppföljning");
        group.MapGet("/units/{unitId:guid}/scorecard", Scorecard).RequireTenant();
        group.MapPut("/goals/{goalId:guid}/assessments/{periodKey}", PutAssessment).RequireTenant(TenantRole.Editor);
        group.MapPut("/goals/{goalId:guid}/assessments/{periodKey}/actions", PutActionsState).RequireTenant(TenantRole.Editor);
        group.MapGet("/goals/{goalId:guid}/planning", Planning).RequireTenant();
    }

    /// <summary>A unit's goals for a period by dimension, with computed status and the explanation behind it; its programs and basic mission apart.</summary>
    private static async Task<Results<Ok<ScorecardDto>, ValidationProblem, ProblemHttpResult>> Scorecard(Guid unitId, string? periodKey, Scorecards scorecards) =>
        Answer(await scorecards.ForUnitAsync(unitId, periodKey));

    /// <summary>Closes (or opens again) the actions of a goal's assessment. Allowed also after the period is locked.</summary>
    private static async Task<Results<Ok<AssessmentDto>, ValidationProblem, ProblemHttpResult>> PutActionsState(
        Guid goalId, string periodKey, ActionsStateInput input, AssessmentActions actions) =>
        Answer(await actions.SetStateAsync(goalId, periodKey, input));

    /// <summary>Whether the goal continues in the year, and the actions from earlier years' assessments that are still open.</summary>
    private static async Task<Results<Ok<GoalPlanningDto>, ValidationProblem, ProblemHttpResult>> Planning(Guid goalId, int? year, AssessmentActions actions) =>
        Answer(await actions.PlanningAsync(goalId, year));

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(ServiceResult<T> result) => result.ToHttp();

    /// <summary>
    /// Saves a goal's assessment. A status that differs from the engine's suggestion is a deviation from the rule and
    /// must be motivated; it is recorded as such.
    /// </summary>
    private static async Task<Results<Ok<AssessmentDto>, ValidationProblem, ProblemHttpResult>> PutAssessment(
        Guid goalId, string periodKey, AssessmentInput input, KedjaDbContext db, StatusService statuses, TenantContext tenant, IAuditActor actor, TimeProvider clock)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId);
        if (goal is null)
        {
            return Problems.NotFound("Målet finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, goal.OwnerUnitId))
        {
            return Problems.Forbidden("Du får bara bedöma mål för din egen enhet och enheterna under den.");
        }

        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == periodKey);
        if (period is null)
        {
            return Problems.Invalid("periodKey", $"Perioden '{periodKey}' finns inte i uppföljningskalendern.");
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, goal.OwnerUnitId, period) is { } closed)
        {
            return closed;
        }

        var texts = new ValidationErrors();
        texts.Text("motivation", input.Motivation, "Motiveringen", Domain.TextLimits.Long);
        texts.Text("analysis", input.Analysis, "Analysen", Domain.TextLimits.Long);
        texts.Text("actions", input.Actions, "Åtgärderna", Domain.TextLimits.Long);
        if (texts.Count > 0)
        {
            return Problems.Invalid(texts.ToDictionary());
        }

        var scale = await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).ToListAsync();
        if (scale.All(s => s.Key != input.Status))
        {
            return Problems.Invalid("status", $"Statusen finns inte i skalan. Välj en av: {string.Join(", ", scale.OrderBy(s => s.SortOrder).Select(s => s.Key))}.");
        }

        var suggestion = (await statuses.ForUnitAsync(period, goal.OwnerUnitId, [goalId])).Goals.GetValueOrDefault(goalId)?.SuggestedStatus;
        var deviates = suggestion is not null && suggestion != input.Status && scale.Any(s => s.Key == suggestion && !s.IsNotAssessed);
        if (deviates && string.IsNullOrWhiteSpace(input.Motivation))
        {
            return Problems.Invalid("motivation", $"Bedömningen avviker från regelns förslag ({scale.First(s => s.Key == suggestion).Label}) och måste motiveras.");
        }

        var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.GoalId == goalId && a.PeriodId == period.Id);
        if (assessment is null)
        {
            assessment = new Assessment { GoalId = goalId, PeriodId = period.Id, StatusKey = input.Status, AssessedBy = actor.Name };
            db.Assessments.Add(assessment);
        }
        else if (input.Version is null)
        {
            return Problems.Invalid("version", "Målet är redan bedömt. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }
        else
        {
            db.ExpectVersion(assessment, input.Version.Value);
        }

        assessment.StatusKey = input.Status;
        assessment.SuggestedStatusKey = suggestion;
        assessment.DeviatesFromRule = deviates;
        assessment.Motivation = input.Motivation;
        assessment.Analysis = input.Analysis;
        if (assessment.Actions != input.Actions)
        {
            // Actions written anew are open, whatever became of the ones they replace.
            (assessment.ActionsClosedAt, assessment.ActionsClosedBy) = (null, null);
        }

        assessment.Actions = input.Actions;
        assessment.AssessedBy = actor.Name;
        assessment.AssessedAt = clock.GetUtcNow().UtcDateTime;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(AssessmentDto.From(assessment));
    }
}
