using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>Keeps a unit's results for a period unchanged once its follow-up has been submitted, approved or locked.</summary>
public static class WorkflowGuard
{
    /// <summary>Null while the unit's follow-up for the period is open; otherwise the conflict to answer.</summary>
    public static async Task<ProblemHttpResult?> EnsureOpenAsync(KedjaDbContext db, Guid unitId, FollowUpPeriod period)
    {
        var state = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.UnitId == unitId && s.PeriodId == period.Id)
            .Select(s => (WorkflowState?)s.State).SingleOrDefaultAsync() ?? WorkflowState.Open;
        return PeriodWorkflow.AllowsChanges(state)
            ? null
            : Problems.Conflict($"Uppföljningen för {period.Name} är {PeriodWorkflow.Name(state).ToLowerInvariant()}. Den måste öppnas igen innan något ändras.");
    }

    /// <summary>As <see cref="EnsureOpenAsync"/>, for a result of the given period, guarded by the follow-up it is reported in.</summary>
    public static async Task<ProblemHttpResult?> EnsureOpenForResultAsync(KedjaDbContext db, Guid unitId, PeriodRef result)
    {
        var candidates = await db.Periods.AsNoTracking().Where(p => p.StartDate <= result.End && p.EndDate >= result.End).ToListAsync();
        return PeriodWorkflow.ReportedIn(result, candidates) is { } period ? await EnsureOpenAsync(db, unitId, period) : null;
    }
}
