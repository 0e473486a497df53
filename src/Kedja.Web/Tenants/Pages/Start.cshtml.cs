using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Tenants.Pages;

/// <summary>A member's start page in a municipality (att göra): the period followed up now, and where their units stand.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class StartModel(TenantContext tenant, ToDo toDo, Periods.FollowUpWorkflow workflow, Microsoft.Extensions.Localization.IStringLocalizer<Ui.Texts> text) : PageModel
{
    public string? Done { get; private set; }

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    /// <summary>Locks every unit's follow-up of the period (as when the report has gone to the council); administrators only.</summary>
    public async Task<IActionResult> OnPostLockAsync([FromQuery(Name = "period")] string? periodKey, [FromForm(Name = "period")] string? posted)
    {
        if (!IsAdmin)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await OnGetAsync(periodKey);
            Error = text["ToDo.LockAdminOnly"];
            return Page();
        }

        var locked = await workflow.LockAllAsync(posted ?? periodKey ?? "", HttpContext.RequestAborted);
        await OnGetAsync(posted ?? periodKey);
        if (locked.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
        else
        {
            Done = text["ToDo.Locked", locked.Value!.Locked, locked.Value.AlreadyLocked];
        }

        return Page();
    }

    public TenantContext Tenant => tenant;

    public ToDoList? List { get; private set; }

    /// <summary>The person's deadlines and who is late (an administrator sees every unit).</summary>
    public MyDeadlines? Deadlines { get; private set; }

    /// <summary>How far off a deadline is, in words: "i dag", "i morgon", "om 5 dagar", "försenad 2 dagar".</summary>
    public string DaysLeft(int days) => days switch
    {
        0 => text["MyDeadlines.Today"],
        1 => text["MyDeadlines.Tomorrow"],
        > 1 => text["MyDeadlines.InDays", days],
        -1 => text["MyDeadlines.LateOneDay"],
        _ => text["MyDeadlines.LateDays", -days],
    };

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "period")] string? periodKey)
    {
        var result = await toDo.ForCurrentPeriodAsync(periodKey, HttpContext.RequestAborted);
        Deadlines = await toDo.MyDeadlinesAsync(HttpContext.RequestAborted);
        List = result.Value;
        Error = result.Error?.Message;
        if (result.Error is { Kind: ServiceErrorKind.Invalid })
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
