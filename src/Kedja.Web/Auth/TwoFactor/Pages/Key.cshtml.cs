using Kedja.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.TwoFactor.Pages;

/// <summary>
/// The second step with a security key instead of a code (ADR 56): reached only with the five-minute cookie the password
/// step left (its path covers this page); each visit makes a new single-use challenge for the person's own keys.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class KeyModel(SecondFactor twoFactor, SecurityKeys keys, IStringLocalizer<Texts> text) : PageModel
{
    public Ceremony? Ceremony { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await twoFactor.PendingAsync(HttpContext) is not { } user)
        {
            return LocalRedirect(CookieSignIn.SignInPath);
        }

        Response.Headers.CacheControl = "no-store";
        Ceremony = await keys.BeginSignInAsync(HttpContext, user);
        return Ceremony is null ? LocalRedirect(SecondFactor.CodePath) : Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "utmaning")] Guid challenge, [FromForm(Name = "svar")] string? answer)
    {
        var result = await twoFactor.CompleteWithKeyAsync(HttpContext, challenge, answer);
        if (result is CodeResult.Accepted accepted)
        {
            return LocalRedirect(LocalTarget.Of(Url, accepted.Target));
        }

        Response.StatusCode = result is CodeResult.Delayed ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        Error = result switch
        {
            CodeResult.Delayed delayed => text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)],
            CodeResult.Expired => text["TwoFactor.Expired"],
            _ => text["SecurityKeys.SignInRefused"],
        };
        if (result is not CodeResult.Expired && await twoFactor.PendingAsync(HttpContext) is { } user)
        {
            Response.Headers.CacheControl = "no-store";
            Ceremony = await keys.BeginSignInAsync(HttpContext, user);
        }

        return Page();
    }
}
