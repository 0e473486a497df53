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
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald.");
        var version = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.DataVersion).SingleAsync(cancellationToken);
        var key = (tenantId, period.Id, version);
        if (cache.TryGetValue(key, out PeriodStatuses? cached) && cached is not null)
        {
            return cached;
        }

        var result = await ComputeAsync(period, cancellationToken);
        cache.Set(key, result, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30), Size = Math.Max(1, result.Goals.Count / 100) });
        return result;
    }

    /// <summary>Recomputes every goal status of the tenant for the period, bypassing the cache.</summary>
    public async Task<PeriodStatuses> ComputeAsync(FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        var window = period.Ref;
        var year = window.Year;
        var models = await db.Models.AsNoTracking().Include(m => m.Levels).Include(m => m.Scale)
            .Where(m => m.FirstYear <= year && m.LastYear >= year).ToListAsync(cancellationToken);
        var modelIds = models.Select(m => m.Id).ToList();
        var unitKinds = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Kind }).ToDictionaryAsync(u => u.Id, u => u.Kind, cancellationToken);
        var goals = await db.Goals.AsNoTracking().Where(g => modelIds.Contains(g.ModelId))
            .Select(g => new { g.Id, g.Title, g.LevelId, g.ModelId, g.OwnerUnitId, g.ValidFromYear, g.ValidToYear }).ToListAsync(cancellationToken);
        var links = await db.GoalLinks.AsNoTracking().Select(l => new GoalLinkFacts(l.ParentGoalId, l.ChildGoalId, l.Weight)).ToListAsync(cancellationToken);
        var manual = await db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Id)
            .Select(a => new { a.GoalId, a.StatusKey }).ToDictionaryAsync(a => a.GoalId, a => a.StatusKey, cancellationToken);

        // Only the outcome and target periods that can matter in this window are read. The few keys are inlined as
        // constants so SQLite uses the covering period indexes (a JSON parameter hides them from its planner).
        var keys = Enum.GetValues<PeriodKind>().SelectMany(k => PeriodRef.EndingWithin(k, window.Start, window.End)).Select(p => p.Key).ToHashSet();
        var outcomeKeys = keys.ToList();
        var outcomes = (await db.Outcomes.AsNoTracking().Where(o => EF.Constant(outcomeKeys).Contains(o.PeriodKey))
            .Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken)).ToLookup(o => o.IndicatorId);
        // Targets are set per outcome period or, more often, per year.
        var targetKeys = outcomeKeys.Concat(outcomeKeys.Select(k => k[..4])).Distinct().ToList();
        var targets = (await db.Targets.AsNoTracking().Where(t => EF.Constant(targetKeys).Contains(t.PeriodKey))
            .Select(t => new { t.IndicatorId, t.PeriodKey, t.Value, t.Min, t.Max }).ToListAsync(cancellationToken)).ToLookup(t => t.IndicatorId);
        var indicators = await db.Indicators.AsNoTracking()
            .Select(i => new { i.Id, i.Name, i.Direction, i.Periodicity, i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId })
            .ToListAsync(cancellationToken);

        var goalModel = goals.ToDictionary(g => g.Id, g => g.ModelId);
        var allGoals = new Dictionary<Guid, GoalResult>();
        var allIndicators = new Dictionary<Guid, IndicatorResult>();
        var scales = new Dictionary<Guid, FulfilmentScale>();
        foreach (var model in models)
        {
            var scale = new FulfilmentScale(model.Scale.Select(s => new ScaleStep(s.Key, s.Label, s.Score, s.IsNotAssessed, s.Plural)));
            scales[model.Id] = scale;
            var overrides = model.CadenceOverrides.ToDictionary(o => o.UnitKind, o => o.Cadence);
            var modelGoals = goals.Where(g => g.ModelId == model.Id).Select(g => new GoalFacts(
                g.Id, g.Title, g.LevelId,
                NotDue(g.ValidFromYear, g.ValidToYear, unitKinds.GetValueOrDefault(g.OwnerUnitId), overrides, window),
                manual.GetValueOrDefault(g.Id))).ToList();
            var goalIds = modelGoals.Select(g => g.Id).ToHashSet();

            // Programs never count toward goal fulfilment; their indicators are evaluated for display only.
            var modelIndicators = indicators.Where(i => i.GoalId is { } gid ? goalIds.Contains(gid) : model == models[0])
                .Select(i => new IndicatorFacts(
                    i.Id, i.Name, i.Direction, i.Periodicity,
                    outcomes[i.Id].ToDictionary(o => o.PeriodKey, o => o.Value),
                    targets[i.Id].ToDictionary(t => t.PeriodKey, t => new TargetFacts(t.Value, t.Min, t.Max)),
                    i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.ProgramId is null ? i.GoalId : null))
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

    private static string? NotDue(int? from, int? to, UnitKind ownerKind, Dictionary<UnitKind, FollowUpCadence> overrides, PeriodRef window)
    {
        if ((from ?? int.MinValue) > window.Year || (to ?? int.MaxValue) < window.Year)
        {
            return $"Målet gäller inte {window.Year}.";
        }

        if (overrides.TryGetValue(ownerKind, out var cadence) && !PeriodRef.CalendarFor(cadence, window.Year).Any(p => p.End == window.End))
        {
            return $"{UnitKindNames.Swedish(ownerKind)} följs inte upp i {window.Label}.";
        }

        return null;
    }
}
