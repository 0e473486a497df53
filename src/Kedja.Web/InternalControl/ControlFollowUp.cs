using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.InternalControl;

/// <summary>
/// A control action with its results and measures, what GET <c>control-actions/{id}</c> gives: the document's shape, the
/// plan it belongs to, and the versions a client sends back to change a result or a measure.
/// </summary>
public sealed record VersionedControlAction : ControlActionDoc
{
    public VersionedControlAction()
    {
    }

    [SetsRequiredMembers]
    public VersionedControlAction(ControlActionDoc doc, int version)
        : base(doc) => Version = version;

    public int Version { get; init; }

    public Guid PlanId { get; init; }

    /// <summary>The committee (or other unit) whose plan holds the action.</summary>
    public Guid PlanUnitId { get; init; }

    public int Year { get; init; }

    public ControlPlanStatus PlanStatus { get; init; }

    /// <summary>Each result's version by period key, to send back when changing it.</summary>
    public Dictionary<string, int> ResultVersions { get; init; } = [];

    /// <summary>Each measure's version by id, to send back when changing or removing it.</summary>
    public Dictionary<Guid, int> MeasureVersions { get; init; } = [];
}

/// <summary>A result as a client writes it (<see cref="ControlResultDoc"/>'s content); <see cref="Version"/> of the result when changing one, null for a new one.</summary>
public sealed record ControlResultInput(ControlOutcome Outcome, string? Findings, string? Reason, int? Version);

/// <summary>A measure with its version: what the measure endpoints give and take back. The period is set when it is added and then kept.</summary>
public sealed record VersionedControlMeasure(Guid Id, string? PeriodKey, string Text, string? Owner, DateOnly? Deadline, MeasureStatus Status, DateOnly? DoneOn, int? Version)
{
    /// <summary>"Ej påbörjad", "Pågår", "Klar"; ignored in a request.</summary>
    public string StatusName => ControlNames.Swedish(Status);
}

