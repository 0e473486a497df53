using System.Security.Claims;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Templates;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tenants;

public sealed record TenantSummary(string Slug, string Name, string? Kommunkod);

public sealed record CreateTenantRequest(string Slug, string Name, string? Kommunkod, string Template, int? FirstYear);

public static class TenantEndpoints
{
    public static void MapTenants(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/templates", () => TypedResults.Ok(ModelTemplates.List())).AllowAnonymous().WithTags("Mallar");

        var group = app.MapGroup("/api/v1/tenants").WithTags("Kommuner");
        group.MapGet("/", ListTenants);
        group.MapPost("/", CreateTenant);
        group.MapPost("/import", Import).DisableAntiforgery().WithMetadata(ImportBodyLimit.Instance);
        group.MapGet("/{slug}/export", Export).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<TenantSummary>>> ListTenants(ClaimsPrincipal user, TenantDirectory directory, HttpContext http) =>
        TypedResults.Ok(await directory.MineAsync(user, http.RequestAborted));

    private static async Task<Results<Created<TenantSummary>, ValidationProblem, ProblemHttpResult>> CreateTenant(
        CreateTenantRequest request, ClaimsPrincipal user, TenantCreation creation, CancellationToken cancellationToken) =>
        (await creation.CreateAsync(request, user, cancellationToken: cancellationToken)).ToCreated(t => $"/api/v1/tenants/{t.Slug}");

    private static async Task<Ok<TenantDocument>> Export(TenantExporter exporter) => TypedResults.Ok(await exporter.ExportAsync());

    /// <summary>Reads the body itself so that malformed JSON is reported with its path like any other error.</summary>
    private static async Task<Results<Created<TenantSummary>, ValidationProblem, ProblemHttpResult>> Import(
        string? slug, HttpRequest request, ClaimsPrincipal user, TenantImporter importer, JsonSerializerOptionsProvider json)
    {
        if (!IsSystemAdmin(user))
        {
            return Problems.Forbidden("Endast systemadministratörer kan importera kommuner.");
        }

        var (doc, error) = await DocumentJson.ReadAsync(request.Body, json.Options, request.HttpContext.RequestAborted);
        if (doc is null)
        {
            return Problems.Invalid(error!);
        }

        var result = await importer.ImportAsync(doc, slug ?? "");
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/tenants/{result.Tenant!.Slug}", new TenantSummary(result.Tenant.Slug, result.Tenant.Name, result.Tenant.Kommunkod))
            : Problems.Invalid(result.Errors);
    }

    private static bool IsSystemAdmin(ClaimsPrincipal user) => TenantCreation.IsSystemAdmin(user);
}
