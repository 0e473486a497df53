using Kedja.Domain;
using Kedja.Domain.Goals;
using Kedja.Domain.Organisation;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Goals;

/// <summary>A goal's place in the chain as its rules see it: its level and the goals it contributes to.</summary>
public sealed record GoalNode(Guid LevelId, IReadOnlyList<Guid> Contributes);

/// <summary>
/// What a goal points at, already looked up by whoever holds the data (a tenant document, or the database), so that
/// one check serves the importer, the API and whatever comes next.
/// </summary>
/// <param name="Level">The goal's level and the model it belongs to; null when there is no such level.</param>
/// <param name="Dimension">The goal's dimension and its model; null when it has none or it does not exist.</param>
/// <param name="ParentDepths">For each goal it contributes to that exists: the depth of that goal's level (null when unknown).</param>
/// <param name="ContributesOf">The goals a goal contributes to, for walking the chain upward.</param>
/// <param name="StrategyIds">Strategy ids taken by other goals; the check adds this goal's.</param>
public sealed record GoalReferences(bool ModelExists, (Guid ModelId, LevelDoc Level)? Level, UnitDoc? Owner, (Guid ModelId, DimensionDoc Dimension)? Dimension,
    IReadOnlyDictionary<Guid, int?> ParentDepths, Func<Guid, IEnumerable<Guid>> ContributesOf, ISet<Guid> StrategyIds);

/// <summary>Where goals' references are looked up: the dictionaries of a document, or the rows a service read (<see cref="GoalLookups"/>).</summary>
public sealed record GoalLookup(ICollection<Guid> Models, IReadOnlyDictionary<Guid, (Guid ModelId, LevelDoc Level)> Levels,
    IReadOnlyDictionary<Guid, (Guid ModelId, DimensionDoc Dimension)> Dimensions, IReadOnlyDictionary<Guid, UnitDoc> Units, IReadOnlyDictionary<Guid, GoalNode> Goals)
{
    public GoalReferences Resolve(GoalDoc goal, ISet<Guid> strategyIds) => new(
        Models.Contains(goal.ModelId),
        Levels.TryGetValue(goal.LevelId, out var level) ? level : null,
        Units.GetValueOrDefault(goal.OwnerUnitId),
        goal.DimensionId is { } id && Dimensions.TryGetValue(id, out var dimension) ? dimension : null,
        goal.Contributes.Select(l => l.GoalId).Distinct().Where(Goals.ContainsKey)
            .ToDictionary(p => p, p => Levels.TryGetValue(Goals[p].LevelId, out var parentLevel) ? parentLevel.Level.Depth : (int?)null),
        p => Goals.TryGetValue(p, out var node) ? node.Contributes : [],
        strategyIds);
}

