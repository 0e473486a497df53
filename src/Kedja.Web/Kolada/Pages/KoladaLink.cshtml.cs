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
public sealed class KoladaLinkModel(TenantContext tenant, KedjaDbContext db, KoladaFetching kolada) : FormPage
{
    public TenantContext Tenant => tenant;

    public Guid IndicatorId { get; private set; }

    public string IndicatorName { get; private set; } = "";

    /// <summary>Null when the indicator is not linked to Kolada.</summary>
    public KoladaStatusDto? Status { get; private set; }

    /// <summary>An editor of the indicator's unit or an administrator: the buttons are shown.</summary>
    public bool CanAct { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid indicatorId) =>
        await LoadAsync(indicatorId) ? Page() : NotFound();

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
        Ready = true;
        return true;
    }
}
