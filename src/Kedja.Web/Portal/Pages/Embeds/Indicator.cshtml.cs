using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>An indicator's trend chart and its numbers for an iframe.</summary>
public sealed class IndicatorEmbedModel(PortalViews views) : PortalViewModel<IndicatorPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid indicatorId, [FromQuery(Name = "period")] string? periodKey) =>
        Embed(await views.IndicatorAsync(slug, indicatorId, periodKey, embed: true, HttpContext.RequestAborted),
            v => PortalUrls.Indicator(v.Tenant.Slug, v.Indicator.Id, v.Tenant.Period.Key));
}
