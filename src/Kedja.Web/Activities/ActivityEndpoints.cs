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

/// <summary>What a unit plans: an activity under a goal or a program, with its responsible unit and time span.</summary>
public sealed record ActivityInput(string Title, string? Description, Guid? GoalId, Guid? ProgramId, Guid ResponsibleUnitId, DateOnly? StartDate, DateOnly? EndDate,
    ActivityStatus Status, int Progress, int? Version);

public static class ActivityEndpoints
{
    public static void MapActivities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/activities").WithTags("Aktiviteter");
        group.MapGet("/", List).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
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

    private static async Task<Results<Created<ActivityDto>, ValidationProblem, ProblemHttpResult>> Create(ActivityInput input, KedjaDbContext db, TenantContext tenant)
    {
        if (!await UnitScope.AllowsAsync(tenant, db, input.ResponsibleUnitId))
        {
            return Problems.Forbidden("Du får bara planera aktiviteter för din egen enhet och enheterna under den.");
        }

        var activity = new Activity { Title = "" };
        var errors = await ApplyAsync(activity, input, db);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/activities/{activity.Id}", ToDto(activity, []));
    }

    /// <summary>Changes the plan of an activity. Moving it to another unit needs the right to plan for both.</summary>
    private static async Task<Results<Ok<ActivityDto>, ValidationProblem, ProblemHttpResult>> Update(Guid id, ActivityInput input, KedjaDbContext db, TenantContext tenant)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id);
        if (activity is null)
        {
            return Problems.NotFound("Aktiviteten finns inte.");
        }

        if (!await UnitScope.AllowsAllAsync(tenant, db, [activity.ResponsibleUnitId, input.ResponsibleUnitId]))
        {
            return Problems.Forbidden("Du får bara planera aktiviteter för din egen enhet och enheterna under den.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }

        db.ExpectVersion(activity, input.Version.Value);
        var errors = await ApplyAsync(activity, input, db);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(ToDto(activity, await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key)));
    }

    /// <summary>Removes an activity that has not been reported on; one with reports is marked cancelled instead, so the reports stay whole.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, int? version, KedjaDbContext db, TenantContext tenant)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id);
        if (activity is null)
        {
            return Problems.NotFound("Aktiviteten finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, activity.ResponsibleUnitId))
        {
            return Problems.Forbidden("Du får bara planera aktiviteter för din egen enhet och enheterna under den.");
        }

        if (version is null)
        {
            return Problems.Invalid("version", "Ange versionen du tar bort.");
        }

        if (activity.Comments.Count > 0)
        {
            return Problems.Invalid("id", "Aktiviteten har rapporterats i en uppföljning. Sätt status Avbruten i stället, så finns rapporten kvar.");
        }

        db.ExpectVersion(activity, version.Value);
        db.Activities.Remove(activity);
        return await db.TrySaveAsync() ? TypedResults.NoContent() : Problems.Conflict();
    }

    private static async Task<ValidationErrors> ApplyAsync(Activity activity, ActivityInput input, KedjaDbContext db)
    {
        var errors = new ValidationErrors();
        errors.Required("title", input.Title, "Aktivitetens titel");
        errors.Text("description", input.Description, "Aktivitetens beskrivning", Domain.TextLimits.Text);
        errors.Year("startDate", input.StartDate?.Year);
        errors.Year("endDate", input.EndDate?.Year);

        if ((input.GoalId is null) == (input.ProgramId is null))
        {
            errors.Add("goalId", "En aktivitet hör till antingen ett mål eller ett program.");
        }
        else if (input.GoalId is { } goalId && !await db.Goals.AnyAsync(g => g.Id == goalId))
        {
            errors.Add("goalId", "Målet finns inte.");
        }
        else if (input.ProgramId is { } programId && !await db.Programs.AnyAsync(p => p.Id == programId))
        {
            errors.Add("programId", "Programmet finns inte.");
        }

        if (!await db.Units.AnyAsync(u => u.Id == input.ResponsibleUnitId))
        {
            errors.Add("responsibleUnitId", "Enheten finns inte.");
        }

        if (input.StartDate is { } start && input.EndDate is { } end && end < start)
        {
            errors.Add("endDate", "Slutdatum kan inte vara före startdatum.");
        }

        if (input.Progress is < 0 or > 100)
        {
            errors.Add("progress", "Framdriften anges i procent, 0-100.");
        }

        if (!Enum.IsDefined(input.Status))
        {
            errors.Add("status", "Okänd status.");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        activity.Title = input.Title.Trim();
        activity.Description = input.Description;
        activity.GoalId = input.GoalId;
        activity.ProgramId = input.ProgramId;
        activity.ResponsibleUnitId = input.ResponsibleUnitId;
        activity.StartDate = input.StartDate;
        activity.EndDate = input.EndDate;
        activity.Status = input.Status;
        activity.Progress = input.Progress;
        return errors;
    }

    /// <summary>Reports status and progress, and optionally the period's comment. Needs the version read with the activity.</summary>
    private static async Task<Results<Ok<ActivityDto>, ValidationProblem, ProblemHttpResult>> PutProgress(
        Guid id, ActivityProgressInput input, KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
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

        var text = new ValidationErrors();
        text.Text("comment", input.Comment?.Trim(), "Rapportens text", Domain.TextLimits.Long);
        if (text.Count > 0)
        {
            return Problems.Invalid(text.ToDictionary());
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
            comment.WrittenAt = clock.GetUtcNow().UtcDateTime;
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
