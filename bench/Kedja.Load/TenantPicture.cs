using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Load;

/// <summary>An indicator to write to: its outcome period is the one due in the follow-up period, so the write changes the scorecard read.</summary>
public sealed class WriteTarget(IndicatorItem indicator, GoalItem goal, int depth, string periodKey, OutcomeItem? original)
{
    public IndicatorItem Indicator { get; } = indicator;

    public GoalItem Goal { get; } = goal;

    /// <summary>How many goal links lie between the indicator's goal and the unit's own goals (0: a goal of the unit itself).</summary>
    public int Depth { get; } = depth;

    public string PeriodKey { get; } = periodKey;

    public OutcomeItem? Original { get; } = original;

    public int Writes { get; set; }

    private int busy;

    /// <summary>Claims the outcome for one write, so that two writes never race for its version.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref busy, 1) == 0;

    public void Release() => Volatile.Write(ref busy, 0);
}

/// <summary>
/// The tenant as the API lists it: units, the goals valid in the period's year and their links. A unit's chain is
/// its own goals and every goal that contributes to them, however far down; its scorecard rolls that chain up.
/// </summary>
public sealed class TenantPicture
{
    private readonly Dictionary<Guid, List<GoalItem>> children = [];
    private readonly Dictionary<Guid, List<GoalItem>> owned = [];
    private readonly Dictionary<Guid, List<IndicatorItem>> indicators = [];

    private TenantPicture(List<UnitItem> units, List<GoalItem> goals, PeriodItem period)
    {
        Units = units;
        Period = period;
        var year = PeriodRef.Parse(period.Key).Year;
        var valid = goals.Where(g => (g.ValidFromYear ?? int.MinValue) <= year && (g.ValidToYear ?? int.MaxValue) >= year).ToList();
        Goals = valid.Count;
        var ids = valid.Select(g => g.Id).ToHashSet();
        foreach (var g in valid)
        {
            Add(owned, g.OwnerUnitId, g);
            foreach (var parent in g.Contributes.Where(l => ids.Contains(l.GoalId)))
            {
                Add(children, parent.GoalId, g);
            }
        }
    }

    public List<UnitItem> Units { get; }

    public PeriodItem Period { get; }

    public int Goals { get; }

    /// <summary>Reads the units, the goals and the follow-up period (by default the latest that has ended, as the scorecard's own default).</summary>
    public static async Task<TenantPicture> ReadAsync(KedjaApi api, string? periodKey, CancellationToken ct)
    {
        var periods = await api.PeriodsAsync(ct);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var period = periodKey is null
            ? periods.Where(p => p.EndDate < today).MaxBy(p => p.EndDate)
            : periods.FirstOrDefault(p => p.Key == periodKey);
        if (period is null)
        {
            throw new LoadException(periodKey is null
                ? $"Tenant {api.Slug} has no follow-up period that has ended; give one with --period."
                : $"Tenant {api.Slug} has no follow-up period {periodKey}; it has {string.Join(", ", periods.Select(p => p.Key))}.");
        }

        var units = (await api.UnitsAsync(ct)).Where(u => u.IsActive).ToList();
        return new TenantPicture(units, await api.GoalsAsync(ct), period);
    }

    /// <summary>The unit's chain with each goal's distance from the unit's own goals (the shortest, where a goal is reached twice).</summary>
    /// <summary>The goals the unit owns in the period's year.</summary>
    public IReadOnlyList<GoalItem> Owned(Guid unitId) => owned.GetValueOrDefault(unitId) ?? [];

    public Dictionary<GoalItem, int> Chain(Guid unitId)
    {
        var depth = new Dictionary<GoalItem, int>();
        var queue = new Queue<GoalItem>();
        foreach (var g in owned.GetValueOrDefault(unitId) ?? [])
        {
            depth[g] = 0;
            queue.Enqueue(g);
        }

        while (queue.TryDequeue(out var goal))
        {
            foreach (var child in children.GetValueOrDefault(goal.Id) ?? [])
            {
                if (depth.TryAdd(child, depth[goal] + 1))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return depth;
    }

    /// <summary>Units of a kind, the one with the largest chain first (the heaviest scorecard of its kind).</summary>
    public List<(UnitItem Unit, int ChainGoals)> ByChainSize(UnitKind kind) =>
        [.. Units.Where(u => u.Kind == kind).Select(u => (Unit: u, ChainGoals: Chain(u.Id).Count)).Where(x => x.ChainGoals > 0)
            .OrderByDescending(x => x.ChainGoals).ThenBy(x => x.Unit.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Up to <paramref name="wanted"/> indicators in the unit's chain to write to, one per goal: goals at the bottom of the
    /// chain first (a change there travels all the way up), spread evenly over them. Indicators of a program or without
    /// a judgement (neutral) never count toward a goal and are passed over, and so are those with nothing due in the
    /// period. Each is checked by sending its outcome back unchanged: an outcome in a submitted or locked follow-up is
    /// refused then, before any figure is taken. At most <paramref name="maxLookups"/> goals are looked into.
    /// </summary>
    public async Task<List<WriteTarget>> WriteTargetsAsync(KedjaApi api, Guid unitId, int wanted, CancellationToken ct, int maxLookups = 200)
    {
        var chain = Chain(unitId);
        var ordered = chain.OrderBy(x => children.ContainsKey(x.Key.Id) ? 1 : 0).ThenByDescending(x => x.Value)
            .ThenBy(x => x.Key.SortOrder).ThenBy(x => x.Key.Id).ToList();
        var bottom = ordered.Count(x => !children.ContainsKey(x.Key.Id));
        var stride = Math.Max(1, bottom / Math.Max(1, wanted));
        var spread = Enumerable.Range(0, bottom).Where(i => i % stride == 0).Concat(Enumerable.Range(0, ordered.Count)).Distinct().Select(i => ordered[i]);

        var window = PeriodRef.Parse(Period.Key);
        var targets = new List<WriteTarget>();
        foreach (var (goal, depth) in spread.Take(maxLookups))
        {
            if (!indicators.TryGetValue(goal.Id, out var list))
            {
                list = await api.IndicatorsOfGoalAsync(goal.Id, ct);
                indicators[goal.Id] = list;
            }

            foreach (var indicator in list.Where(i => i.ProgramId is null && i.Direction != Direction.Neutral))
            {
                var due = PeriodRef.EndingWithin(indicator.Periodicity, window.Start, window.End).LastOrDefault();
                if (due == default)
                {
                    continue;
                }

                var outcome = await api.OutcomeAsync(indicator.Id, due.Key, ct);
                if (outcome is not null && !(await api.PutOutcomeAsync(indicator.Id, due.Key, outcome, ct)).Ok)
                {
                    continue;
                }

                targets.Add(new WriteTarget(indicator, goal, depth, due.Key, outcome));
                break;
            }

            if (targets.Count == wanted)
            {
                break;
            }
        }

        return targets;
    }

    private static void Add<T>(Dictionary<Guid, List<T>> map, Guid key, T item)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(item);
    }
}
