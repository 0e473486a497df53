using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// A goal in a published period (issue 13): its status with the engine's explanation and its history, the goals above
/// and below it ("den röda tråden"), strategies, indicators, the published assessment, activities and Agenda 2030.
/// Anything not published, and an id of another municipality, is a plain 404.
/// </summary>
public sealed class GoalModel(PortalViews views) : PortalViewModel<GoalPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid goalId, [FromQuery(Name = "period")] string? periodKey) =>
        Show(await views.GoalAsync(slug, goalId, periodKey, ct: HttpContext.RequestAborted));
}
