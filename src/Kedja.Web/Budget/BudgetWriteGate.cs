using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Budget;

/// <summary>
/// Whether a unit's budget of a year may be written, the one gate for the page, the API, the batch and the finance
/// import. Two rules (ADR 47): a draft frame of a year being planned is the planning's, changed only there (§3); and a
/// locked year's budget is kept as reported (review 16, finding 9) – once the follow-up that closes the unit's year (the
/// annual report: T3, December, the year itself) is locked, its frame and budget lines stay as they were reported, and
/// the administrator who opened a correction of that follow-up changes them through it, as they change its outcomes
/// (<see cref="WorkflowGuard"/>). Loaded once for the units and years a write touches: three statements, however many.
/// </summary>
public sealed class BudgetWriteGate
{
    private readonly HashSet<(Guid UnitId, int Year)> drafts;
    private readonly Dictionary<int, List<FollowUpPeriod>> closing;
    private readonly FollowUpStates states;

    private BudgetWriteGate(HashSet<(Guid, int)> drafts, Dictionary<int, List<FollowUpPeriod>> closing, FollowUpStates states) =>
        (this.drafts, this.closing, this.states) = (drafts, closing, states);

    public static async Task<BudgetWriteGate> LoadAsync(KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, IReadOnlyCollection<int> years,
        CancellationToken cancellationToken = default)
    {
        var drafts = (await db.BudgetFrames.AsNoTracking().Where(f => f.IsDraft && unitIds.Contains(f.UnitId) && years.Contains(f.Year))
            .Select(f => new { f.UnitId, f.Year }).ToListAsync(cancellationToken)).Select(f => (f.UnitId, f.Year)).ToHashSet();
        var closing = (await db.Periods.AsNoTracking().Where(p => years.Contains(p.Year)).ToListAsync(cancellationToken))
            .Where(p => PeriodRef.TryParse(p.Key, out var r) && r.ClosesYear).OrderBy(p => p.EndDate)
            .GroupBy(p => p.Year).ToDictionary(g => g.Key, g => g.ToList());
        return new BudgetWriteGate(drafts, closing, await WorkflowGuard.LoadAsync(db, unitIds, cancellationToken));
    }

    /// <summary>Null unless the unit's frame of the year is a draft of the planning.</summary>
    public ServiceError? Draft(Guid unitId, int year) => drafts.Contains((unitId, year)) ? ServiceError.Conflict(RealFrames.DraftFrame(year)) : null;

    /// <summary>Null while the unit's budget of the year may change; otherwise the conflict to answer.</summary>
    public ServiceError? Locked(Guid unitId, int year) =>
        closing.GetValueOrDefault(year)?.FirstOrDefault(p => states.StateOfResult(unitId, p.Ref) == WorkflowState.Locked) is { } locked
            ? ServiceError.Conflict($"Budgeten för {year} är låst: uppföljningen för {locked.Name} är låst, och budgeten står som den rapporterades. "
                + "En administratör öppnar en rättelse av enhetens uppföljning för att ändra den.")
            : null;

    /// <summary>Both rules for a write of the unit's frame: null when it may be written.</summary>
    public ServiceError? Frame(Guid unitId, int year) => Draft(unitId, year) ?? Locked(unitId, year);
}
