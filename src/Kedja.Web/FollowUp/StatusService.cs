using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

/// <summary>What a scorecard shows of a goal that contributes to one of its goals, held with the goal's result.</summary>
public sealed record HeldGoal(string Title, string? Code, Guid OwnerUnitId, int SortOrder);

/// <summary>A tenant's data as of one version, in the full or the published-only view (ADR 17).</summary>
public sealed record DataView(Guid TenantId, long Version, bool PublishedOnly);

/// <summary>The engine's result for every goal and indicator of a tenant in one follow-up period, with each model's scale.</summary>
/// <param name="UnitKinds">The kinds of the units whose goals were computed (a change of kind computes everything afresh).</param>
/// <param name="GoalFacts">Each computed goal's title, code, owner and order, so that a scorecard lists the goals below without reading them.</param>
/// <param name="Models">
/// The models of the period's year with their levels, scale and dimensions, as computed from; held with the results,
/// since a change to any of them computes everything afresh (<see cref="StatusChangeKind.All"/>), and read-only.
/// </param>
/// <remarks>
/// Never changed once made, so that an update after a write shares every result it did not change with the previous
/// version instead of copying a period's 75,000 results (<see cref="LayeredDictionary{TKey, TValue}"/>, ADR 19); readers of the
/// previous version keep it whole.
/// </remarks>
public sealed record PeriodStatuses(
    FollowUpPeriod Period,
    LayeredDictionary<Guid, GoalResult> Goals,
    LayeredDictionary<Guid, IndicatorResult> Indicators,
    LayeredDictionary<Guid, Guid> ModelOfGoal,
    IReadOnlyDictionary<Guid, FulfilmentScale> Scales,
    IReadOnlyList<GovernanceModel> Models,
    LayeredDictionary<Guid, HeldGoal> GoalFacts,
    IReadOnlyDictionary<Guid, UnitKind> UnitKinds)
{
    /// <summary>The scale level of a key in the goal's model (or any model's), for its label, colour and symbol.</summary>
    public ScaleLevel? Level(string key, Guid? modelId) =>
        Models.Where(m => modelId == null || m.Id == modelId).SelectMany(m => m.Scale).FirstOrDefault(s => s.Key == key);
}

/// <summary>
/// Loads what the engine needs for a period and runs it. Results are held by <see cref="StatusCache"/> per tenant,
/// period and view under the tenant's data version, which every write raises (see KedjaDbContext); a reader always
/// gets the result of the version it read or a newer one. After a write only what the write may have changed and
/// everything above it is computed again, starting from the previous result (ADR 19).
/// </summary>
public sealed class StatusService(KedjaDbContext db, StatusCache cache)
{
    public async Task<PeriodStatuses> ForPeriodAsync(FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        var (key, version) = await PeriodKeyAsync(period, cancellationToken);
        return await ForPeriodAsync(period, key, version, cancellationToken);
    }

    private Task<PeriodStatuses> ForPeriodAsync(FollowUpPeriod period, object key, long version, CancellationToken cancellationToken) =>
        cache.GetAsync(key, version, (previous, from) => previous is null
            ? ComputeAsync(period, null, cancellationToken)
            : UpdateAsync(period, previous, from, version, null, cancellationToken), cancellationToken);

