using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// A unit's scorecard (målkort) in a published period (issue 13): its goals per perspective with their status, its
/// basic mission and programmes, and the units below it, so that a reader can go down the organisation from the
/// council through committees and departments to units. A unit that is no longer active keeps its page: what it
/// reported in published periods stays public, and the page says that it no longer exists.
/// </summary>
public sealed class UnitModel(PortalViews views) : PortalViewModel<UnitPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid unitId, [FromQuery(Name = "period")] string? periodKey) =>
        Show(await views.UnitAsync(slug, unitId, periodKey, ct: HttpContext.RequestAborted));
}
