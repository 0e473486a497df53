using Kedja.Domain.Tenancy;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Planning.Pages;

/// <summary>
/// A unit's next year: goals that go on, start or end, the open actions of goals not met (closed here by whoever may
/// edit the unit, as in the API), goals not met without an action, and the activities of the year.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class PlanningModel(TenantContext tenant, UnitPlanning planning, AssessmentActions actions, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public UnitPlanningView? View { get; private set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <param name="closed">The period whose actions were just closed: the redirect after the post says so (no server state).</param>
    public async Task OnGetAsync(Guid unitId, [FromQuery(Name = "ar")] string? year, [FromQuery(Name = "stangd")] string? closed)
    {
        await LoadAsync(unitId, year);
        if (View is not null && closed is not null && Domain.Periods.PeriodRef.TryParse(closed, out _))
        {
            Done = text["Planning.Closed", closed];
        }
    }

    /// <summary>Closes the actions an assessment decided, from the version shown; a newer assessment is not closed unseen.</summary>
    public async Task<IActionResult> OnPostCloseAsync(Guid unitId, [FromQuery(Name = "ar")] string? year, [FromForm] Guid goal, [FromForm] string? period, [FromForm] int? version)
    {
        var result = await actions.SetStateAsync(goal, period ?? "", new ActionsStateInput(true, version), HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            await LoadAsync(unitId, year);
            Error = error.Kind == ServiceErrorKind.Conflict ? text["Planning.Conflict"] : error.Message;
            Response.StatusCode = error.StatusCode;
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/planering/{unitId}?ar={Uri.EscapeDataString(year ?? "")}&stangd={Uri.EscapeDataString(period ?? "")}#mal");
    }

    private async Task LoadAsync(Guid unitId, string? year)
    {
        int? parsed = int.TryParse(year, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null;
        if (!string.IsNullOrEmpty(year) && parsed is null)
        {
            Error = text["Planning.BadYear"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var result = await planning.ForAsync(unitId, parsed, HttpContext.RequestAborted);
        View = result.Value;
        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
    }
}
