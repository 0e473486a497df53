using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Auth.TwoFactor.Pages;

/// <summary>
/// The signed-in person's security keys (ADR 56): the list with removal, and a new key registered through the browser
/// (wwwroot/js/security-key.js). Open to a session that must enrol: a key is a second factor as the app is.
/// </summary>
public sealed class KeysModel(UserManager<KedjaUser> users, SecurityKeys keys, SecondFactor twoFactor, IStringLocalizer<Texts> text) : PageModel
{
    public List<SecurityKey> Keys { get; private set; } = [];

    public Ceremony Ceremony { get; private set; } = null!;

    public List<string> NewCodes { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync() => await ShowAsync(await UserAsync());

    public async Task<IActionResult> OnPostAddAsync([FromForm(Name = "utmaning")] Guid challenge, [FromForm(Name = "svar")] string? answer, [FromForm(Name = "namn")] string? name)
    {
        var user = await UserAsync();
        switch (await keys.FinishRegistrationAsync(HttpContext, user, challenge, answer, name))
        {
            case KeyResult.Done done:
                NewCodes = done.RecoveryCodes;
                Done = text["SecurityKeys.Added"];
                break;
            default:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Error = text["SecurityKeys.Refused"];
                break;
        }

        await ShowAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromForm(Name = "id")] Guid id)
    {
        var user = await UserAsync();
        switch (await keys.RemoveAsync(HttpContext, user, id, await twoFactor.IsRequiredAsync(user, HttpContext.RequestAborted)))
        {
            case KeyResult.Done:
                Done = text["SecurityKeys.Removed"];
                break;
            case KeyResult.Required:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Error = text["SecurityKeys.LastRequired"];
                break;
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                Error = text["SecurityKeys.NotFound"];
                break;
        }

        await ShowAsync(user);
        return Page();
    }

    private async Task ShowAsync(KedjaUser user)
    {
        // The options carry a fresh challenge: no cache on the way may keep the page.
        Response.Headers.CacheControl = "no-store";
        Keys = await keys.ListAsync(user.Id, HttpContext.RequestAborted);
        Ceremony = await keys.BeginRegistrationAsync(HttpContext, user);
    }

    private async Task<KedjaUser> UserAsync() =>
        await users.FindByIdAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!) ?? throw new InvalidOperationException("The signed-in account is gone.");
}
