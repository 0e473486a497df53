using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Kedja.Web.Ui;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.Pages;

/// <summary>
/// Where the link in an invitation or reset mail leads: the person chooses their own password. The same service as
/// <c>POST /api/v1/auth/password/set</c>; the form is protected against CSRF by Razor Pages' antiforgery token.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SetPassword)]
public sealed class SetPasswordModel(Accounts accounts, IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kod { get; set; }

    public List<string> Errors { get; } = [];

    public bool Done { get; private set; }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "nytt")] string? password, [FromForm(Name = "upprepa")] string? repeated)
    {
        if (!string.Equals(password, repeated, StringComparison.Ordinal))
        {
            Errors.Add(text["Profile.NotSame"]);
            return Page();
        }

        switch (await accounts.SetPasswordWithLinkAsync(Kod, password, HttpContext.RequestAborted))
        {
            case PasswordResult.Invalid invalid:
                Errors.AddRange(invalid.Errors.SelectMany(e => e.Value));
                return Page();
            case PasswordResult.Delayed delayed:
                Response.Headers.RetryAfter = ((int)Math.Ceiling(delayed.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Errors.Add(text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)]);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Done = true;
                return Page();
        }
    }
}
