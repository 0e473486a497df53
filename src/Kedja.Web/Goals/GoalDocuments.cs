using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Goals;

/// <summary>
/// The tenant's goals in the document's shape, and what their rules look up, read from the database: so that the
/// editing services check a goal with <see cref="GoalRules"/> exactly as the document importer does.
/// </summary>
public sealed class GoalDocuments(KedjaDbContext db, TenantExporter exporter)
{
    /// <summary>The goals of the query with their links, strategies and versions, in the query's order.</summary>
    public async Task<List<(GoalDoc Doc, int Version)>> ReadAsync(IQueryable<Goal> goals, CancellationToken cancellationToken = default)
    {
        var list = await goals.AsNoTracking().ToListAsync(cancellationToken);
        var ids = list.Select(g => g.Id).ToList();
        var links = (await db.GoalLinks.AsNoTracking().Where(l => ids.Contains(l.ChildGoalId)).ToListAsync(cancellationToken)).ToLookup(l => l.ChildGoalId);
        var strategies = (await db.Strategies.AsNoTracking().Where(s => ids.Contains(s.GoalId)).ToListAsync(cancellationToken)).ToLookup(s => s.GoalId);
        return [.. list.Select(g => (GoalMapping.ToDoc(g, links[g.Id], strategies[g.Id]), g.Version))];
    }

    /// <summary>
    /// The models, the organisation and the chains upward from <paramref name="goalIds"/>, as they would be after a change:
    /// a model, a unit or one goal's place in the chain as the change would have them.
    /// </summary>
    public async Task<GoalLookup> LookupAsync(IEnumerable<Guid> goalIds, ModelDoc? model = null, UnitDoc? unit = null, (Guid Id, GoalNode Node)? goal = null,
        CancellationToken cancellationToken = default)
    {
        var models = await exporter.ExportModelsAsync(cancellationToken);
        if (model is not null)
        {
            models = [.. models.Where(m => m.Id != model.Id), model];
        }

        var levels = new Dictionary<Guid, (Guid ModelId, LevelDoc Level)>();
        var dimensions = new Dictionary<Guid, (Guid ModelId, DimensionDoc Dimension)>();
        foreach (var m in models)
        {
            m.Levels.ForEach(l => levels.TryAdd(l.Id, (m.Id, l)));
            m.Dimensions.ForEach(d => dimensions.TryAdd(d.Id, (m.Id, d)));
        }

        var units = await UnitEditing.DocsAsync(db, cancellationToken);
        if (unit is not null)
        {
            units[unit.Id] = unit;
        }

        var nodes = await UpwardAsync([.. goalIds, .. goal?.Node.Contributes ?? []], cancellationToken);
        if (goal is { } changed)
        {
            nodes[changed.Id] = changed.Node;
        }

        return new GoalLookup(models.Select(m => m.Id).ToHashSet(), levels, dimensions, units, nodes);
    }

    /// <summary>
    /// Checks stored goals again with their own rules against a lookup that has a change in it, and reports under the
    /// change's field what the change would break (a level too short for a goal's years, a unit kind its level refuses).
    /// </summary>
    /// <param name="fieldOf">The field of the change to report a broken goal field under.</param>
    public async Task CheckAgainAsync(ValidationErrors e, IReadOnlyCollection<Guid> goalIds, GoalLookup lookup, Func<string, string> fieldOf, CancellationToken cancellationToken = default)
    {
        var broken = new List<(string Field, string Name, string Message)>();
        foreach (var (goal, _) in await ReadAsync(db.Goals.Where(g => goalIds.Contains(g.Id)).OrderBy(g => g.SortOrder).ThenBy(g => g.Title), cancellationToken))
        {
            var errors = new ValidationErrors();
            GoalRules.Check(errors, "", goal, lookup.Resolve(goal, new HashSet<Guid>()));
            broken.AddRange(errors.ToDictionary().SelectMany(x => x.Value.Select(message => (fieldOf(x.Key), goal.Title, message))));
        }

        foreach (var field in broken.GroupBy(x => x.Field))
        {
            Dependents.Report(e, field.Key, field.Select(x => (x.Name, x.Message)), "målet", "målen", "ogiltigt");
        }
    }

    /// <summary>The goals and every goal above them by their links, a level of the chain per query.</summary>
    private async Task<Dictionary<Guid, GoalNode>> UpwardAsync(IEnumerable<Guid> start, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<Guid, GoalNode>();
        var frontier = start.Distinct().ToList();
        while (frontier.Count > 0)
        {
            var goals = await db.Goals.AsNoTracking().Where(g => frontier.Contains(g.Id)).Select(g => new { g.Id, g.LevelId }).ToListAsync(cancellationToken);
            var links = (await db.GoalLinks.AsNoTracking().Where(l => frontier.Contains(l.ChildGoalId)).Select(l => new { l.ChildGoalId, l.ParentGoalId })
                .ToListAsync(cancellationToken)).ToLookup(l => l.ChildGoalId, l => l.ParentGoalId);
            foreach (var g in goals)
            {
                nodes[g.Id] = new GoalNode(g.LevelId, [.. links[g.Id]]);
            }

            frontier = [.. links.SelectMany(x => x).Distinct().Where(id => !nodes.ContainsKey(id))];
        }

        return nodes;
    }
}
