using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.Pages;

/// <summary>
/// The signed-in person's own account: change the password (the current one checked like a sign-in; every other
/// session and token ends) and their personal access tokens for the API (a new one is shown once).
/// </summary>
public sealed class ProfileModel(UserManager<KedjaUser> users, Accounts accounts, AccessTokens tokens, TwoFactor.SecondFactor twoFactor, IStringLocalizer<Texts> text,
    BrowserSessions sessions, OwnDataExport export) : PageModel
{
    /// <summary>The person's signed-in browser sessions, this one first (ASVS 3.3.4).</summary>
    public List<SessionInfo> Sessions { get; private set; } = [];

    public string Email => User.Identity?.Name ?? "";

    public List<TokenInfo> Tokens { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Done { get; private set; }

    /// <summary>A token just made: shown this once, never again.</summary>
    public string? NewSecret { get; private set; }

    /// <summary>False for someone who signs in only through the municipality's provider: there is no password to change.</summary>
    public bool HasPassword { get; private set; } = true;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        HasPassword = (await users.FindByIdAsync(UserId))?.PasswordHash is not null;
        var executed = await next();
        if (executed.Result is PageResult)
        {
            // After the handler, so that a new password's new session is the one listed.
            Sessions = await sessions.ListAsync(HttpContext.User, HttpContext.RequestAborted);
        }
    }

    /// <summary>Ends one of this person's sessions; another person's id is answered as an unknown one and ends nothing.</summary>
    public async Task<IActionResult> OnPostEndSessionAsync([FromForm(Name = "id")] Guid id) =>
        await sessions.EndAsync(User, id, HttpContext.RequestAborted) ? LocalRedirect("/profil?utloggad=1") : NotFound();

    /// <summary>ASVS 8.3.2: the person's own account data as a JSON file (a POST: it is audited, and a link cannot start it).</summary>
    public async Task<IActionResult> OnPostExportAsync() =>
        await export.ExportAsync(User, ClientAddress.Of(HttpContext), HttpContext.RequestAborted) is { } file
            ? File(file, "application/json; charset=utf-8", "kedja-mina-uppgifter.json")
            : NotFound();

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        await sessions.EndOthersAsync(User, HttpContext.RequestAborted);
        return LocalRedirect("/profil?utloggad=alla");
    }

    public async Task OnGetAsync([FromQuery(Name = "utloggad")] string? ended)
    {
        Done = ended switch { "1" => text["Profile.SessionEnded"].Value, "alla" => text["Profile.OthersEnded"].Value, _ => null };
        Tokens = await tokens.ListAsync(UserId, HttpContext.RequestAborted);
    }

    /// <remarks>Guessing the current password here meets the sign-in's delays (per address and account, in the database).</remarks>
    public async Task<IActionResult> OnPostPasswordAsync([FromForm(Name = "nuvarande")] string? current, [FromForm(Name = "nytt")] string? password,
        [FromForm(Name = "upprepa")] string? repeated)
    {
        if (!string.Equals(password, repeated, StringComparison.Ordinal))
        {
            Errors["newPassword"] = text["Profile.NotSame"];
        }
        else
        {
            switch (await accounts.ChangePasswordAsync(UserId, current, password, ClientAddress.Of(HttpContext), HttpContext.RequestAborted))
            {
                case PasswordResult.Invalid invalid:
                    foreach (var (field, messages) in invalid.Errors)
                    {
                        Errors[field] = string.Join(" ", messages);
                    }

                    break;
                case PasswordResult.Delayed delayed:
                    Response.Headers.RetryAfter = ((int)Math.Ceiling(delayed.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    Errors["currentPassword"] = text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)];
                    break;
                default:
                    // The new password gave the account a new stamp, which ends every session; this one goes on with it.
                    await CookieSignIn.SignInAsync(HttpContext, (await users.FindByIdAsync(UserId))!, [.. User.FindAll(TwoFactor.SecondFactor.AmrClaim)]);
                    Done = text["Profile.PasswordChanged"];
                    break;
            }
        }

        if (Errors.Count > 0 && Response.StatusCode == StatusCodes.Status200OK)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Tokens = await tokens.ListAsync(UserId, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostTokenAsync([FromForm(Name = "namn")] string? name, [FromForm(Name = "dagar")] int? days)
    {
        if (AccessTokens.CheckDays(days) is { } error)
        {
            Errors["expiresInDays"] = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (await users.FindByIdAsync(UserId) is not { } user || !await twoFactor.MayCreateTokensAsync(User, user, HttpContext.RequestAborted))
        {
            Errors["token"] = text["TwoFactor.TokensNeedCode"];
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else
        {
            var (secret, _) = await tokens.CreateAsync(user, name, days, User.FindFirstValue(CookieSignIn.MethodClaim) ?? CookieSignIn.PasswordMethod, HttpContext.RequestAborted);
            NewSecret = secret;
            // Shown once: no cache on the way may keep the page.
            Response.Headers.CacheControl = "no-store";
        }

        Tokens = await tokens.ListAsync(UserId, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm(Name = "id")] Guid id)
    {
        if (!await tokens.RevokeAsync(UserId, Email, id, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        return LocalRedirect("/profil");
    }
}
