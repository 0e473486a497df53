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
    }

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
