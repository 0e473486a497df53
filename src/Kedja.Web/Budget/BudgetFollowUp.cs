using Kedja.Domain.Budget;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Budget;

/// <summary>
/// A unit's budget as follow-up shows it (issue 16, ADR 47 section 7): the frame, the outcome to date and the full-year
/// forecast of its latest report up to a period, and the deviation (frame minus forecast: plus is a surplus, minus a
/// deficit) with its explanation.
/// </summary>
/// <param name="PeriodKey">The follow-up period of the report shown (the latest up to the period asked for); none before the first report.</param>
/// <param name="Deviation">Frame minus <see cref="BudgetPosition.Expected"/>; none without a forecast (or, at the year's end, an outcome).</param>
public sealed record BudgetCard(Guid UnitId, string UnitName, int Year, decimal Frame, string? PeriodKey, string? PeriodName, decimal? ActualToDate, decimal? Forecast,
    decimal? Deviation, string? ForecastComment, string? DeviationExplanation, string? ExplainedBy, DateTime? ExplainedAt)
{
    /// <summary>The forecast (or the year's outcome) is above the frame.</summary>
    public bool OverBudget => BudgetPosition.IsOver(Frame, Deviation, ActualToDate);
}

/// <summary>A frame to set in a batch (<see cref="BudgetEditing.SaveAllAsync"/>): created when the unit has none for the year, otherwise its amount replaced.</summary>
/// <param name="Note">Kept as it is when none is given (a finance system knows amounts, not the council's notes).</param>
public sealed record BudgetFrameEntry(Guid UnitId, int Year, decimal Amount, string? Note = null);

/// <summary>An outcome to record in a batch: created or replaced.</summary>
/// <param name="SetsForecast">False: the forecast and its comment stay as the unit gave them (a finance import knows the outcome, not the unit's forecast).</param>
public sealed record BudgetOutcomeEntry(Guid UnitId, int Year, string PeriodKey, decimal Actual, decimal? Forecast = null, string? ForecastComment = null, bool SetsForecast = false);

/// <summary>Many frames and outcomes written together, all or nothing.</summary>
public sealed record BudgetBatch(IReadOnlyList<BudgetFrameEntry> Frames, IReadOnlyList<BudgetOutcomeEntry> Outcomes);

/// <summary>What a batch wrote: rows created, rows changed, rows already as given.</summary>
public sealed record BudgetBatchResult(int FramesCreated, int FramesChanged, int OutcomesCreated, int OutcomesChanged, int Unchanged);

/// <summary>The deviation rule, once for the budget page, the card, the report and the start page.</summary>
public static class BudgetPosition
{
    /// <summary>
    /// What the year is expected to cost: the full-year forecast; without one, at the year's end, the year's outcome
    /// (which then is the whole year); otherwise nothing to compare.
    /// </summary>
    public static decimal? Expected(decimal? forecast, decimal? actual, bool closesYear) => forecast ?? (closesYear ? actual : null);

    /// <summary>
    /// Over budget: the expected cost is above the frame, or (without a forecast) the outcome so far already is. The
    /// outcome to date is not compared with a pro-rata share of the frame: costs do not fall evenly over the year
    /// (holiday pay, winter roads, grants paid in spring), so a pro-rata rule would list units that will end on budget.
    /// </summary>
    public static bool IsOver(decimal frame, decimal? deviation, decimal? actual) => deviation is { } d ? d < 0 : actual > frame;

    /// <summary>The latest outcome reported up to a period's end (a tertial report shows the year to date).</summary>
    public static BudgetOutcome? LatestUpTo(IEnumerable<BudgetOutcome> outcomes, PeriodRef? end) =>
        outcomes.Select(o => (Outcome: o, Ok: PeriodRef.TryParse(o.PeriodKey, out var p), Ref: p))
            .Where(x => x.Ok && (end is null || x.Ref.End <= end.Value.End)).OrderBy(x => x.Ref).Select(x => x.Outcome).LastOrDefault();
}

public sealed partial class BudgetEditing
{
    public const string NoOutcome = "Det finns inget budgetutfall för perioden att förklara. Rapportera utfall och prognos först.";

