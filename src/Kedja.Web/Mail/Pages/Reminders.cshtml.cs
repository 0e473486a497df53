using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Mail.Pages;

/// <summary>The signed-in person's reminder digests: on or off, through <see cref="ReminderSettings"/>.</summary>
public sealed class RemindersModel(ReminderSettings settings) : PageModel
{
    public bool Off { get; private set; }

    /// <summary>"av" or "pa" after a change: only these two are shown.</summary>
    public string? Done { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync([FromQuery(Name = "klart")] string? done)
    {
        Done = done is "av" or "pa" ? done : null;
        Off = await settings.AreOffAsync(UserId, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "paminnelser")] string? choice)
    {
        if (choice is not ("av" or "pa"))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(null);
            return Page();
        }

        await settings.SetAsync(UserId, choice == "av", HttpContext.RequestAborted);
        return LocalRedirect($"/profil/paminnelser?klart={choice}");
    }
}
