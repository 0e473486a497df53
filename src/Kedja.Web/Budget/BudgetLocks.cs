using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Budget;

/// <summary>
/// A locked year's budget is kept as reported (review 16, finding 9): once the follow-up that closes a unit's year (the
/// annual report: T3, December, the year itself) is locked, its frame and its budget lines stay as they were reported,
/// for the page, the API, the batch and the finance import alike. The administrator who opened a correction of that
/// follow-up changes them through it, as they change its outcomes (<see cref="WorkflowGuard"/>).
/// </summary>
public static class BudgetLocks
{
    /// <summary>Null while the unit's budget of the year may change; otherwise the conflict to answer.</summary>
    public static async Task<ServiceError?> CheckAsync(KedjaDbContext db, Guid unitId, int year, CancellationToken cancellationToken = default)
    {
        var states = await WorkflowGuard.LoadAsync(db, [unitId], cancellationToken);
        var closing = (await db.Periods.AsNoTracking().Where(p => p.Year == year).ToListAsync(cancellationToken))
            .Where(p => PeriodRef.TryParse(p.Key, out var r) && r.ClosesYear).OrderBy(p => p.EndDate).ToList();
        return closing.FirstOrDefault(p => states.StateOfResult(unitId, p.Ref) == WorkflowState.Locked) is { } locked
            ? ServiceError.Conflict($"Budgeten för {year} är låst: uppföljningen för {locked.Name} är låst, och budgeten står som den rapporterades. "
                + "En administratör öppnar en rättelse av enhetens uppföljning för att ändra den.")
            : null;
    }
}
