using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Goals.Pages;

/// <summary>A goal's own page: where it stands, the chain above and below, its indicators' history and its assessments.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class GoalModel(TenantContext tenant, GoalOverview overview) : PageModel
{
    public TenantContext Tenant => tenant;

    public GoalView? View { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        ViewData["TenantName"] = tenant.Name;
        ViewData["Slug"] = tenant.Slug;
        var result = await overview.ForAsync(goalId, periodKey, HttpContext.RequestAborted);
        View = result.Value;
        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
    }
}
