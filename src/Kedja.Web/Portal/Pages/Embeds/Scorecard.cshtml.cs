using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>A unit's goals per perspective with their status for an iframe.</summary>
public sealed class ScorecardEmbedModel(PortalViews views) : PortalViewModel<UnitPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid unitId, [FromQuery(Name = "period")] string? periodKey) =>
        Embed(await views.UnitAsync(slug, unitId, periodKey, embed: true, HttpContext.RequestAborted),
            v => PortalUrls.Unit(v.Tenant.Slug, v.Unit.Id, v.Tenant.Period.Key));
}
