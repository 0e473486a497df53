using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.FollowUp;

public static class FollowUpEndpoints
{
    public static void MapFollowUp(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Uppföljning");
        group.MapGet("/units/{unitId:guid}/scorecard", Scorecard).RequireTenant().Produces<ScorecardDto>();
        group.MapGet("/goals/{goalId:guid}/assessments/{periodKey}", GetAssessment).RequireTenant();
        group.MapPut("/goals/{goalId:guid}/assessments/{periodKey}", PutAssessment).RequireTenant(TenantRole.Editor);
        group.MapPut("/goals/{goalId:guid}/assessments/{periodKey}/actions", PutActionsState).RequireTenant(TenantRole.Editor);
        group.MapGet("/goals/{goalId:guid}/planning", Planning).RequireTenant();
    }

    /// <summary>A unit's goals for a period by dimension, with computed status and the explanation behind it; its programs and basic mission apart.</summary>
    /// <remarks>Written as held: a card is serialized once per data version, however many read it.</remarks>
    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Scorecard(Guid unitId, string? periodKey, Scorecards scorecards) =>
        (await scorecards.HeldForUnitAsync(unitId, periodKey)).ToHttp(held => TypedResults.Bytes(held.Json, "application/json; charset=utf-8"));

    /// <summary>Closes (or opens again) the actions of a goal's assessment. Allowed also after the period is locked.</summary>
    private static async Task<Results<Ok<VersionedAssessment>, ValidationProblem, ProblemHttpResult>> PutActionsState(
        Guid goalId, string periodKey, ActionsStateInput input, AssessmentActions actions) =>
        Answer(await actions.SetStateAsync(goalId, periodKey, input));

    /// <summary>Whether the goal continues in the year, and the actions from earlier years' assessments that are still open.</summary>
    private static async Task<Results<Ok<GoalPlanningDto>, ValidationProblem, ProblemHttpResult>> Planning(Guid goalId, string? year, AssessmentActions actions) =>
        Answer(await actions.PlanningAsync(goalId, QueryValue.Int(year)));

    private static async Task<Results<Ok<VersionedAssessment>, ValidationProblem, ProblemHttpResult>> GetAssessment(
        Guid goalId, string periodKey, AssessmentRecording assessments) =>
        Answer(await assessments.GetAsync(goalId, periodKey));

    /// <summary>
    /// Saves a goal's assessment. A status that differs from the engine's suggestion is a deviation from the rule and
    /// must be motivated; it is recorded as such. The body may be what GET gave: the status, the texts and the version
    /// are read from it.
    /// </summary>
    private static async Task<Results<Ok<VersionedAssessment>, ValidationProblem, ProblemHttpResult>> PutAssessment(
        Guid goalId, string periodKey, AssessmentInput input, AssessmentRecording assessments) =>
        Answer(await assessments.RecordAsync(goalId, periodKey, input));

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(ServiceResult<T> result) => result.ToHttp();
}
