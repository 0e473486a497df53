using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp.Pages;

/// <summary>Every unit's scorecard, reached through the organisation as a tree.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class UnitsModel(TenantContext tenant, KedjaDbContext db) : PageModel
{
    public TenantContext Tenant => tenant;

    public ILookup<Guid?, OrgUnit> ByParent { get; private set; } = Array.Empty<OrgUnit>().ToLookup(u => u.ParentId);

    public async Task OnGetAsync()
    {
        var units = await db.Units.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(HttpContext.RequestAborted);
        var ids = units.Select(u => u.Id).ToHashSet();
        // A unit whose parent is inactive hangs at the top, so that no active unit is out of reach.
        ByParent = units.ToLookup(u => u.ParentId is { } p && ids.Contains(p) ? p : (Guid?)null);
    }
}
