using System.Text.Encodings.Web;
using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Assignments;

/// <summary>How an assignment's status and lateness are written on every page: colour, symbol and words, never colour alone.</summary>
public static class AssignmentMarkup
{
    /// <summary>The status with its swatch (an SVG attribute, which the CSP allows) and symbol (<see cref="AssignmentNames.Signal"/>).</summary>
    public static IHtmlContent Status(AssignmentStatus status, IStringLocalizer<Texts> text)
    {
        var (colour, symbol) = AssignmentNames.Signal(status);
        return Signal(colour, symbol, text["Assignments.Status." + status].Value, "status");
    }

    /// <summary>Overdue, apart from the status: the alert colour, a warning sign and the word.</summary>
    public static IHtmlContent Overdue(IStringLocalizer<Texts> text) => Signal("#c62828", "⚠", text["Assignments.Overdue"].Value, "status late");

    private static HtmlString Signal(string colour, string symbol, string words, string css)
    {
        var e = HtmlEncoder.Default;
        return new HtmlString(
            $"<span class=\"{css}\"><svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"{e.Encode(colour)}\" stroke=\"#1b1b1f\"/></svg>"
            + $"<span aria-hidden=\"true\">{e.Encode(symbol)}</span> {e.Encode(words)}</span>");
    }

    /// <summary>A day as people read it ("31 januari 2027").</summary>
    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", Language.Formats);
}

public sealed record AssignmentToDoView(string Slug, AssignmentToDo ToDo, IReadOnlyDictionary<Guid, string> Units);

/// <summary>The start page's assignments (att göra): a section of its own, so the start page needs one line for it.</summary>
public sealed class AssignmentsToDo(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var ct = HttpContext.RequestAborted;
        var toDo = await assignments.ToDoAsync(Tenants.ToDo.DaysAhead, ct);
        var ids = toDo.ToDo.Concat(toDo.Upcoming).Concat(toDo.ToClose).Select(a => a.ResponsibleUnitId).Distinct().ToList();
        var units = ids.Count == 0 ? [] : await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return View("/Assignments/Pages/_AssignmentsToDo.cshtml", new AssignmentToDoView(tenant.Slug, toDo, units));
    }
}

public sealed record GoalAssignmentsView(string Slug, List<VersionedAssignment> Assignments, IReadOnlyDictionary<Guid, string> Units);

/// <summary>
/// The assignments that bear on a goal, for the goal's page ("Uppdrag som rör målet"): shown, never counted in the goal's
/// fulfilment; only those the person sees.
/// </summary>
public sealed class GoalAssignments(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid goalId)
    {
        var ct = HttpContext.RequestAborted;
        var list = await assignments.ForGoalAsync(goalId, ct);
        var ids = list.Select(a => a.ResponsibleUnitId).Distinct().ToList();
        var units = ids.Count == 0 ? [] : await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return View("/Assignments/Pages/_GoalAssignments.cshtml", new GoalAssignmentsView(tenant.Slug, list, units));
    }
}
