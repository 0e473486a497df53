using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities.Pages;

/// <summary>The municipality's programs, with their owners, years and how many activities and indicators each holds.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ProgramsModel(TenantContext tenant, KedjaDbContext db, ProgramEditing programs) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<(VersionedProgram Program, string? Owner, int Activities, int Indicators)> Programs { get; private set; } = [];

    public bool MayCreate { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var all = await programs.ListAsync(ct);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var activities = await db.Activities.AsNoTracking().Where(a => a.ProgramId != null).GroupBy(a => a.ProgramId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var indicators = await db.Indicators.AsNoTracking().Where(i => i.ProgramId != null).GroupBy(i => i.ProgramId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        Programs = [.. all.Select(p => (p, p.OwnerUnitId is { } o ? units.GetValueOrDefault(o) : null, activities.GetValueOrDefault(p.Id), indicators.GetValueOrDefault(p.Id)))];
        MayCreate = tenant.Role >= TenantRole.Editor;
    }
}
