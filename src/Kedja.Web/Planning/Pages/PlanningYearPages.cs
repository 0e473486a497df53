using System.Globalization;
using Kedja.Domain;
using Kedja.Domain.Indicators;
using Kedja.Domain.Planning;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Planning.Pages;

/// <summary>
/// What the three pages of next year's planning share: the year's view from <see cref="PlanningYears"/> (which decides,
/// as for the API), a unit filter and a cap on the rows shown, and the errors of the last post.
/// </summary>
public abstract class PlanningYearPageBase(TenantContext tenant, PlanningYears planning, IStringLocalizer<Texts> text) : PageModel
{
    /// <summary>At most this many rows of each list on a page; a unit filter shows the rest.</summary>
    public const int MaxRows = 300;

    public TenantContext Tenant => tenant;

    public int Year { get; private set; }

    public PlanningYearView? View { get; private set; }

    public string? Error { get; protected set; }

    public List<string> Errors { get; } = [];

    public string? Done { get; protected set; }

    /// <summary>The unit whose rows are shown, or all units (up to <see cref="MaxRows"/> rows each).</summary>
    [BindProperty(SupportsGet = true, Name = "enhet")]
    public Guid? UnitFilter { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public string Base => $"/k/{tenant.Slug}/planeringsar/{Year}";

    protected PlanningYears Planning => planning;

    protected IStringLocalizer<Texts> Text => text;

    public List<T> Shown<T>(IEnumerable<T> rows, Func<T, Guid> unit) => [.. rows.Where(r => UnitFilter is null || unit(r) == UnitFilter).Take(MaxRows)];

    public int Count<T>(IEnumerable<T> rows, Func<T, Guid> unit) => rows.Count(r => UnitFilter is null || unit(r) == UnitFilter);

    /// <summary>The units that have rows in the view, for the filter.</summary>
    public List<(Guid Id, string Name)> Units => View is null ? [] :
        [.. View.Goals.Select(g => (g.UnitId, g.Unit)).Concat(View.Indicators.Select(i => (i.UnitId, i.Unit))).Concat(View.Activities.Select(a => (a.UnitId, a.Unit)))
            .Concat(View.ControlActions.Select(c => (c.UnitId, c.Unit))).Concat(View.Budget.Select(b => (b.UnitId, b.Unit))).Distinct().OrderBy(u => u.Item2, StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), false))];

    public static string Number(decimal? value, int decimals) => value is { } v ? SwedishFormat.Number(v, decimals) : "";

    /// <summary>A figure as the form shows it back: decimal comma, no thousands separator, so that it reads again.</summary>
    public static string Input(decimal? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture).Replace('.', ',') : "";

    protected async Task LoadAsync(int year)
    {
        Year = year;
        var result = await planning.GetAsync(year, HttpContext.RequestAborted);
        View = result.Value;
        if (result.Error is { Kind: not ServiceErrorKind.NotFound } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
    }

    /// <summary>Shows a refusal: every field's message (the service gives them all at once), with the status it answers with.</summary>
    protected async Task<IActionResult> FailAsync(int year, ServiceError error)
    {
        await LoadAsync(year);
        Error = error.Kind == ServiceErrorKind.Conflict ? error.Message : text["PlanningYear.Refused"];
        Errors.AddRange(error.Errors?.SelectMany(e => e.Value) ?? [error.Message]);
        Response.StatusCode = error.StatusCode;
        return Page();
    }

    protected string Filter => UnitFilter is { } u ? $"?enhet={u}" : "";

    protected static decimal? Read(string? typed, out bool bad)
    {
        var (number, wrong) = SwedishFormat.Read(typed);
        bad = wrong;
        return number;
    }
}

