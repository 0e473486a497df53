using System.Globalization;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Indicators.Pages;

/// <summary>
/// A unit's outcomes for a period in one grid: every indicator of the unit that is due then, last year's value beside
/// it, many saved at once through <see cref="OutcomeRecording.RecordAllAsync"/> (all or nothing, the same rules as the
/// API). Figures in Swedish (decimal comma). Nothing typed is lost: a refused save shows the form again as typed, each
/// error beside its field, and another person's newer value beside one's own.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class OutcomesModel(TenantContext tenant, KedjaDbContext db, OutcomeRecording recording, Forecasts.ForecastRecording forecasting, TimeProvider clock,
    IStringLocalizer<Texts> text) : PageModel
{
    public sealed class Row
    {
        public Guid IndicatorId { get; set; }

        public string PeriodKey { get; set; } = "";

        public int? Version { get; set; }

        public string? Value { get; set; }

        public string? Women { get; set; }

        public string? Men { get; set; }

        public string? Comment { get; set; }

        /// <summary>As read with the form, to save only what was changed.</summary>
        public string? Original { get; set; }
    }

    /// <summary>What a row shows besides what is typed in it.</summary>
    /// <param name="Target">The period's target as the engine reads it (the period's own, else the year's); a range as "min–max".</param>
    public sealed record RowFacts(string Name, string Unit, string? Goal, bool SplitByGender, string? LastYear, string? Error, string? Theirs, string Target = "–");

    /// <summary>A full-year forecast typed in the grid (issue 16): saved with the outcomes, all or nothing.</summary>
    public sealed class ForecastRow
    {
        public Guid IndicatorId { get; set; }

        public int? Version { get; set; }

        public string? Value { get; set; }

        public string? Women { get; set; }

        public string? Men { get; set; }

        public string? Comment { get; set; }

        public string? Original { get; set; }
    }

    /// <param name="YearTarget">The year's target the forecast is measured against; a range as "min–max".</param>
    /// <param name="Said">The forecast's status and explanation as saved, null before there is one.</param>
    public sealed record ForecastFacts(string Name, string Unit, bool SplitByGender, string YearTarget, Forecasts.ForecastDto? Said, string? Error = null, string? Theirs = null);

    public TenantContext Tenant => tenant;

    public string UnitName { get; private set; } = "";

    public FollowUpPeriod? Period { get; private set; }

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    [BindProperty]
    public List<Row> Rows { get; set; } = [];

    public List<RowFacts> Facts { get; private set; } = [];

    [BindProperty]
    public List<ForecastRow> Forecasts { get; set; } = [];

    public List<ForecastFacts> ForecastInfo { get; private set; } = [];

    public bool CanEdit { get; private set; }

    /// <summary>The unit's follow-up of the period when it is no longer open: the grid is read-only then.</summary>
    public WorkflowState? Closed { get; private set; }

    public string? Error { get; private set; }

    public string? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid unitId, [FromQuery(Name = "period")] string? periodKey, [FromQuery(Name = "sparat")] int? saved,
        [FromQuery(Name = "prognoser")] int? forecastsSaved)
    {
        if (!await LoadAsync(unitId, periodKey))
        {
            return Page();
        }

        Rows = [.. Current.Select(c => c.Row)];
        Facts = [.. Current.Select(c => c.Facts)];
        Forecasts = [.. CurrentForecasts.Select(c => c.Row)];
        ForecastInfo = [.. CurrentForecasts.Select(c => c.Facts)];
        Saved = string.Join(" ", new[] { saved is > 0 ? text["Outcomes.Saved", saved].Value : null, forecastsSaved is > 0 ? text[forecastsSaved == 1 ? "Forecast.SavedOne" : "Forecast.Saved", forecastsSaved].Value : null }
            .Where(x => x is not null));
        Saved = Saved.Length == 0 ? null : Saved;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid unitId, [FromQuery(Name = "period")] string? periodKey)
    {
        if (!await LoadAsync(unitId, periodKey))
        {
            return Page();
        }

        if (tenant.Role < TenantRole.Editor)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = text["Outcomes.ReadOnly"];
            Rows = [.. Current.Select(c => c.Row)];
            Facts = [.. Current.Select(c => c.Facts)];
            Forecasts = [.. CurrentForecasts.Select(c => c.Row)];
            ForecastInfo = [.. CurrentForecasts.Select(c => c.Facts)];
            return Page();
        }

        // Only the rows of this grid, as read: a posted row for another indicator or period is not this form's.
        var known = Current.ToDictionary(c => (c.Row.IndicatorId, c.Row.PeriodKey));
        var posted = Rows.Where(r => known.ContainsKey((r.IndicatorId, r.PeriodKey))).ToList();
        var errors = new Dictionary<int, string>();
        var entries = new List<(int Row, OutcomeEntry Entry)>();
        for (var i = 0; i < posted.Count; i++)
        {
            var row = posted[i];
            if (Fingerprint(row) == row.Original)
            {
                continue;
            }

            var (value, women, men) = (Domain.SwedishFormat.Read(row.Value), Domain.SwedishFormat.Read(row.Women), Domain.SwedishFormat.Read(row.Men));
            if (value.Bad || women.Bad || men.Bad)
            {
                errors[i] = text["Outcomes.NotANumber"];
                continue;
            }

            entries.Add((i, new OutcomeEntry(row.IndicatorId, row.PeriodKey, value.Number, women.Number, men.Number, string.IsNullOrWhiteSpace(row.Comment) ? null : row.Comment.Trim(), row.Version)));
        }

        var knownForecasts = CurrentForecasts.ToDictionary(c => c.Row.IndicatorId);
        var postedForecasts = Forecasts.Where(r => knownForecasts.ContainsKey(r.IndicatorId)).DistinctBy(r => r.IndicatorId).ToList();
        var forecastErrors = new Dictionary<int, string>();
        var forecastEntries = new List<(int Row, Forecasts.ForecastEntry Entry)>();
        for (var i = 0; i < postedForecasts.Count; i++)
        {
            var row = postedForecasts[i];
            if (Fingerprint(row) == row.Original)
            {
                continue;
            }

            var (value, women, men) = (Domain.SwedishFormat.Read(row.Value), Domain.SwedishFormat.Read(row.Women), Domain.SwedishFormat.Read(row.Men));
            if (value.Bad || women.Bad || men.Bad)
            {
                forecastErrors[i] = text["Outcomes.NotANumber"];
                continue;
            }

            forecastEntries.Add((i, new Forecasts.ForecastEntry(row.IndicatorId, Period!.Key, value.Number, women.Number, men.Number,
                string.IsNullOrWhiteSpace(row.Comment) ? null : row.Comment.Trim(), row.Version)));
        }

        void BesideForecasts(ServiceError error)
        {
            foreach (var (key, messages) in error.Errors ?? new Dictionary<string, string[]>())
            {
                if (key.StartsWith('[') && int.TryParse(key[1..key.IndexOf(']')], out var index) && index < forecastEntries.Count)
                {
                    forecastErrors[forecastEntries[index].Row] = string.Join(" ", messages);
                }
            }
        }

        // "[3].value": the third entry sent, which is a row of the grid.
        void Beside(ServiceError error)
        {
            foreach (var (key, messages) in error.Errors ?? new Dictionary<string, string[]>())
            {
                if (key.StartsWith('[') && int.TryParse(key[1..key.IndexOf(']')], out var index) && index < entries.Count)
                {
                    errors[entries[index].Row] = string.Join(" ", messages);
                }
            }
        }

        Rows = posted;
        Forecasts = postedForecasts;
        var ct = HttpContext.RequestAborted;
        if (errors.Count + forecastErrors.Count > 0)
        {
            // The rows that could be read are checked too, so that every error shows in this round (ADR 28).
            if (entries.Count > 0 && await recording.CheckAllAsync([.. entries.Select(e => e.Entry)], ct) is { } alsoWrong)
            {
                Beside(alsoWrong);
            }

            if (forecastEntries.Count > 0 && await forecasting.CheckAllAsync([.. forecastEntries.Select(e => e.Entry)], ct) is { } forecastsWrong)
            {
                BesideForecasts(forecastsWrong);
            }
        }

        if (errors.Count + forecastErrors.Count == 0 && entries.Count + forecastEntries.Count > 0)
        {
            // Outcomes and forecasts are saved together or not at all.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var error = entries.Count == 0 ? null : (await recording.RecordAllAsync([.. entries.Select(e => e.Entry)], ct)).Error;
            if (error is not null)
            {
                Beside(error);
            }
            else if (forecastEntries.Count > 0 && await forecasting.RecordAllAsync([.. forecastEntries.Select(e => e.Entry)], ct) is { } forecastError)
            {
                error = forecastError;
                BesideForecasts(forecastError);
            }

            if (error is null)
            {
                await transaction.CommitAsync(ct);
                return LocalRedirect($"/k/{tenant.Slug}/utfall/{unitId}?period={Period!.Key}&sparat={entries.Count}&prognoser={forecastEntries.Count}");
            }

            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
            if (error.Kind == ServiceErrorKind.Conflict)
            {
                // Said beside each row concerned; the API's "fetch it again" would throw away what was typed.
                Error = text["Outcomes.NotSaved"];
                await MarkConflictsAsync(errors);
                await MarkForecastConflictsAsync(forecastErrors);
            }
        }
        else if (errors.Count + forecastErrors.Count > 0)
        {
            Error = text["Outcomes.NotSaved"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Facts = [.. Rows.Select((r, i) => known[(r.IndicatorId, r.PeriodKey)].Facts with { Error = errors.GetValueOrDefault(i), Theirs = theirs.GetValueOrDefault(i) })];
        ForecastInfo = [.. Forecasts.Select((r, i) => knownForecasts[r.IndicatorId].Facts with { Error = forecastErrors.GetValueOrDefault(i), Theirs = theirForecasts.GetValueOrDefault(i) })];
        return Page();
    }

    /// <summary>Another person saved some of these forecasts since the form was read: as <see cref="MarkConflictsAsync"/>.</summary>
    private async Task MarkForecastConflictsAsync(Dictionary<int, string> errors)
    {
        var ids = Forecasts.Select(r => r.IndicatorId).ToList();
        var now = await db.IndicatorForecasts.AsNoTracking().Where(f => f.PeriodId == Period!.Id && ids.Contains(f.IndicatorId)).ToDictionaryAsync(f => f.IndicatorId);
        for (var i = 0; i < Forecasts.Count; i++)
        {
            var row = Forecasts[i];
            var forecast = now.GetValueOrDefault(row.IndicatorId);
            if (forecast?.Version != row.Version)
            {
                theirForecasts[i] = forecast is null ? text["Forecast.Removed"] : text["Outcomes.Theirs", Figure(forecast.Value), forecast.RecordedBy,
                    Language.InSweden(forecast.RecordedAt).ToString("d MMM HH:mm", Language.Formats)];
                errors[i] = text["Outcomes.Conflict"];
                row.Version = forecast?.Version;
            }
        }
    }

    private readonly Dictionary<int, string> theirForecasts = [];

    /// <summary>
    /// Another person saved some of these outcomes since the form was read: their value goes beside the typed one, and
    /// the row takes their version, so that saving again overwrites it knowingly.
    /// </summary>
    private async Task MarkConflictsAsync(Dictionary<int, string> errors)
    {
        var ids = Rows.Select(r => r.IndicatorId).ToList();
        var keys = Rows.Select(r => r.PeriodKey).Distinct().ToList();
        var now = await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.IndicatorId) && keys.Contains(o.PeriodKey)).ToDictionaryAsync(o => (o.IndicatorId, o.PeriodKey));
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (now.TryGetValue((row.IndicatorId, row.PeriodKey), out var outcome) && outcome.Version != row.Version)
            {
                theirs[i] = text["Outcomes.Theirs", Figure(outcome.Value), outcome.RecordedBy, Language.InSweden(outcome.RecordedAt).ToString("d MMM HH:mm", Language.Formats)];
                errors[i] = text["Outcomes.Conflict"];
                row.Version = outcome.Version;
            }
        }
    }

    /// <summary>Another person's newer value per row of the grid, after a refused save.</summary>
    private readonly Dictionary<int, string> theirs = [];

    private List<(Row Row, RowFacts Facts)> Current { get; set; } = [];

    private List<(ForecastRow Row, ForecastFacts Facts)> CurrentForecasts { get; set; } = [];

    /// <summary>The unit, the period and the grid's rows as the database has them; false (with the error) when there is no such grid.</summary>
    private async Task<bool> LoadAsync(Guid unitId, string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == unitId, ct);
        var calendar = await db.Periods.AsNoTracking().ToListAsync(ct);
        var found = FollowUpCalendar.FindOrCurrent(calendar, periodKey, clock);
        if (unit is null || found.Value is null)
        {
            Error = unit is null ? "Enheten finns inte." : found.Error!.Message;
            Response.StatusCode = unit is null || found.Error!.Kind == ServiceErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return false;
        }

        UnitName = unit.Name;
        Period = found.Value;
        Periods = [.. calendar.OrderByDescending(p => p.StartDate).Select(p => (p.Key, p.Name))];
        CanEdit = tenant.Role >= TenantRole.Editor && await UnitScope.AllowsAsync(tenant, db, unitId, ct);
        var state = await WorkflowGuard.StateAsync(db, unitId, Period.Key, ct);
        if (!PeriodWorkflow.AllowsChanges(state))
        {
            (Closed, CanEdit) = (state, false);
        }


        // The unit's indicators due in the period: those whose own periods end within it (a yearly one in the last tertial).
        // Issue 16 (h142): a forecast-only period (prognostillfälle) asks for forecasts, never for outcomes.
        // A delår only as the calendar has it (its month is the municipality's choice).
        List<PeriodRef> within = Period.Kind == PeriodKind.Forecast ? [] : [.. Period.Ref.PeriodsEndingWithin().Where(p => FollowUpCalendar.IsItsDelar(p, calendar))];
        var indicators = await db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == unitId).ToListAsync(ct);
        var goalIds = indicators.Where(i => i.GoalId != null).Select(i => i.GoalId!.Value).Distinct().ToList();
        var goals = goalIds.Count == 0 ? [] : await db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Title, ct);
        var due = indicators.SelectMany(i => within.Where(p => p.Kind == i.Periodicity).Select(p => (Indicator: i, Key: p.Key, LastYear: (p with { Year = p.Year - 1 }).Key)))
            .OrderBy(x => x.Indicator.GoalId is { } g ? goals.GetValueOrDefault(g) ?? "" : "\uffff", StringComparer.Create(Language.Formats, false))
            .ThenBy(x => x.Indicator.SortOrder).ThenBy(x => x.Indicator.Name).ToList();
        var ids = due.Select(d => d.Indicator.Id).Distinct().ToList();
        var keys = due.SelectMany(d => new[] { d.Key, d.LastYear }).Distinct().ToList();
        var outcomes = ids.Count == 0 ? [] : await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.IndicatorId) && keys.Contains(o.PeriodKey)).ToDictionaryAsync(o => (o.IndicatorId, o.PeriodKey), ct);
        var targetKeys = due.SelectMany(d => new[] { d.Key, PeriodRef.ForYear(PeriodRef.Parse(d.Key).Year).Key }).Distinct().ToList();
        var targets = ids.Count == 0 ? [] : await db.Targets.AsNoTracking().Where(t => ids.Contains(t.IndicatorId) && targetKeys.Contains(t.PeriodKey)).ToDictionaryAsync(t => (t.IndicatorId, t.PeriodKey), ct);
        Current = [.. due.Select(d =>
        {
            var now = outcomes.GetValueOrDefault((d.Indicator.Id, d.Key));
            var row = new Row
            {
                IndicatorId = d.Indicator.Id, PeriodKey = d.Key, Version = now?.Version, Value = Figure(now?.Value, ""), Women = Figure(now?.ValueWomen, ""),
                Men = Figure(now?.ValueMen, ""), Comment = now?.Comment,
            };
            row.Original = Fingerprint(row);
            var goal = d.Indicator.GoalId is { } g ? goals.GetValueOrDefault(g) : null;
            return (row, new RowFacts(d.Indicator.Name, d.Indicator.UnitOfMeasure, goal, d.Indicator.SplitByGender,
                Figure(outcomes.GetValueOrDefault((d.Indicator.Id, d.LastYear))?.Value), null, null, TargetOf(d.Indicator, d.Key, targets)));
        })];
        await LoadForecastsAsync(indicators, goals, ct);
        return true;
    }

    /// <summary>The unit's indicators that take a full-year forecast in the period's year, whether or not an outcome falls due in it (issue 16).</summary>
    private async Task LoadForecastsAsync(List<Indicator> indicators, Dictionary<Guid, string> goals, CancellationToken ct)
    {
        var period = Period!;
        var models = await db.Models.AsNoTracking().Include(m => m.Scale).Where(m => m.FirstYear <= period.Year && m.LastYear >= period.Year).OrderBy(m => m.FirstYear)
            .ToListAsync(ct);
        var taking = indicators.Where(i => Kedja.Web.Forecasts.ForecastReading.Takes(i, models, period.Year))
            .OrderBy(i => i.GoalId is { } g ? goals.GetValueOrDefault(g) ?? "" : "\uffff", StringComparer.Create(Language.Formats, false))
            .ThenBy(i => i.SortOrder).ThenBy(i => i.Name).ToList();
        if (taking.Count == 0)
        {
            return;
        }

        var ids = taking.Select(i => i.Id).ToList();
        var forecasts = await db.IndicatorForecasts.AsNoTracking().Where(f => f.PeriodId == period.Id && ids.Contains(f.IndicatorId)).ToDictionaryAsync(f => f.IndicatorId, ct);
        var keys = taking.SelectMany(i => Domain.FollowUp.ForecastEvaluator.TargetKeys(i.Periodicity, period.Year)).Distinct().ToList();
        var targets = (await db.Targets.AsNoTracking().Where(t => ids.Contains(t.IndicatorId) && keys.Contains(t.PeriodKey)).ToListAsync(ct)).ToLookup(t => t.IndicatorId);
        var goalModels = await db.Goals.AsNoTracking().Where(g => goals.Keys.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.ModelId, ct);
        CurrentForecasts = [.. taking.Select(i =>
        {
            var now = forecasts.GetValueOrDefault(i.Id);
            var row = new ForecastRow
            {
                IndicatorId = i.Id, Version = now?.Version, Value = Figure(now?.Value, ""), Women = Figure(now?.ValueWomen, ""), Men = Figure(now?.ValueMen, ""),
                Comment = now?.Comment,
            };
            row.Original = Fingerprint(row);
            var model = (i.GoalId is { } g && goalModels.TryGetValue(g, out var m) ? models.FirstOrDefault(x => x.Id == m) : null) ?? models.FirstOrDefault();
            var said = now is null ? null
                : Kedja.Web.Forecasts.ForecastReading.Read(now, i, [.. targets[i.Id]], model, model is null ? Domain.FollowUp.FulfilmentScale.Standard : Kedja.Web.Forecasts.ForecastReading.ScaleOf(model));
            var yearTargets = targets[i.Id].ToDictionary(t => t.PeriodKey, t => new Domain.FollowUp.TargetFacts(t.Value, t.Min, t.Max));
            return (row, new ForecastFacts(i.Name, i.UnitOfMeasure, i.SplitByGender, YearTargetOf(i, yearTargets, period.Year), said));
        })];
    }

    /// <summary>The year's target as <see cref="Domain.FollowUp.ForecastEvaluator.YearTarget"/> finds it; nothing for a neutral indicator.</summary>
    private static string YearTargetOf(Indicator indicator, Dictionary<string, Domain.FollowUp.TargetFacts> targets, int year)
    {
        if (indicator.Direction == Direction.Neutral)
        {
            return "–";
        }

        var facts = new Domain.FollowUp.IndicatorFacts(indicator.Id, indicator.Name, indicator.Direction, indicator.Periodicity, new Dictionary<string, decimal?>(), targets);
        var target = Domain.FollowUp.ForecastEvaluator.YearTarget(facts, year);
        return target is null ? "–"
            : indicator.Direction == Direction.TargetRange ? $"{Figure(target.Min ?? target.Value)}–{Figure(target.Max ?? target.Value)}"
            : Figure(target.Value);
    }

    /// <summary>
    /// The target the outcome is measured against, found as the engine finds it: the period's own target, else the one
    /// for its year. Nothing for an indicator that is followed without judging.
    /// </summary>
    private static string TargetOf(Indicator indicator, string periodKey, Dictionary<(Guid, string), IndicatorTarget> targets)
    {
        if (indicator.Direction == Direction.Neutral)
        {
            return "–";
        }

        var target = targets.GetValueOrDefault((indicator.Id, periodKey)) ?? targets.GetValueOrDefault((indicator.Id, PeriodRef.ForYear(PeriodRef.Parse(periodKey).Year).Key));
        return target is null ? "–"
            : indicator.Direction == Direction.TargetRange ? $"{Figure(target.Min ?? target.Value)}–{Figure(target.Max ?? target.Value)}"
            : Figure(target.Value);
    }

    private static string Fingerprint(Row row) => string.Join("\u001f", Clean(row.Value), Clean(row.Women), Clean(row.Men), (row.Comment ?? "").Trim());

    private static string Fingerprint(ForecastRow row) => string.Join("\u001f", Clean(row.Value), Clean(row.Women), Clean(row.Men), (row.Comment ?? "").Trim());

    private static string Clean(string? figure) => (figure ?? "").Replace(" ", "").Replace("\u00a0", "").Replace("\u202f", "").Trim();

    public static string Figure(decimal? value, string none = "–") => value is { } v ? v.ToString("0.############", Language.Formats) : none;
}
