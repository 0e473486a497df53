using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

public sealed record UnitDto(Guid Id, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, string KindName, string? Code, int SortOrder, bool IsActive, int Version);

public static class OrganisationEndpoints
{
    public static void MapOrganisation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").RequireTenant().WithTags("Styrmodell och organisation");
        group.MapGet("/model", GetModels);
        group.MapGet("/units", GetUnits);
        group.MapGet("/audit", GetAudit).RequireTenant(Domain.Tenancy.TenantRole.Admin);
    }

    /// <summary>The model as the tenant document describes it.</summary>
    private static async Task<Ok<List<Exchange.ModelDoc>>> GetModels(Exchange.TenantExporter exporter) =>
        TypedResults.Ok(await exporter.ExportModelsAsync());

    private static async Task<Ok<List<UnitDto>>> GetUnits(KedjaDbContext db) =>
        TypedResults.Ok((await db.Units.AsNoTracking().OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync())
            .Select(u => new UnitDto(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, UnitKindNames.Swedish(u.Kind), u.Code, u.SortOrder, u.IsActive, u.Version)).ToList());

    private static async Task<Ok<List<Domain.Auditing.AuditEntry>>> GetAudit(KedjaDbContext db, string? entity, string? entityId, int? take) =>
        TypedResults.Ok(await db.AuditEntries.AsNoTracking()
            .Where(a => (entity == null || a.Entity == entity) && (entityId == null || a.EntityId == entityId))
            .OrderByDescending(a => a.Id).Take(Math.Clamp(take ?? 100, 1, 1000)).ToListAsync());
}
