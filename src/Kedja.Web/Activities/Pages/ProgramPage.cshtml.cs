using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Activities.Pages;

/// <summary>A program's own page: its activities and indicators with where they stand in a period, outside goal fulfilment.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ProgramPageModel(TenantContext tenant, ProgramOverview overview, ProgramEditing programs, Kedja.Data.KedjaDbContext db) : PageModel
{
    public TenantContext Tenant => tenant;

    public ProgramView? View { get; private set; }

    public string? Error { get; private set; }

    public bool MayEdit { get; private set; }

    /// <summary>The units whose activities the person may report and change.</summary>
    public Func<Guid, bool> MayPlanFor { get; private set; } = _ => false;

    /// <summary>The units whose follow-up of the period takes no more reports.</summary>
    public IReadOnlyDictionary<Guid, Domain.Periods.WorkflowState> Closed { get; private set; } = new Dictionary<Guid, Domain.Periods.WorkflowState>();

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    public async Task OnGetAsync(Guid programId, [FromQuery(Name = "period")] string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var result = await overview.ForAsync(programId, periodKey, ct);
        if (result.Error is { } error)
        {
            (Error, Response.StatusCode) = (error.Message, error.StatusCode);
            return;
        }

        View = result.Value;
        MayEdit = await programs.MayEditAsync(View!.Program.OwnerUnitId, ct);
        if (tenant.Role >= TenantRole.Editor)
        {
            MayPlanFor = await UnitScope.AllowsManyAsync(tenant, db, ct);
            Closed = await Periods.WorkflowGuard.ClosedAsync(db, View.PeriodKey, ct);
        }
    }
}
