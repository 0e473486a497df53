using Kedja.Data;
using Kedja.Domain.Budget;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Budget;

/// <summary>
/// A budget outcome as the tenant document describes it, with its own version: net cost so far this year and the
/// full-year forecast, tkr; with the forecast's comment and the explanation of the deviation from the frame (who gave it,
/// when). The explanation is written through its own PUT (<see cref="BudgetEditing.ExplainDeviationAsync"/>), so a PUT
/// of the outcome leaves it as it is.
/// </summary>
public sealed record VersionedBudgetOutcome(string PeriodKey, decimal Actual, decimal? Forecast, int? Version) : BudgetOutcomeDoc(PeriodKey, Actual, Forecast);

/// <summary>
/// A unit's budget frame for a year as the tenant document describes it, with its version: what GET gives and PUT
/// takes back. Its outcomes are read-only here (each is written through its own PUT, with its own version), so a PUT
/// of the frame leaves them as they are.
/// </summary>
public sealed record VersionedBudget(Guid UnitId, int Year, decimal Amount, string? Note, List<VersionedBudgetOutcome> Outcomes, int? Version)
{
    public BudgetDoc ToDoc() => new(UnitId, Year, Amount, Note, [.. (Outcomes ?? []).Select(o => new BudgetOutcomeDoc(o.PeriodKey, o.Actual, o.Forecast))]);
}

/// <summary>
/// What a person reports for a period: the outcome so far this year, the full-year forecast (tkr) and what the forecast
/// rests on, from the version read (none for a new one).
/// </summary>
/// <remarks>Takes what GET gives of an outcome (<see cref="VersionedBudgetOutcome"/>); its period is the route's; its explanation is read-only here.</remarks>
public sealed record BudgetOutcomeInput(decimal? Actual, decimal? Forecast, int? Version, string? ForecastComment = null);

/// <summary>Why the forecast deviates from the frame, from the outcome's version read.</summary>
public sealed record DeviationExplanationInput(string? Explanation, int? Version);

