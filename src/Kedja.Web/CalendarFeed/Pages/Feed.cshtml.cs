using System.Security.Claims;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.CalendarFeed.Pages;

/// <summary>
/// The signed-in person's calendar feed address: make one (shown once), replace it when it has been shared by mistake,
/// or take it away. Everyone signed in has one, whether they sign in with a password or through their municipality's provider.
/// </summary>
public sealed class FeedModel(CalendarFeeds feeds, IStringLocalizer<Texts> text) : PageModel
{
    public bool HasFeed { get; private set; }

    /// <summary>The address just made: shown this once, never again.</summary>
    public string? NewAddress { get; private set; }

    public string? Done { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private string Actor => User.Identity?.Name ?? UserId;

    public async Task OnGetAsync([FromQuery(Name = "klart")] string? done)
    {
        HasFeed = await feeds.HasFeedAsync(UserId, HttpContext.RequestAborted);
        Done = done == "borttagen" ? text["Feed.Revoked"].Value : null;
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var replaced = await feeds.HasFeedAsync(UserId, HttpContext.RequestAborted);
        var secret = await feeds.CreateAsync(UserId, Actor, HttpContext.RequestAborted);
        NewAddress = feeds.Address(secret);
        HasFeed = true;
        Done = text[replaced ? "Feed.Replaced" : "Feed.Created"].Value;

        // Shown once: no cache on the way may keep the page.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        await feeds.RevokeAsync(UserId, Actor, HttpContext.RequestAborted);
        return LocalRedirect("/profil/kalender?klart=borttagen");
    }
}
