using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Assignments.Pages;

/// <summary>
/// The responsible unit's report on an assignment for a follow-up period: ej påbörjat, pågår or klart, and what was done.
/// <see cref="AssignmentEditing.ReportAsync"/> decides, as for the API (the unit's people, the version, a follow-up submitted waits).
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class ReportAssignmentModel(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    public VersionedAssignment? Assignment { get; private set; }

    public string PeriodKey { get; private set; } = "";

    public string PeriodName { get; private set; } = "";

    /// <summary>Where the unit's follow-up of the period stands when it takes no more reports.</summary>
    public WorkflowState? Closed { get; private set; }

    [BindProperty]
    public AssignmentStatus Status { get; set; } = AssignmentStatus.InProgress;

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public async Task OnGetAsync(Guid assignmentId, string periodKey)
    {
        if (await LoadAsync(assignmentId, periodKey))
        {
            var reported = Assignment!.Reports.SingleOrDefault(r => r.PeriodKey == PeriodKey);
            (Status, Text, Version) = (reported?.Status ?? (AssignmentDue.IsOpen(Assignment.Status) || Assignment.Status == AssignmentStatus.Done ? Assignment.Status : AssignmentStatus.InProgress), reported?.Text, Assignment.Version);
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid assignmentId, string periodKey)
    {
        if (!await LoadAsync(assignmentId, periodKey))
        {
            return Page();
        }

        var result = await assignments.ReportAsync(assignmentId, PeriodKey, new AssignmentReportInput(Status, Text, Version), null, HttpContext.RequestAborted);
        if (result.Value is not null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/uppdrag/{assignmentId}?klart=uppdrag-rapporterat");
        }

        var error = result.Error!;
        Show(error, error.Kind == ServiceErrorKind.Conflict && error.Message == ServiceError.ConflictMessage ? text["ActivityEdit.Conflict"]
            : error.Errors is { Count: > 1 } ? text["ActivityEdit.Fix"] : error.Message);
        if (error.Kind == ServiceErrorKind.Conflict && (await assignments.GetAsync(assignmentId, HttpContext.RequestAborted)).Value is { } now)
        {
            // What was typed stays; the other person's report is shown beside it, and saving again overrides it knowingly.
            var theirs = now.Reports.SingleOrDefault(r => r.PeriodKey == PeriodKey);
            if (theirs is not null)
            {
                Differs("text", Text, theirs.Text);
            }

            Version = now.Version;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid assignmentId, string periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var found = await assignments.GetAsync(assignmentId, ct);
        if (found.Error is { } missing)
        {
            Refuse(missing.StatusCode, missing.Message);
            return false;
        }

        if (!await assignments.MayReportAsync(found.Value!.ResponsibleUnitId, ct))
        {
            Refuse(StatusCodes.Status403Forbidden, AssignmentEditing.NotResponsible);
            return false;
        }

        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, ct);
        if (period.Error is { } wrong)
        {
            Refuse(wrong.StatusCode, wrong.Message);
            return false;
        }

        Ready = true;
        Assignment = found.Value;
        (PeriodKey, PeriodName) = (period.Value!.Key, Html.Period(period.Value.Key, period.Value.Name));
        var state = await WorkflowGuard.StateAsync(db, Assignment.ResponsibleUnitId, PeriodKey, ct);
        Closed = PeriodWorkflow.AllowsChanges(state) ? null : state;
        return true;
    }
}
