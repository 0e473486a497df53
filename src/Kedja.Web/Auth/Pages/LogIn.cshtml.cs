using Kedja.Data;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.Pages;

/// <summary>
/// Sign-in with e-mail and password for the pages: the same check as the token endpoint (<see cref="SignIn"/>: delays
/// per address and account, lock-out, audit of failures), then a session cookie. Antiforgery by Razor Pages.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class LogInModel(SignIn signIn, TwoFactor.SecondFactor twoFactor, KedjaDbContext db, TimeProvider clock, IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tillbaka")]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public string? Error { get; private set; }

    /// <summary>The municipality the typed address belongs to, when it has its own sign-in (ADR 45).</summary>
    public SingleSignOn.HomeRealm? Realm { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Target()) : Page();

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "losenord")] string? password, [FromForm(Name = "via")] string? via)
    {
        // Home realm discovery: an address of a municipality with its own sign-in, without a password, goes there.
        Realm = await HttpContext.RequestServices.GetRequiredService<SingleSignOn.HomeRealms>().FindAsync(Email, HttpContext.RequestAborted);
        if (SingleSignOn.SsoLogIn.Challenge(Realm, Email, password, via, ReturnUrl) is { } challenge)
        {
            return challenge;
        }

        if (string.IsNullOrEmpty(password))
        {
            Error = text["SignIn.PasswordMissing"];
            return Page();
        }

        switch (await signIn.CheckPasswordAsync(Email, password, ClientAddress.Of(HttpContext), HttpContext.RequestAborted))
        {
            case SignInResult.Succeeded succeeded:
                var user = succeeded.User;
                if (await twoFactor.AfterPasswordAsync(HttpContext, user, Target()) is { } step)
                {
                    return LocalRedirect(step);
                }

                await CookieSignIn.SignInAsync(HttpContext, user);
                db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignedIn", user.Email ?? user.Id, clock.GetUtcNow(),
                    details: new { address = ClientAddress.Of(HttpContext), how = "cookie" }));
                await db.SaveChangesAsync(HttpContext.RequestAborted);
                return LocalRedirect(Target());
            case SignInResult.Delayed delayed:
                Response.Headers.RetryAfter = ((int)Math.Ceiling(delayed.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Error = text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)];
                return Page();
            case SignInResult.LockedOut:
                Error = text["SignIn.LockedOut"];
                return Page();
            default:
                Error = text["SignIn.Failed"];
                return Page();
        }
    }

    /// <summary>Back where the person was sent from, if that is a page of Kedja; else the start.</summary>
    private string Target() => LocalTarget.Of(Url, ReturnUrl);
}
