using System.Globalization;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Indicators.Pages;

/// <summary>
/// A new indicator of a goal (<c>/indikator/ny?mal=</c>) or a program (<c>?program=</c>), and an indicator's changes
/// (<c>/indikator/{id}/andra</c>): everything the tenant document holds of it, and its targets as a table with a row per
/// period of the model's years (decimal comma; lower and upper bounds when it has a target range). Saved and removed by
/// <see cref="IndicatorEditing"/>, as the API does; a stale version keeps what was typed and shows the other person's values.
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class IndicatorEditModel(TenantContext tenant, KedjaDbContext db, IndicatorEditing indicators, TenantExporter exporter, TimeProvider clock,
    IStringLocalizer<Texts> text) : FormPage
{
    public sealed class TargetRow
    {
        public string PeriodKey { get; set; } = "";

        public string? Value { get; set; }

        public string? Min { get; set; }

        public string? Max { get; set; }

        public string? Note { get; set; }
    }

    public sealed class StepRow
    {
        public string? Status { get; set; }

        public string? Percent { get; set; }
    }

    public sealed record Choice(string Key, string Name);

    public TenantContext Tenant => tenant;

    public Guid? IndicatorId { get; private set; }

    public bool ConfirmDelete { get; private set; }

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    /// <summary>What the indicator measures, for the heading and the way back: the goal's or the program's name.</summary>
    public string Measures { get; private set; } = "";

    public string BackUrl { get; private set; } = "";

    [BindProperty]
    public Guid? GoalId { get; set; }

    [BindProperty]
    public Guid? ProgramId { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? UnitOfMeasure { get; set; }

    [BindProperty]
    public string? Decimals { get; set; }

    [BindProperty]
    public Direction Direction { get; set; }

    [BindProperty]
    public PeriodKind Periodicity { get; set; } = PeriodKind.Year;

    [BindProperty]
    public ValueSource Source { get; set; }

    [BindProperty]
    public string? KoladaKpiId { get; set; }

    [BindProperty]
    public string? KoladaMunicipalityId { get; set; }

    [BindProperty]
    public string? KoladaOuId { get; set; }

    [BindProperty]
    public KoladaGender KoladaGender { get; set; }

    [BindProperty]
    public string? PlausibleMin { get; set; }

    [BindProperty]
    public string? PlausibleMax { get; set; }

    [BindProperty]
    public string? BaselineValue { get; set; }

    [BindProperty]
    public string? BaselinePeriod { get; set; }

    [BindProperty]
    public Guid OwnerUnitId { get; set; }

    [BindProperty]
    public bool IsBasicMission { get; set; }

    [BindProperty]
    public bool SplitByGender { get; set; }

    [BindProperty]
    public string? Weight { get; set; }

    [BindProperty]
    public string? SortOrder { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public bool OwnThresholds { get; set; }

    [BindProperty]
    public List<StepRow> Steps { get; set; } = [];

    [BindProperty]
    public string? Otherwise { get; set; }

    [BindProperty]
    public List<TargetRow> Targets { get; set; } = [];

    public List<(Guid Id, string Name)> Owners { get; private set; } = [];

    /// <summary>The statuses of the model's scale that thresholds may give.</summary>
    public List<Choice> Scale { get; private set; } = [];

    /// <summary>The model's own thresholds, said in words, for whoever keeps them.</summary>
    public string DefaultThresholds { get; private set; } = "";

    public bool UsesRange => Direction == Direction.TargetRange || Targets.Any(t => !string.IsNullOrWhiteSpace(t.Min) || !string.IsNullOrWhiteSpace(t.Max));

    public static string Label(string periodKey) =>
        PeriodRef.TryParse(periodKey, out var period) ? period.LabelIn(System.Globalization.CultureInfo.CurrentUICulture) : periodKey;

    public async Task<IActionResult> OnGetAsync(Guid? indicatorId, [FromQuery(Name = "mal")] Guid? goalId, [FromQuery(Name = "program")] Guid? programId,
        [FromQuery(Name = "steg")] string? step)
    {
        if (!await LoadAsync(indicatorId, goalId, programId, fill: true))
        {
            return Page();
        }

        if (!await indicators.MayEditAsync([OwnerUnitId], HttpContext.RequestAborted))
        {
            return Refuse(StatusCodes.Status403Forbidden, IndicatorEditing.OutsideUnits);
        }

        ConfirmDelete = indicatorId is not null && step == "ta-bort";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? indicatorId, [FromQuery(Name = "mal")] Guid? goalId, [FromQuery(Name = "program")] Guid? programId)
    {
        if (!await LoadAsync(indicatorId, goalId, programId, fill: false))
        {
            return Page();
        }

        var (input, targetRows, stepRows) = Input();
        var ct = HttpContext.RequestAborted;
        var result = indicatorId is { } id ? await indicators.UpdateAsync(id, input, Unreadable, ct) : await indicators.CreateAsync(input, Unreadable, ct);
        if (result.Error is null)
        {
            return Saved(BackUrl, indicatorId is null ? FormDone.IndicatorCreated : FormDone.IndicatorSaved);
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        Show(result.Error, text["IndicatorEdit.NotSaved"], field => FormField(field, targetRows, stepRows));

        if (result.Error.Kind == ServiceErrorKind.Conflict && indicatorId is { } changed && (await indicators.GetAsync(changed, ct)).Value is { } now)
        {
            Error = text["IndicatorEdit.Conflict"];
            Messages.Clear();
            FieldErrors.Clear();
            ShowTheirs(now, input);
            Version = now.Version;
        }

        return Page();
    }

    /// <summary>Shows the target table again for the periodicity and direction chosen; nothing is saved, nothing typed is lost.</summary>
    public async Task<IActionResult> OnPostRefreshAsync(Guid? indicatorId, [FromQuery(Name = "mal")] Guid? goalId, [FromQuery(Name = "program")] Guid? programId)
    {
        if (await LoadAsync(indicatorId, goalId, programId, fill: false) && !await indicators.MayEditAsync([.. StoredOwner(), OwnerUnitId], HttpContext.RequestAborted))
        {
            return Refuse(StatusCodes.Status403Forbidden, IndicatorEditing.OutsideUnits);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid indicatorId)
    {
        var version = Version;
        if (!await LoadAsync(indicatorId, null, null, fill: true))
        {
            return Page();
        }

        var result = await indicators.DeleteAsync(indicatorId, version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved(BackUrl, FormDone.IndicatorDeleted);
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        ConfirmDelete = true;
        Response.StatusCode = result.Error.StatusCode;
        Error = result.Error.Kind == ServiceErrorKind.Conflict ? text["IndicatorEdit.DeleteConflict"] : result.Error.Message;
        return Page();
    }

    /// <summary>The owner as stored, for a form that is shown again: the form's own choice is not the person's right.</summary>
    private Guid? storedOwner;

    private IEnumerable<Guid> StoredOwner() => storedOwner is { } owner ? [owner] : [];

    private async Task<bool> LoadAsync(Guid? indicatorId, Guid? goalId, Guid? programId, bool fill)
    {
        var ct = HttpContext.RequestAborted;
        VersionedIndicator? stored = null;
        if (indicatorId is { } id)
        {
            var found = await indicators.GetAsync(id, ct);
            if (found.Error is { } missing)
            {
                Refuse(missing.StatusCode, missing.Message);
                return false;
            }

            stored = found.Value!;
            IndicatorId = id;
            storedOwner = stored.OwnerUnitId;
            (GoalId, ProgramId) = (stored.GoalId, stored.ProgramId);
        }
        else
        {
            // What a new indicator measures comes from the address, never from the form.
            (GoalId, ProgramId) = (goalId, goalId is null ? programId : null);
        }

        var goal = GoalId is { } g ? await db.Goals.AsNoTracking().Where(x => x.Id == g).Select(x => new { x.Title, x.OwnerUnitId, x.ModelId }).SingleOrDefaultAsync(ct) : null;
        var program = ProgramId is { } p ? await db.Programs.AsNoTracking().Where(x => x.Id == p).Select(x => new { x.Name, x.OwnerUnitId }).SingleOrDefaultAsync(ct) : null;
        if (stored is null && goal is null && program is null)
        {
            Refuse(StatusCodes.Status404NotFound, text["IndicatorEdit.NothingMeasured"]);
            return false;
        }

        Measures = goal?.Title ?? program?.Name ?? "";

        var models = await exporter.ExportModelsAsync(ct);
        var model = models.FirstOrDefault(m => m.Id == goal?.ModelId) ?? models.FirstOrDefault(m => m.Status == ModelStatus.Active) ?? models.FirstOrDefault();
        Scale = [.. (model?.Scale ?? []).Where(s => !s.IsNotAssessed).Select(s => new Choice(s.Key, s.Label))];
        var rule = model?.DefaultThresholds ?? ThresholdRule.Standard;
        DefaultThresholds = string.Join(", ", rule.Steps.OrderByDescending(s => s.MinimumAchievement)
            .Select(s => text["IndicatorEdit.StepSays", Scale.FirstOrDefault(c => c.Key == s.Status)?.Name ?? s.Status, Percent(s.MinimumAchievement)].Value)
            .Append(text["IndicatorEdit.OtherwiseSays", Scale.FirstOrDefault(c => c.Key == rule.Otherwise)?.Name ?? rule.Otherwise].Value));

        if (fill)
        {
            if (stored is not null)
            {
                (Name, Description, UnitOfMeasure, Direction, Periodicity, Source) = (stored.Name, stored.Description, stored.UnitOfMeasure, stored.Direction, stored.Periodicity, stored.Source);
                (KoladaKpiId, KoladaMunicipalityId, KoladaOuId, BaselinePeriod) = (stored.KoladaKpiId, stored.KoladaMunicipalityId, stored.KoladaOuId, stored.BaselinePeriod);
                (Decimals, BaselineValue, Weight, SortOrder) = (stored.Decimals.ToString(CultureInfo.InvariantCulture), OutcomesModel.Figure(stored.BaselineValue, ""),
                    OutcomesModel.Figure(stored.Weight, ""), stored.SortOrder.ToString(CultureInfo.InvariantCulture));
                (OwnerUnitId, IsBasicMission, SplitByGender, Version) = (stored.OwnerUnitId, stored.IsBasicMission, stored.SplitByGender, stored.Version);
                (KoladaGender, PlausibleMin, PlausibleMax) = (stored.KoladaGender, OutcomesModel.Figure(stored.PlausibleMin, ""), OutcomesModel.Figure(stored.PlausibleMax, ""));
                OwnThresholds = stored.Thresholds is not null;
                Steps = [.. (stored.Thresholds?.Steps ?? []).Select(s => new StepRow { Status = s.Status, Percent = Percent(s.MinimumAchievement) })];
                Otherwise = stored.Thresholds?.Otherwise;
                Targets = [.. stored.Targets.Select(t => new TargetRow
                {
                    PeriodKey = t.PeriodKey, Value = OutcomesModel.Figure(t.Value, ""), Min = OutcomesModel.Figure(t.Min, ""), Max = OutcomesModel.Figure(t.Max, ""), Note = t.Note,
                })];
            }
            else
            {
                (OwnerUnitId, Weight, Decimals, SortOrder) = (goal?.OwnerUnitId ?? program?.OwnerUnitId ?? Guid.Empty, "1", "0", "0");
            }

            // Rows for the model's own thresholds to start from, one per step the scale could have.
            if (Steps.Count == 0)
            {
                Steps = [.. rule.Steps.Select(s => new StepRow { Status = s.Status, Percent = Percent(s.MinimumAchievement) })];
                Otherwise ??= rule.Otherwise;
            }
        }

        Steps.AddRange(Enumerable.Range(0, Math.Max(0, Scale.Count - 1 - Steps.Count)).Select(_ => new StepRow()));

        // One row per period of the model's years (the calendar's when there is no model), the year's own target first.
        var years = model is { FirstYear: > 0, LastYear: > 0 } && model.LastYear >= model.FirstYear
            ? Enumerable.Range(model.FirstYear, model.LastYear - model.FirstYear + 1)
            : await db.Periods.AsNoTracking().Select(x => x.Year).Distinct().ToListAsync(ct) is { Count: > 0 } calendar ? calendar.Order() : [clock.GetLocalNow().Year];
        // Issue 16: a delår ends with the month the municipality chose: the calendar's delår of the year, else the model's month.
        var interims = new List<PeriodRef>();
        if (Periodicity == PeriodKind.Interim)
        {
            var chosen = model is null ? 0 : await db.Models.AsNoTracking().Where(m => m.Id == model.Id).Select(m => m.InterimEndMonth).FirstOrDefaultAsync(ct);
            var month = PeriodRef.IsInterimEndMonth(chosen) ? chosen : PeriodRef.DefaultInterimEndMonth;
            var calendarInterims = (await db.Periods.AsNoTracking().Where(x => x.Kind == PeriodKind.Interim).Select(x => x.Key).ToListAsync(ct)).Select(PeriodRef.Parse).ToList();
            interims = [.. years.SelectMany(year => calendarInterims.Where(x => x.Year == year).DefaultIfEmpty(PeriodRef.Interim(year, month)))];
        }

        var keys = years.SelectMany(year => Periodicity == PeriodKind.Year
            ? [PeriodRef.ForYear(year)]
            : Periodicity == PeriodKind.Interim ? interims.Where(x => x.Year == year).Prepend(PeriodRef.ForYear(year))
            : PeriodRef.EndingWithin(Periodicity, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)).Prepend(PeriodRef.ForYear(year))).Select(x => x.Key).ToList();
        var typed = Targets.Where(t => PeriodRef.TryParse(t.PeriodKey, out _)).GroupBy(t => t.PeriodKey).ToDictionary(x => x.Key, x => x.First());
        Targets = [.. keys.Union(typed.Where(x => HasContent(x.Value)).Select(x => x.Key)).OrderBy(k => PeriodRef.Parse(k).Year).ThenBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)
            .Select(k => typed.GetValueOrDefault(k) ?? new TargetRow { PeriodKey = k })];

        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive, u.SortOrder, u.ParentId }).ToListAsync(ct);
        var reaches = await UnitScope.AllowsManyAsync(tenant, db, ct);
        Owners = [.. UnitTree.Order([.. units.Where(u => (u.IsActive && reaches(u.Id)) || u.Id == OwnerUnitId)], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name)
            .Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        if (OwnerUnitId == Guid.Empty && Owners.Count > 0)
        {
            OwnerUnitId = Owners[0].Id;
        }

        // A program's indicator leads back to its unit's scorecard, where the program section is.
        BackUrl = GoalId is { } back ? $"/k/{tenant.Slug}/mal/{back}" : $"/k/{tenant.Slug}/malkort/{OwnerUnitId}";

        // A result of the basic mission measures neither a goal nor a program: it leads back to its unit.
        if (Measures.Length == 0)
        {
            Measures = Owners.FirstOrDefault(o => o.Id == OwnerUnitId).Name?.Trim() ?? "";
        }

        Ready = true;
        return true;
    }

    private static bool HasContent(TargetRow row) =>
        !string.IsNullOrWhiteSpace(row.Value) || !string.IsNullOrWhiteSpace(row.Min) || !string.IsNullOrWhiteSpace(row.Max) || !string.IsNullOrWhiteSpace(row.Note);

    private static string Percent(decimal share) => OutcomesModel.Figure(share * 100m, "");

    /// <summary>
    /// The indicator as typed, in the API's shape; a figure that cannot be read goes to the service as unreadable, by the
    /// service's names (rows counted as sent), with a stand-in the rules do not judge.
    /// </summary>
    private (VersionedIndicator Input, List<int> TargetRows, List<int> StepRows) Input()
    {
        decimal? Figure(string field, string? typed)
        {
            var (number, bad) = SwedishFormat.Read(typed);
            if (bad)
            {
                Unreadable.Unreadable(field, text["IndicatorEdit.NotANumber"]);
            }

            return number;
        }

        int Whole(string field, string? typed, int none)
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                return none;
            }

            if (int.TryParse(typed.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            Unreadable.Unreadable(field, text["IndicatorEdit.NotAWholeNumber"]);
            return none;
        }

        var targets = new List<TargetDoc>();
        var targetRows = new List<int>();
        for (var i = 0; i < Targets.Count; i++)
        {
            var row = Targets[i];
            if (!HasContent(row))
            {
                continue;
            }

            var sent = targets.Count;
            targets.Add(new TargetDoc(row.PeriodKey, Figure($"targets[{sent}].value", row.Value), Figure($"targets[{sent}].min", row.Min), Figure($"targets[{sent}].max", row.Max),
                Clean(row.Note)));
            targetRows.Add(i);
        }

        ThresholdRule? thresholds = null;
        var stepRows = new List<int>();
        if (OwnThresholds)
        {
            var steps = new List<ThresholdStep>();
            for (var i = 0; i < Steps.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(Steps[i].Status) || string.IsNullOrWhiteSpace(Steps[i].Percent))
                {
                    continue;
                }

                // An unreadable share is sent as 0 so that the row keeps its place; its error stands beside it.
                var percent = Figure($"thresholds.steps[{steps.Count}].minimumAchievement", Steps[i].Percent) ?? 0m;
                steps.Add(new ThresholdStep(Steps[i].Status!, percent / 100m));
                stepRows.Add(i);
            }

            thresholds = new ThresholdRule(steps, Otherwise ?? "");
        }

        var input = new VersionedIndicator
        {
            Id = IndicatorId ?? Guid.Empty, Name = Name?.Trim() ?? "", Description = Clean(Description), UnitOfMeasure = UnitOfMeasure?.Trim() ?? "",
            Decimals = Whole("decimals", Decimals, 0), Direction = Direction, Periodicity = Periodicity, Source = Source, KoladaKpiId = Clean(KoladaKpiId),
            KoladaMunicipalityId = Clean(KoladaMunicipalityId), KoladaOuId = Clean(KoladaOuId), KoladaGender = KoladaGender,
            PlausibleMin = Figure("plausibleMin", PlausibleMin), PlausibleMax = Figure("plausibleMax", PlausibleMax), BaselineValue = Figure("baselineValue", BaselineValue),
            BaselinePeriod = Clean(BaselinePeriod), Thresholds = thresholds, OwnerUnitId = OwnerUnitId, GoalId = GoalId, ProgramId = ProgramId,
            IsBasicMission = IsBasicMission, SplitByGender = SplitByGender, Weight = Figure("weight", Weight) ?? 1m, SortOrder = Whole("sortOrder", SortOrder, 0),
            Targets = targets, Version = Version,
        };
        return (input, targetRows, stepRows);
    }

    private static string? Clean(string? typed) => string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();

    /// <summary>The form's name for a field the service named: the service counts only the target and threshold rows that were sent.</summary>
    private static string FormField(string field, List<int> targetRows, List<int> stepRows)
    {
        foreach (var (prefix, rows) in new[] { ("targets[", targetRows), ("thresholds.steps[", stepRows) })
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal) && field.IndexOf(']') is var end and > 0
                && int.TryParse(field[prefix.Length..end], NumberStyles.None, CultureInfo.InvariantCulture, out var sent) && sent < rows.Count)
            {
                return $"{prefix}{rows[sent]}]{field[(end + 1)..]}";
            }
        }

        return field;
    }

    /// <summary>What the other person saved, beside each field where it differs from what was typed.</summary>
    private void ShowTheirs(VersionedIndicator now, VersionedIndicator typed)
    {
        void Differs(string field, string? theirs, string? mine) => this.Differs(field, mine, theirs, saved => text["IndicatorEdit.Theirs", saved]);

        string F(decimal? value) => OutcomesModel.Figure(value, "");
        Differs("name", now.Name, typed.Name);
        Differs("description", now.Description, typed.Description);
        Differs("unitOfMeasure", now.UnitOfMeasure, typed.UnitOfMeasure);
        Differs("decimals", now.Decimals.ToString(CultureInfo.InvariantCulture), typed.Decimals.ToString(CultureInfo.InvariantCulture));
        Differs("direction", text["IndicatorEdit.Direction." + now.Direction], text["IndicatorEdit.Direction." + typed.Direction]);
        Differs("periodicity", text["IndicatorEdit.Periodicity." + now.Periodicity], text["IndicatorEdit.Periodicity." + typed.Periodicity]);
        Differs("source", text["IndicatorEdit.Source." + now.Source], text["IndicatorEdit.Source." + typed.Source]);
        Differs("koladaKpiId", now.KoladaKpiId, typed.KoladaKpiId);
        Differs("baselineValue", F(now.BaselineValue), F(typed.BaselineValue));
        Differs("plausibleMin", F(now.PlausibleMin), F(typed.PlausibleMin));
        Differs("plausibleMax", F(now.PlausibleMax), F(typed.PlausibleMax));
        Differs("baselinePeriod", now.BaselinePeriod, typed.BaselinePeriod);
        Differs("ownerUnitId", Owners.FirstOrDefault(o => o.Id == now.OwnerUnitId).Name?.Trim(), Owners.FirstOrDefault(o => o.Id == typed.OwnerUnitId).Name?.Trim());
        Differs("weight", F(now.Weight), F(typed.Weight));
        Differs("sortOrder", now.SortOrder.ToString(CultureInfo.InvariantCulture), typed.SortOrder.ToString(CultureInfo.InvariantCulture));
        Differs("splitByGender", now.SplitByGender ? text["IndicatorEdit.Yes"] : text["IndicatorEdit.No"], typed.SplitByGender ? text["IndicatorEdit.Yes"] : text["IndicatorEdit.No"]);
        Differs("isBasicMission", now.IsBasicMission ? text["IndicatorEdit.Yes"] : text["IndicatorEdit.No"], typed.IsBasicMission ? text["IndicatorEdit.Yes"] : text["IndicatorEdit.No"]);
        var theirs = now.Targets.ToDictionary(t => t.PeriodKey);
        for (var i = 0; i < Targets.Count; i++)
        {
            var mine = typed.Targets.FirstOrDefault(t => t.PeriodKey == Targets[i].PeriodKey);
            var saved = theirs.GetValueOrDefault(Targets[i].PeriodKey);
            Differs($"targets[{i}].value", F(saved?.Value), F(mine?.Value));
            Differs($"targets[{i}].min", F(saved?.Min), F(mine?.Min));
            Differs($"targets[{i}].max", F(saved?.Max), F(mine?.Max));
        }
    }
}
