using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <param name="Sequence">The entry's place in the tenant's audit chain; <paramref name="Hash"/> links it to the one before (ADR 14).</param>
public sealed record AuditEntryDto(long Id, long Sequence, DateTime At, string UserName, string Entity, string EntityId, string Action, string? Before, string? After, string Hash);

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

    /// <summary>The tenant's trail, newest first, as a DTO: the table's shape is not the API's.</summary>
    private static async Task<Ok<List<AuditEntryDto>>> GetAudit(KedjaDbContext db, string? entity, string? entityId, string? take)
    {
        var count = Math.Clamp(QueryValue.Int(take) ?? 100, 1, 1000);
        return TypedResults.Ok(await db.AuditEntries.AsNoTracking()
            .Where(a => (entity == null || a.Entity == entity) && (entityId == null || a.EntityId == entityId))
            .OrderByDescending(a => a.Id).Take(count)
            .Select(a => new AuditEntryDto(a.Id, a.Sequence, a.At, a.UserName, a.Entity, a.EntityId, a.Action, a.Before, a.After, a.Hash))
            .ToListAsync());
    }
}
