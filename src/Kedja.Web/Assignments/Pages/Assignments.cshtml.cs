using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Assignments.Pages;

/// <summary>The assignments the person sees (<see cref="AssignmentEditing.ListAsync"/>), narrowed by unit, giver, status, overdue and year.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class AssignmentsModel(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments) : PageModel
{
    public TenantContext Tenant => tenant;

    [BindProperty(SupportsGet = true, Name = "enhet")]
    public Guid? UnitId { get; set; }

    [BindProperty(SupportsGet = true, Name = "givare")]
    public Guid? GiverUnitId { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public AssignmentStatus? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "forsenade")]
    public bool OverdueOnly { get; set; }

    [BindProperty(SupportsGet = true, Name = "ar")]
    public int? Year { get; set; }

    public List<VersionedAssignment> Assignments { get; private set; } = [];

    public Dictionary<Guid, string> UnitNames { get; private set; } = [];

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    public List<(Guid Id, string Name)> GiverChoices { get; private set; } = [];

    public bool MayGive { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Assignments = await assignments.ListAsync(new AssignmentFilter(UnitId, GiverUnitId, Status, OverdueOnly, Year), ct);
        var sees = await UnitScope.SeesManyAsync(tenant, db, ct);
        var all = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.ParentId, u.SortOrder, u.Kind }).ToListAsync(ct);
        UnitNames = all.ToDictionary(u => u.Id, u => u.Name);
        var ordered = UnitTree.Order([.. all.Where(u => sees(u.Id))], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name);
        UnitChoices = [.. ordered.Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        GiverChoices = [.. ordered.Where(x => x.Unit.Kind is UnitKind.Council or UnitKind.ExecutiveBoard or UnitKind.Committee).Select(x => (x.Unit.Id, x.Unit.Name))];
        var allows = await UnitScope.AllowsManyAsync(tenant, db, ct);
        MayGive = tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin
            || all.Any(u => u.Kind is UnitKind.Council or UnitKind.ExecutiveBoard or UnitKind.Committee && allows(u.Id));
    }
}
