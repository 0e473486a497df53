using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The portal's accessibility statement (tillgänglighetsredogörelse), linked from every portal page's footer: the
/// municipality's own text, or Kedja's default with its name, as sanitised HTML. Read through <see cref="PublicReader"/>
/// like every portal page: a municipality that is unknown or has published nothing has no portal, and no statement.
/// </summary>
[AllowAnonymous]
public sealed class AccessibilityModel(PublicReader reader) : PageModel
{
    public PublicPortalDto? Portal { get; private set; }

    /// <summary>The statement as <see cref="AccessibilityStatement.ToHtml"/> made it: safe to write as it is.</summary>
    public string Html { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var read = await reader.ReadAsync(slug, t => t.PortalAsync(HttpContext.RequestAborted), HttpContext.RequestAborted);
        if (read.Value is not { } portal)
        {
            return NotFound();
        }

        Portal = portal;
        Html = AccessibilityStatement.ToHtml(portal.AccessibilityStatement ?? AccessibilityStatement.Default(portal.Name));
        ViewData["Municipality"] = portal.Name;
        return Page();
    }
}
