using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities;

/// <summary>
/// An activity as the tenant document describes it, with its version and the status in Swedish: what GET gives and
/// PUT takes back. Its period reports (<see cref="ActivityDoc.Comments"/>) are read-only here; they are written through
/// the progress report, so PUT leaves them as they are. A new activity may bring its own id.
/// </summary>
public sealed record VersionedActivity : ActivityDoc
{
    public VersionedActivity()
    {
    }

    [SetsRequiredMembers]
    public VersionedActivity(ActivityDoc doc, int version)
        : base(doc) => Version = version;

    public int? Version { get; init; }

    /// <summary>The status as a person reads it ("Försenad"); ignored in a request.</summary>
    public string StatusName => ActivityStatusNames.Swedish(Status);
}

/// <param name="PeriodKey">The follow-up period the comment belongs to; with <see cref="Comment"/> it is recorded as the period's report.</param>
public sealed record ActivityProgressInput(ActivityStatus Status, int Progress, string? PeriodKey, string? Comment, int? Version);

public static class ActivityMapping
{
    /// <summary>The activity as the document (and the API) describes it, its reports by period.</summary>
    public static ActivityDoc ToDoc(Activity a, IReadOnlyDictionary<Guid, string> periodKeys) => new()
    {
        Id = a.Id, Title = a.Title, Description = a.Description, GoalId = a.GoalId, ProgramId = a.ProgramId, ResponsibleUnitId = a.ResponsibleUnitId,
        StartDate = a.StartDate, EndDate = a.EndDate, Status = a.Status, Progress = a.Progress,
        Comments = [.. a.Comments.Select(c => new ActivityCommentDoc(periodKeys[c.PeriodId], c.Text, c.Status, c.Progress, c.WrittenBy, c.WrittenAt)).OrderBy(c => c.PeriodKey, StringComparer.Ordinal)],
    };
}

