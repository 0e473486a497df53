using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Organisation;

public static class OrganisationEndpoints
{
    public static void MapOrganisation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Organisation");
        group.MapGet("/units", GetUnits).RequireTenant();
        group.MapGet("/units/{id:guid}", GetUnit).RequireTenant();
        group.MapPost("/units", CreateUnit).RequireTenant(TenantRole.Admin);
        group.MapPut("/units/{id:guid}", UpdateUnit).RequireTenant(TenantRole.Admin);
        group.MapDelete("/units/{id:guid}", DeleteUnit).RequireTenant(TenantRole.Admin);
        group.MapGet("/audit", GetAudit).RequireTenant(TenantRole.Admin);

        // Reorganisations (issue 16, ADR 47 section 5): the administrator's alone, as the organisation's changes are.
        var reorganisations = app.MapGroup("/api/v1/tenants/{slug}/reorganisations").WithTags("Organisation");
        reorganisations.MapGet("", (Reorganisations r, CancellationToken ct) => ListReorganisations(r, ct)).RequireTenant(TenantRole.Admin);
        reorganisations.MapGet("/{id:guid}", async (Guid id, Reorganisations r, CancellationToken ct) => (await r.GetAsync(id, ct)).ToHttp()).RequireTenant(TenantRole.Admin);
        reorganisations.MapPost("", async (string slug, ReorganisationInput input, Reorganisations r, CancellationToken ct) =>
            (await r.PlanAsync(input, ct)).ToCreated(x => $"/api/v1/tenants/{slug}/reorganisations/{x.Id}")).RequireTenant(TenantRole.Admin);
        reorganisations.MapPut("/{id:guid}/mappings", async (Guid id, MappingInput input, Reorganisations r, CancellationToken ct) => (await r.MapAsync(id, input, ct)).ToHttp())
            .RequireTenant(TenantRole.Admin);
        reorganisations.MapPost("/{id:guid}/confirm", async (Guid id, ReorganisationVersionInput input, Reorganisations r, CancellationToken ct) =>
            (await r.ConfirmAsync(id, input, ct)).ToHttp()).RequireTenant(TenantRole.Admin);
        reorganisations.MapPost("/{id:guid}/cancel", async (Guid id, ReorganisationVersionInput input, Reorganisations r, CancellationToken ct) =>
            (await r.CancelAsync(id, input, ct)).ToHttp()).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<ReorganisationView>>> ListReorganisations(Reorganisations reorganisations, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reorganisations.ListAsync(cancellationToken));

    private static async Task<Ok<List<VersionedUnit>>> GetUnits(UnitEditing units, CancellationToken cancellationToken) =>
        TypedResults.Ok(await units.ListAsync(cancellationToken));

    private static async Task<Results<Ok<VersionedUnit>, ValidationProblem, ProblemHttpResult>> GetUnit(Guid id, UnitEditing units, CancellationToken cancellationToken) =>
        (await units.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Created<VersionedUnit>, ValidationProblem, ProblemHttpResult>> CreateUnit(string slug, VersionedUnit input, UnitEditing units,
        CancellationToken cancellationToken) =>
        (await units.CreateAsync(input, cancellationToken)).ToCreated(u => $"/api/v1/tenants/{slug}/units/{u.Id}");

    private static async Task<Results<Ok<VersionedUnit>, ValidationProblem, ProblemHttpResult>> UpdateUnit(Guid id, VersionedUnit input, UnitEditing units,
        CancellationToken cancellationToken) =>
        (await units.UpdateAsync(id, input, cancellationToken)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteUnit(Guid id, string? version, UnitEditing units, CancellationToken cancellationToken) =>
        (await units.DeleteAsync(id, QueryValue.Int(version), cancellationToken)).ToNoContent();

    /// <summary>The tenant's trail, newest first.</summary>
    private static async Task<Ok<List<AuditEntryDto>>> GetAudit(AuditTrail trail, string? entity, string? entityId, string? take, CancellationToken cancellationToken) =>
        TypedResults.Ok(await trail.ListAsync(entity, entityId, QueryValue.Int(take), cancellationToken));
}
