using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <param name="Serves">For a förvaltning: the nämnder (and kommunstyrelse) it serves.</param>
public sealed record UnitDto(Guid Id, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, string KindName, string? Code, int SortOrder, bool IsActive,
    List<Guid> Serves, int Version);

/// <param name="Sequence">The entry's place in the tenant's audit chain; <paramref name="Hash"/> links it to the one before (ADR 14).</param>
public sealed record AuditEntryDto(long Id, long Sequence, DateTime At, string UserName, string Entity, string EntityId, string Action, string? Before, string? After, string Hash);

public sealed record UnitInput(Guid? ParentId, string Name, string? ShortName, UnitKind Kind, string? Code, int SortOrder, bool IsActive, List<Guid>? Serves, int? Version);

public static class OrganisationEndpoints
{
    public static void MapOrganisation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Organisation");
        group.MapGet("/units", GetUnits).RequireTenant();
        group.MapPost("/units", CreateUnit).RequireTenant(TenantRole.Admin);
        group.MapPut("/units/{id:guid}", UpdateUnit).RequireTenant(TenantRole.Admin);
        group.MapDelete("/units/{id:guid}", DeleteUnit).RequireTenant(TenantRole.Admin);
        group.MapGet("/audit", GetAudit).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<UnitDto>>> GetUnits(KedjaDbContext db)
    {
        var serves = (await db.UnitServices.AsNoTracking().ToListAsync()).ToLookup(s => s.AdministrationId, s => s.CommitteeId);
        return TypedResults.Ok((await db.Units.AsNoTracking().OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync())
            .Select(u => ToDto(u, [.. serves[u.Id]])).ToList());
    }

    private static async Task<Results<Created<UnitDto>, ValidationProblem>> CreateUnit(UnitInput input, KedjaDbContext db)
    {
        var unit = new OrgUnit { Name = "" };
        var errors = await ApplyAsync(unit, input, db, isNew: true);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        db.Units.Add(unit);
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/units/{unit.Id}", ToDto(unit, input.Serves ?? []));
    }

