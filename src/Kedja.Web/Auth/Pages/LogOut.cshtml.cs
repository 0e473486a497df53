using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Auth.Pages;

/// <summary>Sign-out: a form post (with its antiforgery token), never a link, so another site cannot sign anyone out.</summary>
public sealed class LogOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // A session started through a municipality's provider goes on to the provider's sign-out (ADR 45).
        return await SingleSignOn.SsoSignInHosting.SignOutAsync(HttpContext) ? new EmptyResult() : LocalRedirect(CookieSignIn.SignInPath);
    }
}
