using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>One goal's status, explanation and indicators for an iframe.</summary>
public sealed class GoalEmbedModel(PortalViews views) : PortalViewModel<GoalPageView>
{
    public async Task<IActionResult> OnGetAsync(string slug, Guid goalId, [FromQuery(Name = "period")] string? periodKey) =>
        Embed(await views.GoalAsync(slug, goalId, periodKey, embed: true, HttpContext.RequestAborted),
            v => PortalUrls.Goal(v.Tenant.Slug, v.Goal.Id, v.Tenant.Period.Key));
}
