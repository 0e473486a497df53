using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Model;

/// <summary>A governance model as the tenant document describes it, with its version: what GET gives and PUT takes back.</summary>
public sealed record VersionedModel : ModelDoc
{
    public VersionedModel()
    {
    }

    [SetsRequiredMembers]
    public VersionedModel(ModelDoc model)
        : base(model)
    {
    }

    public int? Version { get; init; }
}

/// <summary>The governance model (styrmodell): vision, dimensions, goal levels and their rules, calendar and scale.</summary>
public static class ModelEndpoints
{
    public static void MapModel(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/model").WithTags("Styrmodell");
        group.MapGet("/", List).RequireTenant();
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<VersionedModel>>> List(TenantExporter exporter, KedjaDbContext db)
    {
        var versions = await db.Models.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Version);
        return TypedResults.Ok((await exporter.ExportModelsAsync()).Select(m => new VersionedModel(m) { Version = versions[m.Id] }).ToList());
    }

    /// <summary>
    /// Changes a model as a whole. Dimensions, levels and scale steps that goals, links or assessments use cannot be
    /// removed or made to contradict them; everything is checked first and nothing is written when something is wrong.
    /// </summary>
    private static async Task<Results<Ok<VersionedModel>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedModel input, KedjaDbContext db, TenantExporter exporter)
    {
        var model = await db.Models.Include(m => m.Dimensions).Include(m => m.Levels).Include(m => m.Scale).SingleOrDefaultAsync(m => m.Id == id);
        if (model is null)
        {
            return Problems.NotFound("Styrmodellen finns inte.");
        }

        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        // New dimensions and levels may come without an id; they get one here, as they would in the document.
        var doc = input with
        {
            Dimensions = [.. (input.Dimensions ?? []).Select(d => d.Id == Guid.Empty ? d with { Id = Guid.CreateVersion7() } : d)],
            Levels = [.. (input.Levels ?? []).Select(l => l.Id == Guid.Empty ? l with { Id = Guid.CreateVersion7() } : l)],
            Scale = input.Scale ?? [],
        };
        TenantDocumentValidator.CheckModel(errors, "", doc, [], []);
        if (input.Version is null)
        {
            errors.Add("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        await CheckUseAsync(errors, model, doc, db);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        db.ExpectVersion(model, input.Version!.Value);
        doc.CopyTo(model);
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        var saved = (await exporter.ExportModelsAsync()).Single(m => m.Id == id);
        return TypedResults.Ok(new VersionedModel(saved) { Version = model.Version });
    }

    /// <summary>What the rest of the tenant already uses of the model must still hold after the change.</summary>
    private static async Task CheckUseAsync(ValidationErrors errors, Domain.Model.GovernanceModel model, ModelDoc doc, KedjaDbContext db)
    {
        var goals = await db.Goals.AsNoTracking().Where(g => g.ModelId == model.Id)
            .Join(db.Units, g => g.OwnerUnitId, u => u.Id, (g, u) => new { g.Id, g.Title, g.LevelId, g.DimensionId, g.ValidFromYear, g.ValidToYear, u.Kind, Unit = u.Name }).ToListAsync();
        var levels = doc.Levels.ToDictionary(l => l.Id);
        var dimensions = doc.Dimensions.ToDictionary(d => d.Id);
        foreach (var gone in model.Levels.Where(l => !levels.ContainsKey(l.Id) && goals.Any(g => g.LevelId == l.Id)))
        {
            errors.Add("levels", $"Nivån '{gone.Name}' har mål och kan inte tas bort.");
        }

        foreach (var gone in model.Dimensions.Where(d => !dimensions.ContainsKey(d.Id) && goals.Any(g => g.DimensionId == d.Id)))
        {
            errors.Add("dimensions", $"'{gone.Name}' har mål och kan inte tas bort.");
        }

        foreach (var goal in goals)
        {
            if (levels.TryGetValue(goal.LevelId, out var level) && level.UnitKinds is { Count: > 0 } kinds && !kinds.Contains(goal.Kind))
            {
                errors.Add("levels", $"Nivån '{level.Name}' skulle inte längre tillåta målet '{goal.Title}' som ägs av {goal.Unit}.");
            }

            if (levels.TryGetValue(goal.LevelId, out var horizon) && goal.ValidFromYear is { } from && goal.ValidToYear is { } to
                && !TenantDocumentValidator.FitsHorizon(from, to, horizon.HorizonMinYears, horizon.HorizonMaxYears))
            {
                errors.Add("levels", $"Nivåns '{horizon.Name}' tidshorisont skulle inte rymma målet '{goal.Title}', som gäller {from}-{to}.");
            }

            if (goal.DimensionId is { } d && dimensions.TryGetValue(d, out var dimension) && dimension.AllowedUnitKinds is { Count: > 0 } allowed && !allowed.Contains(goal.Kind))
            {
                errors.Add("dimensions", $"'{dimension.Name}' skulle inte längre tillåta målet '{goal.Title}' som ägs av {goal.Unit}.");
            }
        }

        // A goal contributes upward: after the change every link must still go from a deeper level to a higher one.
        var goalLevels = goals.ToDictionary(g => g.Id, g => g.LevelId);
        var goalIds = goalLevels.Keys.ToList();
        var links = await db.GoalLinks.AsNoTracking().Where(l => goalIds.Contains(l.ChildGoalId)).ToListAsync();
        if (links.Any(l => goalLevels.TryGetValue(l.ParentGoalId, out var parent) && levels.TryGetValue(parent, out var p)
                && levels.TryGetValue(goalLevels[l.ChildGoalId], out var c) && p.Depth >= c.Depth))
        {
            errors.Add("levels", "Nivåernas nya ordning skulle få mål att bidra till mål på samma eller lägre nivå.");
        }

        var removedKeys = model.Scale.Select(s => s.Key).Except(doc.Scale.Select(s => s.Key)).ToList();
        if (removedKeys.Count > 0)
        {
            var used = await db.Assessments.AsNoTracking().Where(a => goalIds.Contains(a.GoalId) && removedKeys.Contains(a.StatusKey)).Select(a => a.StatusKey).Distinct().ToListAsync();
            foreach (var key in used)
            {
                errors.Add("scale", $"Statusen '{key}' används i bedömningar och kan inte tas bort. Byt etikett eller färg i stället.");
            }
        }
    }
}
