using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>The model's name, vision, mandate period, follow-up rhythm and what its dimensions are called.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class GeneralModel(TenantContext tenant, ModelEditing models, IStringLocalizer<Texts> text, Forecasts.ForecastSettings forecasts) : ModelPageBase(tenant, models, text)
{
    /// <summary>Whether the model's indicators take full-year forecasts: saved on its own form, through the API's service.</summary>
    [BindProperty]
    public bool AllowsIndicatorForecasts { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Vision { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public int? FirstYear { get; set; }

    [BindProperty]
    public int? LastYear { get; set; }

    [BindProperty]
    public FollowUpCadence Cadence { get; set; }

    [BindProperty]
    public string? DimensionLabel { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public async Task OnGetAsync()
    {
        if (await LoadAsync())
        {
            var m = Current!;
            (Name, Vision, Description, FirstYear, LastYear, Cadence, DimensionLabel, Version) =
                (m.Name, m.Vision, m.Description, m.FirstYear, m.LastYear, m.Cadence, m.DimensionLabel, m.Version);
            AllowsIndicatorForecasts = (await forecasts.GetAsync(m.Id, HttpContext.RequestAborted)).Value?.AllowsIndicatorForecasts ?? true;
        }
    }

    /// <summary>Switches indicator forecasts on or off, from the version the form was read at.</summary>
    public async Task<IActionResult> OnPostForecastsAsync()
    {
        if (!await LoadAsync())
        {
            return Page();
        }

        var result = await forecasts.UpdateAsync(Current!.Id, new Forecasts.ForecastSettingsInput(AllowsIndicatorForecasts, null, Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            var back = Here("/andra");
            return LocalRedirect(back + (back.Contains('?') ? "&" : "?") + "klart=true");
        }

        Show(result.Error);
        var typed = AllowsIndicatorForecasts;
        await OnGetAsync();
        AllowsIndicatorForecasts = typed;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return Page();
        }

        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var saved = await SaveAsync(Version, m => m with
        {
            Name = Name ?? "", Vision = Clean(Vision) ?? "", Description = Clean(Description), FirstYear = FirstYear ?? 0, LastYear = LastYear ?? 0,
            Cadence = Cadence, DimensionLabel = Clean(DimensionLabel) ?? "",
        }, "/andra");
        if (saved is not null)
        {
            return saved;
        }

        if (Conflicted)
        {
            // Saving again now overrides the other person's change knowingly.
            Version = Current?.Version;
        }

        return Page();
    }

    protected override bool Beside(string field) => field is "name" or "vision" or "description" or "firstYear" or "lastYear" or "cadence" or "dimensionLabel";

    /// <summary>After a refused save because someone else saved first: their value, when it differs from what was typed.</summary>
    public string? Theirs(string? typed, string? theirs) =>
        Conflicted && Current is not null && (typed ?? "").Trim() != (theirs ?? "").Trim() ? Text["ModelAdmin.TheirValue", string.IsNullOrEmpty(theirs) ? "–" : theirs].Value : null;
}
