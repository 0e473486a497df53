using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.TwoFactor.Pages;

/// <summary>
/// The signed-in person's two-factor: a QR code and the key to put into an authenticator app, turned on with a code
/// from it (ten recovery codes shown once), new recovery codes, and off again with a code unless the account must have
/// it. The one page a session that must enrol can reach (<see cref="TwoFactorGate"/>).
/// </summary>
public sealed class EnrolModel(UserManager<KedjaUser> users, SecondFactor twoFactor, IStringLocalizer<Texts> text) : PageModel
{
    public Enrolment State { get; private set; } = null!;

    /// <summary>Recovery codes just made: shown this once, never again.</summary>
    public List<string> NewCodes { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <summary>This session may do nothing else until two-factor is on.</summary>
    public bool MustEnrol => User.HasClaim(SecondFactor.EnrolClaim, "true") && !State.Enabled;

    public string? QrSvg => State.Uri is null ? null : QrCode.Svg(State.Uri);

    public async Task OnGetAsync()
    {
        // The key is a secret until the app has it: no cache on the way may keep the page.
        Response.Headers.CacheControl = "no-store";
        State = await twoFactor.EnrolmentAsync(await UserAsync(), HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostOnAsync([FromForm(Name = "kod")] string? code)
    {
        var user = await UserAsync();
        var result = await twoFactor.EnableAsync(HttpContext, user, code);
        return await ShowAsync(user, result, text["TwoFactor.IsOn"]);
    }

    public async Task<IActionResult> OnPostOffAsync([FromForm(Name = "kod")] string? code)
    {
        var user = await UserAsync();
        var result = await twoFactor.DisableAsync(HttpContext, user, code);
        return await ShowAsync(user, result, text["TwoFactor.IsOff"]);
    }

    public async Task<IActionResult> OnPostChangeAsync([FromForm(Name = "kod")] string? code)
    {
        var user = await UserAsync();
        var result = await twoFactor.ChangeAppAsync(HttpContext, user, code);
        return result is SwitchResult.Done ? LocalRedirect(SecondFactor.EnrolPath) : await ShowAsync(user, result, "");
    }

    public async Task<IActionResult> OnPostCodesAsync()
    {
        var user = await UserAsync();
        if (!user.TwoFactorEnabled)
        {
            return LocalRedirect(SecondFactor.EnrolPath);
        }

        return await ShowAsync(user, new SwitchResult.Done(await twoFactor.RenewRecoveryCodesAsync(HttpContext, user)), text["TwoFactor.NewCodesMade"]);
    }

    private async Task<IActionResult> ShowAsync(KedjaUser user, SwitchResult result, string done)
    {
        // Recovery codes and the key are shown to this person only: no cache on the way may keep the page.
        Response.Headers.CacheControl = "no-store";
        switch (result)
        {
            case SwitchResult.Done made:
                NewCodes = made.RecoveryCodes;
                Done = done;
                break;
            case SwitchResult.Delayed delayed:
                Response.Headers.RetryAfter = ((int)Math.Ceiling(delayed.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Error = text["SignIn.Delayed", (int)Math.Ceiling(delayed.RetryAfter.TotalMinutes)];
                break;
            case SwitchResult.Required:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Error = text["TwoFactor.CannotTurnOff"];
                break;
            default:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                // Before enrolment there are no recovery codes yet: the general message would send a newcomer looking for them.
                Error = user.TwoFactorEnabled ? text["TwoFactor.WrongCode"] : text["TwoFactor.WrongEnrolCode"];
                break;
        }

        State = await twoFactor.EnrolmentAsync(user, HttpContext.RequestAborted);
        return Page();
    }

    private async Task<KedjaUser> UserAsync() => (await users.FindByIdAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!))!;
}
