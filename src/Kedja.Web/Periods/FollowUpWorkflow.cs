using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>
/// The period workflow of units as every entry point uses it (ADR 9): who may take which step, four eyes on approval,
/// and only the units the model follows up in the period (a company reporting yearly has no tertial follow-up).
/// </summary>
public sealed class FollowUpWorkflow(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock, Mail.FollowUpNotices notices, IServiceProvider services)
{
    /// <summary>Where the follow-up of every active unit followed up in the period stands.</summary>
    public async Task<ServiceResult<List<UnitWorkflowDto>>> ListAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var states = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.PeriodId == period.Id).ToDictionaryAsync(s => s.UnitId, cancellationToken);
        var units = await FollowedUpUnitsAsync(period, cancellationToken);
        return units.Select(u => ToDto(u, states.GetValueOrDefault(u.Id))).ToList();
    }

    /// <summary>Where one unit's follow-up of the period stands; null for a unit the model does not follow up then.</summary>
    public async Task<UnitWorkflowDto?> ForUnitAsync(OrgUnit unit, FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        if (!unit.IsActive || !await FollowsUpAsync(unit.Kind, period, cancellationToken))
        {
            return null;
        }

        var status = await db.UnitPeriodStatuses.AsNoTracking().SingleOrDefaultAsync(s => s.UnitId == unit.Id && s.PeriodId == period.Id, cancellationToken);
        return ToDto(unit, status);
    }

    /// <summary>
    /// Takes one step in a unit's follow-up: the unit submits, the level above (or the controller) approves or sends it
    /// back, the controller locks and reopens. Every reopening is recorded with its reason.
    /// </summary>
    public async Task<ServiceResult<UnitWorkflowDto>> TransitionAsync(Guid unitId, string periodKey, WorkflowInput input, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == unitId, cancellationToken);
        if (found.Error is { Kind: ServiceErrorKind.Invalid } malformed)
        {
            return malformed;
        }

        if (unit is null || found.Value is not { } period)
        {
            return unit is null ? ServiceError.NotFound("Enheten finns inte.") : found.Error!;
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Ange versionen du utgår från (0 om uppföljningen aldrig har flyttats), så att ingen annans steg skrivs över.");
        }

        if (!await FollowsUpAsync(unit.Kind, period, cancellationToken))
        {
            return ServiceError.Invalid(FollowUpCalendar.Field, $"{UnitKindNames.Swedish(unit.Kind)} följs inte upp i {period.Name}; styrmodellen har en egen uppföljningstakt för dem.");
        }

        var status = await db.UnitPeriodStatuses.SingleOrDefaultAsync(s => s.UnitId == unitId && s.PeriodId == period.Id, cancellationToken);
        if ((status?.Version ?? 0) != input.Version)
        {
            return ServiceError.Conflict();
        }

        var (step, error) = PeriodWorkflow.Plan(status?.State ?? WorkflowState.Open, input.Action, input.Reason);
        if (step is not { } next)
        {
            return ServiceError.Invalid(error is PeriodWorkflow.ReasonMissing or PeriodWorkflow.CorrectionReasonMissing ? "reason" : "action", error!);
        }

        if (!await MayAsync(next.Authority, unitId, cancellationToken))
        {
            return ServiceError.Forbidden(next.Authority switch
            {
                WorkflowAuthority.Unit => "Du får bara skicka in uppföljningen för din egen enhet och enheterna under den.",
                WorkflowAuthority.Above => "Uppföljningen godkänns eller skickas tillbaka av nivån ovanför enheten.",
                _ => "Bara kommunens administratör får låsa uppföljningen, öppna en låst uppföljning eller rätta den.",
            });
        }

        // Closed years (issue 16): a locked follow-up is corrected, not reopened, while a correction is open.
        var correcting = status is not null
            ? await db.Corrections.Where(c => c.UnitId == unitId && c.PeriodId == period.Id).OrderByDescending(c => c.Number).FirstOrDefaultAsync(cancellationToken)
            : null;
        var open = correcting is { ClosedAt: null } ? correcting : null;
        if (input.Action is WorkflowAction.Correct or WorkflowAction.Reopen && open is not null)
        {
            return ServiceError.Conflict($"En rättelse av {period.Name} pågår redan ({open.OpenedBy}). Avsluta den först.");
        }

        if (input.Action == WorkflowAction.FinishCorrection && open is null)
        {
            return ServiceError.Invalid("action", "Ingen rättelse pågår för enhetens uppföljning.");
        }

        // Follow-ups submitted before the submitter's account was recorded (migration 0005) name them by ChangedBy.
        var actorSubmitted = status?.SubmittedByUserId is { } submitter ? submitter == tenant.UserId : status?.ChangedBy == actor.Name;
        if (PeriodWorkflow.FourEyes(status?.State ?? WorkflowState.Open, input.Action, actorSubmitted) is { } sameEyes)
        {
            return ServiceError.Forbidden(sameEyes);
        }

        var versionAfter = status is null ? 1 : input.Version.Value + 1;
        if (status is null)
        {
            // Version 1, so that a client holding the implicit open state (version 0) cannot act on it a second time.
            status = new UnitPeriodStatus { UnitId = unitId, PeriodId = period.Id, Version = 1 };
            db.UnitPeriodStatuses.Add(status);
        }
        else
        {
            db.ExpectVersion(status, input.Version.Value);
        }

        status.State = next.To;
        status.ChangedBy = actor.Name;
        status.ChangedAt = clock.GetUtcNow().UtcDateTime;
        status.ReopenReason = input.Action == WorkflowAction.Reopen ? input.Reason!.Trim() : null;
        var snapshots = services.GetRequiredService<LockedScorecards>();
        if (input.Action == WorkflowAction.Lock)
        {
            await snapshots.TakeAsync(unitId, period, correcting?.Number ?? 0, cancellationToken);
        }
        else if (input.Action == WorkflowAction.Correct)
        {
            if (!await db.LockedScorecards.AnyAsync(s => s.UnitId == unitId && s.PeriodId == period.Id, cancellationToken))
            {
                // Locked before cards were kept: what it reads now is the best record of what was reported.
                await snapshots.TakeAsync(unitId, period, correcting?.Number ?? 0, cancellationToken);
            }

            db.Corrections.Add(new Correction
            {
                UnitId = unitId, PeriodId = period.Id, Number = (correcting?.Number ?? 0) + 1, Reason = input.Reason!.Trim(), OpenedBy = actor.Name,
                OpenedById = WorkflowGuard.CorrectorOf(tenant),
                OpenedAt = status.ChangedAt.Value, AuditFrom = await db.AuditEntries.MaxAsync(a => (long?)a.Sequence, cancellationToken) ?? 0,
            });
        }
        else if (input.Action == WorkflowAction.FinishCorrection)
        {
            await FinishCorrectionAsync(open!, unit, period, snapshots, cancellationToken);
        }

        status.SubmittedByUserId = input.Action switch
        {
            WorkflowAction.Submit => tenant.UserId,
            WorkflowAction.Reopen => null,
            _ => status.SubmittedByUserId,
        };

        // In the step's own save: a step that is refused (a conflict) sends nothing, and a step taken always tells.
        await notices.QueueAsync(unit, period, status, input.Action, versionAfter, input.Reason, cancellationToken);
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return ToDto(unit, status);
    }

    /// <summary>Locks the follow-up of every unit followed up in the period, as when the report has gone to the council.</summary>
    public async Task<ServiceResult<LockResult>> LockAllAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var states = await db.UnitPeriodStatuses.Where(s => s.PeriodId == period.Id).ToDictionaryAsync(s => s.UnitId, cancellationToken);
        var unitIds = (await FollowedUpUnitsAsync(period, cancellationToken)).Select(u => u.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var locked = 0;
        foreach (var unitId in unitIds)
        {
            var status = states.GetValueOrDefault(unitId);
            if (status is { State: WorkflowState.Locked })
            {
                continue;
            }

            if (status is null)
            {
                db.UnitPeriodStatuses.Add(status = new UnitPeriodStatus { UnitId = unitId, PeriodId = period.Id, Version = 1 });
            }

            status.State = WorkflowState.Locked;
            status.ChangedBy = actor.Name;
            status.ChangedAt = now;
            status.ReopenReason = null;
            var corrections = await db.Corrections.CountAsync(c => c.UnitId == unitId && c.PeriodId == period.Id, cancellationToken);
            await services.GetRequiredService<LockedScorecards>().TakeAsync(unitId, period, corrections, cancellationToken);
            locked++;
        }

        return await db.TrySaveAsync() ? new LockResult(locked, unitIds.Count - locked) : ServiceError.Conflict();
    }

    /// <summary>
    /// Closes a correction: what it changed on the card (the card as reported against the card as it reads now) and the
    /// audit entries it made, then the card is taken again with the correction's number.
    /// </summary>
    private async Task FinishCorrectionAsync(Correction open, OrgUnit unit, FollowUpPeriod period, LockedScorecards snapshots, CancellationToken cancellationToken)
    {
        var json = services.GetRequiredService<Exchange.JsonSerializerOptionsProvider>().Options;
        var before = await db.LockedScorecards.AsNoTracking().Where(s => s.UnitId == unit.Id && s.PeriodId == period.Id)
            .OrderByDescending(s => s.CorrectionNumber).ThenByDescending(s => s.LockedAt).ThenByDescending(s => s.Id).Select(s => s.Json).FirstOrDefaultAsync(cancellationToken);
        var after = await snapshots.TakeAsync(unit.Id, period, open.Number, cancellationToken);
        var changes = before is not null && after is not null
            ? LockedScorecards.Differences(System.Text.Json.JsonSerializer.Deserialize<FollowUp.ScorecardDto>(before, json)!,
                System.Text.Json.JsonSerializer.Deserialize<FollowUp.ScorecardDto>(after.Json, json)!)
            : [];

        // The changes the administrator made in the correction to the unit's results of the period: its history marks them.
        var made = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Sequence > open.AuditFrom && a.UserName == open.OpenedBy && (a.Entity == "Outcome" || a.Entity == "Assessment" || a.Entity == "ActivityComment"))
            .Select(a => new { a.Sequence, a.Entity, a.EntityId }).ToListAsync(cancellationToken);
        var results = PeriodRef.Parse(period.Key).PeriodsEndingWithin().Select(r => r.Key).Append(period.Key).ToList();
        var ids = made.Select(m => Guid.TryParse(m.EntityId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var goals = await db.Goals.AsNoTracking().Where(g => g.OwnerUnitId == unit.Id).Select(g => g.Id).ToListAsync(cancellationToken);
        var ours = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ours.UnionWith((await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.Id) && results.Contains(o.PeriodKey)
                && db.Indicators.Any(i => i.Id == o.IndicatorId && (i.OwnerUnitId == unit.Id || goals.Contains(i.GoalId!.Value)))).Select(o => o.Id).ToListAsync(cancellationToken))
            .Select(id => id.ToString()));
        ours.UnionWith((await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.Id) && a.PeriodId == period.Id && goals.Contains(a.GoalId)).Select(a => a.Id).ToListAsync(cancellationToken))
            .Select(id => id.ToString()));
        ours.UnionWith((await db.ActivityComments.AsNoTracking().Where(c => ids.Contains(c.Id) && c.PeriodId == period.Id).Select(c => c.Id).ToListAsync(cancellationToken))
            .Select(id => id.ToString()));

        var correction = await db.Corrections.SingleAsync(c => c.Id == open.Id, cancellationToken);
        correction.ClosedBy = actor.Name;
        correction.ClosedAt = clock.GetUtcNow().UtcDateTime;
        correction.Changes = System.Text.Json.JsonSerializer.Serialize(changes);
        correction.AuditEntries = System.Text.Json.JsonSerializer.Serialize(made.Where(m => ours.Contains(m.EntityId)).Select(m => m.Sequence).Order().ToList());
    }

    private async Task<List<OrgUnit>> FollowedUpUnitsAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var overrides = await OverridesAsync(period, cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(cancellationToken);
        return [.. units.Where(u => CadenceOverride.FollowsUp(overrides, u.Kind, period.Ref))];
    }

    private async Task<bool> FollowsUpAsync(UnitKind kind, FollowUpPeriod period, CancellationToken cancellationToken) =>
        CadenceOverride.FollowsUp(await OverridesAsync(period, cancellationToken), kind, period.Ref);

    /// <summary>The cadence overrides of the models in force in the period's year.</summary>
    private async Task<List<CadenceOverride>> OverridesAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var year = period.Ref.Year;
        var models = await db.Models.AsNoTracking().Where(m => m.FirstYear <= year && m.LastYear >= year).Select(m => m.CadenceOverrides).ToListAsync(cancellationToken);
        return [.. models.SelectMany(o => o)];
    }

    public static UnitWorkflowDto ToDto(OrgUnit unit, UnitPeriodStatus? status)
    {
        var state = status?.State ?? WorkflowState.Open;
        return new UnitWorkflowDto(unit.Id, unit.Name, unit.Kind, UnitKindNames.Swedish(unit.Kind), state, PeriodWorkflow.Name(state), status?.ChangedBy, status?.ChangedAt, status?.ReopenReason,
            status?.Version ?? 0);
    }

    /// <summary>Whether the signed-in person holds the authority a step needs for the unit: the same answer the step gets.</summary>
    public async Task<bool> MayAsync(WorkflowAuthority authority, Guid unitId, CancellationToken cancellationToken = default) => authority switch
    {
        WorkflowAuthority.Unit => await UnitScope.AllowsAsync(tenant, db, unitId, cancellationToken),
        WorkflowAuthority.Above => tenant.Role == TenantRole.Admin || await UnitScope.IsAboveAsync(tenant, db, unitId, cancellationToken),
        _ => tenant.Role == TenantRole.Admin,
    };
}
