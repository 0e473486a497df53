using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Tenants.Pages;

/// <summary>
/// A tenant's start page (att göra), for its members. A stub until the working interface (issue 9) fills it; it shows
/// that pages enter a tenant through the same <see cref="TenantAccess"/> as the API.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class StartModel(TenantContext tenant) : PageModel
{
    public string TenantName => tenant.Name;

    public string RoleName => tenant.Role switch
    {
        TenantRole.Admin => "administratör",
        TenantRole.Editor => "redaktör",
        _ => "läsare",
    };

    public void OnGet()
    {
    }
}
