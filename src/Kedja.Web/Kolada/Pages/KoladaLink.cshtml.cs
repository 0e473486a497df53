using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Kolada.Pages;

/// <summary>
/// An indicator's link to Kolada (ADR 39): the KPI and its title, the municipality or unit, the gender, when it was last
/// fetched or why not, and the values flagged for review. Every member reads it; an editor of the indicator's unit (or an
/// administrator) fetches now and marks flags as reviewed, through <see cref="KoladaFetching"/> as the API does.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class KoladaLinkModel(TenantContext tenant, KedjaDbContext db, KoladaFetching kolada, KoladaLinking linking) : FormPage
{
    public TenantContext Tenant => tenant;

    /// <summary>What the person searches Kolada's catalogue for.</summary>
    [BindProperty(SupportsGet = true, Name = "sok")]
    public string? Search { get; set; }

    /// <summary>The KPI the person chose from the hits, to link.</summary>
    [BindProperty(SupportsGet = true, Name = "valj")]
    public string? Chosen { get; set; }

    public List<KoladaKpiHit>? Hits { get; private set; }

    /// <summary>The municipality the link form offers: the tenant's own kommunkod.</summary>
    public string? Kommunkod { get; private set; }

    public int? Version { get; private set; }

    public Guid IndicatorId { get; private set; }

    public string IndicatorName { get; private set; } = "";

    /// <summary>Null when the indicator is not linked to Kolada.</summary>
    public KoladaStatusDto? Status { get; private set; }

    /// <summary>An editor of the indicator's unit or an administrator: the buttons are shown.</summary>
    public bool CanAct { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid indicatorId)
    {
        if (!await LoadAsync(indicatorId))
        {
            return NotFound();
        }

        if (CanAct && !string.IsNullOrWhiteSpace(Search) && Chosen is null)
        {
            var found = await linking.SearchAsync(Search, HttpContext.RequestAborted);
            Hits = found.Value;
            if (found.Error is { } error)
            {
                Show(error, error.Message);
                Response.StatusCode = StatusCodes.Status200OK;
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostLinkAsync(Guid indicatorId, [FromForm(Name = "kpi")] string? kpi, [FromForm(Name = "kommun")] string? municipality,
        [FromForm(Name = "enhet")] string? ou, [FromForm(Name = "kon")] Domain.Indicators.KoladaGender gender, [FromForm(Name = "version")] int? version)
    {
        var linked = await linking.LinkAsync(indicatorId, kpi ?? "", municipality, ou, gender, version, HttpContext.RequestAborted);
        if (!await LoadAsync(indicatorId))
        {
            return NotFound();
        }

        if (linked.Error is { } error)
        {
            Chosen = kpi;
            Show(error, error.Message);
            return Page();
        }

        return Saved($"/k/{tenant.Slug}/indikator/{indicatorId}/kolada", FormDone.IndicatorSaved);
    }

    public async Task<IActionResult> OnPostFetchAsync(Guid indicatorId)
    {
        var fetched = await kolada.FetchIndicatorAsync(indicatorId, HttpContext.RequestAborted);
        if (!await LoadAsync(indicatorId))
        {
            return NotFound();
        }

        if (fetched.Error is { } error)
        {
            Show(error, error.Message);
            return Page();
        }

        // A fetch that failed (Kolada unreachable, the KPI gone) is said by the status's error on the page; a "fetched"
        // line above it would contradict it.
        var url = $"/k/{tenant.Slug}/indikator/{indicatorId}/kolada";
        return fetched.Value!.Failed > 0 ? LocalRedirect(url) : Saved(url, FormDone.KoladaFetched);
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid indicatorId, [FromForm(Name = "period")] string? periodKey)
    {
        var reviewed = await kolada.ReviewAsync(indicatorId, string.IsNullOrEmpty(periodKey) ? null : periodKey, HttpContext.RequestAborted);
        if (!await LoadAsync(indicatorId))
        {
            return NotFound();
        }

        if (reviewed.Error is { } error)
        {
            Show(error, error.Message);
            return Page();
        }

        return Saved($"/k/{tenant.Slug}/indikator/{indicatorId}/kolada", FormDone.KoladaReviewed);
    }

    private async Task<bool> LoadAsync(Guid indicatorId)
    {
        var ct = HttpContext.RequestAborted;
        var indicator = await db.Indicators.AsNoTracking().Where(i => i.Id == indicatorId).Select(i => new { i.Name, i.OwnerUnitId }).SingleOrDefaultAsync(ct);
        if (indicator is null)
        {
            return false;
        }

        IndicatorId = indicatorId;
        IndicatorName = indicator.Name;
        Status = (await kolada.StatusAsync(indicatorId, ct)).Value;
        CanAct = await UnitScope.AllowsAsync(tenant, db, indicator.OwnerUnitId, ct);
        Version = await db.Indicators.Where(i => i.Id == indicatorId).Select(i => (int?)i.Version).SingleAsync(ct);
        Kommunkod = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Kommunkod).SingleOrDefaultAsync(ct);
        Ready = true;
        return true;
    }
}
