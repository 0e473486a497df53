using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>An indicator's trend chart and its numbers for an iframe; framed only by the sites the municipality lists.</summary>
[AllowAnonymous]
public sealed class IndicatorEmbedModel(PortalViews views) : PageModel
{
    public IndicatorPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, Guid indicatorId, [FromQuery(Name = "period")] string? periodKey)
    {
        PortalHtml.UseSwedish();
        var read = await views.IndicatorAsync(slug, indicatorId, periodKey, embed: true, HttpContext.RequestAborted);
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        SecurityHeadersMiddleware.AllowFramingBy(HttpContext, view.Tenant.EmbedOrigins);
        ViewData["Municipality"] = view.Tenant.Name;
        ViewData["PortalUrl"] = PortalUrls.Indicator(view.Tenant.Slug, view.Indicator.Id, view.Tenant.Period.Key);
        return Page();
    }
}