/// <summary>
/// What a unit plans and reports: activities under a goal or a program, by the rules the document importer uses too
/// (<see cref="ActivityRules"/>). Editors plan and report only for their own units; a report waits while the unit's
/// follow-up for the period is submitted or locked.
/// </summary>
public sealed class ActivityEditing(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string NotFound = "Aktiviteten finns inte.";

    private const string OutsidePlanning = "Du får bara planera aktiviteter för din egen enhet och enheterna under den.";

    public async Task<List<VersionedActivity>> ListAsync(Guid? goalId, Guid? programId, Guid? unitId, CancellationToken cancellationToken = default)
    {
        var activities = await db.Activities.AsNoTracking().Include(a => a.Comments)
            .Where(a => (goalId == null || a.GoalId == goalId) && (programId == null || a.ProgramId == programId) && (unitId == null || a.ResponsibleUnitId == unitId))
            .OrderBy(a => a.StartDate).ThenBy(a => a.Title).ToListAsync(cancellationToken);
        var periods = await PeriodKeysAsync(cancellationToken);
        return [.. activities.Select(a => Versioned(a, periods))];
    }

    public async Task<ServiceResult<VersionedActivity>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var activity = await db.Activities.AsNoTracking().Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return activity is null ? ServiceError.NotFound(NotFound) : Versioned(activity, await PeriodKeysAsync(cancellationToken));
    }

    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedActivity>> CreateAsync(VersionedActivity input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await UnitScope.AllowsAsync(tenant, db, input.ResponsibleUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsidePlanning);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Activities.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan en aktivitet med det id:t.");
        }

        if (await CheckAsync(input, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var activity = new Activity { Id = id, Title = "" };
        Apply(activity, input);
        db.Activities.Add(activity);
        return await db.TrySaveAsync() ? Versioned(activity, new Dictionary<Guid, string>()) : ServiceError.Conflict("Det finns redan en aktivitet med det id:t.");
    }

    /// <summary>Changes the plan of an activity. Moving it to another unit needs the right to plan for both.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedActivity>> UpdateAsync(Guid id, VersionedActivity input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (activity is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAllAsync(tenant, db, [activity.ResponsibleUnitId, input.ResponsibleUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsidePlanning);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        if (await CheckAsync(input, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        db.ExpectVersion(activity, input.Version.Value);
        Apply(activity, input);
        return await db.TrySaveAsync() ? Versioned(activity, await PeriodKeysAsync(cancellationToken)) : ServiceError.Conflict();
    }

    /// <summary>Removes an activity that has not been reported on; one with reports is marked cancelled instead, so the reports stay whole.</summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (activity is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, activity.ResponsibleUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsidePlanning);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (activity.Comments.Count > 0)
        {
            return ServiceError.Invalid("id", "Aktiviteten har rapporterats i en uppföljning. Sätt status Avbruten i stället, så finns rapporten kvar.");
        }

        return await db.RemoveAsReadAsync(activity, version.Value);
    }

    /// <summary>Reports status and progress, and optionally the period's comment. Needs the version read with the activity.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedActivity>> ReportAsync(Guid id, ActivityProgressInput input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var activity = await db.Activities.Include(a => a.Comments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (activity is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, activity.ResponsibleUnitId, cancellationToken))
        {
            return ServiceError.Forbidden("Du får bara rapportera aktiviteter för din egen enhet och enheterna under den.");
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors(unreadable);
        ActivityCommentDoc? report = null;
        Domain.Periods.FollowUpPeriod? period = null;
        if (string.IsNullOrWhiteSpace(input.Comment))
        {
            ActivityRules.CheckProgress(errors, "", input.Status, input.Progress);
        }
        else
        {
            var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), input.PeriodKey, cancellationToken);
            if (found.Error is { } missing)
            {
                return missing;
            }

            period = found.Value!;
            report = new ActivityCommentDoc(period.Key, input.Comment.Trim(), input.Status, input.Progress, actor.Name, clock.GetUtcNow().UtcDateTime);
            ActivityRules.CheckReport(errors, "", report, _ => true, textField: "comment");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (period is not null && await WorkflowGuard.EnsureOpenAsync(db, activity.ResponsibleUnitId, period, cancellationToken) is { } closed)
        {
            return closed;
        }

        if (report is not null)
        {
            var comment = activity.Comments.SingleOrDefault(c => c.PeriodId == period!.Id);
            if (comment is null)
            {
                activity.Comments.Add(comment = new ActivityComment { ActivityId = activity.Id, PeriodId = period!.Id, Text = "", WrittenBy = report.WrittenBy });
            }

            (comment.Text, comment.Status, comment.Progress, comment.WrittenBy, comment.WrittenAt) = (report.Text, report.Status, report.Progress, report.WrittenBy, report.WrittenAt);
        }

        db.ExpectVersion(activity, input.Version.Value);
        activity.Status = input.Status;
        activity.Progress = input.Progress;
        return await db.TrySaveAsync() ? Versioned(activity, await PeriodKeysAsync(cancellationToken)) : ServiceError.Conflict();
    }

    /// <summary>The plan's rules, with what it points at looked up in the database; its reports are not part of a plan.</summary>
    private async Task<ServiceError?> CheckAsync(ActivityDoc input, ValidationErrors? unreadable, CancellationToken cancellationToken)
    {
        var plan = input with { Comments = [] };
        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", plan))
        {
            return ServiceError.Invalid(errors);
        }

        var references = new ActivityReferences(
            await db.Units.AnyAsync(u => u.Id == plan.ResponsibleUnitId, cancellationToken),
            plan.GoalId is { } goalId && await db.Goals.AnyAsync(g => g.Id == goalId, cancellationToken),
            plan.ProgramId is { } programId && await db.Programs.AnyAsync(p => p.Id == programId, cancellationToken),
            _ => true);
        ActivityRules.Check(errors, "", plan, references);
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private static void Apply(Activity activity, ActivityDoc input)
    {
        activity.Title = input.Title.Trim();
        activity.Description = input.Description;
        activity.GoalId = input.GoalId;
        activity.ProgramId = input.ProgramId;
        activity.ResponsibleUnitId = input.ResponsibleUnitId;
        activity.StartDate = input.StartDate;
        activity.EndDate = input.EndDate;
        activity.Status = input.Status;
        activity.Progress = input.Progress;
    }

    private Task<Dictionary<Guid, string>> PeriodKeysAsync(CancellationToken cancellationToken) =>
        db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key, cancellationToken);

    private static VersionedActivity Versioned(Activity activity, IReadOnlyDictionary<Guid, string> periodKeys) => new(ActivityMapping.ToDoc(activity, periodKeys), activity.Version);
}
