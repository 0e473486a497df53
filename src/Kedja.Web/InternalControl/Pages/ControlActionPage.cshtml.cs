using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// A control action: what is checked and by whom, its results per period and its measures, whose status the responsible
/// unit keeps up to date here until they are done (<see cref="ControlFollowUp.UpdateMeasureAsync"/>).
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ControlActionPageModel(TenantContext tenant, KedjaDbContext db, ControlFollowUp followUp, TimeProvider clock, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public VersionedControlAction? Action { get; private set; }

    public string PlanUnit { get; private set; } = "";

    public string ResponsibleUnit { get; private set; } = "";

    public string? RiskName { get; private set; }

    public Dictionary<string, string> PeriodNames { get; private set; } = [];

    public bool MayReport { get; private set; }

    /// <summary>Where the responsible unit's follow-up of the action's period stands.</summary>
    public WorkflowState State { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public Guid MeasureId { get; set; }

    [BindProperty]
    public MeasureStatus Status { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public bool Saved => Request.Query.ContainsKey("sparat");

    public async Task OnGetAsync(Guid actionId) => await LoadAsync(actionId);

    public async Task<IActionResult> OnPostMeasureAsync(Guid actionId)
    {
        if (!await LoadAsync(actionId))
        {
            return Page();
        }

        if (Action!.Measures.SingleOrDefault(m => m.Id == MeasureId) is not { } m)
        {
            (Error, Response.StatusCode) = (ControlFollowUp.MeasureNotFound, StatusCodes.Status404NotFound);
            return Page();
        }

        var input = new VersionedControlMeasure(m.Id, m.PeriodKey, m.Text, m.Owner, m.Deadline, Status, Status == MeasureStatus.Done ? m.DoneOn : null, Version);
        var result = await followUp.UpdateMeasureAsync(actionId, MeasureId, input, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            Error = error.Kind == ServiceErrorKind.Conflict && error.Message == ServiceError.ConflictMessage ? text["ControlPlan.Conflict"] : error.Message;
            Response.StatusCode = error.StatusCode;
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/intern-kontroll/kontrollmoment/{actionId}?sparat=1");
    }

    private async Task<bool> LoadAsync(Guid actionId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await followUp.GetAsync(actionId, ct);
        if (found.Error is { } missing)
        {
            (Error, Response.StatusCode) = (missing.Message, missing.StatusCode);
            return false;
        }

        Action = found.Value!;
        var names = await db.Units.AsNoTracking().Where(u => u.Id == Action.PlanUnitId || u.Id == Action.ResponsibleUnitId).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        (PlanUnit, ResponsibleUnit) = (names[Action.PlanUnitId], names[Action.ResponsibleUnitId]);
        RiskName = Action.RiskId is { } riskId ? await db.Risks.AsNoTracking().Where(r => r.Id == riskId).Select(r => r.Number + ". " + r.Title).SingleOrDefaultAsync(ct) : null;
        PeriodNames = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Key, p => p.Name, ct);
        MayReport = await followUp.MayReportAsync(Action.ResponsibleUnitId, ct);
        State = await WorkflowGuard.StateAsync(db, Action.ResponsibleUnitId, Action.PeriodKey, ct);
        Today = Deadlines.Today(clock);
        if (Request.Method == "POST" && !MayReport)
        {
            (Error, Response.StatusCode) = (text["ControlPlan.OutsideUnits"], StatusCodes.Status403Forbidden);
            return false;
        }

        return true;
    }
}
