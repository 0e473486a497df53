using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// Internal control's landing page: each committee's plan and follow-up for a year as far as the person sees
/// (<see cref="ControlSummary"/>: the executive board's uppsiktsplikt), and the control actions their units still have to report.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ControlOverviewModel(TenantContext tenant, ControlSummary summary, TimeProvider clock) : PageModel
{
    public TenantContext Tenant => tenant;

    public int Year { get; private set; }

    public List<CommitteeControlSummary> Rows { get; private set; } = [];

    public List<ControlToDo> ToDo { get; private set; } = [];

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    public async Task OnGetAsync([FromQuery(Name = "ar")] int? year)
    {
        var ct = HttpContext.RequestAborted;
        Year = year is >= 1900 and <= 2200 ? year.Value : Periods.Deadlines.Today(clock).Year;
        Rows = await summary.ForYearAsync(Year, ct);
        ToDo = await summary.ToFollowUpAsync(ct);
    }
}