/// <summary>
/// Budget frames and their outcomes by the rules of <see cref="BudgetRules"/>, the same the document importer applies.
/// The frame (amount and note) is the council's decision, so only administrators set it; the outcome and forecast of a
/// period are reported like indicator outcomes: by editors for their own units and below, only while the unit's
/// follow-up of the period is open (ADR 24).
/// </summary>
public sealed partial class BudgetEditing(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string AdminsOnly = "Bara administratörer får ändra budgetramar.";

    public const string OutsideScope = "Du får bara rapportera budgetutfall för din egen enhet och enheterna under den.";

    public const string UnitMissing = "Enheten finns inte.";

    public static string NoFrame(int year) => $"Enheten har ingen budgetram för {year}. En administratör anger ramen först.";

    /// <summary>The frames of a unit, a year or both (all when neither is given), by unit and year.</summary>
    public async Task<List<VersionedBudget>> ListAsync(Guid? unitId, int? year, CancellationToken cancellationToken = default)
    {
        var frames = await db.RealBudgetFrames().AsNoTracking().Include(f => f.Outcomes)
            .Where(f => (unitId == null || f.UnitId == unitId) && (year == null || f.Year == year)).ToListAsync(cancellationToken);
        return [.. frames.OrderBy(f => TenantExporter.Key(f.UnitId)).ThenBy(f => f.Year).Select(Versioned)];
    }

    public async Task<ServiceResult<VersionedBudget>> GetAsync(Guid unitId, int year, CancellationToken cancellationToken = default)
    {
        var frame = await db.RealBudgetFrames().AsNoTracking().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unitId && f.Year == year, cancellationToken);
        return frame is null ? ServiceError.NotFound(NoFrame(year)) : Versioned(frame);
    }

    /// <summary>
    /// Sets the unit's frame for the year: creates it without a version, changes it with the version read. Outcomes in
    /// the input are ignored; they are reported per period (<see cref="RecordOutcomeAsync"/>).
    /// </summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedBudget>> SetFrameAsync(Guid unitId, int year, VersionedBudget input, ValidationErrors? unreadable = null,
        CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var doc = new BudgetDoc(unitId, year, input.Amount, string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), []);
        var errors = new ValidationErrors(unreadable);
        BudgetRules.CheckFrame(errors, "", doc, await ReferencesAsync(unitId, cancellationToken));
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        // A draft frame of a planned year is the planning's: 409 here, and no second frame beside it; a locked year's stands.
        if ((await BudgetWriteGate.LoadAsync(db, [unitId], [year], cancellationToken)).Frame(unitId, year) is { } refused)
        {
            return refused;
        }

        var frame = await db.RealBudgetFrames().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unitId && f.Year == year, cancellationToken);
        if (frame is null)
        {
            db.BudgetFrames.Add(frame = new BudgetFrame { UnitId = unitId, Year = year });
        }
        else if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Budgetramen finns redan. " + ServiceError.VersionToChange);
        }
        else
        {
            db.ExpectVersion(frame, input.Version.Value);
        }

        frame.Amount = doc.Amount;
        frame.Note = doc.Note;
        return await db.TrySaveAsync() ? Versioned(frame) : ServiceError.Conflict();
    }

    /// <summary>
    /// Records the outcome so far and the full-year forecast of a period: 404 for an unknown unit, a unit without a frame
    /// for the year or a period outside the calendar, 403 outside the editor's units, 409 while the unit's follow-up of
    /// the period is submitted, approved or locked, or when someone else changed the outcome since it was read.
    /// </summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedBudgetOutcome>> RecordOutcomeAsync(Guid unitId, int year, string periodKey, BudgetOutcomeInput input,
        ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken))
        {
            return ServiceError.NotFound(UnitMissing);
        }

        if (tenant.Role < TenantRole.Editor || !await UnitScope.AllowsAsync(tenant, db, unitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideScope);
        }

        var frame = await db.RealBudgetFrames().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unitId && f.Year == year, cancellationToken);
        if (frame is null)
        {
            return ServiceError.NotFound(NoFrame(year));
        }

        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var period = found.Value!;
        var errors = new ValidationErrors(unreadable);
        if (input.Actual is null)
        {
            errors.Add("actual", "Utfallet hittills i år måste anges.");
        }

        BudgetRules.CheckOutcome(errors, "", year, new BudgetOutcomeDoc(period.Key, input.Actual ?? 0, input.Forecast), _ => true, seen: null);
        BudgetRules.CheckForecastComment(errors, "", input.Forecast, input.ForecastComment);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, unitId, period, cancellationToken) is { } closed)
        {
            return closed;
        }

        var outcome = frame.Outcomes.SingleOrDefault(o => o.PeriodKey == period.Key);
        if (outcome is null)
        {
            frame.Outcomes.Add(outcome = new BudgetOutcome { FrameId = frame.Id, PeriodKey = period.Key });
        }
        else if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Utfallet finns redan. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }
        else
        {
            db.ExpectVersion(outcome, input.Version.Value);
        }

        outcome.Actual = input.Actual!.Value;
        outcome.Forecast = input.Forecast;
        outcome.ForecastComment = BudgetRules.Text(input.ForecastComment);
        return await db.TrySaveAsync() ? Versioned(outcome) : ServiceError.Conflict();
    }

    /// <summary>The years of the tenant's governance models, first and last of each: the years a frame may be set for.</summary>
    public async Task<List<(int First, int Last)>> ModelYearsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Models.AsNoTracking().Select(m => new { m.FirstYear, m.LastYear }).ToListAsync(cancellationToken)).Select(m => (m.FirstYear, m.LastYear)).Order()];

    private async Task<BudgetReferences> ReferencesAsync(Guid unitId, CancellationToken cancellationToken) =>
        new(await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken), await ModelYearsAsync(cancellationToken), _ => true);

    private static VersionedBudget Versioned(BudgetFrame f) =>
        new(f.UnitId, f.Year, DocumentNumbers.Normal(f.Amount), f.Note, [.. f.Outcomes.OrderBy(o => o.PeriodKey, StringComparer.Ordinal).Select(Versioned)], f.Version);

    internal static VersionedBudgetOutcome Versioned(BudgetOutcome o) =>
        new(o.PeriodKey, DocumentNumbers.Normal(o.Actual), o.Forecast is { } forecast ? DocumentNumbers.Normal(forecast) : null, o.Version)
        {
            ForecastComment = o.ForecastComment, DeviationExplanation = o.DeviationExplanation, ExplainedBy = o.ExplainedBy, ExplainedAt = o.ExplainedAt,
        };
}
