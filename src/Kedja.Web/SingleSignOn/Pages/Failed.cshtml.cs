using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.SingleSignOn.Pages;

/// <summary>
/// Where a sign-in through a municipality's provider ends when it is refused: "try again", or "no role yet". It never
/// says why an answer was refused (that would help whoever forged it); the audit trail and the log do.
/// </summary>
[AllowAnonymous]
public sealed class FailedModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "orsak")]
    public string? Reason { get; set; }

    public bool NoRole => Reason == "behorighet";

    public void OnGet()
    {
    }
}
