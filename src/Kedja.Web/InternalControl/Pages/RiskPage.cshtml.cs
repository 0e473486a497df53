using System.Globalization;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// A risk: its facts, its assessment for a chosen year (<c>?ar=</c>) with the scale's step labels, and the assessments of
/// every year as history. Those who may change the unit's register get the forms; others see the facts only.
/// <see cref="RiskRegister"/> decides, as for the API.
/// </summary>
[RequireTenant]
public sealed class RiskPageModel(TenantContext tenant, KedjaDbContext db, RiskRegister register, TimeProvider clock, IStringLocalizer<Texts> text) : RiskForm(tenant, db, text)
{
    public VersionedRisk? Risk { get; private set; }

    public bool MayChange { get; private set; }

    public bool Confirming { get; private set; }

    /// <summary>The year whose assessment the form shows and writes.</summary>
    [BindProperty]
    public int AssessYear { get; set; }

    public List<int> AssessYears { get; private set; } = [];

    [BindProperty]
    public string? Likelihood { get; set; }

    [BindProperty]
    public string? Consequence { get; set; }

    [BindProperty]
    public string? LikelihoodAfter { get; set; }

    [BindProperty]
    public string? ConsequenceAfter { get; set; }

    [BindProperty]
    public string? ExistingControls { get; set; }

    [BindProperty]
    public string? Reasoning { get; set; }

    public string Here => $"{Home}/{Risk?.Id}";

    public async Task<IActionResult> OnGetAsync(Guid riskId, [FromQuery(Name = "ar")] int? year, [FromQuery(Name = "ta-bort")] string? confirm)
    {
        if (await LoadAsync(riskId) is { } refused)
        {
            return refused;
        }

        Fill(Risk!);
        ChooseYear(year);
        FillAssessment();
        Confirming = confirm is not null && MayChange;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid riskId)
    {
        var typed = Read(riskId, 0);
        if (await LoadAsync(riskId) is { } refused)
        {
            return refused;
        }

        var result = await register.UpdateAsync(riskId, typed, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return LocalRedirect($"{Home}/{saved.Id}?klart=sparad");
        }

        Show(result.Error!, result.Error!.Kind == ServiceErrorKind.Conflict ? Text["Risk.Conflict"] : Text["Risk.NotSaved"]);
        ChooseYear(null);
        FillAssessment();
        if (result.Error.Kind == ServiceErrorKind.Conflict)
        {
            Version = Risk!.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAssessAsync(Guid riskId)
    {
        var (year, version) = (AssessYear, Version);
        if (await LoadAsync(riskId) is { } refused)
        {
            return refused;
        }

        Fill(Risk!);
        var input = new RiskAssessmentInput(Step("likelihood", Likelihood, required: true) ?? 0, Step("consequence", Consequence, required: true) ?? 0, ExistingControls,
            Step("likelihoodAfter", LikelihoodAfter), Step("consequenceAfter", ConsequenceAfter), Reasoning, version);
        var result = await register.AssessAsync(riskId, year, input, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return LocalRedirect($"{Home}/{saved.Id}?ar={year}&klart=bedomd#bedomning");
        }

        Show(result.Error!, result.Error!.Kind == ServiceErrorKind.Conflict ? Text["Risk.Conflict"] : Text["Risk.AssessmentNotSaved"]);
        ChooseYear(year);
        Version = result.Error.Kind == ServiceErrorKind.Conflict ? Risk!.Version : version;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid riskId)
    {
        var version = Version;
        if (await LoadAsync(riskId) is { } refused)
        {
            return refused;
        }

        var result = await register.DeleteAsync(riskId, version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"{Home}?enhet={Risk!.UnitId}&klart=borttagen");
        }

        Fill(Risk!);
        ChooseYear(null);
        FillAssessment();
        Show(result.Error, Text["Risk.NotDeleted"]);
        return Page();
    }

    /// <summary>The step's label as the selects and the history show it: "3 – Möjlig".</summary>
    public static string StepName(IReadOnlyList<string> labels, int? step) =>
        step is { } s ? (s >= 1 && s <= labels.Count ? $"{s} – {labels[s - 1]}" : s.ToString(CultureInfo.InvariantCulture)) : "";

    /// <summary>The risk as it stands, or why the page cannot show it (not found, or a unit the person does not see).</summary>
    private async Task<IActionResult?> LoadAsync(Guid riskId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await register.GetAsync(riskId, ct);
        if (found.Error is { } missing)
        {
            return Refuse(missing.StatusCode, missing.Message);
        }

        Risk = found.Value!;
        MayChange = await register.MayChangeAsync(Risk.UnitId, ct);
        await LoadChoicesAsync(Risk.UnitId, Risk.Category);
        Ready = true;
        return null;
    }

    /// <summary>The years the risk can be assessed for (in the register, at most a year ahead), and the one chosen.</summary>
    private void ChooseYear(int? wanted)
    {
        var risk = Risk!;
        var thisYear = ThisYear(clock);
        var last = risk.LastYear ?? Math.Max(thisYear + 1, risk.FirstYear);
        var first = Math.Max(risk.FirstYear, last - 15);
        AssessYears = [.. Enumerable.Range(first, last - first + 1).Concat(risk.Assessments.Select(a => a.Year)).Distinct().OrderDescending()];
        AssessYear = wanted is { } y && AssessYears.Contains(y) ? y : AssessYears.Contains(thisYear) ? thisYear : AssessYears[0];
    }

    /// <summary>The chosen year's assessment in the form, or the latest earlier one as a starting point.</summary>
    private void FillAssessment()
    {
        var a = Risk!.Assessments.Where(a => a.Year <= AssessYear).MaxBy(a => a.Year);
        string? S(int? v) => v?.ToString(CultureInfo.InvariantCulture);
        (Likelihood, Consequence, LikelihoodAfter, ConsequenceAfter, ExistingControls, Reasoning) =
            a is null ? (null, null, null, null, null, null) : (S(a.Likelihood), S(a.Consequence), S(a.LikelihoodAfter), S(a.ConsequenceAfter), a.ExistingControls, a.Reasoning);
    }

    private int? Step(string field, string? typed, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            if (required)
            {
                Unreadable.Unreadable(field, Text["Risk.StepMissing"]);
            }

            return null;
        }

        if (int.TryParse(typed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
        {
            return step;
        }

        Unreadable.Unreadable(field, Text["Risk.StepMissing"]);
        return null;
    }
}
