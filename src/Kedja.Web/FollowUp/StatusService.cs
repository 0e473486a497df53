using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Kedja.Web.FollowUp;

/// <summary>The engine's result for every goal and indicator of a tenant in one follow-up period, with each model's scale.</summary>
public sealed record PeriodStatuses(
    FollowUpPeriod Period,
    IReadOnlyDictionary<Guid, GoalResult> Goals,
    IReadOnlyDictionary<Guid, IndicatorResult> Indicators,
    IReadOnlyDictionary<Guid, Guid> ModelOfGoal,
    IReadOnlyDictionary<Guid, FulfilmentScale> Scales);

/// <summary>
/// Loads what the engine needs for a period and runs it for the whole tenant. Results are cached per tenant, period
/// and the tenant's data version, which every write bumps (see KedjaDbContext), so a cached result is never stale.
/// See docs/adr/0005-computed-status-cache.md.
/// </summary>
public sealed class StatusService(KedjaDbContext db, IMemoryCache cache)
{
    public async Task<PeriodStatuses> ForPeriodAsync(FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        var key = await PeriodKeyAsync(period, cancellationToken);
        return cache.TryGetValue(key, out PeriodStatuses? cached) && cached is not null
            ? cached
            : Remember(key, await ComputeAsync(period, cancellationToken));
    }