/// <summary>The planning of a year: open it, then choose what continues (model, goals, activities, control actions, budget frames).</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class PlanningYearModel(TenantContext tenant, PlanningYears planning, IStringLocalizer<Texts> text) : PlanningYearPageBase(tenant, planning, text)
{
    public async Task OnGetAsync(int year, [FromQuery(Name = "sparat")] string? saved)
    {
        await LoadAsync(year);
        if (saved is not null && View is not null)
        {
            Done = Text["PlanningYear.Saved"];
        }
    }

    public async Task<IActionResult> OnPostOpenAsync(int year)
    {
        var result = await Planning.OpenAsync(year, HttpContext.RequestAborted);
        return result.Error is { } error ? await FailAsync(year, error) : LocalRedirect($"/k/{Tenant.Slug}/planeringsar/{year}");
    }

    /// <summary>
    /// Saves the choices of the rows shown; choices of rows not shown (another unit, beyond the cap) and the accepted
    /// targets (their own page) stay as they were.
    /// </summary>
    public async Task<IActionResult> OnPostSaveAsync(int year)
    {
        await LoadAsync(year);
        if (View is null)
        {
            return await FailAsync(year, ServiceError.NotFound(PlanningYears.NotOpened));
        }

        var form = Request.Form;
        var c = View.Choices;
        List<Guid> Ids(string name) => [.. form[name].Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty)];
        List<Guid> Merge(List<Guid> before, IEnumerable<Guid> shown, string name)
        {
            var visible = shown.ToHashSet();
            return [.. before.Where(id => !visible.Contains(id)).Concat(Ids(name))];
        }

        var goals = Merge(c.ExtendGoals, Shown(View.Goals.Where(g => g.CanExtend), g => g.UnitId).Select(g => g.Id), "goal");
        var activities = Merge(c.Activities, Shown(View.Activities, a => a.UnitId).Select(a => a.Id), "activity");
        var control = Merge(c.ControlActions, Shown(View.ControlActions, a => a.UnitId).Select(a => a.Id), "control");
        var shownBudget = Shown(View.Budget, b => b.UnitId).Select(b => b.UnitId).ToHashSet();
        var budget = c.BudgetFrames.Where(b => !shownBudget.Contains(b.UnitId)).ToList();
        var bad = new List<string>();
        foreach (var unit in Ids("budget"))
        {
            var amount = Read(form[$"amount-{unit}"], out var wrong);
            var name = View.Budget.FirstOrDefault(b => b.UnitId == unit)?.Unit ?? "";
            if (wrong || amount is null)
            {
                bad.Add(Text["PlanningYear.BadAmount", name]);
            }
            else
            {
                budget.Add(new BudgetChoice(unit, amount.Value));
            }
        }

        if (bad.Count > 0)
        {
            return await FailAsync(year, new ServiceError(ServiceErrorKind.Invalid, bad[0], "budgetFrames", new Dictionary<string, string[]> { ["budgetFrames"] = [.. bad] }));
        }

        var input = c with { ExtendModel = form["extendModel"] == "true", ExtendGoals = goals, Activities = activities, ControlActions = control, BudgetFrames = budget, Version = Version };
        var result = await Planning.SaveChoicesAsync(year, input, HttpContext.RequestAborted);
        return result.Error is { } error ? await FailAsync(year, error) : LocalRedirect($"/k/{Tenant.Slug}/planeringsar/{year}{(Filter.Length > 0 ? Filter + "&" : "?")}sparat=1");
    }
}

