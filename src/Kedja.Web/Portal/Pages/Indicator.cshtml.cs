using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// An indicator's published outcomes with their targets (issue 13): the trend chart the signed-in goal page draws, as
/// SVG with a text alternative, and the same numbers as a table, "Källa: Kolada" on values fetched from Kolada. With a
/// period, the outcomes up to that published period.
/// </summary>
public sealed class IndicatorModel(PortalViews views) : PortalViewModel<IndicatorPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid indicatorId, [FromQuery(Name = "period")] string? periodKey) =>
        Show(await views.IndicatorAsync(slug, indicatorId, periodKey, ct: HttpContext.RequestAborted));
}
