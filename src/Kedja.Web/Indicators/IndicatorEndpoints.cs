using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Indicators;

/// <summary>Indicators and their targets in the document's shape (<see cref="VersionedIndicator"/>), and their outcomes.</summary>
public static class IndicatorEndpoints
{
    public static void MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/indicators").WithTags("Indikatorer och utfall");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
        group.MapGet("/{id:guid}/outcomes", Outcomes).RequireTenant();
        group.MapGet("/{id:guid}/outcomes/{periodKey}", GetOutcome).RequireTenant();
        group.MapPut("/{id:guid}/outcomes/{periodKey}", PutOutcome).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<VersionedIndicator>>> List(string? goalId, string? unitId, IndicatorEditing indicators) =>
        TypedResults.Ok(await indicators.ListAsync(QueryValue.Guid(goalId), QueryValue.Guid(unitId)));

    private static async Task<Results<Ok<VersionedIndicator>, ValidationProblem, ProblemHttpResult>> Get(Guid id, IndicatorEditing indicators) =>
        (await indicators.GetAsync(id)).ToHttp();

    private static async Task<Results<Created<VersionedIndicator>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedIndicator input, IndicatorEditing indicators) =>
        (await indicators.CreateAsync(input)).ToCreated(x => $"/api/v1/tenants/{slug}/indicators/{x.Id}");

    /// <summary>Changes an indicator and replaces its targets: send back what GET gave, changed where it should change.</summary>
    private static async Task<Results<Ok<VersionedIndicator>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedIndicator input, IndicatorEditing indicators) =>
        (await indicators.UpdateAsync(id, input)).ToHttp();

    /// <summary>Removes an indicator that has no outcomes yet.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, IndicatorEditing indicators) =>
        (await indicators.DeleteAsync(id, QueryValue.Int(version))).ToNoContent();

    private static async Task<Results<Ok<List<VersionedOutcome>>, ValidationProblem, ProblemHttpResult>> Outcomes(Guid id, OutcomeRecording outcomes) =>
        (await outcomes.ListAsync(id)).ToHttp();

    private static async Task<Results<Ok<VersionedOutcome>, ValidationProblem, ProblemHttpResult>> GetOutcome(Guid id, string periodKey, OutcomeRecording outcomes) =>
        (await outcomes.GetAsync(id, periodKey)).ToHttp();

    /// <summary>
    /// Records the outcome of a period. Changing an existing value needs its version and keeps the earlier value as a
    /// revision. The body may be what GET gave: only the values, the comment and the version are read from it.
    /// </summary>
    private static async Task<Results<Ok<VersionedOutcome>, ValidationProblem, ProblemHttpResult>> PutOutcome(
        Guid id, string periodKey, OutcomeInput input, OutcomeRecording outcomes) =>
        (await outcomes.RecordAsync(new OutcomeEntry(id, periodKey, input.Value, input.ValueWomen, input.ValueMen, input.Comment, input.Version))).ToHttp();
}
