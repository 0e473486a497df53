using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Web.Exchange;

namespace Kedja.Web.Goals;

/// <summary>One mapping between a goal and the document's shape, for the exporter, the importer and the goal API alike.</summary>
public static class GoalMapping
{
    /// <summary>The goal as the document describes it, its links and strategies in an order that depends only on the data.</summary>
    public static GoalDoc ToDoc(Goal g, IEnumerable<GoalLink> links, IEnumerable<Strategy> strategies) => new()
    {
        Id = g.Id, ModelId = g.ModelId, LevelId = g.LevelId, OwnerUnitId = g.OwnerUnitId, DimensionId = g.DimensionId,
        Title = g.Title, Description = g.Description, Code = g.Code, ValidFromYear = g.ValidFromYear, ValidToYear = g.ValidToYear,
        Agenda2030 = [.. g.Agenda2030.Order()], SortOrder = g.SortOrder,
        Contributes = [.. links.OrderBy(l => TenantExporter.Key(l.ParentGoalId)).Select(l => new ParentLinkDoc(l.ParentGoalId, TenantExporter.N(l.Weight)))],
        Strategies = [.. strategies.OrderBy(s => s.SortOrder).ThenBy(s => TenantExporter.Key(s.Id)).Select(s => new StrategyDoc(s.Id, s.Title, s.Description, s.SortOrder))],
    };

    /// <summary>
    /// Copies everything but the id onto the goal, and makes its links upward and its strategies the document's: rows
    /// that stay are kept (a link keeps its identity, a strategy its id), the others are removed or added.
    /// </summary>
    /// <param name="links">The goal's links upward as stored (none for a new goal).</param>
    /// <param name="strategies">The goal's strategies as stored (none for a new goal).</param>
    public static void CopyTo(this GoalDoc d, Goal goal, KedjaDbContext db, List<GoalLink> links, List<Strategy> strategies)
    {
        goal.ModelId = d.ModelId;
        goal.LevelId = d.LevelId;
        goal.OwnerUnitId = d.OwnerUnitId;
        goal.DimensionId = d.DimensionId;
        goal.Title = d.Title.Trim();
        goal.Description = d.Description;
        goal.Code = d.Code;
        goal.ValidFromYear = d.ValidFromYear;
        goal.ValidToYear = d.ValidToYear;
        goal.Agenda2030 = [.. d.Agenda2030];
        goal.SortOrder = d.SortOrder;

        var keptLinks = links.ToList();
        RowMerge.Merge(keptLinks, d.Contributes, (x, l) => x.ParentGoalId == l.GoalId, l => new GoalLink { ParentGoalId = l.GoalId, ChildGoalId = goal.Id },
            (x, l) => x.Weight = l.Weight);
        db.GoalLinks.RemoveRange(links.Except(keptLinks));
        db.GoalLinks.AddRange(keptLinks.Except(links));

        var keptStrategies = strategies.ToList();
        RowMerge.Merge(keptStrategies, d.Strategies, (x, s) => x.Id == s.Id, s => new Strategy { Id = s.Id, GoalId = goal.Id, Title = "" },
            (x, s) => (x.Title, x.Description, x.SortOrder) = (s.Title.Trim(), s.Description, s.SortOrder));
        db.Strategies.RemoveRange(strategies.Except(keptStrategies));
        db.Strategies.AddRange(keptStrategies.Except(strategies));
    }
}