    /// <summary>
    /// Records why the period's forecast deviates from the frame, with who and when: the unit's editors and
    /// administrators, only while the unit's follow-up of the period is open, from the outcome's version read. 404 for an
    /// unknown unit, frame or outcome; 403 outside the editor's units; 409 when closed or changed since read.
    /// </summary>
    public async Task<ServiceResult<VersionedBudgetOutcome>> ExplainDeviationAsync(Guid unitId, int year, string periodKey, DeviationExplanationInput input,
        CancellationToken cancellationToken = default)
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
        if (frame.Outcomes.SingleOrDefault(o => o.PeriodKey == period.Key) is not { } outcome)
        {
            return ServiceError.NotFound(NoOutcome);
        }

        var errors = new ValidationErrors();
        BudgetRules.CheckExplanation(errors, "", frame.Amount, outcome.Forecast, input.Explanation);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, unitId, period, cancellationToken) is { } closed)
        {
            return closed;
        }

        db.ExpectVersion(outcome, input.Version!.Value);
        var text = BudgetRules.Text(input.Explanation);
        if (text != outcome.DeviationExplanation)
        {
            (outcome.DeviationExplanation, outcome.ExplainedBy, outcome.ExplainedAt) = (text, actor.Name, clock.GetUtcNow().UtcDateTime);
        }

        return await db.TrySaveAsync() ? Versioned(outcome) : ServiceError.Conflict();
    }

    /// <summary>
    /// Sets many frames and records many outcomes in one transaction, all or nothing, by the rules of
    /// <see cref="SetFrameAsync"/> and <see cref="RecordOutcomeAsync"/> (frames: administrators; outcomes: the unit's
    /// editors, periods of the calendar within the year whose follow-up is open for the unit). Every problem is named by
    /// its row (<c>frames[3].amount</c>, <c>outcomes[12].periodKey</c>); nothing is saved while one remains. The rows
    /// carry no versions: the batch states what the source (a finance file) says now, and a change someone else saves
    /// between reading and writing still refuses the whole batch (409). An outcome may name a frame set in the same batch.
    /// </summary>
    public async Task<ServiceResult<BudgetBatchResult>> SaveAllAsync(BudgetBatch batch, CancellationToken cancellationToken = default) =>
        await SaveAllAsync(batch, save: true, cancellationToken);

    /// <summary>What <see cref="SaveAllAsync"/> would refuse or write, without saving (a preview).</summary>
    public async Task<ServiceResult<BudgetBatchResult>> CheckAllAsync(BudgetBatch batch, CancellationToken cancellationToken = default) =>
        await SaveAllAsync(batch, save: false, cancellationToken);

    private async Task<ServiceResult<BudgetBatchResult>> SaveAllAsync(BudgetBatch batch, bool save, CancellationToken cancellationToken)
    {
        if (batch.Frames.Count > 0 && tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        if (batch.Outcomes.Count > 0 && tenant.Role < TenantRole.Editor)
        {
            return ServiceError.Forbidden(OutsideScope);
        }

        var unitIds = batch.Frames.Select(f => f.UnitId).Concat(batch.Outcomes.Select(o => o.UnitId)).Distinct().ToList();
        var years = batch.Frames.Select(f => f.Year).Concat(batch.Outcomes.Select(o => o.Year)).Distinct().ToList();
        var units = (await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var allowed = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var modelYears = await ModelYearsAsync(cancellationToken);
        var frames = (await db.RealBudgetFrames().Include(f => f.Outcomes).Where(f => unitIds.Contains(f.UnitId) && years.Contains(f.Year)).ToListAsync(cancellationToken))
            .ToDictionary(f => (f.UnitId, f.Year));

        // A planned year's draft frame is the planning's: the batch neither changes it nor sets a second frame beside it.
        var gate = await BudgetWriteGate.LoadAsync(db, unitIds, years, cancellationToken);
        var calendar = (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(p => p.Key, StringComparer.Ordinal);
        var states = await WorkflowGuard.LoadAsync(db, unitIds, cancellationToken);
        var errors = new ValidationErrors();
        var (framesCreated, framesChanged, outcomesCreated, outcomesChanged, unchanged) = (0, 0, 0, 0, 0);

        var seenFrames = new HashSet<(Guid, int)>();
        foreach (var (entry, i) in batch.Frames.Select((f, i) => (f, i)))
        {
            var path = $"frames[{i}]";
            var before = errors.Count;
            var doc = new BudgetDoc(entry.UnitId, entry.Year, entry.Amount, BudgetRules.Text(entry.Note), []);
            BudgetRules.CheckFrame(errors, path, doc, new BudgetReferences(units.Contains(entry.UnitId), modelYears, _ => true));
            if (gate.Draft(entry.UnitId, entry.Year) is { } draft)
            {
                errors.Add($"{path}.year", draft.Message);
            }

            if (!seenFrames.Add((entry.UnitId, entry.Year)))
            {
                errors.Add($"{path}.unitId", $"Ramen för enheten och {entry.Year} finns redan i uppgifterna.");
            }

            if (errors.Count > before)
            {
                continue;
            }

            // A locked year's frame stands as reported (review 16, finding 9).
            var existing = frames.GetValueOrDefault((entry.UnitId, entry.Year));
            if ((existing is null || existing.Amount != entry.Amount || (doc.Note is not null && doc.Note != existing.Note))
                && gate.Locked(entry.UnitId, entry.Year) is { } locked)
            {
                errors.Add($"{path}.year", locked.Message);
                continue;
            }

            if (!frames.TryGetValue((entry.UnitId, entry.Year), out var frame))
            {
                frames[(entry.UnitId, entry.Year)] = frame = new BudgetFrame { UnitId = entry.UnitId, Year = entry.Year, Amount = entry.Amount, Note = doc.Note };
                db.BudgetFrames.Add(frame);
                framesCreated++;
            }
            else if (frame.Amount == entry.Amount && (doc.Note is null || doc.Note == frame.Note))
            {
                unchanged++;
            }
            else
            {
                (frame.Amount, frame.Note) = (entry.Amount, doc.Note ?? frame.Note);
                framesChanged++;
            }
        }

        var seenOutcomes = new HashSet<(Guid, string)>();
        foreach (var (entry, i) in batch.Outcomes.Select((o, i) => (o, i)))
        {
            var path = $"outcomes[{i}]";
            if (!units.Contains(entry.UnitId))
            {
                errors.Add($"{path}.unitId", $"Enheten {entry.UnitId} finns inte.");
                continue;
            }

            if (!allowed(entry.UnitId))
            {
                errors.Add($"{path}.unitId", OutsideScope);
                continue;
            }

            if (!frames.TryGetValue((entry.UnitId, entry.Year), out var frame))
            {
                errors.Add($"{path}.year", NoFrame(entry.Year));
                continue;
            }

            var before = errors.Count;
            BudgetRules.CheckOutcome(errors, path, entry.Year, new BudgetOutcomeDoc(entry.PeriodKey, entry.Actual, entry.Forecast), calendar.ContainsKey, seen: null);
            if (entry.SetsForecast)
            {
                BudgetRules.CheckForecastComment(errors, path, entry.Forecast, entry.ForecastComment);
            }

            if (!seenOutcomes.Add((frame.UnitId, $"{entry.Year}/{entry.PeriodKey}")))
            {
                errors.Add($"{path}.periodKey", $"Utfallet för {entry.PeriodKey} finns redan i uppgifterna.");
            }

            if (errors.Count > before)
            {
                continue;
            }

            if (states.Check(entry.UnitId, calendar[entry.PeriodKey]) is { } closed)
            {
                errors.Add($"{path}.periodKey", closed.Message);
                continue;
            }

            var outcome = frame.Outcomes.SingleOrDefault(o => o.PeriodKey == entry.PeriodKey);
            var (forecast, comment) = entry.SetsForecast ? (entry.Forecast, BudgetRules.Text(entry.ForecastComment)) : (outcome?.Forecast, outcome?.ForecastComment);
            if (outcome is null)
            {
                frame.Outcomes.Add(new BudgetOutcome { FrameId = frame.Id, PeriodKey = entry.PeriodKey, Actual = entry.Actual, Forecast = forecast, ForecastComment = comment });
                outcomesCreated++;
            }
            else if (outcome.Actual == entry.Actual && outcome.Forecast == forecast && outcome.ForecastComment == comment)
            {
                unchanged++;
            }
            else
            {
                (outcome.Actual, outcome.Forecast, outcome.ForecastComment) = (entry.Actual, forecast, comment);
                outcomesChanged++;
            }
        }

        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return ServiceError.Invalid(errors);
        }

        var result = new BudgetBatchResult(framesCreated, framesChanged, outcomesCreated, outcomesChanged, unchanged);
        if (!save)
        {
            db.ChangeTracker.Clear();
            return result;
        }

        // One SaveChanges: one transaction, so the batch is written whole or not at all.
        return await db.TrySaveAsync() ? result : ServiceError.Conflict();
    }

    /// <summary>
    /// The unit's budget card for a follow-up period: the frame of the period's year and the latest report up to the
    /// period's end. 404 for an unknown unit or period, or a unit without a frame that year.
    /// </summary>
    public async Task<ServiceResult<BudgetCard>> CardAsync(Guid unitId, string periodKey, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Id, u.Name }).SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound(UnitMissing);
        }

        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        // A locked follow-up shows the budget as it was reported (review 16, finding 9).
        if (await Periods.LockedScorecards.ReportedBudgetAsync(db, unitId, found.Value!, cancellationToken) is { } reported)
        {
            return reported;
        }

        return await LiveCardAsync(unitId, found.Value!, cancellationToken);
    }

    /// <summary>The budget card as the frame and the outcomes read now, whatever the follow-up's state (what a locked card keeps).</summary>
    public async Task<ServiceResult<BudgetCard>> LiveCardAsync(Guid unitId, FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Id, u.Name }).SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound(UnitMissing);
        }

        var frame = await db.RealBudgetFrames().AsNoTracking().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unitId && f.Year == period.Year, cancellationToken);
        if (frame is null)
        {
            return ServiceError.NotFound(NoFrame(period.Year));
        }

        var names = await db.Periods.AsNoTracking().Where(p => p.Year == period.Year).ToDictionaryAsync(p => p.Key, p => p.Name, cancellationToken);
        return Card(unit.Id, unit.Name, frame, BudgetPosition.LatestUpTo(frame.Outcomes, period.Ref), names);
    }

    /// <summary>
    /// For administrators' start page: the units whose latest report of the year is over budget
    /// (<see cref="BudgetPosition.IsOver"/>) and whose deviation has no explanation, largest overrun first. The year is
    /// that of the period being followed up now; other roles get none.
    /// </summary>
    public async Task<List<BudgetCard>> OverBudgetUnexplainedAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin && !tenant.IsSystemAdmin)
        {
            return [];
        }

        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        if (FollowUpCalendar.FindOrCurrent(calendar, null, clock).Value is not { } current)
        {
            return [];
        }

        var frames = await db.RealBudgetFrames().AsNoTracking().Include(f => f.Outcomes).Where(f => f.Year == current.Year).ToListAsync(cancellationToken);
        var names = calendar.Where(p => p.Year == current.Year).ToDictionary(p => p.Key, p => p.Name);
        var ids = frames.Select(f => f.UnitId).ToList();
        var units = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. frames.Where(f => units.ContainsKey(f.UnitId))
            .Select(f => Card(f.UnitId, units[f.UnitId], f, BudgetPosition.LatestUpTo(f.Outcomes, null), names))
            .Where(c => c.OverBudget && c.DeviationExplanation is null)
            .OrderBy(c => c.Deviation ?? c.Frame - c.ActualToDate).ThenBy(c => c.UnitName, StringComparer.Create(Ui.Language.Formats, false))];
    }

    private static BudgetCard Card(Guid unitId, string unitName, BudgetFrame frame, BudgetOutcome? latest, IReadOnlyDictionary<string, string> periodNames)
    {
        var closesYear = latest is not null && PeriodRef.TryParse(latest.PeriodKey, out var p) && p.ClosesYear;
        var expected = BudgetPosition.Expected(latest?.Forecast, latest?.Actual, closesYear);
        var name = latest is null ? null : periodNames.TryGetValue(latest.PeriodKey, out var n) ? n : PeriodRef.Parse(latest.PeriodKey).Label;
        return new BudgetCard(unitId, unitName, frame.Year, DocumentNumbers.Normal(frame.Amount), latest?.PeriodKey, name, latest is null ? null : DocumentNumbers.Normal(latest.Actual),
            latest?.Forecast is { } f ? DocumentNumbers.Normal(f) : null, expected is { } e ? DocumentNumbers.Normal(frame.Amount - e) : null,
            latest?.ForecastComment, latest?.DeviationExplanation, latest?.ExplainedBy, latest?.ExplainedAt);
    }
}
