using Kedja.Data;
using Kedja.Domain.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>One follow-up whose card <see cref="LockedCardBackfill"/> kept (or would keep).</summary>
public sealed record BackfilledCard(Guid UnitId, string UnitName, string PeriodKey);

/// <summary>
/// Follow-ups locked before cards were kept (migration 0024) have no card as reported, so their scorecard still moves
/// with today's model, targets and organisation. This keeps one for each now (verb <c>take-locked-cards</c>): what they
/// read today is the best record left of what was reported, and the card says so in who took it. Run again, it finds
/// nothing more to do; a follow-up that has a card keeps it.
/// </summary>
public sealed class LockedCardBackfill(KedjaDbContext db, LockedScorecards snapshots)
{
    /// <summary>Who the kept cards are recorded as taken by: never the person who locked, and not at the time of locking.</summary>
    public const string TakenAfterwards = "Tagen i efterhand (take-locked-cards): dagens uppgifter, det bästa som finns kvar av det rapporterade";

    /// <summary>The locked follow-ups of the entered tenant without a card; with <paramref name="save"/> their cards are kept, in one transaction.</summary>
    public async Task<List<BackfilledCard>> RunAsync(bool save, CancellationToken cancellationToken = default)
    {
        var missing = await db.UnitPeriodStatuses.AsNoTracking()
            .Where(s => s.State == WorkflowState.Locked && !db.LockedScorecards.Any(c => c.UnitId == s.UnitId && c.PeriodId == s.PeriodId))
            .Select(s => new { s.UnitId, s.PeriodId }).ToListAsync(cancellationToken);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var taken = new List<BackfilledCard>();
        foreach (var row in missing.Where(m => periods.ContainsKey(m.PeriodId) && units.ContainsKey(m.UnitId))
                     .OrderBy(m => periods[m.PeriodId].EndDate).ThenBy(m => units[m.UnitId], StringComparer.Ordinal))
        {
            var period = periods[row.PeriodId];
            var corrections = await db.Corrections.CountAsync(c => c.UnitId == row.UnitId && c.PeriodId == row.PeriodId, cancellationToken);
            // A unit not followed up in the period has no card: nothing to keep, and nothing is recorded for it.
            if (await snapshots.TakeAsync(row.UnitId, period, corrections, TakenAfterwards, cancellationToken) is not null)
            {
                taken.Add(new BackfilledCard(row.UnitId, units[row.UnitId], period.Key));
            }
        }

        if (save)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            db.ChangeTracker.Clear();
        }

        return taken;
    }
}
