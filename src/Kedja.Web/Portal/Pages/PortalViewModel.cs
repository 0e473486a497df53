using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>A portal page or embed that shows one view read by <see cref="PortalViews"/>.</summary>
[AllowAnonymous]
public abstract class PortalViewModel<TView> : PageModel where TView : class, IPortalView
{
    public TView View { get; private set; } = null!;

    /// <summary>The page, or a plain 404 for anything the published view does not hold.</summary>
    protected IActionResult Show(ServiceResult<TView> read)
    {
        if (read.Value is not { } view)
        {
            return NotFound();
        }

        View = view;
        ViewData["Municipality"] = view.Tenant.Name;
        return Page();
    }

    /// <summary>
    /// An embed (ADR 44): the same view as its portal page, framed only by the sites the municipality lists, with a link
    /// to that page.
    /// </summary>
    protected IActionResult Embed(ServiceResult<TView> read, Func<TView, string> portalUrl)
    {
        var shown = Show(read);
        if (read.Value is { } view)
        {
            SecurityHeadersMiddleware.AllowFramingBy(HttpContext, view.Tenant.EmbedOrigins);
            ViewData["PortalUrl"] = portalUrl(view);
        }

        return shown;
    }
}
