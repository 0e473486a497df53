using System.Globalization;
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
/// Reporting a control action in a follow-up period: the result with findings or reason, and the measures decided. Only
/// the responsible unit's people, only while its follow-up of the period is open (<see cref="ControlFollowUp"/> decides).
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class ControlFollowUpPageModel(TenantContext tenant, KedjaDbContext db, ControlFollowUp followUp, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public VersionedControlAction? Action { get; private set; }

    public string PeriodKey { get; private set; } = "";

    public string PeriodName { get; private set; } = "";

    public string ResponsibleUnit { get; private set; } = "";

    public WorkflowState State { get; private set; }

    public string? Error { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? FailedForm { get; private set; }

    [BindProperty]
    public ControlOutcome? Outcome { get; set; }

    [BindProperty]
    public string? Findings { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public string? MeasureText { get; set; }

    [BindProperty]
    public string? Owner { get; set; }

    [BindProperty]
    public string? Deadline { get; set; }

    [BindProperty]
    public MeasureStatus MeasureStatus { get; set; }

    public bool Saved => Request.Query.ContainsKey("sparat");

    public async Task OnGetAsync(Guid actionId, string periodKey)
    {
        if (await LoadAsync(actionId, periodKey) && Action!.Results.SingleOrDefault(r => r.PeriodKey == PeriodKey) is { } result)
        {
            (Outcome, Findings, Reason, Version) = (result.Outcome, result.Findings, result.Reason, Action.ResultVersions[PeriodKey]);
        }
    }

    public async Task<IActionResult> OnPostResultAsync(Guid actionId, string periodKey)
    {
        if (!await LoadAsync(actionId, periodKey))
        {
            return Page();
        }

        if (Outcome is not { } outcome)
        {
            (FailedForm, Error, Response.StatusCode) = ("result", text["ControlPlan.ChooseOutcome"], StatusCodes.Status400BadRequest);
            FieldErrors["outcome"] = text["ControlPlan.ChooseOutcome"];
            return Page();
        }

        var result = await followUp.RecordResultAsync(actionId, PeriodKey, new ControlResultInput(outcome, Findings, Reason, Version), HttpContext.RequestAborted);
        return Done(result.Error, "result", actionId);
    }

    public async Task<IActionResult> OnPostMeasureAsync(Guid actionId, string periodKey)
    {
        if (!await LoadAsync(actionId, periodKey))
        {
            return Page();
        }

        var readable = DateOnly.TryParseExact((Deadline ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        if (!readable && !string.IsNullOrWhiteSpace(Deadline))
        {
            (FailedForm, Error, Response.StatusCode) = ("measure", text["ControlPlan.BadDate"], StatusCodes.Status400BadRequest);
            FieldErrors["deadline"] = text["ControlPlan.BadDate"];
            return Page();
        }

        var input = new VersionedControlMeasure(Guid.Empty, PeriodKey, MeasureText ?? "", Owner, readable ? day : null, MeasureStatus, null, null);
        var result = await followUp.AddMeasureAsync(actionId, input, HttpContext.RequestAborted);
        return Done(result.Error, "measure", actionId);
    }

    private IActionResult Done(ServiceError? error, string form, Guid id)
    {
        if (error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/intern-kontroll/kontrollmoment/{id}/uppfoljning/{PeriodKey}?sparat=1");
        }

        FailedForm = form;
        Error = error.Kind == ServiceErrorKind.Conflict && error.Message == ServiceError.ConflictMessage ? text["ControlPlan.Conflict"] : error.Errors is { Count: > 1 } ? text["ControlPlan.Fix"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Html.CopyFieldErrors(error, FieldErrors, field => form == "measure" && field == "text" ? "measureText" : field);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid actionId, string periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var found = await followUp.GetAsync(actionId, ct);
        if (found.Error is { } missing)
        {
            (Error, Response.StatusCode) = (missing.Message, missing.StatusCode);
            return false;
        }

        if (!await followUp.MayReportAsync(found.Value!.ResponsibleUnitId, ct))
        {
            (Error, Response.StatusCode) = (text["ControlPlan.OutsideUnits"], StatusCodes.Status403Forbidden);
            return false;
        }

        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, ct);
        if (period.Error is { } wrong)
        {
            (Error, Response.StatusCode) = (wrong.Message, wrong.StatusCode);
            return false;
        }

        Action = found.Value;
        (PeriodKey, PeriodName) = (period.Value!.Key, period.Value.Name);
        ResponsibleUnit = await db.Units.AsNoTracking().Where(u => u.Id == Action.ResponsibleUnitId).Select(u => u.Name).SingleAsync(ct);
        State = await WorkflowGuard.StateAsync(db, Action.ResponsibleUnitId, PeriodKey, ct);
        return true;
    }
}
