using Kedja.Domain.Indicators;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Data;

/// <summary>
/// Outcomes and targets of a list of indicators, in the shape each database plans well. PostgreSQL before 17 costs an
/// index scan on "indicator_id = ANY(@ids)" as one descent per id and, beside a second list on period_key (the
/// published view's filter, ADR 17), judged a parallel read of all 1.45 million outcomes of L cheaper: 85 ms alone and
/// 300-400 ms under load. Read from the list into the table (a join on the list) it plans a nested loop of index
/// seeks, under a millisecond (docs/performance.md, "The public portal"). SQLite, without statistics, plans that join
/// as a read of the whole period and the list as a seek per id (QueryPlanTests), so it keeps the list.
/// </summary>
public static class IndicatorRows
{
    public static IQueryable<Outcome> OutcomesOf(this KedjaDbContext db, IReadOnlyCollection<Guid> indicatorIds)
    {
        // Each once: the join gives an indicator's rows once per time it is named, the list once.
        var ids = indicatorIds.Distinct().ToList();
        var outcomes = db.Outcomes.AsNoTracking();
        return KedjaDatabase.ProviderOf(db) == DatabaseProvider.Postgres
            ? outcomes.Join(ids, o => o.IndicatorId, id => id, (o, _) => o)
            : outcomes.Where(o => ids.Contains(o.IndicatorId));
    }

    public static IQueryable<IndicatorTarget> TargetsOf(this KedjaDbContext db, IReadOnlyCollection<Guid> indicatorIds)
    {
        // Each once: the join gives an indicator's rows once per time it is named, the list once.
        var ids = indicatorIds.Distinct().ToList();
        var targets = db.Targets.AsNoTracking();
        return KedjaDatabase.ProviderOf(db) == DatabaseProvider.Postgres
            ? targets.Join(ids, t => t.IndicatorId, id => id, (t, _) => t)
            : targets.Where(t => ids.Contains(t.IndicatorId));
    }
}
