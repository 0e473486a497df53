using System.Globalization;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>
/// Reporting an activity for a follow-up period: status, progress and what was done. <see cref="ActivityEditing.ReportAsync"/>
/// decides, as for the API (the editor's units, the version, a follow-up submitted or locked waits).
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class ReportActivityModel(TenantContext tenant, KedjaDbContext db, ActivityEditing activities, TimeProvider clock, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public VersionedActivity? Activity { get; private set; }

    public string PeriodKey { get; private set; } = "";

    public string PeriodName { get; private set; } = "";

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    [BindProperty]
    public ActivityStatus Status { get; set; }

    [BindProperty]
    public string? Progress { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Where to go after saving: the page the person came from (a scorecard), if it is Kedja's own.</summary>
    [BindProperty(SupportsGet = true, Name = "tillbaka")]
    public string? Back { get; set; }

    public string? Error { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Theirs { get; private set; }

    public async Task OnGetAsync(Guid activityId, [FromQuery(Name = "period")] string? periodKey)
    {
        if (await LoadAsync(activityId, periodKey))
        {
            var reported = Activity!.Comments.SingleOrDefault(c => c.PeriodKey == PeriodKey);
            (Status, Progress, Comment, Version) = (reported?.Status ?? Activity.Status, (reported?.Progress ?? Activity.Progress).ToString(CultureInfo.InvariantCulture), reported?.Text, Activity.Version);
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid activityId, [FromQuery(Name = "period")] string? periodKey)
    {
        if (!await LoadAsync(activityId, periodKey))
        {
            return Page();
        }

        // A progress that cannot be read goes to the service as unreadable (0 stands in), so every error is said at once.
        var unreadable = new ValidationErrors();
        if (!int.TryParse((Progress ?? "").Trim().TrimEnd('%').Trim(), NumberStyles.Integer, Language.Formats, out var progress))
        {
            unreadable.Unreadable("progress", text["ActivityEdit.BadProgress"]);
        }

        var comment = string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim();
        var result = await activities.ReportAsync(activityId, new ActivityProgressInput(Status, progress, PeriodKey, comment, Version), unreadable, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return LocalRedirect(FormDone.Url(Back is { Length: > 0 } back && Url.IsLocalUrl(back) ? LocalTarget.Of(Url, back)
                : saved.GoalId is { } g ? $"/k/{tenant.Slug}/mal/{g}?period={PeriodKey}" : $"/k/{tenant.Slug}/program/{saved.ProgramId}?period={PeriodKey}", FormDone.ActivityReported));
        }

        var error = result.Error!;
        Error = error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Errors is { Count: > 1 } ? text["ActivityEdit.Fix"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Ui.Html.CopyFieldErrors(error, FieldErrors);

        if (error.Kind == ServiceErrorKind.Conflict && (await activities.GetAsync(activityId, HttpContext.RequestAborted)).Value is { } now)
        {
            // What was typed stays; the other person's report is shown beside it, and saving again overrides it knowingly.
            var theirs = now.Comments.SingleOrDefault(c => c.PeriodKey == PeriodKey);
            Theirs = text["ActivityEdit.TheirReport", text["ActivityEdit.Status." + (theirs?.Status ?? now.Status)], theirs?.Progress ?? now.Progress, theirs?.WrittenBy ?? "–", theirs?.Text ?? "–"];
            Version = now.Version;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid activityId, string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var found = await activities.GetAsync(activityId, ct);
        if (found.Error is { } missing)
        {
            (Error, Response.StatusCode) = (missing.Message, missing.StatusCode);
            return false;
        }

        if (!await UnitScope.AllowsAsync(tenant, db, found.Value!.ResponsibleUnitId, ct))
        {
            (Error, Response.StatusCode) = (text["ActivityEdit.OutsideUnits"], StatusCodes.Status403Forbidden);
            return false;
        }

        var calendar = await db.Periods.AsNoTracking().ToListAsync(ct);
        var period = FollowUpCalendar.FindOrCurrent(calendar, periodKey, clock);
        if (period.Error is { } wrong)
        {
            (Error, Response.StatusCode) = (wrong.Message, wrong.StatusCode);
            return false;
        }

        Activity = found.Value;
        (PeriodKey, PeriodName) = (period.Value!.Key, period.Value.Name);
        Periods = [.. calendar.OrderByDescending(p => p.Ref).Select(p => (p.Key, p.Name))];
        return true;
    }
}
