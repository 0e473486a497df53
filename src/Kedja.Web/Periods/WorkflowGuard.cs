using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>Keeps a unit's results for a period unchanged once its follow-up has been submitted, approved or locked.</summary>
public static class WorkflowGuard
{
    /// <summary>Null while the unit's follow-up for the period is open; otherwise the conflict to answer.</summary>
    public static async Task<ServiceError?> EnsureOpenAsync(KedjaDbContext db, Guid unitId, FollowUpPeriod period, CancellationToken cancellationToken = default) =>
        (await LoadAsync(db, [unitId], cancellationToken)).Check(unitId, period);

    /// <summary>As <see cref="EnsureOpenAsync"/>, for a result of the given period, guarded by the follow-up it is reported in.</summary>
    public static async Task<ServiceError?> EnsureOpenForResultAsync(KedjaDbContext db, Guid unitId, PeriodRef result, CancellationToken cancellationToken = default) =>
        (await LoadAsync(db, [unitId], cancellationToken)).CheckResult(unitId, result);

    /// <summary>Where one unit's follow-up of a period stands (open when nobody has moved it), for a page to say so before anyone types.</summary>
    /// <remarks>A locked follow-up under correction reads as open to the administrator correcting it, and to them only.</remarks>
    public static async Task<WorkflowState> StateAsync(KedjaDbContext db, Guid unitId, string periodKey, CancellationToken cancellationToken = default)
    {
        var corrector = Corrector(db);
        var found = await db.UnitPeriodStatuses.AsNoTracking()
            .Where(s => s.UnitId == unitId && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == periodKey))
            .Select(s => new { s.State, Correcting = corrector != null && db.Corrections.Any(c => c.UnitId == unitId && c.PeriodId == s.PeriodId && c.ClosedAt == null && c.OpenedById == corrector) })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null || found.Correcting ? WorkflowState.Open : found.State;
    }

    /// <summary>
    /// The units whose follow-up of the period takes no more changes, with where it stands: pages write that instead of
    /// offering to assess or report what the services would refuse. Units not listed are open.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, WorkflowState>> ClosedAsync(KedjaDbContext db, string? periodKey, CancellationToken cancellationToken = default)
    {
        if (periodKey is null)
        {
            return new Dictionary<Guid, WorkflowState>();
        }

        var corrector = Corrector(db);
        return await db.UnitPeriodStatuses.AsNoTracking()
            .Where(s => s.State != WorkflowState.Open && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == periodKey))
            .Where(s => corrector == null || !db.Corrections.Any(c => c.UnitId == s.UnitId && c.PeriodId == s.PeriodId && c.ClosedAt == null && c.OpenedById == corrector))
            .ToDictionaryAsync(s => s.UnitId, s => s.State, cancellationToken);
    }

    /// <summary>The calendar and the follow-up states of the units, read once for many checks (a batch of outcomes).</summary>
    public static async Task<FollowUpStates> LoadAsync(KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, CancellationToken cancellationToken = default)
    {
        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var states = await db.UnitPeriodStatuses.AsNoTracking().Where(s => unitIds.Contains(s.UnitId)).Select(s => new { s.UnitId, s.PeriodId, s.State })
            .ToDictionaryAsync(s => (s.UnitId, s.PeriodId), s => s.State, cancellationToken);

        // Closed years (issue 16): a locked follow-up under correction takes changes from the administrator correcting it,
        // through the same checks as an open one; everyone else is refused. An import or fetch run for a person acts as
        // their account, so one the correcting administrator started writes with them (review 16, finding 8).
        if (Corrector(db) is { } corrector)
        {
            foreach (var open in await db.Corrections.AsNoTracking().Where(c => c.ClosedAt == null && c.OpenedById == corrector && unitIds.Contains(c.UnitId))
                         .Select(c => new { c.UnitId, c.PeriodId }).ToListAsync(cancellationToken))
            {
                states[(open.UnitId, open.PeriodId)] = WorkflowState.Open;
            }
        }

        return new FollowUpStates(calendar, states);
    }

    /// <summary>
    /// The account that may write through a correction it opened: the signed-in one (or the one work is done for) while
    /// it is the municipality's administrator; null for everyone else. A display name is not a person (review 16, finding 8).
    /// The installation itself (a verb or the demo seed, entered as the system with no account) corrects as
    /// <see cref="SystemCorrector"/>: no person's sign-in ever carries that id.
    /// </summary>
    public static string? Corrector(KedjaDbContext db) => db.Actor is HttpAuditActor { Tenant: { Role: TenantRole.Admin } tenant } ? CorrectorOf(tenant) : null;

    /// <summary>The id a correction opened in this context is recorded under (<see cref="Correction.OpenedById"/>).</summary>
    public static string? CorrectorOf(TenantContext tenant) =>
        tenant.UserId.Length > 0 ? tenant.UserId : tenant.IsSystemAdmin ? SystemCorrector : null;

    /// <summary>Not an account id (those are GUIDs): the installation acting through a verb or the seed.</summary>
    public const string SystemCorrector = "system";
}

/// <summary>Where the follow-ups of some units stand, as <see cref="WorkflowGuard.LoadAsync"/> read them.</summary>
public sealed class FollowUpStates(List<FollowUpPeriod> calendar, Dictionary<(Guid UnitId, Guid PeriodId), WorkflowState> states)
{
    /// <summary>Null while the unit's follow-up for the period is open; otherwise the conflict.</summary>
    public ServiceError? Check(Guid unitId, FollowUpPeriod period)
    {
        var state = states.GetValueOrDefault((unitId, period.Id), WorkflowState.Open);
        return PeriodWorkflow.AllowsChanges(state)
            ? null
            : ServiceError.Conflict($"Uppföljningen för {period.Name} är {PeriodWorkflow.Name(state).ToLowerInvariant()}. Den måste öppnas igen innan något ändras.");
    }

    /// <summary>Where the follow-up that a result of the given period is reported in stands for the unit (open outside the calendar).</summary>
    public WorkflowState StateOfResult(Guid unitId, PeriodRef result) =>
        PeriodWorkflow.ReportedIn(result, calendar) is { } period ? states.GetValueOrDefault((unitId, period.Id), WorkflowState.Open) : WorkflowState.Open;

    /// <summary>The follow-up a result of the given period is reported in; null outside the calendar.</summary>
    public FollowUpPeriod? ReportedIn(PeriodRef result) => PeriodWorkflow.ReportedIn(result, calendar);

    /// <summary>As <see cref="Check"/>, for a result of the given period, guarded by the follow-up it is reported in.</summary>
    public ServiceError? CheckResult(Guid unitId, PeriodRef result) =>
        PeriodWorkflow.ReportedIn(result, calendar) is { } period ? Check(unitId, period) : null;
}
