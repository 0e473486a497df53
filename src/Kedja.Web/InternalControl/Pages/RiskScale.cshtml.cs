using System.Globalization;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// The municipality's risk scale: the steps of likelihood and consequence with their labels, the colour bands, the
/// categories and the plan threshold. Everyone in the municipality reads it; administrators change it through
/// <see cref="RiskSettingsEditing"/>, as the API does, and are told every error at once.
/// </summary>
[RequireTenant]
public sealed class RiskScaleModel(TenantContext tenant, RiskSettingsEditing editing, IStringLocalizer<Texts> text) : FormPage
{
    /// <summary>The rows the form offers for steps and bands: as many as a scale may have.</summary>
    public const int Rows = RiskScale.MaxSteps;

    public sealed class BandInput
    {
        public string? MinValue { get; set; }

        public string? Name { get; set; }

        public string? Colour { get; set; }
    }

    public TenantContext Tenant => tenant;

    public VersionedRiskSettings? Current { get; private set; }

    public bool MayChange => tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin;

    [BindProperty]
    public List<string?> Likelihood { get; set; } = [];

    [BindProperty]
    public List<string?> Consequence { get; set; } = [];

    [BindProperty]
    public List<BandInput> Bands { get; set; } = [];

    [BindProperty]
    public string? Categories { get; set; }

    [BindProperty]
    public string? PlanThreshold { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public async Task OnGetAsync()
    {
        Current = await editing.GetAsync(HttpContext.RequestAborted);
        Fill(Current);
        Ready = true;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Current = await editing.GetAsync(HttpContext.RequestAborted);
        if (!MayChange)
        {
            return Refuse(StatusCodes.Status403Forbidden, RiskSettingsEditing.AdminsOnly);
        }

        Ready = true;
        var result = await editing.SaveAsync(Read(), Unreadable, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/intern-kontroll/skala?klart=true");
        }

        Show(result.Error, result.Error.Kind == ServiceErrorKind.Conflict ? text["Risk.ScaleConflict"] : text["Risk.ScaleNotSaved"],
            field => field.StartsWith("categories", StringComparison.Ordinal) ? "categories" : field);
        Pad();
        if (result.Error.Kind == ServiceErrorKind.Conflict)
        {
            Version = Current.Version;
        }

        return Page();
    }

    private void Fill(VersionedRiskSettings s)
    {
        Likelihood = [.. s.Likelihood];
        Consequence = [.. s.Consequence];
        Bands = [.. s.Bands.Select(b => new BandInput { MinValue = b.MinValue.ToString(CultureInfo.InvariantCulture), Name = b.Name, Colour = b.Colour })];
        Categories = string.Join("\n", s.Categories);
        PlanThreshold = s.PlanThreshold.ToString(CultureInfo.InvariantCulture);
        Version = s.Version;
        Pad();
    }

    /// <summary>Empty rows up to <see cref="Rows"/>, so that a step or a band can be added without a script.</summary>
    private void Pad()
    {
        while (Likelihood.Count < Rows)
        {
            Likelihood.Add(null);
        }

        while (Consequence.Count < Rows)
        {
            Consequence.Add(null);
        }

        while (Bands.Count < Rows)
        {
            Bands.Add(new BandInput());
        }
    }

    /// <summary>
    /// The form as the service takes it: the steps up to the last one named (an empty step between named ones is kept,
    /// so that the service says it needs a name), the bands with anything typed, one category a line.
    /// </summary>
    private VersionedRiskSettings Read()
    {
        static List<string> Steps(List<string?> typed)
        {
            var count = typed.FindLastIndex(t => !string.IsNullOrWhiteSpace(t)) + 1;
            return [.. typed.Take(count).Select(t => t?.Trim() ?? "")];
        }

        int Number(string field, string? typed, string message)
        {
            if (int.TryParse(typed?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            Unreadable.Unreadable(field, message);
            return 0;
        }

        // The rows left empty go, so that the service's "bands[2]" is the third row the page shows again.
        Bands = [.. Bands.Where(b => !string.IsNullOrWhiteSpace(b.MinValue) || !string.IsNullOrWhiteSpace(b.Name))];
        var bands = new List<RiskBand>();
        foreach (var band in Bands)
        {
            bands.Add(new RiskBand(Number($"bands[{bands.Count}].minValue", band.MinValue, text["Risk.BandValueBad"]), band.Name?.Trim() ?? "", band.Colour?.Trim() ?? ""));
        }

        var categories = (Categories ?? "").Split('\n').Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        return new VersionedRiskSettings(Steps(Likelihood), Steps(Consequence), bands, categories, Number("planThreshold", PlanThreshold, text["Risk.ThresholdBad"]), Version);
    }
}
