using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages.Embeds;

/// <summary>One goal's status, explanation and indicators for an iframe; framed only by the sites the municipality lists.</summary>
[AllowAnonymous]
public sealed class GoalEmbedModel(PortalViews views) : PageModel
{
    public GoalPageView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        PortalHtml.UseSwedish();
        var read = await views.GoalAsync(slug, goalId, periodKey, embed: true, HttpContext.RequestAborted);
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        SecurityHeadersMiddleware.AllowFramingBy(HttpContext, view.Tenant.EmbedOrigins);
        ViewData["Municipality"] = view.Tenant.Name;
        ViewData["PortalUrl"] = PortalUrls.Goal(view.Tenant.Slug, view.Goal.Id, view.Tenant.Period.Key);
        return Page();
    }
}
