using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities;

public sealed record ActivityCommentDto(string PeriodKey, string Text, ActivityStatus Status, string StatusName, int Progress, string WrittenBy, DateTime WrittenAt);

public sealed record ActivityDto(Guid Id, string Title, string? Description, Guid? GoalId, Guid? ProgramId, Guid ResponsibleUnitId, DateOnly? StartDate, DateOnly? EndDate,
    ActivityStatus Status, string StatusName, int Progress, List<ActivityCommentDto> Comments, int Version);

/// <param name="PeriodKey">The follow-up period the comment belongs to; with <see cref="Comment"/> it is recorded as the period's report.</param>
public sealed record ActivityProgressInput(ActivityStatus Status, int Progress, string? PeriodKey, string? Comment, int? Version);

public static class ActivityEndpoints
{
    public static void MapActivities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/activities").WithTags("Aktiviteter");
        group.MapGet("/", List).RequireTenant();
        group.MapPut("/{id:guid}/progress", PutProgress).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<ActivityDto>>> List(KedjaDbContext db, Guid? goalId, Guid? programId, Guid? unitId)
    {
        var activities = await db.Activities.AsNoTracking().Include(a => a.Comments)
            .Where(a => (goalId == null || a.GoalId == goalId) && (programId == null || a.ProgramId == programId) && (unitId == null || a.ResponsibleUnitId == unitId))
            .OrderBy(a => a.StartDate).ThenBy(a => a.Title).ToListAsync();
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key);
        return TypedResults.Ok(activities.Select(a => ToDto(a, periods)).ToList());
    }

    /// <summary>Reports status and progress, and optionally the period's comment. Needs the version read with the activity.</summary>
    private static async Task<Results<Ok<ActivityDto>, ValidationProblem, ProblemHttpResult>> PutProgress(
        Guid id, ActivityProgressInput input, KedjaDbContext db, TenantContext tenant, IAuditActor actor)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id);
        if (activity is null)
        {
            return Problems.NotFound("Aktiviteten finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, activity.ResponsibleUnitId))
        {
            return Problems.Forbidden("Du får bara rapportera aktiviteter för din egen enhet och enheterna under den.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }

        if (input.Progress is < 0 or > 100)
        {
            return Problems.Invalid("progress", "Framdriften anges i procent, 0-100.");
        }

        var calendar = await db.Periods.AsNoTracking().ToListAsync();
        var periods = calendar.ToDictionary(p => p.Id, p => p.Key);
        if (!string.IsNullOrWhiteSpace(input.Comment))
        {
            var period = calendar.FirstOrDefault(p => p.Key == input.PeriodKey);
            if (period is null)
            {
                return Problems.Invalid("periodKey", $"Uppföljningsperioden '{input.PeriodKey}' finns inte.");
            }

            if (await WorkflowGuard.EnsureOpenAsync(db, activity.ResponsibleUnitId, period) is { } closed)
            {
                return closed;
            }

            var comment = activity.Comments.SingleOrDefault(c => c.PeriodId == period.Id);
            if (comment is null)
            {
                activity.Comments.Add(comment = new ActivityComment { ActivityId = activity.Id, PeriodId = period.Id, Text = "", WrittenBy = actor.Name });
            }

            comment.Text = input.Comment.Trim();
            comment.Status = input.Status;
            comment.Progress = input.Progress;
            comment.WrittenBy = actor.Name;
            comment.WrittenAt = DateTime.UtcNow;
        }

        db.ExpectVersion(activity, input.Version.Value);
        activity.Status = input.Status;
        activity.Progress = input.Progress;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(ToDto(activity, periods));
    }

    private static ActivityDto ToDto(Activity a, Dictionary<Guid, string> periods) => new(
        a.Id, a.Title, a.Description, a.GoalId, a.ProgramId, a.ResponsibleUnitId, a.StartDate, a.EndDate, a.Status, ActivityStatusNames.Swedish(a.Status), a.Progress,
        [.. a.Comments.Select(c => new ActivityCommentDto(periods.GetValueOrDefault(c.PeriodId, ""), c.Text, c.Status, ActivityStatusNames.Swedish(c.Status), c.Progress, c.WrittenBy, c.WrittenAt))
            .OrderBy(c => c.PeriodKey, StringComparer.Ordinal)],
        a.Version);
}
