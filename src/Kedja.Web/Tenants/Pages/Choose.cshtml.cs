using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Tenants.Pages;

/// <summary>The first page after sign-in: straight into the one municipality a person works in, or a choice of theirs.</summary>
public sealed class ChooseModel(TenantDirectory directory) : PageModel
{
    public List<TenantSummary> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        Tenants = await directory.MineAsync(User, HttpContext.RequestAborted);
        return Tenants.Count == 1 ? LocalRedirect($"/k/{Uri.EscapeDataString(Tenants[0].Slug)}") : Page();
    }
}
