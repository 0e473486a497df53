using Kedja.Domain.Tenancy;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Kolada;

/// <summary>A suggestion a person accepted, as the API takes it: the year, the value shown, where it came from, and the indicator's version.</summary>
public sealed record AcceptedSuggestion(int Year, decimal Value, SuggestionKind Kind, int FromYear, int? Version);

/// <summary>Benchmarking an indicator against Kolada (ADR 40).</summary>
public static class BenchmarkingEndpoints
{
    /// <summary>The comparison service, its short-lived cache of Kolada's answers, and its settings.</summary>
    public static IServiceCollection AddKoladaBenchmarking(this IServiceCollection services)
    {
        services.AddScoped<KoladaBenchmarking>().AddSingleton<BenchmarkingCache>();
        services.AddOptions<BenchmarkingOptions>().BindConfiguration(BenchmarkingOptions.Section)
            .Check(o => [.. o.CacheMinutes is >= 0 and <= 1440 ? Array.Empty<string>() : ["Kedja:Benchmarking:CacheMinutes ska vara mellan 0 och 1440."],
                .. o.PauseAfterFailureSeconds is >= 0 and <= 3600 ? Array.Empty<string>() : ["Kedja:Benchmarking:PauseAfterFailureSeconds ska vara mellan 0 och 3600."]])
            .ValidateOnStart();
        return services;
    }

    public static void MapBenchmarking(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/indicators/{id:guid}/benchmark").WithTags("Indikatorer och utfall");
        group.MapGet("/", Compare).RequireTenant();
        group.MapPost("/accept", Accept).RequireTenant(TenantRole.Editor);
    }

    /// <summary>
    /// The indicator's Kolada key figure for its municipality beside a comparison group (<c>group=G…</c>) and/or
    /// municipalities (<c>municipalities=0180,1280</c>, codes or names), the last <c>years</c> years (default 5), with
    /// statistics per year and target suggestions. 503 with a Swedish title when Kolada cannot be reached.
    /// </summary>
    private static async Task<Results<Ok<Benchmark>, ValidationProblem, ProblemHttpResult>> Compare(
        Guid id, string? group, string? municipalities, string? years, string? targetYear, KoladaBenchmarking benchmarking, HttpContext context)
    {
        var result = await benchmarking.CompareAsync(id, new BenchmarkQuery(group, municipalities is null ? null : [municipalities], QueryValue.Int(years), QueryValue.Int(targetYear)),
            context.RequestAborted);
        return result.Value is { Unavailable: { } unavailable }
            ? TypedResults.Problem(title: unavailable, statusCode: StatusCodes.Status503ServiceUnavailable)
            : result.ToHttp();
    }

    /// <summary>Sets the indicator's target for the year to an accepted suggestion; a stale version is a conflict.</summary>
    private static async Task<Results<Ok<VersionedIndicator>, ValidationProblem, ProblemHttpResult>> Accept(
        Guid id, AcceptedSuggestion input, KoladaBenchmarking benchmarking, HttpContext context) =>
        (await benchmarking.AcceptAsync(id, input.Year, input.Value, input.Kind, input.FromYear, input.Version, context.RequestAborted)).ToHttp();
}
