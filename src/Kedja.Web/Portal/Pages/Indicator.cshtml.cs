using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// An indicator's published outcomes with their targets (issue 13): the trend chart the signed-in goal page draws, as
/// SVG with a text alternative, and the same numbers as a table, "Källa: Kolada" on values fetched from Kolada. With a
/// period, the outcomes up to that published period.
/// </summary>
[AllowAnonymous]
public sealed class IndicatorModel(PortalViews views) : PageModel
{
    public IndicatorPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, Guid indicatorId, [FromQuery(Name = "period")] string? periodKey)
    {
        PortalHtml.UseSwedish();
        var read = await views.IndicatorAsync(slug, indicatorId, periodKey, ct: HttpContext.RequestAborted);
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        ViewData["Municipality"] = view.Tenant.Name;
        return Page();
    }
}
