using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Auth.Pages;

/// <summary>Sign-out: a form post (with its antiforgery token), never a link, so another site cannot sign anyone out.</summary>
public sealed class LogOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await CookieSignIn.SignOutAsync(HttpContext);
        return LocalRedirect(CookieSignIn.SignInPath);
    }
}
