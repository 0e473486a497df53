using Kedja.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.TwoFactor.Pages;

/// <summary>
/// The second step of a sign-in with a password: the code from the authenticator app, or a recovery code. Reached only
/// with the five-minute cookie the password step left; throttled like the password (<see cref="SecondFactor"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class CodeModel(SecondFactor twoFactor, IStringLocalizer<Texts> text) : PageModel
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await twoFactor.PendingAsync(HttpContext) is null ? LocalRedirect(CookieSignIn.SignInPath) : Page();

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "kod")] string? code)
    {
        switch (await twoFactor.CompleteAsync(HttpContext, code))
        {
            case CodeResult.Accepted accepted:
                return LocalRedirect(LocalTarget.Of(Url, accepted.Target));
            case CodeResult.Delayed delayed:
                Response.Headers.RetryAfter = ((int)Math.Ceiling(delayed.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Error = text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)];
                return Page();
            case CodeResult.Expired:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Error = text["TwoFactor.Expired"];
                return Page();
            default:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Error = text["TwoFactor.WrongCode"];
                return Page();
        }
    }
}