    /// <summary>Renames, moves or deactivates a unit. A unit that has been used is deactivated rather than removed, so its history stays.</summary>
    private static async Task<Results<Ok<UnitDto>, ValidationProblem, ProblemHttpResult>> UpdateUnit(Guid id, UnitInput input, KedjaDbContext db)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == id);
        if (unit is null)
        {
            return Problems.NotFound("Enheten finns inte.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        db.ExpectVersion(unit, input.Version.Value);
        var errors = await ApplyAsync(unit, input, db, isNew: false);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        return await db.TrySaveAsync() ? TypedResults.Ok(ToDto(unit, input.Serves ?? [])) : Problems.Conflict();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteUnit(Guid id, int? version, KedjaDbContext db)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == id);
        if (unit is null)
        {
            return Problems.NotFound("Enheten finns inte.");
        }

        if (version is null)
        {
            return Problems.Invalid("version", "Ange versionen du tar bort.");
        }

        var inUse = await db.Units.AnyAsync(u => u.ParentId == id) || await db.Goals.AnyAsync(g => g.OwnerUnitId == id)
            || await db.Indicators.AnyAsync(i => i.OwnerUnitId == id) || await db.Activities.AnyAsync(a => a.ResponsibleUnitId == id)
            || await db.Programs.AnyAsync(p => p.OwnerUnitId == id) || await db.BudgetFrames.AnyAsync(b => b.UnitId == id)
            || await db.Memberships.AnyAsync(m => m.UnitId == id) || await db.Documents.AnyAsync(d => d.DecidedByUnitId == id)
            || await db.ReportSnapshots.AnyAsync(r => r.UnitId == id);
        if (inUse)
        {
            return Problems.Invalid("id", "Enheten har underenheter, mål, indikatorer, aktiviteter, budget, dokument, rapporter eller behörigheter. Inaktivera den i stället, så finns historiken kvar.");
        }

        db.ExpectVersion(unit, version.Value);
        db.UnitServices.RemoveRange(await db.UnitServices.Where(s => s.AdministrationId == id || s.CommitteeId == id).ToListAsync());
        db.Units.Remove(unit);
        return await db.TrySaveAsync() ? TypedResults.NoContent() : Problems.Conflict();
    }

    /// <summary>Checks the unit's place in the tree and copies the input onto it, including which nämnder a förvaltning serves.</summary>
    private static async Task<ValidationErrors> ApplyAsync(OrgUnit unit, UnitInput input, KedjaDbContext db, bool isNew)
    {
        var errors = new ValidationErrors();
        errors.Required("name", input.Name, "Enhetens namn");
        errors.Text("shortName", input.ShortName, "Enhetens kortnamn");
        errors.Text("code", input.Code, "Enhetens kod");

        if (!Enum.IsDefined(input.Kind))
        {
            errors.Add("kind", "Okänd enhetstyp.");
        }

        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId, u.Kind }).ToDictionaryAsync(u => u.Id);
        if (input.ParentId is { } parentId)
        {
            if (!units.ContainsKey(parentId))
            {
                errors.Add("parentId", "Den överordnade enheten finns inte.");
            }
            else
            {
                // Walking up from the new parent must not pass the unit itself, or the tree would become a loop.
                for (Guid? current = parentId; current is { } c; current = units.GetValueOrDefault(c)?.ParentId)
                {
                    if (c == unit.Id)
                    {
                        errors.Add("parentId", "En enhet kan inte placeras under sig själv eller sina underenheter.");
                        break;
                    }
                }
            }
        }

        var serves = (input.Serves ?? []).Distinct().ToList();
        if (serves.Count > 0 && input.Kind != UnitKind.Administration)
        {
            errors.Add("serves", "Bara en förvaltning betjänar nämnder.");
        }
        else if (serves.Any(c => units.GetValueOrDefault(c)?.Kind is not (UnitKind.Committee or UnitKind.ExecutiveBoard)))
        {
            errors.Add("serves", "En förvaltning kan bara betjäna nämnder och kommunstyrelsen.");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        unit.ParentId = input.ParentId;
        unit.Name = input.Name.Trim();
        unit.ShortName = input.ShortName;
        unit.Kind = input.Kind;
        unit.Code = input.Code;
        unit.SortOrder = input.SortOrder;
        unit.IsActive = input.IsActive;
        var existing = isNew ? [] : await db.UnitServices.Where(s => s.AdministrationId == unit.Id).ToListAsync();
        db.UnitServices.RemoveRange(existing.Where(s => !serves.Contains(s.CommitteeId)));
        db.UnitServices.AddRange(serves.Where(c => existing.All(s => s.CommitteeId != c)).Select(c => new UnitService { AdministrationId = unit.Id, CommitteeId = c }));
        return errors;
    }

    private static UnitDto ToDto(OrgUnit u, List<Guid> serves) =>
        new(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, UnitKindNames.Swedish(u.Kind), u.Code, u.SortOrder, u.IsActive, serves, u.Version);

    /// <summary>The tenant's trail, newest first, as a DTO: the table's shape is not the API's.</summary>
    private static async Task<Ok<List<AuditEntryDto>>> GetAudit(KedjaDbContext db, string? entity, string? entityId, int? take) =>
        TypedResults.Ok(await db.AuditEntries.AsNoTracking()
            .Where(a => (entity == null || a.Entity == entity) && (entityId == null || a.EntityId == entityId))
            .OrderByDescending(a => a.Id).Take(Math.Clamp(take ?? 100, 1, 1000))
            .Select(a => new AuditEntryDto(a.Id, a.Sequence, a.At, a.UserName, a.Entity, a.EntityId, a.Action, a.Before, a.After, a.Hash))
            .ToListAsync());
}
