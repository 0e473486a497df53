using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Public;

/// <summary>
/// What anyone may read without signing in: a tenant's published periods and what they hold (ADR 17). Read-only: there
/// is no other method on these routes. Unknown tenants, tenants that have published nothing and unpublished periods
/// all answer 404.
/// </summary>
public static class PublicEndpoints
{
    public static void MapPublic(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public/{slug}").WithTags("Publicerat").AllowAnonymous();
        group.MapGet("/", Summary);
        group.MapGet("/periods", Periods);
        group.MapGet("/units", Units);
        group.MapGet("/goals", Goals);
        group.MapGet("/indicators", Indicators);
        group.MapGet("/periods/{periodKey}/scorecard", Scorecard);
    }

    /// <summary>The municipality's name and its governance models: vision, dimensions, levels and scale.</summary>
    private static async Task<Results<Ok<PublicTenantDto>, ValidationProblem, ProblemHttpResult>> Summary(string slug, PublicReader reader, CancellationToken cancellationToken) =>
        (await reader.ReadAsync(slug, t => t.SummaryAsync(cancellationToken), cancellationToken)).ToHttp();

    /// <summary>The published follow-up periods, oldest first.</summary>
    private static async Task<Results<Ok<List<PublicPeriodDto>>, ValidationProblem, ProblemHttpResult>> Periods(string slug, PublicReader reader, CancellationToken cancellationToken) =>
        (await reader.ReadAsync(slug, t => t.PeriodsAsync(cancellationToken), cancellationToken)).ToHttp();

    private static async Task<Results<Ok<List<PublicUnitDto>>, ValidationProblem, ProblemHttpResult>> Units(string slug, PublicReader reader, CancellationToken cancellationToken) =>
        (await reader.ReadAsync(slug, t => t.UnitsAsync(cancellationToken), cancellationToken)).ToHttp();

    /// <summary>The goals (of one unit, with <c>unitId</c>), with the goals they contribute to and their strategies.</summary>
    private static async Task<Results<Ok<List<PublicGoalDto>>, ValidationProblem, ProblemHttpResult>> Goals(string slug, string? unitId, PublicReader reader, CancellationToken cancellationToken)
    {
        var unit = QueryValue.Guid(unitId);
        return (await reader.ReadAsync(slug, t => t.GoalsAsync(unit, cancellationToken), cancellationToken)).ToHttp();
    }

    /// <summary>Indicators with their targets and the outcomes of published periods.</summary>
    private static async Task<Results<Ok<List<PublicIndicatorDto>>, ValidationProblem, ProblemHttpResult>> Indicators(
        string slug, string? goalId, string? unitId, PublicReader reader, CancellationToken cancellationToken)
    {
        var (goal, unit) = (QueryValue.Guid(goalId), QueryValue.Guid(unitId));
        return (await reader.ReadAsync(slug, t => t.IndicatorsAsync(goal, unit, cancellationToken), cancellationToken)).ToHttp();
    }

    /// <summary>A unit's scorecard for a published period.</summary>
    private static async Task<Results<Ok<PublicScorecardDto>, ValidationProblem, ProblemHttpResult>> Scorecard(
        string slug, string periodKey, Guid unitId, PublicReader reader, CancellationToken cancellationToken) =>
        (await reader.ReadAsync(slug, t => t.ScorecardAsync(periodKey, unitId, cancellationToken), cancellationToken)).ToHttp();
}

public static class PublicServices
{
    public static IServiceCollection AddPublicReading(this IServiceCollection services) =>
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Data.DatabaseOptions>>().Value;
            // The portal and open data read from the replica when one is configured (issue 17), else from the primary.
            return PublishedDatabase.For(database.Provider, database.ReadOnlyConnectionString ?? database.ConnectionString!, sp.GetService<ILoggerFactory>());
        }).AddScoped<PublicReader>().AddSingleton<PortalSearchRows>();
}
