using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Goals;

public sealed record GoalDto(Guid Id, Guid ModelId, Guid LevelId, Guid OwnerUnitId, Guid? DimensionId, string Title, string? Description, string? Code,
    int? ValidFromYear, int? ValidToYear, List<int> Agenda2030, int SortOrder, List<Guid> Contributes, int Version);

public sealed record GoalInput(Guid LevelId, Guid OwnerUnitId, Guid? DimensionId, string Title, string? Description, string? Code,
    int? ValidFromYear, int? ValidToYear, List<int>? Agenda2030, int SortOrder, List<Guid>? Contributes, int? Version);

public static class GoalEndpoints
{
    public static void MapGoals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/goals").WithTags("Mål");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Admin);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Admin);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<GoalDto>>> List(KedjaDbContext db, Guid? unitId, Guid? levelId)
    {
        var goals = await db.Goals.AsNoTracking()
            .Where(g => (unitId == null || g.OwnerUnitId == unitId) && (levelId == null || g.LevelId == levelId))
            .OrderBy(g => g.SortOrder).ThenBy(g => g.Title).ToListAsync();
        var ids = goals.Select(g => g.Id).ToList();
        var links = (await db.GoalLinks.AsNoTracking().Where(l => ids.Contains(l.ChildGoalId)).ToListAsync()).ToLookup(l => l.ChildGoalId, l => l.ParentGoalId);
        return TypedResults.Ok(goals.Select(g => ToDto(g, [.. links[g.Id]])).ToList());
    }