/// <summary>
/// The follow-up of control actions (ADR 46): a result per action and period and the measures decided after it, written
/// by the people who may act for the action's responsible unit. A result and a new measure go through the period
/// workflow as assessments and activity reports do (<see cref="WorkflowGuard"/>): only while the unit's follow-up of the
/// period is open. A measure's progress (status, done day, owner, deadline) is kept up to date whenever it happens,
/// also years later, since open measures follow the unit's plans until done; its text, which is part of the report, and
/// its removal wait for an open follow-up like the result.
/// </summary>
public sealed class ControlFollowUp(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string NotFound = "Kontrollmomentet finns inte.";

    public const string MeasureNotFound = "Åtgärden finns inte.";

    private const string OutsideUnits = "Du får bara följa upp kontrollmoment som din enhet eller en enhet under den ansvarar för.";

    public async Task<ServiceResult<VersionedControlAction>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var found = await LoadAsync(id, tracked: false, cancellationToken);
        return found.Error is { } error ? error : await ViewAsync(found.Value!.Action, found.Value.Plan, cancellationToken);
    }

    /// <summary>Whether the person may report the action and change its measures.</summary>
    public Task<bool> MayReportAsync(Guid responsibleUnitId, CancellationToken cancellationToken = default) => UnitScope.AllowsAsync(tenant, db, responsibleUnitId, cancellationToken);

    /// <summary>Records or changes the action's result for the period (one of the plan's year) while the responsible unit's follow-up of it is open.</summary>
    public async Task<ServiceResult<VersionedControlAction>> RecordResultAsync(Guid actionId, string periodKey, ControlResultInput input, CancellationToken cancellationToken = default)
    {
        var found = await WritableAsync(actionId, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var (action, plan) = found.Value!;
        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (period.Error is { } missing)
        {
            return missing;
        }

        var result = action.Results.SingleOrDefault(r => r.PeriodId == period.Value!.Id);
        if (result is not null && input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors();
        var doc = new ControlResultDoc(period.Value!.Key, input.Outcome, Blank(input.Findings), Blank(input.Reason), actor.Name, clock.GetUtcNow().UtcDateTime);
        InternalControlRules.CheckResult(errors, "", doc, new PlanReferences(_ => true, _ => true, _ => period.Value.Year));
        if (period.Value.Year != plan.Year)
        {
            errors.Add("periodKey", $"Kontrollmomentet följs upp i en period under planens år ({plan.Year}).");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, action.ResponsibleUnitId, period.Value, cancellationToken) is { } closed)
        {
            return closed;
        }

        if (result is null)
        {
            if (input.Version is not null)
            {
                // The client read a result that someone has since removed, or guessed.
                return ServiceError.Conflict();
            }

            action.Results.Add(result = new ControlResult { ActionId = action.Id, PeriodId = period.Value.Id, WrittenBy = doc.WrittenBy });
        }
        else
        {
            db.ExpectVersion(result, input.Version!.Value);
        }

        // Findings belong to a deviation, a reason to a control not performed: the other stays empty, so a changed outcome leaves nothing stale.
        (result.Outcome, result.Findings, result.Reason, result.WrittenBy, result.WrittenAt) = (doc.Outcome,
            doc.Outcome == ControlOutcome.NotPerformed ? null : doc.Findings, doc.Outcome == ControlOutcome.NotPerformed ? doc.Reason : null, doc.WrittenBy, doc.WrittenAt);
        return await db.TrySaveAsync() ? await ViewAsync(action, plan, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Adds a measure decided in a follow-up period (required), while the responsible unit's follow-up of that period is open.</summary>
    public async Task<ServiceResult<VersionedControlMeasure>> AddMeasureAsync(Guid actionId, VersionedControlMeasure input, CancellationToken cancellationToken = default)
    {
        var found = await WritableAsync(actionId, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var action = found.Value!.Action;
        if (string.IsNullOrWhiteSpace(input.PeriodKey))
        {
            return ServiceError.Invalid("periodKey", "Ange uppföljningsperioden då åtgärden beslutades.");
        }

        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), input.PeriodKey, cancellationToken);
        if (period.Error is { } missing)
        {
            return missing;
        }

        var doc = Normalised(input with { PeriodKey = period.Value!.Key });
        if (Check(doc, period.Value.Year) is { } invalid)
        {
            return invalid;
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, action.ResponsibleUnitId, period.Value, cancellationToken) is { } closed)
        {
            return closed;
        }

        var measure = new ControlMeasure { Id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id, ActionId = action.Id, PeriodId = period.Value.Id, Text = "" };
        if (await db.ControlMeasures.AnyAsync(m => m.Id == measure.Id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan en åtgärd med det id:t.");
        }

        Apply(measure, doc);
        db.ControlMeasures.Add(measure);
        return await db.TrySaveAsync() ? Versioned(measure, period.Value.Key) : ServiceError.Conflict("Det finns redan en åtgärd med det id:t.");
    }

    /// <summary>
    /// Changes a measure. Its progress (status, done day, owner, deadline) may change at any time; its text only while the
    /// follow-up of the period it was decided in is open, since it is part of that report.
    /// </summary>
    public async Task<ServiceResult<VersionedControlMeasure>> UpdateMeasureAsync(Guid actionId, Guid measureId, VersionedControlMeasure input, CancellationToken cancellationToken = default)
    {
        var found = await WritableAsync(actionId, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var action = found.Value!.Action;
        var measure = action.Measures.SingleOrDefault(m => m.Id == measureId);
        if (measure is null)
        {
            return ServiceError.NotFound(MeasureNotFound);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var period = measure.PeriodId is { } periodId ? await db.Periods.AsNoTracking().SingleAsync(p => p.Id == periodId, cancellationToken) : null;
        var doc = Normalised(input with { PeriodKey = period?.Key });
        if (Check(doc, period?.Year) is { } invalid)
        {
            return invalid;
        }

        if (doc.Text != measure.Text && period is not null && await WorkflowGuard.EnsureOpenAsync(db, action.ResponsibleUnitId, period, cancellationToken) is { } closed)
        {
            return closed with { Message = $"{closed.Message} Åtgärdens status, ägare och sista dag kan ändras ändå." };
        }

        db.ExpectVersion(measure, input.Version.Value);
        Apply(measure, doc);
        return await db.TrySaveAsync() ? Versioned(measure, period?.Key) : ServiceError.Conflict();
    }

    /// <summary>Removes a measure while the follow-up of the period it was decided in is open.</summary>
    public async Task<ServiceResult<Done>> DeleteMeasureAsync(Guid actionId, Guid measureId, int? version, CancellationToken cancellationToken = default)
    {
        var found = await WritableAsync(actionId, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var action = found.Value!.Action;
        var measure = action.Measures.SingleOrDefault(m => m.Id == measureId);
        if (measure is null)
        {
            return ServiceError.NotFound(MeasureNotFound);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (measure.PeriodId is { } periodId
            && await WorkflowGuard.EnsureOpenAsync(db, action.ResponsibleUnitId, await db.Periods.AsNoTracking().SingleAsync(p => p.Id == periodId, cancellationToken), cancellationToken) is { } closed)
        {
            return closed;
        }

        return await db.RemoveAsReadAsync(measure, version.Value);
    }

    /// <summary>The action and its plan for a change: not found for whoever does not see it, forbidden for whoever sees it but may not report it.</summary>
    private async Task<ServiceResult<(ControlAction Action, ControlPlan Plan)>> WritableAsync(Guid actionId, CancellationToken cancellationToken)
    {
        var found = await LoadAsync(actionId, tracked: true, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        return await UnitScope.AllowsAsync(tenant, db, found.Value!.Action.ResponsibleUnitId, cancellationToken) ? found : ServiceError.Forbidden(OutsideUnits);
    }

    /// <summary>
    /// The action with its plan, for whoever sees the plan's unit or the action's responsible unit: the department that
    /// reports a committee's control sees that control, not the rest of the committee's plan.
    /// </summary>
    private async Task<ServiceResult<(ControlAction Action, ControlPlan Plan)>> LoadAsync(Guid actionId, bool tracked, CancellationToken cancellationToken)
    {
        var actions = tracked ? db.ControlActions : db.ControlActions.AsNoTracking();
        var action = await actions.Include(a => a.Results).Include(a => a.Measures).AsSplitQuery().SingleOrDefaultAsync(a => a.Id == actionId, cancellationToken);
        if (action is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        var plan = await db.ControlPlans.AsNoTracking().SingleAsync(p => p.Id == action.PlanId, cancellationToken);
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        return sees(plan.UnitId) || sees(action.ResponsibleUnitId) ? (action, plan) : ServiceError.NotFound(NotFound);
    }

    private static ServiceError? Check(VersionedControlMeasure doc, int? periodYear)
    {
        var errors = new ValidationErrors();
        InternalControlRules.CheckMeasure(errors, "", new ControlMeasureDoc(doc.Id, doc.PeriodKey, doc.Text, doc.Owner, doc.Deadline, doc.Status, doc.DoneOn),
            new PlanReferences(_ => true, _ => true, _ => periodYear));
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    /// <summary>Trimmed, and a measure marked done without a day is done today (Swedish time).</summary>
    private VersionedControlMeasure Normalised(VersionedControlMeasure input) => input with
    {
        Text = input.Text?.Trim() ?? "", Owner = Blank(input.Owner),
        DoneOn = input.Status == MeasureStatus.Done && input.DoneOn is null ? Deadlines.Today(clock) : input.DoneOn,
    };

    private static void Apply(ControlMeasure measure, VersionedControlMeasure doc) =>
        (measure.Text, measure.Owner, measure.Deadline, measure.Status, measure.DoneOn) = (doc.Text, doc.Owner, doc.Deadline, doc.Status, doc.DoneOn);

    private static VersionedControlMeasure Versioned(ControlMeasure m, string? periodKey) => new(m.Id, periodKey, m.Text, m.Owner, m.Deadline, m.Status, m.DoneOn, m.Version);

    private async Task<VersionedControlAction> ViewAsync(ControlAction action, ControlPlan plan, CancellationToken cancellationToken)
    {
        var keys = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key, cancellationToken);
        return new VersionedControlAction(ControlMapping.ToDoc(action, keys), action.Version)
        {
            PlanId = plan.Id, PlanUnitId = plan.UnitId, Year = plan.Year, PlanStatus = plan.Status,
            ResultVersions = action.Results.ToDictionary(r => keys[r.PeriodId], r => r.Version),
            MeasureVersions = action.Measures.ToDictionary(m => m.Id, m => m.Version),
        };
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
