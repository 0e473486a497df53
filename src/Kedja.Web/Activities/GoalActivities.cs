using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities;

/// <param name="Reported">What was reported for the period, if anything.</param>
/// <param name="Closed">Where the responsible unit's follow-up of the period stands when it takes no more reports.</param>
public sealed record GoalActivityLine(VersionedActivity Activity, string Unit, ActivityCommentDocView? Reported, bool MayEdit, Domain.Periods.WorkflowState? Closed = null);

public sealed record ActivityCommentDocView(Domain.Activities.ActivityStatus Status, int Progress, string Text);

public sealed record GoalActivitiesView(string Slug, Guid GoalId, string? PeriodKey, bool MayPlan, List<GoalActivityLine> Lines);

/// <summary>
/// The activities under a goal, for the goal's page: each with what was reported for the period, and for editors the
/// links to plan, change and report (a section of its own, so the goal's page needs one line for it).
/// </summary>
public sealed class GoalActivities(TenantContext tenant, KedjaDbContext db, ActivityEditing activities) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid goalId, string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var list = await activities.ListAsync(goalId, null, null, ct);
        var unitIds = list.Select(a => a.ResponsibleUnitId).Distinct().ToList();
        var units = unitIds.Count == 0 ? [] : await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var allows = tenant.Role >= TenantRole.Editor ? await UnitScope.AllowsManyAsync(tenant, db, ct) : _ => false;
        var closed = list.Count == 0 ? new Dictionary<Guid, Domain.Periods.WorkflowState>() : await Periods.WorkflowGuard.ClosedAsync(db, periodKey, ct);
        var lines = list.Select(a => new GoalActivityLine(a, units.GetValueOrDefault(a.ResponsibleUnitId, ""),
            a.Comments.SingleOrDefault(c => c.PeriodKey == periodKey) is { } c ? new ActivityCommentDocView(c.Status, c.Progress, c.Text) : null,
            allows(a.ResponsibleUnitId), closed.TryGetValue(a.ResponsibleUnitId, out var state) ? state : null)).ToList();
        return View("/Activities/Pages/_GoalActivities.cshtml", new GoalActivitiesView(tenant.Slug, goalId, periodKey, tenant.Role >= TenantRole.Editor, lines));
    }
}
