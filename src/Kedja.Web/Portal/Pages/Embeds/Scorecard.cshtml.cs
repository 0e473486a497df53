using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>A unit's goals per perspective with their status for an iframe; framed only by the sites the municipality lists.</summary>
[AllowAnonymous]
public sealed class ScorecardEmbedModel(PortalViews views) : PageModel
{
    public UnitPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, Guid unitId, [FromQuery(Name = "period")] string? periodKey)
    {
        PortalHtml.UseSwedish();
        var read = await views.UnitAsync(slug, unitId, periodKey, embed: true, HttpContext.RequestAborted);
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        SecurityHeadersMiddleware.AllowFramingBy(HttpContext, view.Tenant.EmbedOrigins);
        ViewData["Municipality"] = view.Tenant.Name;
        ViewData["PortalUrl"] = PortalUrls.Unit(view.Tenant.Slug, view.Unit.Id, view.Tenant.Period.Key);
        return Page();
    }
}
