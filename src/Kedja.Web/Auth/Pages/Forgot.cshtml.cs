using Kedja.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.Pages;

/// <summary>
/// "Glömt lösenord", which the mails name: the same as the API's /auth/password/forgot – the same limits per address
/// and per account, the same answer whether or not the address has an account, the mail sent afterwards.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Forgot)]
public sealed class ForgotModel(Accounts accounts, AccountRateLimits limits, IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            Error = text["Forgot.EmailMissing"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (await limits.ForgotAsync(Email.Trim(), HttpContext.RequestAborted) is { } wait)
        {
            Error = text["Forgot.TooMany", Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }

        await accounts.RequestResetAsync(Email, HttpContext.RequestAborted);
        Sent = true;
        return Page();
    }
}
