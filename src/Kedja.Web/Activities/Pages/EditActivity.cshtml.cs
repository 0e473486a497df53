using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>
/// Changing an activity's plan, and removing it after a second step that asks. <see cref="ActivityEditing"/> decides,
/// as for the API: the editor's units, the version read, and that an activity reported on is kept (set Avbruten instead).
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class EditActivityModel(TenantContext tenant, KedjaDbContext db, ActivityEditing activities, IStringLocalizer<Texts> text) : ActivityForm(tenant, db, text)
{
    public VersionedActivity? Activity { get; private set; }

    /// <summary>The second step of removing: the question, with the version to remove.</summary>
    public bool Confirming { get; private set; }

    public async Task OnGetAsync(Guid activityId, [FromQuery(Name = "ta-bort")] string? confirm)
    {
        if (await LoadAsync(activityId))
        {
            Fill(Activity!);
            Confirming = confirm is not null;
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid activityId)
    {
        if (!await LoadAsync(activityId))
        {
            return Page();
        }

        var result = await activities.UpdateAsync(activityId, Read(activityId), Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Saved(HomeOf(saved.GoalId, saved.ProgramId), FormDone.ActivitySaved);
        }

        Show(result.Error!);
        if (result.Error!.Kind == ServiceErrorKind.Conflict && (await activities.GetAsync(activityId, HttpContext.RequestAborted)).Value is { } now)
        {
            ShowTheirs(now);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid activityId)
    {
        if (!await LoadAsync(activityId))
        {
            return Page();
        }

        var result = await activities.DeleteAsync(activityId, Version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved(HomeOf(Activity!.GoalId, Activity.ProgramId), FormDone.ActivityDeleted);
        }

        Fill(Activity!);
        Show(result.Error);
        return Page();
    }

    /// <summary>The activity as it stands, refused as the service would refuse a change when it lies outside the person's units.</summary>
    private async Task<bool> LoadAsync(Guid activityId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await activities.GetAsync(activityId, ct);
        if (found.Error is { } missing)
        {
            Error = missing.Message;
            Response.StatusCode = missing.StatusCode;
            return false;
        }

        if (!await UnitScope.AllowsAsync(Tenant, Db, found.Value!.ResponsibleUnitId, ct))
        {
            Error = Text["ActivityEdit.OutsideUnits"];
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }

        Activity = found.Value;
        await LoadChoicesAsync(Activity.GoalId, Activity.ResponsibleUnitId);
        return true;
    }
}
