using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Kolada;

/// <summary>Fetching from Kolada through the API (ADR 39): "Hämta nu" for all or one indicator, the statuses, and "Granskat"; the rules are <see cref="KoladaFetching"/>'s.</summary>
public static class KoladaEndpoints
{
    public static void MapKolada(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Kolada");
        group.MapGet("/kolada", List).RequireTenant(TenantRole.Reader);
        group.MapPost("/kolada/fetch", FetchAll).RequireTenant(TenantRole.Admin);
        group.MapGet("/indicators/{id:guid}/kolada", Get).RequireTenant(TenantRole.Reader);
        group.MapPost("/indicators/{id:guid}/kolada/fetch", Fetch).RequireTenant(TenantRole.Editor);
        group.MapPost("/indicators/{id:guid}/kolada/review", Review).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<KoladaStatusDto>>> List(KoladaFetching kolada, CancellationToken cancellationToken) =>
        TypedResults.Ok(await kolada.StatusesAsync(cancellationToken));

    private static async Task<Results<Ok<KoladaFetchDto>, ValidationProblem, ProblemHttpResult>> FetchAll(KoladaFetching kolada, CancellationToken cancellationToken) =>
        (await kolada.FetchAllAsync(cancellationToken)).ToHttp();

    private static async Task<Results<Ok<KoladaStatusDto>, ValidationProblem, ProblemHttpResult>> Get(Guid id, KoladaFetching kolada, CancellationToken cancellationToken) =>
        (await kolada.StatusAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<KoladaFetchDto>, ValidationProblem, ProblemHttpResult>> Fetch(Guid id, KoladaFetching kolada, CancellationToken cancellationToken) =>
        (await kolada.FetchIndicatorAsync(id, cancellationToken)).ToHttp();

    /// <summary>Clears the flags of one period (<c>?period=2025</c>), or all of the indicator's.</summary>
    private static async Task<Results<Ok<KoladaStatusDto>, ValidationProblem, ProblemHttpResult>> Review(Guid id, [FromQuery(Name = "period")] string? periodKey,
        KoladaFetching kolada, CancellationToken cancellationToken) =>
        (await kolada.ReviewAsync(id, periodKey, cancellationToken)).ToHttp();
}
