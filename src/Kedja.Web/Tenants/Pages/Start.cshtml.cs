using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Tenants.Pages;

/// <summary>A member's start page in a municipality (att göra): the period followed up now, and where their units stand.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class StartModel(TenantContext tenant, ToDo toDo) : PageModel
{
    public TenantContext Tenant => tenant;

    public ToDoList? List { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "period")] string? periodKey)
    {
        ViewData["TenantName"] = tenant.Name;
        ViewData["Slug"] = tenant.Slug;
        var result = await toDo.ForCurrentPeriodAsync(periodKey, HttpContext.RequestAborted);
        List = result.Value;
        Error = result.Error?.Message;
        if (result.Error is { Kind: ServiceErrorKind.Invalid })
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