    private static async Task<Results<Ok<GoalDto>, ProblemHttpResult>> Get(Guid id, KedjaDbContext db)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id);
        if (goal is null)
        {
            return Problems.NotFound("Målet finns inte.");
        }

        var parents = await db.GoalLinks.Where(l => l.ChildGoalId == id).Select(l => l.ParentGoalId).ToListAsync();
        return TypedResults.Ok(ToDto(goal, parents));
    }

    private static async Task<Results<Created<GoalDto>, ValidationProblem>> Create(GoalInput input, KedjaDbContext db)
    {
        var goal = new Goal { Title = "" };
        var errors = await ApplyAsync(goal, input, db, isNew: true);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        db.Goals.Add(goal);
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/goals/{goal.Id}", ToDto(goal, input.Contributes ?? []));
    }

    private static async Task<Results<Ok<GoalDto>, ValidationProblem, ProblemHttpResult>> Update(Guid id, GoalInput input, KedjaDbContext db)
    {
        var goal = await db.Goals.SingleOrDefaultAsync(g => g.Id == id);
        if (goal is null)
        {
            return Problems.NotFound("Målet finns inte.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        db.ExpectVersion(goal, input.Version.Value);
        var errors = await ApplyAsync(goal, input, db, isNew: false);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(ToDto(goal, input.Contributes ?? []));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, int? version, KedjaDbContext db)
    {
        var goal = await db.Goals.SingleOrDefaultAsync(g => g.Id == id);
        if (goal is null)
        {
            return Problems.NotFound("Målet finns inte.");
        }

        if (version is null)
        {
            return Problems.Invalid("version", "Ange versionen du tar bort.");
        }

        if (await db.Indicators.AnyAsync(i => i.GoalId == id) || await db.Activities.AnyAsync(a => a.GoalId == id))
        {
            return Problems.Invalid("id", "Målet har indikatorer eller aktiviteter. Flytta eller ta bort dem först.");
        }

        db.ExpectVersion(goal, version.Value);
        db.Goals.Remove(goal);
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.NoContent();
    }

    /// <summary>Validates the input against the model's rules and copies it onto the goal, including its links upward.</summary>
    private static async Task<ValidationErrors> ApplyAsync(Goal goal, GoalInput input, KedjaDbContext db, bool isNew)
    {
        var errors = new ValidationErrors();
        errors.Required("title", input.Title, "Målets titel");
        errors.Text("description", input.Description, "Målets beskrivning", Domain.TextLimits.Long);
        errors.Text("code", input.Code, "Målets kod");

        var level = await db.GoalLevels.AsNoTracking().SingleOrDefaultAsync(l => l.Id == input.LevelId);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == input.OwnerUnitId);
        if (level is null)
        {
            errors.Add("levelId", "Målnivån finns inte.");
        }

        if (unit is null)
        {
            errors.Add("ownerUnitId", "Enheten finns inte.");
        }
        else if (level is not null && level.UnitKinds.Count > 0 && !level.UnitKinds.Contains(unit.Kind))
        {
            errors.Add("ownerUnitId", $"Nivån '{level.Name}' får inte ha mål som ägs av '{unit.Name}'.");
        }

        if (input.DimensionId is { } dimensionId)
        {
            var dimension = await db.Dimensions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == dimensionId);
            if (dimension is null || (level is not null && dimension.ModelId != level.ModelId))
            {
                errors.Add("dimensionId", "Perspektivet finns inte i målets styrmodell.");
            }
            else if (unit is not null && dimension.AllowedUnitKinds.Count > 0 && !dimension.AllowedUnitKinds.Contains(unit.Kind))
            {
                errors.Add("dimensionId", $"'{unit.Name}' får inte sätta mål inom '{dimension.Name}'.");
            }
        }

        if ((input.Agenda2030 ?? []).Any(n => !Agenda2030.IsValid(n)))
        {
            errors.Add("agenda2030", "Agenda 2030 har mål 1-17.");
        }

        TenantDocumentValidator.CheckValidity(errors, "", input.ValidFromYear, input.ValidToYear, level?.Name, level?.HorizonMinYears, level?.HorizonMaxYears);
        var parents = input.Contributes ?? [];
        if (level is not null)
        {
            if (level.RequiresParent && parents.Count == 0)
            {
                errors.Add("contributes", $"Mål på nivån '{level.Name}' måste bidra till ett mål på nivån ovanför.");
            }

            var parentDepths = await db.Goals.AsNoTracking().Where(g => parents.Contains(g.Id))
                .Join(db.GoalLevels, g => g.LevelId, l => l.Id, (g, l) => l.Depth).ToListAsync();
            if (parentDepths.Count != parents.Distinct().Count())
            {
                errors.Add("contributes", "Ett av målen som målet ska bidra till finns inte.");
            }
            else if (parentDepths.Any(d => d >= level.Depth))
            {
                errors.Add("contributes", "Ett mål kan bara bidra till mål på en högre nivå.");
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        goal.ModelId = level!.ModelId;
        goal.LevelId = level.Id;
        goal.OwnerUnitId = unit!.Id;
        goal.DimensionId = input.DimensionId;
        goal.Title = input.Title.Trim();
        goal.Description = input.Description;
        goal.Code = input.Code;
        goal.ValidFromYear = input.ValidFromYear;
        goal.ValidToYear = input.ValidToYear;
        goal.Agenda2030 = [.. (input.Agenda2030 ?? []).Distinct().Order()];
        goal.SortOrder = input.SortOrder;

        var existing = isNew ? [] : await db.GoalLinks.Where(l => l.ChildGoalId == goal.Id).ToListAsync();
        db.GoalLinks.RemoveRange(existing.Where(l => !parents.Contains(l.ParentGoalId)));
        db.GoalLinks.AddRange(parents.Distinct().Where(p => existing.All(l => l.ParentGoalId != p)).Select(p => new GoalLink { ParentGoalId = p, ChildGoalId = goal.Id }));
        return errors;
    }

    private static GoalDto ToDto(Goal g, List<Guid> parents) =>
        new(g.Id, g.ModelId, g.LevelId, g.OwnerUnitId, g.DimensionId, g.Title, g.Description, g.Code, g.ValidFromYear, g.ValidToYear, g.Agenda2030, g.SortOrder, parents, g.Version);
}
