using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Assignments.Pages;

/// <summary>
/// One assignment: the decision, its reports per period, the goals it bears on; for the responsible unit a way to report,
/// for the giver the decision to change and the form to close or reopen it. <see cref="AssignmentEditing"/> decides
/// everything, as for the API.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class AssignmentPageModel(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments, TimeProvider clock, IStringLocalizer<Texts> text)
    : AssignmentForm(tenant, db, text)
{
    /// <summary>The sentences the page says after a form was saved (<c>?klart=</c>); only these, so an address cannot put words on the page.</summary>
    private static readonly Dictionary<string, string> DoneKeys = new(StringComparer.Ordinal)
    {
        ["uppdrag-givet"] = "Assignments.Done.Created",
        ["uppdrag-sparat"] = "Assignments.Done.Saved",
        ["uppdrag-rapporterat"] = "Assignments.Done.Reported",
        ["uppdrag-avslutat"] = "Assignments.Done.Closed",
        ["uppdrag-oppnat"] = "Assignments.Done.Reopened",
    };

    public VersionedAssignment? Assignment { get; private set; }

    public Dictionary<Guid, string> UnitNames { get; private set; } = [];

    public Dictionary<string, string> PeriodNames { get; private set; } = [];

    public List<(Guid Id, string Title)> Goals { get; private set; } = [];

    public bool MayGive { get; private set; }

    public bool MayReport { get; private set; }

    /// <summary>The period a report is offered for first: the one being followed up now.</summary>
    public string? CurrentPeriodKey { get; private set; }

    public string? DoneKey => Request.Query["klart"].ToString() is { } what && DoneKeys.TryGetValue(what, out var key) ? key : null;

    [BindProperty]
    public AssignmentStatus CloseStatus { get; set; } = AssignmentStatus.Closed;

    [BindProperty]
    public string? CloseReason { get; set; }

    [BindProperty]
    public string? ReopenReason { get; set; }

    /// <summary>Which form the errors belong to: "andra", "avsluta" or "oppna".</summary>
    public string? FailedForm { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid assignmentId)
    {
        if (!await LoadAsync(assignmentId))
        {
            return Page();
        }

        Fill(Assignment!);
        return Page();
    }

    /// <summary>The period chosen for a report, to its report page.</summary>
    public IActionResult OnGetReport(Guid assignmentId, [FromQuery(Name = "period")] string? period) =>
        FollowUpCalendar.ParseKey(period).Error is null
            ? LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{assignmentId}/rapport/{Uri.EscapeDataString(period!)}")
            : LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{assignmentId}");

    public async Task<IActionResult> OnPostEditAsync(Guid assignmentId)
    {
        var posted = (Title, Body, Giver, GiverUnitId, DecidedOn, DecisionParagraph, ResponsibleUnitId, DueDate, DuePeriodKey, GoalIds, Version);
        if (!await LoadAsync(assignmentId))
        {
            return Page();
        }

        (Title, Body, Giver, GiverUnitId, DecidedOn, DecisionParagraph, ResponsibleUnitId, DueDate, DuePeriodKey, GoalIds, Version) = posted;
        var result = await assignments.UpdateAsync(assignmentId, Read(assignmentId, Assignment!.Number), Unreadable, HttpContext.RequestAborted);
        if (result.Value is not null)
        {
            return LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{assignmentId}?klart=uppdrag-sparat");
        }

        FailedForm = "andra";
        Show(result.Error!);
        if (result.Error!.Kind == ServiceErrorKind.Conflict && (await assignments.GetAsync(assignmentId, HttpContext.RequestAborted)).Value is { } now)
        {
            ShowTheirs(now);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid assignmentId)
    {
        var version = Version;
        if (!await LoadAsync(assignmentId))
        {
            return Page();
        }

        var result = await assignments.CloseAsync(assignmentId, new AssignmentClosingInput(CloseStatus, CloseReason, version), null, HttpContext.RequestAborted);
        if (result.Value is not null)
        {
            return LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{assignmentId}?klart=uppdrag-avslutat");
        }

        Fill(Assignment!);
        FailedForm = "avsluta";
        Show(result.Error!, result.Error!.Kind == ServiceErrorKind.Conflict ? Localizer["ActivityEdit.Conflict"] : result.Error.Message,
            field => field == "reason" ? "closeReason" : field == "status" ? "closeStatus" : field);
        return Page();
    }

    public async Task<IActionResult> OnPostReopenAsync(Guid assignmentId)
    {
        var version = Version;
        if (!await LoadAsync(assignmentId))
        {
            return Page();
        }

        var result = await assignments.ReopenAsync(assignmentId, new AssignmentReopenInput(ReopenReason, version), HttpContext.RequestAborted);
        if (result.Value is not null)
        {
            return LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{assignmentId}?klart=uppdrag-oppnat");
        }

        Fill(Assignment!);
        FailedForm = "oppna";
        Show(result.Error!, result.Error!.Kind == ServiceErrorKind.Conflict ? Localizer["ActivityEdit.Conflict"] : result.Error.Message,
            field => field == "reason" ? "reopenReason" : field);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid assignmentId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await assignments.GetAsync(assignmentId, ct);
        if (found.Error is { } missing)
        {
            Refuse(missing.StatusCode, missing.Message);
            return false;
        }

        Ready = true;
        var a = Assignment = found.Value!;
        UnitNames = await Db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var calendar = await Db.Periods.AsNoTracking().ToListAsync(ct);
        PeriodNames = calendar.ToDictionary(p => p.Key, p => Html.Period(p.Key, p.Name));
        CurrentPeriodKey = FollowUpCalendar.FindOrCurrent(calendar, null, clock).Value?.Key;
        Goals = a.GoalIds.Count == 0 ? [] : [.. (await Db.Goals.AsNoTracking().Where(g => a.GoalIds.Contains(g.Id)).Select(g => new { g.Id, g.Title, g.Code }).ToListAsync(ct))
            .Select(g => (g.Id, (g.Code is null ? "" : g.Code + " ") + g.Title))];
        MayGive = await assignments.MayGiveAsync(a.Giver, a.GiverUnitId, ct);
        MayReport = await assignments.MayReportAsync(a.ResponsibleUnitId, ct);
        if (MayGive)
        {
            await LoadChoicesAsync(a.GiverUnitId, a.ResponsibleUnitId);
        }

        return true;
    }
}