/// <summary>The proposed targets of the planned year: accepted per row, or every proposal shown at once.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class PlanningProposalsModel(TenantContext tenant, PlanningYears planning, IStringLocalizer<Texts> text) : PlanningYearPageBase(tenant, planning, text)
{
    public async Task OnGetAsync(int year, [FromQuery(Name = "sparat")] string? saved)
    {
        await LoadAsync(year);
        if (saved is not null && View is not null)
        {
            Done = Text["PlanningYear.TargetsSaved"];
        }
    }

    /// <summary>Accepts the first proposal of every row shown that has one, beside the targets already accepted.</summary>
    public Task<IActionResult> OnPostAcceptAllAsync(int year) => SaveAsync(year, all: true);

    /// <summary>Saves the rows shown as ticked, with the figures typed; rows not shown keep their choice.</summary>
    public Task<IActionResult> OnPostSaveAsync(int year) => SaveAsync(year, all: false);

    private async Task<IActionResult> SaveAsync(int year, bool all)
    {
        await LoadAsync(year);
        if (View is null)
        {
            return await FailAsync(year, ServiceError.NotFound(PlanningYears.NotOpened));
        }

        var shown = Shown(View.Indicators, i => i.UnitId);
        var visible = shown.Select(i => i.Id).ToHashSet();
        var targets = View.Choices.Targets.Where(t => !visible.Contains(t.IndicatorId) || all).ToList();
        var form = Request.Form;
        var bad = new List<string>();
        if (all)
        {
            var chosen = targets.Select(t => t.IndicatorId).ToHashSet();
            targets.AddRange(shown.Where(i => !chosen.Contains(i.Id) && i.Proposals.Count > 0)
                .Select(i => i.Proposals[0] is var p ? new TargetChoice(i.Id, p.Value, p.Min, p.Max, p.Kind) : null!));
        }
        else
        {
            var accepted = form["accept"].Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).ToHashSet();
            foreach (var i in shown.Where(i => accepted.Contains(i.Id)))
            {
                var value = Read(form[$"value-{i.Id}"], out var b1);
                var min = Read(form[$"min-{i.Id}"], out var b2);
                var max = Read(form[$"max-{i.Id}"], out var b3);
                if (b1 || b2 || b3)
                {
                    bad.Add(Text["PlanningYear.BadFigure", i.Name]);
                    continue;
                }

                var proposal = i.Proposals.FirstOrDefault(p => p.Value == value && p.Min == min && p.Max == max);
                targets.Add(new TargetChoice(i.Id, value, min, max, proposal?.Kind ?? "Manual"));
            }
        }

        if (bad.Count > 0)
        {
            return await FailAsync(year, new ServiceError(ServiceErrorKind.Invalid, bad[0], "targets", new Dictionary<string, string[]> { ["targets"] = [.. bad] }));
        }

        var result = await Planning.SaveChoicesAsync(year, View.Choices with { Targets = targets, Version = Version }, HttpContext.RequestAborted);
        return result.Error is { } error ? await FailAsync(year, error) : LocalRedirect($"/k/{Tenant.Slug}/planeringsar/{year}/forslag{(Filter.Length > 0 ? Filter + "&" : "?")}sparat=1");
    }

    /// <summary>The figure a row's field shows: the accepted one, else the first proposal's.</summary>
    public (decimal? Value, decimal? Min, decimal? Max, bool Accepted) Field(PlanningIndicatorLine line)
    {
        if (View?.Choices.Targets.FirstOrDefault(t => t.IndicatorId == line.Id) is { } chosen)
        {
            return (chosen.Value, chosen.Min, chosen.Max, true);
        }

        return line.Proposals.FirstOrDefault() is { } p ? (p.Value, p.Min, p.Max, false) : (null, null, null, false);
    }

    public static bool IsRange(PlanningIndicatorLine line) => line.Direction == Direction.TargetRange;
}

/// <summary>Every choice of the planned year in one list before it is activated; activation and its undo.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class PlanningSummaryModel(TenantContext tenant, PlanningYears planning, IStringLocalizer<Texts> text) : PlanningYearPageBase(tenant, planning, text)
{
    public async Task OnGetAsync(int year, [FromQuery(Name = "klart")] string? done)
    {
        await LoadAsync(year);
        if (View is not null && done is "aktiverat" or "angrat")
        {
            Done = Text[done == "aktiverat" ? "PlanningYear.Activated" : "PlanningYear.Undone", year];
        }
    }

    public async Task<IActionResult> OnPostActivateAsync(int year)
    {
        var result = await Planning.ActivateAsync(year, Version, HttpContext.RequestAborted);
        return result.Error is { } error ? await FailAsync(year, error) : LocalRedirect($"/k/{Tenant.Slug}/planeringsar/{year}/sammanfattning?klart=aktiverat");
    }

    public async Task<IActionResult> OnPostUndoAsync(int year)
    {
        var result = await Planning.UndoAsync(year, Version, HttpContext.RequestAborted);
        return result.Error is { } error ? await FailAsync(year, error) : LocalRedirect($"/k/{Tenant.Slug}/planeringsar/{year}/sammanfattning?klart=angrat");
    }

    public Dictionary<Guid, PlanningIndicatorLine> Indicators => View?.Indicators.ToDictionary(i => i.Id) ?? [];
}
