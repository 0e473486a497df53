using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Ui.Pages;

/// <summary>Chooses the interface's language (a cookie for a year) and goes back to the page it was chosen on.</summary>
[AllowAnonymous]
public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost([FromForm(Name = "sprak")] string? language, [FromForm(Name = "tillbaka")] string? back)
    {
        if (Language.CookieValue(language) is { } value)
        {
            Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, value,
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = Request.IsHttps });
        }

        return LocalRedirect(LocalTarget.Of(Url, back));
    }
}