    /// <remarks>The published-only view computes from fewer rows (ADR 17), so its results are cached apart.</remarks>
    private async Task<(Guid Tenant, Guid Period, long Version, bool PublishedOnly)> PeriodKeyAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald.");
        var version = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.DataVersion).SingleAsync(cancellationToken);
        return (tenantId, period.Id, version, db is PublishedKedjaDbContext);
    }

    private PeriodStatuses Remember(object key, PeriodStatuses result) =>
        cache.Set(key, result, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30), Size = Math.Max(1, result.Goals.Count / 100) });

    /// <summary>
    /// Statuses for a unit's scorecard: its goals, everything that contributes to them, and its own indicators. Served
    /// from the tenant's cached period when there is one; otherwise only the chain below the unit's goals is computed,
    /// unless that chain is so large (the council's scorecard) that computing and caching the whole period pays off.
    /// A goal's status depends only on what is below it, so the partial result equals the full one for these goals.
    /// </summary>
    public async Task<PeriodStatuses> ForUnitAsync(FollowUpPeriod period, Guid unitId, IReadOnlyCollection<Guid> goalIds, CancellationToken cancellationToken = default)
    {
        var periodKey = await PeriodKeyAsync(period, cancellationToken);
        if (cache.TryGetValue(periodKey, out PeriodStatuses? cached) && cached is not null)
        {
            return cached;
        }

        var unitKey = (periodKey, unitId, string.Join(',', goalIds.Order()));
        if (cache.TryGetValue(unitKey, out PeriodStatuses? unitCached) && unitCached is not null)
        {
            return unitCached;
        }

        var chain = new HashSet<Guid>(goalIds);
        var frontier = goalIds.ToList();
        while (frontier.Count > 0)
        {
            if (chain.Count > PartialLimit)
            {
                return Remember(periodKey, await ComputeAsync(period, cancellationToken));
            }

            var parents = frontier;
            var children = await db.GoalLinks.AsNoTracking().Where(l => EF.Constant(parents).Contains(l.ParentGoalId)).Select(l => l.ChildGoalId).ToListAsync(cancellationToken);
            frontier = [.. children.Where(chain.Add)];
        }

        return Remember(unitKey, await ComputeAsync(period, new Partial(chain, unitId), cancellationToken));
    }

    /// <summary>Above this many goals in a unit's chain, the whole period is computed and cached instead.</summary>
    public const int PartialLimit = 2_000;

    private sealed record Partial(HashSet<Guid> GoalIds, Guid UnitId);

    /// <summary>Recomputes every goal status of the tenant for the period, bypassing the cache.</summary>
    public Task<PeriodStatuses> ComputeAsync(FollowUpPeriod period, CancellationToken cancellationToken = default) =>
        ComputeAsync(period, null, cancellationToken);

    private async Task<PeriodStatuses> ComputeAsync(FollowUpPeriod period, Partial? partial, CancellationToken cancellationToken)
    {
        var chainIds = partial?.GoalIds.ToList();
        var window = period.Ref;
        var year = window.Year;
        var models = await db.Models.AsNoTracking().Include(m => m.Levels).Include(m => m.Scale)
            .Where(m => m.FirstYear <= year && m.LastYear >= year).ToListAsync(cancellationToken);
        var modelIds = models.Select(m => m.Id).ToList();
        var unitKinds = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Kind }).ToDictionaryAsync(u => u.Id, u => u.Kind, cancellationToken);
        var goalQuery = db.Goals.AsNoTracking().Where(g => modelIds.Contains(g.ModelId));
        var linkQuery = db.GoalLinks.AsNoTracking();
        var assessmentQuery = db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Id);
        var indicatorQuery = db.Indicators.AsNoTracking();
        if (chainIds is not null)
        {
            goalQuery = goalQuery.Where(g => EF.Constant(chainIds).Contains(g.Id));
            linkQuery = linkQuery.Where(l => EF.Constant(chainIds).Contains(l.ParentGoalId));
            assessmentQuery = assessmentQuery.Where(a => EF.Constant(chainIds).Contains(a.GoalId));
            indicatorQuery = indicatorQuery.Where(i => i.GoalId != null && EF.Constant(chainIds).Contains(i.GoalId.Value));
        }

        var goals = await goalQuery
            .Select(g => new { g.Id, g.Title, g.LevelId, g.ModelId, g.OwnerUnitId, g.ValidFromYear, g.ValidToYear }).ToListAsync(cancellationToken);
        var links = (await linkQuery.Select(l => new GoalLinkFacts(l.ParentGoalId, l.ChildGoalId, l.Weight)).ToListAsync(cancellationToken))
            .Select(l => l with { Weight = Bounded(l.Weight) }).ToList();
        var manual = await assessmentQuery
            .Select(a => new { a.GoalId, a.StatusKey }).ToDictionaryAsync(a => a.GoalId, a => a.StatusKey, cancellationToken);

        // Only the outcome and target periods that can matter in this window are read. The few keys are inlined as
        // constants so SQLite uses the covering period indexes (a JSON parameter hides them from its planner).
        var keys = window.PeriodsEndingWithin().Select(p => p.Key).ToHashSet();
        var outcomeKeys = keys.ToList();
        var indicators = await indicatorQuery
            .Select(i => new { i.Id, i.Name, i.Direction, i.Periodicity, i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId })
            .ToListAsync(cancellationToken);
        if (partial is not null)
        {
            // The unit's own results on its basic mission and in programs: a second index seek, not an OR. A program's
            // indicator may name a goal too; it belongs to the program whatever goal it names.
            var loaded = indicators.Select(i => i.Id).ToHashSet();
            indicators.AddRange((await db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == partial.UnitId && (i.GoalId == null || i.ProgramId != null))
                .Select(i => new { i.Id, i.Name, i.Direction, i.Periodicity, i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId })
                .ToListAsync(cancellationToken)).Where(i => !loaded.Contains(i.Id)));
        }

        var outcomeQuery = db.Outcomes.AsNoTracking().Where(o => EF.Constant(outcomeKeys).Contains(o.PeriodKey));
        var targetQuery = db.Targets.AsNoTracking();
        if (partial is not null)
        {
            var indicatorIds = indicators.Select(i => i.Id).ToList();
            outcomeQuery = outcomeQuery.Where(o => EF.Constant(indicatorIds).Contains(o.IndicatorId));
            targetQuery = targetQuery.Where(t => EF.Constant(indicatorIds).Contains(t.IndicatorId));
        }

        var outcomes = (await outcomeQuery
            .Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken)).ToLookup(o => o.IndicatorId);
        // Targets are set per outcome period or, more often, per year.
        var targetKeys = outcomeKeys.Concat(outcomeKeys.Select(k => k[..4])).Distinct().ToList();
        var targets = (await targetQuery.Where(t => EF.Constant(targetKeys).Contains(t.PeriodKey))
            .Select(t => new { t.IndicatorId, t.PeriodKey, t.Value, t.Min, t.Max }).ToListAsync(cancellationToken)).ToLookup(t => t.IndicatorId);

        // Rows come back in whatever order the query plan gives; explanations list their inputs in creation order
        // (ids are time-ordered), so the same data always reads the same.
        links = [.. links.OrderBy(l => l.ChildId)];
        indicators = [.. indicators.OrderBy(i => i.Id)];
        var goalModel = goals.ToDictionary(g => g.Id, g => g.ModelId);
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
                    i.UnitOfMeasure, i.Decimals, i.Thresholds, Bounded(i.Weight), i.GoalId, i.ProgramId))
                .ToList();
            var result = GoalEngine.Compute(
                new EngineInput(scale, model.DefaultThresholds, [.. model.Levels.Select(l => new LevelFacts(l.Id, l.Name, l.Rollup))],
                    modelGoals, [.. links.Where(l => goalIds.Contains(l.ParentId))], modelIndicators),
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

        return new PeriodStatuses(period, allGoals, allIndicators, goalModel, scales);
    }

    /// <summary>A weight stored past validation cannot overflow the engine's weighted sums (ADR 13).</summary>
    private static decimal Bounded(decimal weight) => Math.Clamp(weight, -Domain.Values.MaxMagnitude, Domain.Values.MaxMagnitude);

    private static string? NotDue(int? from, int? to, UnitKind ownerKind, List<Domain.Model.CadenceOverride> overrides, PeriodRef window)
    {
        if ((from ?? int.MinValue) > window.Year || (to ?? int.MaxValue) < window.Year)
        {
            return $"Målet gäller inte {window.Year}.";
        }

        if (!Domain.Model.CadenceOverride.FollowsUp(overrides, ownerKind, window))
        {
            return $"{UnitKindNames.Swedish(ownerKind)} följs inte upp i {window.Label}.";
        }

        return null;
    }
}