/// <summary>
/// The rules of a goal, written once: the tenant document's validator, the goal API and every later entry point check
/// a goal here, with errors under <c>path</c> (<c>$.goals[3]</c> in a document, "" for a request body).
/// </summary>
public static class GoalRules
{
    public static void Check(ValidationErrors e, string path, GoalDoc g, GoalReferences refs)
    {
        // Callers have refused null list elements already (the whole document, or the request body).
        string Field(string name) => ValidationErrors.Join(path, name);

        e.Required(Field("title"), g.Title, "Målets titel");
        e.Text(Field("description"), g.Description, "Målets beskrivning", TextLimits.Long);
        e.Text(Field("code"), g.Code, "Målets kod");
        if (!refs.ModelExists)
        {
            e.Add(Field("modelId"), $"Styrmodellen {g.ModelId} finns inte.");
        }

        var owner = refs.Owner;
        if (owner is null)
        {
            e.Add(Field("ownerUnitId"), $"Enheten {g.OwnerUnitId} finns inte.");
        }

        var level = refs.Level is { } found && found.ModelId == g.ModelId ? found.Level : null;
        if (level is null)
        {
            e.Add(Field("levelId"), $"Målnivån {g.LevelId} finns inte i målets styrmodell.");
        }
        else
        {
            if (owner is not null && !LevelAllows(level, owner.Kind))
            {
                e.Add(Field("ownerUnitId"), $"Nivån '{level.Name}' får inte ha mål som ägs av enheten '{owner.Name}'.");
            }

            if (level.RequiresParent && g.Contributes.Count == 0)
            {
                e.Add(Field("contributes"), $"Mål på nivån '{level.Name}' måste bidra till ett mål på nivån ovanför.");
            }

            if (g.Strategies.Count > 0 && !level.HasStrategies)
            {
                e.Add(Field("strategies"), $"Nivån '{level.Name}' har inga strategier.");
            }
        }

        if (g.DimensionId is { } dimensionId)
        {
            if (refs.Dimension is not { } dimension || dimension.ModelId != g.ModelId)
            {
                e.Add(Field("dimensionId"), $"Perspektivet {dimensionId} finns inte i målets styrmodell.");
            }
            else if (owner is not null && !DimensionAllows(dimension.Dimension, owner.Kind))
            {
                e.Add(Field("dimensionId"), $"Enheten '{owner.Name}' får inte sätta mål inom '{dimension.Dimension.Name}'.");
            }
        }

        TenantDocumentValidator.CheckValidity(e, path, g.ValidFromYear, g.ValidToYear, level?.Name, level?.HorizonMinYears, level?.HorizonMaxYears);

        foreach (var (sdg, s) in g.Agenda2030.Select((x, n) => (x, n)))
        {
            if (!Agenda2030.IsValid(sdg))
            {
                e.Add(Field($"agenda2030[{s}]"), "Agenda 2030 har mål 1-17.");
            }
            else if (g.Agenda2030.IndexOf(sdg) != s)
            {
                e.Add(Field($"agenda2030[{s}]"), $"Agenda 2030-mål {sdg} förekommer flera gånger.");
            }
        }

        foreach (var (strategy, s) in g.Strategies.Select((x, n) => (x, n)))
        {
            e.Required(Field($"strategies[{s}].title"), strategy.Title, "Strategins titel");
            e.Text(Field($"strategies[{s}].description"), strategy.Description, "Strategins beskrivning", TextLimits.Text);
            if (strategy.Id == Guid.Empty || !refs.StrategyIds.Add(strategy.Id))
            {
                e.Add(Field($"strategies[{s}].id"), strategy.Id == Guid.Empty ? "Id saknas." : $"Id {strategy.Id} förekommer flera gånger.");
            }
        }

        foreach (var (link, l) in g.Contributes.Select((x, n) => (x, n)))
        {
            var goalField = Field($"contributes[{l}].goalId");
            if (!refs.ParentDepths.TryGetValue(link.GoalId, out var parentDepth))
            {
                e.Add(goalField, $"Målet {link.GoalId} finns inte.");
            }
            else if (g.Contributes.FindIndex(x => x.GoalId == link.GoalId) != l)
            {
                e.Add(goalField, $"Målet {link.GoalId} förekommer flera gånger.");
            }
            else if (parentDepth is { } depth && level is not null && !IsAbove(depth, level.Depth))
            {
                e.Add(goalField, "Ett mål kan bara bidra till mål på en högre nivå.");
            }
            else if (Chains.Reaches(link.GoalId, g.Id, refs.ContributesOf))
            {
                e.Add(goalField, "Målkedjan har en cirkelreferens.");
            }

            if (link.Weight <= 0m)
            {
                e.Add(Field($"contributes[{l}].weight"), "Vikten ska vara större än noll.");
            }
            else
            {
                e.Value(Field($"contributes[{l}].weight"), link.Weight);
            }
        }
    }

    /// <summary>Whether a unit of the kind may own goals on the level.</summary>
    public static bool LevelAllows(LevelDoc level, UnitKind kind) => level.UnitKinds is not { Count: > 0 } kinds || kinds.Contains(kind);

    /// <summary>Whether a unit of the kind may set goals within the dimension.</summary>
    public static bool DimensionAllows(DimensionDoc dimension, UnitKind kind) => dimension.AllowedUnitKinds is not { Count: > 0 } kinds || kinds.Contains(kind);

    /// <summary>A goal contributes only to goals on a higher level (a smaller depth).</summary>
    public static bool IsAbove(int parentDepth, int childDepth) => parentDepth < childDepth;
}
