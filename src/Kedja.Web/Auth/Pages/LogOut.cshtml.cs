using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Auth.Pages;

/// <summary>Sign-out: a form post (with its antiforgery token), never a link, so another site cannot sign anyone out.</summary>
public sealed class LogOutModel : PageModel
{
    /// <summary>For a session from a municipality's provider: its sign-out, which the page moves on to (ADR 45).</summary>
    public string? ProviderSignOut { get; private set; }

    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        ProviderSignOut = await SingleSignOn.SsoSignInHosting.SignOutAsync(HttpContext);
        if (ProviderSignOut is not null)
        {
            Response.Headers["Refresh"] = "0;url=" + ProviderSignOut;
            return Page();
        }

        return LocalRedirect(CookieSignIn.SignInPath);
    }
}
