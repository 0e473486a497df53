using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Tenants.Pages;

/// <summary>Search across the municipality's goals, indicators, activities and documents.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class FindModel(TenantContext tenant, Search search) : PageModel
{
    public TenantContext Tenant => tenant;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public List<SearchHit> Hits { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Query = Query?.Length > 200 ? Query[..200] : Query;
        Hits = await search.FindAsync(Query, HttpContext.RequestAborted);
    }
}
