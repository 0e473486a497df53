using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Tenants;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>A scale step as its form holds it; the score as typed (decimal comma).</summary>
public sealed class StepInput
{
    public string? Key { get; set; }

    public string? Label { get; set; }

    public string? Plural { get; set; }

    public string? SingularCommon { get; set; }

    public string? SingularNeuter { get; set; }

    public string? Description { get; set; }

    public string? Colour { get; set; }

    public string? Symbol { get; set; }

    public string? Score { get; set; }

    public static StepInput Of(ScaleDoc s) => new()
    {
        Key = s.Key, Label = s.Label, Plural = s.Plural, SingularCommon = s.SingularCommon, SingularNeuter = s.SingularNeuter, Description = s.Description,
        Colour = s.Colour, Symbol = s.Symbol, Score = s.Score.ToString("0.##", Language.Formats),
    };
}

/// <summary>
/// The scale a goal's status is told in: each step's words, colour, symbol and score. A step that assessments or
/// thresholds use cannot be removed (<see cref="ModelEditing"/> says which); its words and colour can always change.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed partial class ScaleModel(TenantContext tenant, ModelEditing models, IStringLocalizer<Texts> text, Forecasts.ForecastSettings forecasts) : ModelPageBase(tenant, models, text)
{
    /// <summary>Each step's forecast phrase as typed; saved on its own form, through the API's service.</summary>
    [BindProperty]
    public List<Forecasts.ForecastPhraseInput> Phrases { get; set; } = [];

    /// <summary>The model's forecast wording now: each step's own phrase and the words a forecast uses.</summary>
    public Forecasts.ForecastSettingsDto? Forecast { get; private set; }

    [BindProperty]
    public List<StepInput> Steps { get; set; } = [];

    [BindProperty]
    public StepInput New { get; set; } = new() { Colour = "#5f6368" };

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "taBort")]
    public string? Remove { get; set; }

    public bool AddPosted { get; private set; }

    public async Task OnGetAsync()
    {
        if (await LoadAsync())
        {
            Steps = [.. Current!.Scale.Select(StepInput.Of)];
            await LoadPhrasesAsync(typed: false);
        }
    }

    /// <summary>Sets the steps' forecast phrases (blank: the standard wording), from the version the form was read at.</summary>
    public async Task<IActionResult> OnPostPhrasesAsync()
    {
        if (!await LoadAsync())
        {
            return Page();
        }

        Steps = [.. Current!.Scale.Select(StepInput.Of)];
        var result = await forecasts.UpdateAsync(Current.Id, new Forecasts.ForecastSettingsInput(null, Phrases, Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            var back = Here("/skala");
            return LocalRedirect(back + (back.Contains('?') ? "&" : "?") + "klart=true");
        }

        Show(result.Error);
        await LoadAsync();
        Version = null;
        await LoadPhrasesAsync(typed: true);
        return Page();
    }

    /// <summary>The phrases the form shows: as typed after a refused save, else as saved.</summary>
    private async Task LoadPhrasesAsync(bool typed)
    {
        Forecast = Current is null ? null : (await forecasts.GetAsync(Current.Id, HttpContext.RequestAborted)).Value;
        if (!typed && Forecast is not null)
        {
            Phrases = [.. Forecast.Scale.Select(s => new Forecasts.ForecastPhraseInput(s.Key, s.ForecastPhrase))];
        }
    }

    /// <summary>What the phrase field of a step shows.</summary>
    public string? PhraseFor(string key) => Phrases.FirstOrDefault(p => p.Key == key)?.ForecastPhrase;

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync())
        {
            return Page();
        }

        var changed = new List<ScaleDoc>();
        for (var i = 0; i < Current!.Scale.Count; i++)
        {
            var saved = Current.Scale[i];
            var typed = Steps.FirstOrDefault(s => s.Key == saved.Key);
            if (typed is null)
            {
                changed.Add(saved);
                continue;
            }

            if (Score(typed.Score, $"scale[{i}].score") is not { } score)
            {
                return Typed();
            }

            changed.Add(Apply(saved, typed, score));
        }

        var result = await SaveAsync(Version, m => m with { Scale = changed }, "/skala");
        return result ?? Typed();
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        AddPosted = true;
        if (!await LoadAsync())
        {
            return Page();
        }

        Steps = [.. Current!.Scale.Select(StepInput.Of)];
        var n = Current.Scale.Count(s => !s.IsNotAssessed);
        if (Score(New.Score, $"scale[{n}].score") is not { } score)
        {
            return Page();
        }

        var key = TenantCreation.SuggestSlug(New.Label);
        while (Current.Scale.Any(s => s.Key == key))
        {
            key += "-2";
        }

        // The new step goes last among the assessed steps; "ej bedömt" stays at the end.
        var step = Apply(new ScaleDoc(key.Length == 0 ? "steg" : key, "", null, null, "", "", 0m, 0, false), New, score);
        List<ScaleDoc> ordered = [.. Current.Scale.Where(s => !s.IsNotAssessed), step, .. Current.Scale.Where(s => s.IsNotAssessed)];
        return await SaveAsync(Version, m => m with { Scale = [.. ordered.Select((s, i) => s with { SortOrder = i + 1 })] }, "/skala") ?? Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromForm(Name = "key")] string? key)
    {
        Remove = null;
        if (!await LoadAsync())
        {
            return Page();
        }

        Steps = [.. Current!.Scale.Select(StepInput.Of)];
        return await SaveAsync(Version, m => m with { Scale = [.. m.Scale.Where(s => s.Key != key)] }, "/skala") ?? Page();
    }

    /// <summary>What a row shows: as typed after a refused save, else as saved.</summary>
    public StepInput FormFor(ScaleDoc step) => Steps.FirstOrDefault(s => s.Key == step.Key) ?? StepInput.Of(step);

    private IActionResult Typed()
    {
        if (Conflicted)
        {
            Version = Current?.Version;
        }

        return Page();
    }

    private static ScaleDoc Apply(ScaleDoc s, StepInput typed, decimal score)
    {
        static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        return s with
        {
            Label = Clean(typed.Label) ?? "", Plural = Clean(typed.Plural), SingularCommon = Clean(typed.SingularCommon), SingularNeuter = Clean(typed.SingularNeuter),
            Description = Clean(typed.Description), Colour = Clean(typed.Colour) ?? "", Symbol = Clean(typed.Symbol) ?? "", Score = score,
        };
    }

    private decimal? Score(string? typed, string field)
    {
        if (Domain.SwedishFormat.Read(typed) is { Number: { } score and >= 0m })
        {
            return score;
        }

        Errors[field] = Text["ModelAdmin.ScoreBad"];
        Error = Text["ModelAdmin.NotSaved"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }

    protected override bool Beside(string field) => BesideField().IsMatch(field);

    [GeneratedRegex(@"^scale\[\d+\]\.(label|plural|description|colour|symbol|score|forecastPhrase)$")]
    private static partial Regex BesideField();
}
