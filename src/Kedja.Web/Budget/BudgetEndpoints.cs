using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Budget;

/// <summary>
/// Budget frames per unit and year (<see cref="VersionedBudget"/>, set by administrators) and their outcomes per
/// follow-up period (reported by editors for their own units while the follow-up is open).
/// </summary>
public static class BudgetEndpoints
{
    public static void MapBudget(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/budget").WithTags("Budget");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{unitId:guid}/{year:int}", Get).RequireTenant();
        group.MapPut("/{unitId:guid}/{year:int}", PutFrame).RequireTenant(TenantRole.Admin);
        group.MapPut("/{unitId:guid}/{year:int}/outcomes/{periodKey}", PutOutcome).RequireTenant(TenantRole.Editor);
        group.MapPut("/{unitId:guid}/{year:int}/outcomes/{periodKey}/explanation", PutExplanation).RequireTenant(TenantRole.Editor);
        group.MapGet("/{unitId:guid}/card/{periodKey}", Card).RequireTenant();
    }

    private static async Task<Ok<List<VersionedBudget>>> List(string? unitId, string? year, BudgetEditing budget, CancellationToken cancellationToken) =>
        TypedResults.Ok(await budget.ListAsync(QueryValue.Guid(unitId), QueryValue.Int(year), cancellationToken));

    private static async Task<Results<Ok<VersionedBudget>, ValidationProblem, ProblemHttpResult>> Get(Guid unitId, int year, BudgetEditing budget, CancellationToken cancellationToken) =>
        (await budget.GetAsync(unitId, year, cancellationToken)).ToHttp();

    /// <summary>Sets the frame: without a version it is created, with the version read it is changed. Outcomes sent with it are left as they are.</summary>
    private static async Task<Results<Ok<VersionedBudget>, ValidationProblem, ProblemHttpResult>> PutFrame(Guid unitId, int year, VersionedBudget input, BudgetEditing budget,
        CancellationToken cancellationToken) =>
        (await budget.SetFrameAsync(unitId, year, input, cancellationToken: cancellationToken)).ToHttp();

    /// <summary>Reports the outcome so far this year and the full-year forecast of a follow-up period, tkr.</summary>
    private static async Task<Results<Ok<VersionedBudgetOutcome>, ValidationProblem, ProblemHttpResult>> PutOutcome(Guid unitId, int year, string periodKey, BudgetOutcomeInput input,
        BudgetEditing budget, CancellationToken cancellationToken) =>
        (await budget.RecordOutcomeAsync(unitId, year, periodKey, input, cancellationToken: cancellationToken)).ToHttp();

    /// <summary>Explains why the period's forecast deviates from the frame; the outcome's version read is required.</summary>
    private static async Task<Results<Ok<VersionedBudgetOutcome>, ValidationProblem, ProblemHttpResult>> PutExplanation(Guid unitId, int year, string periodKey,
        DeviationExplanationInput input, BudgetEditing budget, CancellationToken cancellationToken) =>
        (await budget.ExplainDeviationAsync(unitId, year, periodKey, input, cancellationToken)).ToHttp();

    /// <summary>The unit's budget card for a follow-up period, as the scorecard shows it (the scorecard's own resource does not carry the budget).</summary>
    private static async Task<Results<Ok<BudgetCard>, ValidationProblem, ProblemHttpResult>> Card(Guid unitId, string periodKey, BudgetEditing budget, CancellationToken cancellationToken) =>
        (await budget.CardAsync(unitId, periodKey, cancellationToken)).ToHttp();
}
