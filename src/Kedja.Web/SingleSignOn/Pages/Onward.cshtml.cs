using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.SingleSignOn.Pages;

/// <summary>
/// Between the sign-in form and the municipality's provider: the browser leaves the form here (the form may only lead
/// to Kedja itself, Content-Security-Policy form-action 'self') and goes on by a Refresh header, without JavaScript,
/// or by the link for a browser that does not follow it.
/// </summary>
[AllowAnonymous]
public sealed class OnwardModel(SsoProviders providers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "epost")]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true, Name = "tillbaka")]
    public string? ReturnUrl { get; set; }

    public string Start { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await providers.FindAsync(slug, HttpContext.RequestAborted) is null)
        {
            return LocalRedirect(Auth.CookieSignIn.SignInPath);
        }

        Start = SsoLogIn.Address(SsoSchemes.PathPrefix + slug + "/start", Email, ReturnUrl);
        Response.Headers["Refresh"] = "0;url=" + Start;
        return Page();
    }
}
