using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// A goal in a published period (issue 13): its status with the engine's explanation and its history, the goals above
/// and below it ("den röda tråden"), strategies, indicators, the published assessment, activities and Agenda 2030.
/// Anything not published, and an id of another municipality, is a plain 404.
/// </summary>
[AllowAnonymous]
public sealed class GoalModel(PortalViews views) : PageModel
{
    public GoalPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        PortalHtml.UseSwedish();
        var read = await views.GoalAsync(slug, goalId, periodKey, ct: HttpContext.RequestAborted);
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        ViewData["Municipality"] = view.Tenant.Name;
        return Page();
    }
}