    /// <summary>The tenant's data version as it stands now, with what results computed from it are held under.</summary>
    /// <remarks>The published-only view computes from fewer rows (ADR 17), so its results are held apart.</remarks>
    public async Task<DataView> ViewAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald.");
        return db is PublishedKedjaDbContext
            ? View(0)
            : View(await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.DataVersion).SingleAsync(cancellationToken));
    }

    /// <summary>
    /// The view of a version the caller read itself (with other rows, to save a round trip). The published-only view
    /// uses the version it read before its published periods, so that nothing built with older filters is held under a
    /// newer version.
    /// </summary>
    public DataView View(long version) => db is PublishedKedjaDbContext published
        ? new(db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald."), published.DataVersion, true)
        : new(db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald."), version, false);

    private async Task<((Guid Tenant, Guid Period, bool PublishedOnly) Key, long Version)> PeriodKeyAsync(FollowUpPeriod period, CancellationToken cancellationToken) =>
        PeriodKey(period, await ViewAsync(cancellationToken));

    private static ((Guid Tenant, Guid Period, bool PublishedOnly) Key, long Version) PeriodKey(FollowUpPeriod period, DataView view) =>
        ((view.TenantId, period.Id, view.PublishedOnly), view.Version);

    /// <summary>
    /// Statuses for a unit's scorecard: its goals, everything that contributes to them, and its own indicators. Served
    /// from the tenant's period when this node holds one (brought up to date if a write came since); otherwise only
    /// the chain below the unit's goals, unless that chain is so large (the council's scorecard) that computing and
    /// holding the whole period pays off. A goal's status depends only on what is below it, so the partial result
    /// equals the full one for these goals.
    /// </summary>
    public async Task<PeriodStatuses> ForUnitAsync(FollowUpPeriod period, Guid unitId, IReadOnlyCollection<Guid> goalIds, CancellationToken cancellationToken = default) =>
        await ForUnitAsync(period, unitId, goalIds, await ViewAsync(cancellationToken), cancellationToken);

    /// <param name="view">As read by the caller (<see cref="ViewAsync"/>) for what it builds from these statuses.</param>
    public async Task<PeriodStatuses> ForUnitAsync(FollowUpPeriod period, Guid unitId, IReadOnlyCollection<Guid> goalIds, DataView view, CancellationToken cancellationToken = default)
    {
        var (periodKey, version) = PeriodKey(period, view);
        if (cache.Holds(periodKey))
        {
            return await ForPeriodAsync(period, periodKey, version, cancellationToken);
        }

        var roots = goalIds.ToHashSet();
        var unitKey = (periodKey, unitId, string.Join(',', goalIds.Order()));
        if (cache.Find(unitKey, version) is { } held)
        {
            return held;
        }

        var chain = await ChainAsync(roots, cancellationToken);
        if (chain is null)
        {
            return await ForPeriodAsync(period, periodKey, version, cancellationToken);
        }

        return await cache.GetAsync(unitKey, version, (previous, from) => previous is null
            ? ComputeAsync(period, new Scope(chain, unitId), cancellationToken)
            : UpdateAsync(period, previous, from, version, new Scope(roots, unitId), cancellationToken), cancellationToken);
    }

    /// <summary>The goals and every goal below them, or null past <see cref="PartialLimit"/>.</summary>
    private async Task<HashSet<Guid>?> ChainAsync(IReadOnlyCollection<Guid> roots, CancellationToken cancellationToken)
    {
        var chain = new HashSet<Guid>(roots);
        var frontier = roots.ToList();
        while (frontier.Count > 0)
        {
            if (chain.Count > PartialLimit)
            {
                return null;
            }

            var parents = frontier;
            var children = await db.GoalLinks.AsNoTracking().Where(l => parents.Contains(l.ParentGoalId)).Select(l => l.ChildGoalId).ToListAsync(cancellationToken);
            frontier = [.. children.Where(chain.Add)];
        }

        return chain;
    }

    /// <summary>
    /// The goals named, the goals of the indicators named, and every goal above them, in one statement (a recursive
    /// walk up the links) instead of one per level: each statement is a round trip, about a millisecond on PostgreSQL.
    /// Null past <see cref="IncrementalLimit"/> (the caller computes everything then). Raw SQL, so the
    /// tenant is named here; in the published-only view it may name goals that view hides, which only makes them
    /// computed again (and found missing), never shown.
    /// </summary>
    private async Task<HashSet<Guid>?> AboveAsync(IReadOnlyCollection<Guid> goals, IReadOnlyCollection<Guid> indicators, CancellationToken cancellationToken)
    {
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald.");
        var postgres = KedjaDatabase.ProviderOf(db) == DatabaseProvider.Postgres;
        // SQLite keeps ids as upper-case text and takes a list as a JSON array; PostgreSQL takes uuid and uuid[]. Names
        // are quoted as EF quotes them, so that QueryPlanTests reads this statement's plan like the others.
        string List(int parameter) => postgres ? $"unnest({{{parameter}}}) AS \"j\"(\"value\")" : $"json_each({{{parameter}}}) AS \"j\"";
        // Each step reads from the ids into the table (CROSS JOIN keeps SQLite to that order; it would otherwise walk
        // every link or indicator of the tenant in index order), and no "IS NOT NULL" goes into SQL (SQLite would seek
        // by it): an indicator without a goal gives a null, left out here.
        var sql = $$"""
            WITH RECURSIVE named(id) AS (
                SELECT "j"."value" FROM {{List(0)}}
                UNION
                SELECT "i"."goal_id" FROM {{List(1)}} CROSS JOIN "indicators" AS "i" WHERE "i"."tenant_id" = {2} AND "i"."id" = "j"."value"
            ), above(id) AS (
                SELECT id FROM named
                UNION
                SELECT "l"."parent_goal_id" FROM above AS "a" CROSS JOIN "goal_links" AS "l" WHERE "l"."tenant_id" = {2} AND "l"."child_goal_id" = "a"."id"
            )
            SELECT id AS "Value" FROM above LIMIT {{IncrementalLimit + 2}}
            """;
        object Ids(IReadOnlyCollection<Guid> ids) => postgres ? ids.ToArray() : System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString().ToUpperInvariant()));
        object[] parameters = [Ids(goals), Ids(indicators), postgres ? tenantId : tenantId.ToString().ToUpperInvariant()];
        // At most one null (UNION keeps one of each), so past the limit of goals there are more than limit + 1 rows.
        var found = (await db.Database.SqlQueryRaw<Guid?>(sql, parameters).ToListAsync(cancellationToken)).OfType<Guid>().ToHashSet();
        return found.Count > IncrementalLimit ? null : found;
    }

    /// <summary>Above this many goals in a unit's chain, the whole period is computed and held instead.</summary>
    public const int PartialLimit = 2_000;

    /// <summary>Past this many goals to compute again after writes, computing everything is as cheap.</summary>
    private const int IncrementalLimit = 5_000;

    /// <param name="GoalIds">The goals to compute (for a unit: its goals; <see cref="UpdateAsync"/> widens them to the chain).</param>
    /// <param name="UnitId">The unit whose own indicators (basic mission, programs) come along, if any.</param>
    /// <param name="Known">Results of goals outside <paramref name="GoalIds"/> that goals inside may contribute from.</param>
    /// <param name="Indicators">Indicators to evaluate besides those of the goals and the unit.</param>
    /// <param name="Models">The models as the previous result held them: no write since has changed them.</param>
    private sealed record Scope(HashSet<Guid> GoalIds, Guid? UnitId, IReadOnlyDictionary<Guid, GoalResult>? Known = null, IReadOnlyCollection<Guid>? Indicators = null,
        IReadOnlyList<GovernanceModel>? Models = null, IReadOnlyDictionary<Guid, UnitKind>? UnitKinds = null);

    /// <summary>Recomputes every goal status of the tenant for the period, bypassing the cache.</summary>
    public Task<PeriodStatuses> ComputeAsync(FollowUpPeriod period, CancellationToken cancellationToken = default) =>
        ComputeAsync(period, null, cancellationToken);

    /// <summary>
    /// The previous result brought to version <paramref name="to"/>: the goals the writes since <paramref name="from"/>
    /// named (directly, or through their indicators) and every goal above them are computed again from the database,
    /// with the other goals' results taken as they were. Anything the record cannot answer (a change to the model, a
    /// pruned record, very many changes) computes the whole scope instead.
    /// </summary>
    private async Task<PeriodStatuses> UpdateAsync(FollowUpPeriod period, PeriodStatuses previous, long from, long to, Scope? unit, CancellationToken cancellationToken)
    {
        async Task<PeriodStatuses> Afresh()
        {
            if (unit is null)
            {
                return await ComputeAsync(period, null, cancellationToken);
            }

            // A chain grown past the partial limit is computed as the whole period.
            var chain = await ChainAsync(unit.GoalIds, cancellationToken);
            return await ComputeAsync(period, chain is null ? null : unit with { GoalIds = chain }, cancellationToken);
        }

        var changes = await db.StatusChanges.AsNoTracking().Where(c => c.Version > from && c.Version <= to)
            .Select(c => new { c.Version, c.Kind, c.EntityId }).ToListAsync(cancellationToken);
        if (changes.Select(c => c.Version).Distinct().LongCount() != to - from || changes.Any(c => c.Kind == StatusChangeKind.All) || changes.Count > IncrementalLimit)
        {
            return await Afresh();
        }

        var dirtyIndicators = changes.Where(c => c.Kind == StatusChangeKind.Indicator && c.EntityId is not null).Select(c => c.EntityId!.Value).ToHashSet();
        var dirtyGoals = changes.Where(c => c.Kind == StatusChangeKind.Goal && c.EntityId is not null).Select(c => c.EntityId!.Value).ToHashSet();
        if (dirtyIndicators.Count == 0 && dirtyGoals.Count == 0)
        {
            return previous;
        }

        // Everything above a changed goal may change with it.
        if (await AboveAsync(dirtyGoals, dirtyIndicators, cancellationToken) is not { } affected)
        {
            return await Afresh();
        }

        // Only a goal's change (a link, a new goal) can change a unit's chain: results alone keep its goals.
        if (unit is not null && dirtyGoals.Count == 0)
        {
            affected.RemoveWhere(id => !previous.Goals.ContainsKey(id));
        }
        else if (unit is not null)
        {
            // A unit's chain may have grown or shrunk with the writes: goals new to it are computed, goals gone are dropped.
            if (await ChainAsync(unit.GoalIds, cancellationToken) is not { } chain)
            {
                return await Afresh();
            }

            affected.IntersectWith(chain);
            affected.UnionWith(chain.Where(id => !previous.Goals.ContainsKey(id)));
            previous = previous with { Goals = previous.Goals.With([], [.. previous.Goals.Keys.Where(id => !chain.Contains(id))]) };
        }

        PeriodStatuses computed;
        try
        {
            computed = await ComputeAsync(period, new Scope(affected, unit?.UnitId, previous.Goals, dirtyIndicators, previous.Models, previous.UnitKinds), cancellationToken);
        }
        catch (UnknownContribution)
        {
            return await Afresh();
        }

        var gone = affected.Where(id => !computed.Goals.ContainsKey(id)).ToList();
        var goals = previous.Goals.With(computed.Goals, gone);
        var models = previous.ModelOfGoal.With(computed.ModelOfGoal, gone);
        var facts = previous.GoalFacts.With(computed.GoalFacts, gone);
        var indicators = previous.Indicators.With(computed.Indicators, [.. dirtyIndicators.Where(id => !computed.Indicators.ContainsKey(id))]);
        cache.CountUpdate();
        return new PeriodStatuses(period, goals, indicators, models, computed.Scales, computed.Models, facts, computed.UnitKinds);
    }

    private async Task<PeriodStatuses> ComputeAsync(FollowUpPeriod period, Scope? partial, CancellationToken cancellationToken)
    {
        // A span and a duration per computation (issue 18, ADR 51); a partial one is an update after a write.
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.Recompute, db.Scope.Slug).Tag("kedja.partial", partial is not null);
        var chainIds = partial?.GoalIds.ToList();
        var window = period.Ref;
        var year = window.Year;
        // One statement for the few models, their levels, scale and dimensions (a few hundred joined rows at most).
        var models = partial?.Models ?? await db.Models.AsNoTracking().Include(m => m.Levels).Include(m => m.Scale).Include(m => m.Dimensions)
            .Where(m => m.FirstYear <= year && m.LastYear >= year).OrderBy(m => m.FirstYear).ThenBy(m => m.Id).AsSingleQuery().ToListAsync(cancellationToken);
        var modelIds = models.Select(m => m.Id).ToList();
        var inModels = modelIds.ToHashSet();
        // Goals of a scope are found by id alone and their models checked here: beside "model_id IN (...)", SQLite without
        // statistics seeks by model and reads every goal of the tenant (QueryPlanTests).
        var goalQuery = chainIds is null ? db.Goals.AsNoTracking().Where(g => modelIds.Contains(g.ModelId)) : db.Goals.AsNoTracking().Where(g => chainIds.Contains(g.Id));
        var linkQuery = db.GoalLinks.AsNoTracking();
        var assessmentQuery = db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Id);
        var indicatorQuery = db.Indicators.AsNoTracking();
        if (chainIds is not null)
        {
            linkQuery = linkQuery.Where(l => chainIds.Contains(l.ParentGoalId));
            assessmentQuery = assessmentQuery.Where(a => chainIds.Contains(a.GoalId));
            indicatorQuery = indicatorQuery.Where(i => chainIds.Contains(i.GoalId!.Value));
        }

        var links = (await linkQuery.Select(l => new GoalLinkFacts(l.ParentGoalId, l.ChildGoalId, l.Weight)).ToListAsync(cancellationToken))
            .Select(l => l with { Weight = Bounded(l.Weight) }).ToList();
        // Goals outside the scope that goals inside contribute from (an update's): their facts for the trace, their
        // results as known. Read with the goals of the scope, in one statement.
        var outside = partial?.Known is null ? [] : links.Select(l => l.ChildId).Where(id => !partial.GoalIds.Contains(id)).Distinct().ToList();
        if (outside.Count > 0)
        {
            var read = chainIds!.Concat(outside).ToList();
            goalQuery = db.Goals.AsNoTracking().Where(g => read.Contains(g.Id));
        }

        var goals = (await goalQuery
            .Select(g => new { g.Id, g.Title, g.LevelId, g.ModelId, g.OwnerUnitId, g.ValidFromYear, g.ValidToYear, g.Code, g.SortOrder }).ToListAsync(cancellationToken))
            .Where(g => inModels.Contains(g.ModelId)).ToList();
        Dictionary<Guid, GoalResult>? knownBelow = null;
        if (partial?.Known is { } known)
        {
            var below = goals.Where(g => !partial.GoalIds.Contains(g.Id)).ToList();
            if (below.Any(g => !known.ContainsKey(g.Id)))
            {
                throw new UnknownContribution();
            }

            knownBelow = below.ToDictionary(g => g.Id, g => known[g.Id]);
        }

        // Reorganisations (ADR 47 section 5): a goal is owned as at the period's end (its unit's kind, what is held of
        // it), and a unit's own indicators are those it owned then.
        var (owners, ownIndicators) = await OwnersAsync(chainIds is null ? null : goals.Select(g => g.Id).ToList(), partial?.UnitId, period.EndDate, cancellationToken);
        goals = [.. goals.Select(g => owners.TryGetValue(g.Id, out var owner) ? g with { OwnerUnitId = owner } : g)];

        // The owners' kinds decide whether a goal is followed up in the period; a few goals need few units, and an
        // update knows most of them already.
        Dictionary<Guid, UnitKind> unitKinds;
        if (partial is null)
        {
            unitKinds = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Kind }).ToDictionaryAsync(u => u.Id, u => u.Kind, cancellationToken);
        }
        else
        {
            unitKinds = new Dictionary<Guid, UnitKind>(partial.UnitKinds ?? new Dictionary<Guid, UnitKind>());
            var unknown = goals.Select(g => g.OwnerUnitId).Distinct().Where(id => !unitKinds.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                foreach (var u in await db.Units.AsNoTracking().Where(u => unknown.Contains(u.Id)).Select(u => new { u.Id, u.Kind }).ToListAsync(cancellationToken))
                {
                    unitKinds[u.Id] = u.Kind;
                }
            }
        }

        var manual = await assessmentQuery
            .Select(a => new { a.GoalId, a.StatusKey }).ToDictionaryAsync(a => a.GoalId, a => a.StatusKey, cancellationToken);

        // Only the outcome and target periods that can matter in this window are read. Lists go into SQL as SQLite and
        // PostgreSQL each plan them best: literal values on SQLite, one array parameter on PostgreSQL (KedjaDatabase).
        var keys = window.PeriodsEndingWithin().Select(p => p.Key).ToHashSet();

        // Yearly figures published late (Kolada's) are shown from the latest of the years before (LatestAvailable).
        var outcomeKeys = keys.Concat(Enumerable.Range(1, IndicatorEvaluator.LatestAvailableYears).Select(back => PeriodRef.ForYear(window.Year - back).Key)).Distinct().ToList();
        if (partial?.UnitId is { } unitId)
        {
            // The unit's own results on its basic mission and in programs: a second index seek in the same statement
            // (UNION ALL), not an OR. A program's indicator may name a goal too; it belongs to the program whatever goal it names.
            indicatorQuery = indicatorQuery.Concat(db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == unitId && (i.GoalId == null || i.ProgramId != null)));
        }

        var indicators = (await indicatorQuery
            .Select(i => new { i.Id, i.Name, i.Direction, i.Periodicity, i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId, i.KoladaKpiId })
            .ToListAsync(cancellationToken)).DistinctBy(i => i.Id).ToList();

        if ((partial?.Indicators ?? []).Concat(ownIndicators).ToList() is { Count: > 0 } extra)
        {
            var loaded = indicators.Select(i => i.Id).ToHashSet();
            var wanted = extra.Where(id => !loaded.Contains(id)).ToList();
            indicators.AddRange(wanted.Count == 0 ? [] : await db.Indicators.AsNoTracking().Where(i => wanted.Contains(i.Id))
                .Select(i => new { i.Id, i.Name, i.Direction, i.Periodicity, i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId, i.KoladaKpiId })
                .ToListAsync(cancellationToken));
        }

        var indicatorIds = partial is null ? null : indicators.Select(i => i.Id).ToList();
        var outcomeQuery = (indicatorIds is null ? db.Outcomes.AsNoTracking() : db.OutcomesOf(indicatorIds)).Where(o => outcomeKeys.Contains(o.PeriodKey));
        var targetQuery = indicatorIds is null ? db.Targets.AsNoTracking() : db.TargetsOf(indicatorIds);

        var outcomes = (await outcomeQuery
            .Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken)).ToLookup(o => o.IndicatorId);
        // Targets are set per outcome period or, more often, per year.
        var targetKeys = outcomeKeys.Concat(outcomeKeys.Select(k => k[..4])).Distinct().ToList();
        var targets = (await targetQuery.Where(t => targetKeys.Contains(t.PeriodKey))
            .Select(t => new { t.IndicatorId, t.PeriodKey, t.Value, t.Min, t.Max }).ToListAsync(cancellationToken)).ToLookup(t => t.IndicatorId);

        // Rows come back in whatever order the query plan gives; explanations list their inputs in creation order
        // (ids are time-ordered), so the same data always reads the same.
        links = [.. links.OrderBy(l => l.ChildId)];
        indicators = [.. indicators.OrderBy(i => i.Id)];
        var goalModel = goals.ToDictionary(g => g.Id, g => g.ModelId);
        var goalFacts = goals.ToDictionary(g => g.Id, g => new HeldGoal(g.Title, g.Code, g.OwnerUnitId, g.SortOrder));
        var allGoals = new Dictionary<Guid, GoalResult>();
        var allIndicators = new Dictionary<Guid, IndicatorResult>();
        var scales = new Dictionary<Guid, FulfilmentScale>();
        foreach (var model in models)
        {
            var scale = new FulfilmentScale(model.Scale.Select(s => new ScaleStep(s.Key, s.Label, s.Score, s.IsNotAssessed, s.Plural, s.SingularCommon, s.SingularNeuter)));
            scales[model.Id] = scale;
            var overrides = model.CadenceOverrides;
            var modelGoals = goals.Where(g => g.ModelId == model.Id).Select(g => new GoalFacts(
                g.Id, g.Title, g.LevelId,
                NotDue(g.ValidFromYear, g.ValidToYear, unitKinds.GetValueOrDefault(g.OwnerUnitId), overrides, window),
                manual.GetValueOrDefault(g.Id))).ToList();
            var goalIds = modelGoals.Select(g => g.Id).ToHashSet();

            // Programs never count toward goal fulfilment (the engine keeps them out); their indicators are evaluated
            // for display only, like the basic mission's, under the first model.
            var modelIndicators = indicators.Where(i => i.GoalId is { } gid && i.ProgramId is null ? goalIds.Contains(gid) : model == models[0])
                .Select(i => new IndicatorFacts(
                    i.Id, i.Name, i.Direction, i.Periodicity,
                    outcomes[i.Id].ToDictionary(o => o.PeriodKey, o => o.Value),
                    targets[i.Id].ToDictionary(t => t.PeriodKey, t => new TargetFacts(t.Value, t.Min, t.Max)),
                    i.UnitOfMeasure, i.Decimals, i.Thresholds, Bounded(i.Weight), i.GoalId, i.ProgramId, LatestAvailable(i.KoladaKpiId, i.Periodicity)))
                .ToList();
            var result = GoalEngine.Compute(
                new EngineInput(scale, model.DefaultThresholds, [.. model.Levels.Select(l => new LevelFacts(l.Id, l.Name, l.Rollup))],
                    modelGoals, [.. links.Where(l => goalIds.Contains(l.ParentId))], modelIndicators, knownBelow),
                window.Start, window.End);
            foreach (var (id, r) in result.Goals)
            {
                allGoals[id] = r;
            }

            foreach (var (id, r) in result.Indicators)
            {
                allIndicators[id] = r;
            }
        }

        return new PeriodStatuses(period, LayeredDictionary<Guid, GoalResult>.Of(allGoals), LayeredDictionary<Guid, IndicatorResult>.Of(allIndicators), LayeredDictionary<Guid, Guid>.Of(goalModel), scales, models,
            LayeredDictionary<Guid, HeldGoal>.Of(goalFacts), unitKinds);
    }

    /// <summary>
    /// The owners at <paramref name="date"/> of the goals with an ownership history (all of them, for the whole period),
    /// and the indicators the history gives <paramref name="unitId"/> at the date. One statement, none without ids.
    /// </summary>
    private async Task<(Dictionary<Guid, Guid> Goals, List<Guid> UnitIndicators)> OwnersAsync(List<Guid>? goalIds, Guid? unitId, DateOnly date, CancellationToken cancellationToken)
    {
        IQueryable<OwnershipPeriod>? query = goalIds is null ? db.Ownerships.AsNoTracking()
            : goalIds.Count > 0 ? db.Ownerships.AsNoTracking().Where(o => goalIds.Contains(o.EntityId)) : null;
        if (unitId is { } unit)
        {
            var own = db.Ownerships.AsNoTracking().Where(o => o.UnitId == unit);
            query = query is null ? own : query.Concat(own);
        }

        if (query is null)
        {
            return ([], []);
        }

        var rows = await query.Select(o => new { o.EntityKind, o.EntityId, o.UnitId, o.ValidFrom, o.ValidTo }).ToListAsync(cancellationToken);
        var goals = rows.Where(r => r.EntityKind == OwnedKind.Goal).GroupBy(r => r.EntityId)
            .ToDictionary(g => g.Key, g => Ownership.At(g.First().UnitId, [.. g.DistinctBy(r => (r.UnitId, r.ValidFrom)).Select(r => new Owner(r.UnitId, new DateSpan(r.ValidFrom, r.ValidTo)))], date));
        var indicators = rows.Where(r => r.EntityKind == OwnedKind.Indicator && r.UnitId == unitId && new DateSpan(r.ValidFrom, r.ValidTo).Covers(date))
            .Select(r => r.EntityId).Distinct().ToList();
        return (goals, indicators);
    }

    /// <summary>A goal contributes from one whose result the previous computation did not hold.</summary>
    private sealed class UnknownContribution : Exception;

    /// <summary>A weight stored past validation cannot overflow the engine's weighted sums (ADR 13).</summary>
    /// <summary>Kolada publishes a year's figures months after it ends: a yearly indicator linked to it shows the latest available until then.</summary>
    public static bool LatestAvailable(string? koladaKpiId, PeriodKind periodicity) => !string.IsNullOrEmpty(koladaKpiId) && periodicity == PeriodKind.Year;

    private static decimal Bounded(decimal weight) => Math.Clamp(weight, -Domain.Values.MaxMagnitude, Domain.Values.MaxMagnitude);

    /// <summary>Why a goal has no follow-up in the window: outside its years, or its owner's kind is followed up less often.</summary>
    internal static Explanation? NotDue(int? from, int? to, UnitKind ownerKind, List<Domain.Model.CadenceOverride> overrides, PeriodRef window)
    {
        if ((from ?? int.MinValue) > window.Year || (to ?? int.MaxValue) < window.Year)
        {
            return new GoalNotValid(window.Year);
        }

        if (!Domain.Model.CadenceOverride.FollowsUp(overrides, ownerKind, window))
        {
            return new UnitNotFollowedUp(ownerKind, window);
        }

        return null;
    }
}
