using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Assignments;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Assignments;

/// <summary>
/// An assignment as the tenant document describes it, with its version and, for people, its status in Swedish, the day it
/// is due and whether it is overdue: what GET gives and PUT takes back. Its status, closing and reports are read-only
/// here; they change through a report (<see cref="AssignmentEditing.ReportAsync"/>) and the giver's closing, so PUT
/// leaves them as they are.
/// </summary>
public sealed record VersionedAssignment : AssignmentDoc
{
    public VersionedAssignment()
    {
    }

    [SetsRequiredMembers]
    public VersionedAssignment(AssignmentDoc doc, int version, DateOnly? dueOn, bool isOverdue)
        : base(doc) => (Version, DueOn, IsOverdue) = (version, dueOn, isOverdue);

    public int? Version { get; init; }

    /// <summary>The status as a person reads it ("Pågår"); ignored in a request.</summary>
    public string StatusName => AssignmentNames.Swedish(Status);

    /// <summary>The day it is due: its date, else the end of its period; ignored in a request.</summary>
    public DateOnly? DueOn { get; init; }

    /// <summary>Still open after the day it was due, counted in Swedish time; ignored in a request.</summary>
    public bool IsOverdue { get; init; }
}

/// <summary>What the list is narrowed to; every part is optional.</summary>
/// <param name="Year">Assignments that were open at some time in the year: decided in it or before, and not closed before it.</param>
public sealed record AssignmentFilter(Guid? UnitId = null, Guid? GiverUnitId = null, AssignmentStatus? Status = null, bool OverdueOnly = false, int? Year = null);

/// <param name="Version">The version of the assignment the report was written against.</param>
public sealed record AssignmentReportInput(AssignmentStatus Status, string? Text, int? Version);

/// <param name="Status"><see cref="AssignmentStatus.Closed"/> (återrapporterat och avslutat) or <see cref="AssignmentStatus.NotDone"/> (with a reason).</param>
public sealed record AssignmentClosingInput(AssignmentStatus Status, string? Reason, int? Version);

public sealed record AssignmentReopenInput(string? Reason, int? Version);

/// <summary>What the start page shows of assignments (att göra).</summary>
/// <param name="ToDo">The responsible unit's open assignments overdue or due within the municipality's reminder days.</param>
/// <param name="Upcoming">The responsible unit's open assignments due later, within <paramref name="DaysAhead"/> days.</param>
/// <param name="ToClose">For the giver: assignments the unit reported done, waiting to be closed.</param>
public sealed record AssignmentToDo(DateOnly Today, int DaysAhead, List<VersionedAssignment> ToDo, List<VersionedAssignment> Upcoming, List<VersionedAssignment> ToClose);

/// <summary>
/// The council's, the executive board's and the committees' assignments (uppdrag, issue 15, ADR 46) followed until the
/// giver closes them, by the rules the document importer uses too (<see cref="AssignmentRules"/>). Read by whoever sees
/// the responsible or the giving unit (<see cref="UnitScope.SeesManyAsync"/>; anyone else is told it does not exist);
/// given, changed and closed by whoever may act for the giving unit (a council's or board's assignment without a giving
/// unit: administrators); reported on by the responsible unit's people while its follow-up of the period is open.
/// </summary>
public sealed class AssignmentEditing(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string NotFound = "Uppdraget finns inte.";

    public const string NotGiver = "Bara den som gav uppdraget – den som får företräda den enhet som gav det – får ändra eller avsluta det.";

    public const string NotGiverOfCouncil = "Ett uppdrag från kommunfullmäktige eller kommunstyrelsen utan angiven enhet ges, ändras och avslutas av en administratör.";

    public const string NotResponsible = "Bara den ansvariga enheten och enheterna ovanför den rapporterar uppdraget.";

    public const string AlreadyClosed = "Uppdraget är avslutat. Den som gav det kan öppna det igen.";

    /// <summary>How many times a new assignment tries the next free number when others take it first.</summary>
    private const int NumberAttempts = 5;

    /// <summary>Today in Sweden, the day an assignment is overdue after (the app's clock, so tests can move it).</summary>
    public DateOnly Today() => Deadlines.Today(clock);

    public async Task<List<VersionedAssignment>> ListAsync(AssignmentFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.Assignments.AsNoTracking().Include(a => a.Reports).Include(a => a.Goals).AsSplitQuery()
            .Where(a => (filter.UnitId == null || a.ResponsibleUnitId == filter.UnitId) && (filter.GiverUnitId == null || a.GiverUnitId == filter.GiverUnitId)
                && (filter.Status == null || a.Status == filter.Status));
        if (filter.Year is { } year)
        {
            var first = new DateOnly(Math.Clamp(year, 1, 9999), 1, 1);
            var last = new DateOnly(Math.Clamp(year, 1, 9999), 12, 31);
            query = query.Where(a => a.DecidedOn <= last && (a.ClosedOn == null || a.ClosedOn >= first));
        }

        var assignments = await query.OrderBy(a => a.Number).ToListAsync(cancellationToken);
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var calendar = await CalendarAsync(cancellationToken);
        var today = Today();
        return [.. assignments.Where(a => Visible(sees, a)).Select(a => Versioned(a, calendar, today)).Where(a => !filter.OverdueOnly || a.IsOverdue)];
    }

    public async Task<ServiceResult<VersionedAssignment>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var assignment = await db.Assignments.AsNoTracking().Include(a => a.Reports).Include(a => a.Goals).AsSplitQuery().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assignment is null || !Visible(await UnitScope.SeesManyAsync(tenant, db, cancellationToken), assignment))
        {
            return ServiceError.NotFound(NotFound);
        }

        return Versioned(assignment, await CalendarAsync(cancellationToken), Today());
    }

    /// <summary>Whether the person may give, change and close an assignment of this giver (for a page to offer it or not).</summary>
    public async Task<bool> MayGiveAsync(AssignmentGiver giver, Guid? giverUnitId, CancellationToken cancellationToken = default) =>
        giverUnitId is { } unit ? await UnitScope.AllowsAsync(tenant, db, unit, cancellationToken) : tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin;

    /// <summary>Whether the person may report on an assignment of the unit (for a page to offer it or not).</summary>
    public Task<bool> MayReportAsync(Guid responsibleUnitId, CancellationToken cancellationToken = default) =>
        UnitScope.AllowsAsync(tenant, db, responsibleUnitId, cancellationToken);

    /// <summary>
    /// Gives an assignment: it starts not started, with no reports. <see cref="AssignmentDoc.Number"/> 0 takes the next free
    /// number of the municipality; when another request takes it first, the next one after that.
    /// </summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedAssignment>> CreateAsync(VersionedAssignment input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await MayGiveAsync(input.Giver, input.GiverUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(input.GiverUnitId is null ? NotGiverOfCouncil : NotGiver);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        // Within the municipality only: keys are (tenant, id), and looking further would tell whether another
        // municipality holds the id.
        if (await db.Assignments.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan ett uppdrag med det id:t.");
        }

        var plan = AsGiven(input) with { Status = AssignmentStatus.NotStarted, StatusReason = null, ClosedOn = null, ClosedBy = null };
        var calendar = await CalendarAsync(cancellationToken);
        if (await CheckAsync(plan, calendar, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var assignment = new Assignment { Id = id, TenantId = tenant.TenantId, Title = "", Text = "" };
        Apply(assignment, plan, calendar);
        db.Assignments.Add(assignment);
        for (var attempt = 1; ; attempt++)
        {
            if (input.Number == 0)
            {
                assignment.Number = (await db.Assignments.AsNoTracking().MaxAsync(a => (int?)a.Number, cancellationToken) ?? 0) + 1;
            }
            else if (await db.Assignments.AsNoTracking().AnyAsync(a => a.Number == input.Number, cancellationToken))
            {
                return ServiceError.Invalid("number", $"Det finns redan ett uppdrag med nummer {input.Number}.");
            }

            if (await db.TrySaveAsync())
            {
                return Versioned(assignment, calendar, Today());
            }

            // Someone else took the number between our read and our write: the unique index let one in.
            if (input.Number != 0 || attempt == NumberAttempts)
            {
                return ServiceError.Conflict("Någon annan gav ett uppdrag samtidigt. Försök igen.");
            }
        }
    }

    /// <summary>Changes what was decided (title, text, giver, responsible unit, due, goals); by the giver, with the version read.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedAssignment>> UpdateAsync(Guid id, VersionedAssignment input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var found = await LoadAsync(id, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var assignment = found.Value!;
        if (!await MayGiveAsync(assignment.Giver, assignment.GiverUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(assignment.GiverUnitId is null ? NotGiverOfCouncil : NotGiver);
        }

        if (!await MayGiveAsync(input.Giver, input.GiverUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(input.GiverUnitId is null ? NotGiverOfCouncil : NotGiver);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var calendar = await CalendarAsync(cancellationToken);
        var current = Doc(assignment, calendar);
        var plan = AsGiven(input) with
        {
            Number = input.Number == 0 ? assignment.Number : input.Number,
            Status = current.Status, StatusReason = current.StatusReason, ClosedOn = current.ClosedOn, ClosedBy = current.ClosedBy,
        };
        if (await CheckAsync(plan, calendar, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (plan.Number != assignment.Number && await db.Assignments.AsNoTracking().AnyAsync(a => a.Number == plan.Number && a.Id != id, cancellationToken))
        {
            return ServiceError.Invalid("number", $"Det finns redan ett uppdrag med nummer {plan.Number}.");
        }

        db.ExpectVersion(assignment, input.Version.Value);
        assignment.Number = plan.Number;
        Apply(assignment, plan, calendar);
        return await db.TrySaveAsync() ? Versioned(assignment, calendar, Today()) : ServiceError.Conflict();
    }

    /// <summary>
    /// The responsible unit's report for a follow-up period (ej påbörjat, pågår or klart, and what was done), written again
    /// for the same period; the report's status becomes the assignment's. Only while the unit's follow-up of the period is
    /// open, and not once the giver has closed it.
    /// </summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedAssignment>> ReportAsync(Guid id, string? periodKey, AssignmentReportInput input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var found = await LoadAsync(id, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var assignment = found.Value!;
        if (!await MayReportAsync(assignment.ResponsibleUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(NotResponsible);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (period.Error is { } noPeriod)
        {
            return noPeriod;
        }

        var report = new AssignmentReportDoc(period.Value!.Key, (input.Text ?? "").Trim(), input.Status, actor.Name, clock.GetUtcNow().UtcDateTime);
        var errors = new ValidationErrors(unreadable);
        AssignmentRules.CheckReport(errors, "", report, new AssignmentReferences(_ => true, _ => true, _ => true));
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (AssignmentDue.IsClosed(assignment.Status))
        {
            return ServiceError.Conflict(AlreadyClosed);
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, assignment.ResponsibleUnitId, period.Value, cancellationToken) is { } closed)
        {
            return closed;
        }

        var row = assignment.Reports.SingleOrDefault(r => r.PeriodId == period.Value.Id);
        if (row is null)
        {
            assignment.Reports.Add(row = new AssignmentReport { TenantId = assignment.TenantId, AssignmentId = assignment.Id, PeriodId = period.Value.Id, Text = "", WrittenBy = report.WrittenBy });
        }

        (row.Text, row.Status, row.WrittenBy, row.WrittenAt) = (report.Text, report.Status, report.WrittenBy, report.WrittenAt);
        db.ExpectVersion(assignment, input.Version.Value);
        assignment.Status = report.Status;
        assignment.StatusReason = null;
        return await db.TrySaveAsync() ? Versioned(assignment, await CalendarAsync(cancellationToken), Today()) : ServiceError.Conflict();
    }

    /// <summary>The giver closes it: reported back and closed, or not carried out with a reason; the day and who are recorded.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedAssignment>> CloseAsync(Guid id, AssignmentClosingInput input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var found = await LoadAsync(id, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var assignment = found.Value!;
        if (!await MayGiveAsync(assignment.Giver, assignment.GiverUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(assignment.GiverUnitId is null ? NotGiverOfCouncil : NotGiver);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors(unreadable);
        var reason = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim();
        if (!AssignmentDue.IsClosed(input.Status))
        {
            errors.Add("status", "Avsluta uppdraget som återrapporterat och avslutat, eller som ej genomfört.");
        }
        else if (input.Status == AssignmentStatus.NotDone && reason is null)
        {
            errors.Add("reason", "Ange varför uppdraget inte genomfördes.");
        }

        errors.Text("reason", reason, "Skälet", TextLimits.Text);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (AssignmentDue.IsClosed(assignment.Status))
        {
            return ServiceError.Conflict("Uppdraget är redan avslutat.");
        }

        db.ExpectVersion(assignment, input.Version.Value);
        (assignment.Status, assignment.StatusReason, assignment.ClosedOn, assignment.ClosedBy) = (input.Status, reason, Today(), actor.Name);
        return await db.TrySaveAsync() ? Versioned(assignment, await CalendarAsync(cancellationToken), Today()) : ServiceError.Conflict();
    }

    /// <summary>
    /// The giver opens a closed assignment again, saying why (kept as its status reason and in the audit trail): it goes
    /// back to the status of its latest report, or not started, and the unit reports on it again.
    /// </summary>
    public async Task<ServiceResult<VersionedAssignment>> ReopenAsync(Guid id, AssignmentReopenInput input, CancellationToken cancellationToken = default)
    {
        var found = await LoadAsync(id, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var assignment = found.Value!;
        if (!await MayGiveAsync(assignment.Giver, assignment.GiverUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(assignment.GiverUnitId is null ? NotGiverOfCouncil : NotGiver);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors();
        errors.Required("reason", input.Reason, "Skälet till att uppdraget öppnas igen", TextLimits.Text);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (!AssignmentDue.IsClosed(assignment.Status))
        {
            return ServiceError.Conflict("Uppdraget är inte avslutat.");
        }

        var latest = assignment.Reports.OrderByDescending(r => r.WrittenAt).FirstOrDefault();
        db.ExpectVersion(assignment, input.Version.Value);
        (assignment.Status, assignment.StatusReason, assignment.ClosedOn, assignment.ClosedBy) = (latest?.Status ?? AssignmentStatus.NotStarted, input.Reason!.Trim(), null, null);
        return await db.TrySaveAsync() ? Versioned(assignment, await CalendarAsync(cancellationToken), Today()) : ServiceError.Conflict();
    }

    /// <summary>
    /// The assignments a person has to do something about: open ones of the units they report for that are overdue or due
    /// within the municipality's reminder days (and those due later, for their deadlines), and, for the giver, those reported
    /// done and waiting to be closed. A reader has none.
    /// </summary>
    public async Task<AssignmentToDo> ToDoAsync(int daysAhead, CancellationToken cancellationToken = default)
    {
        var today = Today();
        if (!tenant.IsSystemAdmin && tenant.Role < TenantRole.Editor)
        {
            return new AssignmentToDo(today, daysAhead, [], [], []);
        }

        var assignments = await db.Assignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.NotStarted || a.Status == AssignmentStatus.InProgress || a.Status == AssignmentStatus.Done)
            .OrderBy(a => a.Number).ToListAsync(cancellationToken);
        if (assignments.Count == 0)
        {
            return new AssignmentToDo(today, daysAhead, [], [], []);
        }

        var days = await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => t.ReminderDaysBefore).SingleAsync(cancellationToken);
        var reports = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        var admin = tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin;
        var calendar = await CalendarAsync(cancellationToken);
        var mine = assignments.Where(a => AssignmentDue.IsOpen(a.Status) && reports(a.ResponsibleUnitId)).Select(a => Versioned(a, calendar, today)).Where(a => a.DueOn is not null).ToList();
        var soon = today.AddDays(Math.Max(days, 0));
        var toClose = assignments.Where(a => a.Status == AssignmentStatus.Done && (a.GiverUnitId is { } giver ? reports(giver) : admin))
            .Select(a => Versioned(a, calendar, today)).ToList();
        return new AssignmentToDo(
            today,
            daysAhead,
            [.. mine.Where(a => a.DueOn <= soon).OrderBy(a => a.DueOn).ThenBy(a => a.Number)],
            [.. mine.Where(a => a.DueOn > soon && a.DueOn <= today.AddDays(daysAhead)).OrderBy(a => a.DueOn).ThenBy(a => a.Number)],
            toClose);
    }

    /// <summary>The assignments linked to the goal that the person sees, by number.</summary>
    public async Task<List<VersionedAssignment>> ForGoalAsync(Guid goalId, CancellationToken cancellationToken = default)
    {
        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Goals).Where(a => a.Goals.Any(g => g.GoalId == goalId))
            .OrderBy(a => a.Number).ToListAsync(cancellationToken);
        if (assignments.Count == 0)
        {
            return [];
        }

        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var calendar = await CalendarAsync(cancellationToken);
        var today = Today();
        return [.. assignments.Where(a => Visible(sees, a)).Select(a => Versioned(a, calendar, today))];
    }

    /// <summary>Every open assignment with a day it is due between the two days (both included), for reminders and calendars, in the entered municipality.</summary>
    public async Task<List<VersionedAssignment>> OpenDueBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var assignments = await db.Assignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.NotStarted || a.Status == AssignmentStatus.InProgress)
            .OrderBy(a => a.Number).ToListAsync(cancellationToken);
        if (assignments.Count == 0)
        {
            return [];
        }

        var calendar = await CalendarAsync(cancellationToken);
        var today = Today();
        return [.. assignments.Select(a => Versioned(a, calendar, today)).Where(a => a.DueOn is { } due && due >= from && due <= to).OrderBy(a => a.DueOn).ThenBy(a => a.Number)];
    }

    /// <summary>The assignment, tracked with its reports and goals, or not found when the person may not see it.</summary>
    private async Task<ServiceResult<Assignment>> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var assignment = await db.Assignments.Include(a => a.Reports).Include(a => a.Goals).AsSplitQuery().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return assignment is null || !Visible(await UnitScope.SeesManyAsync(tenant, db, cancellationToken), assignment) ? ServiceError.NotFound(NotFound) : assignment;
    }

    private static bool Visible(Func<Guid, bool> sees, Assignment a) => sees(a.ResponsibleUnitId) || (a.GiverUnitId is { } giver && sees(giver));

    /// <summary>What a request may set: the decision and its due day; its reports are written through reports only.</summary>
    private static AssignmentDoc AsGiven(AssignmentDoc input) => new()
    {
        Id = input.Id, Number = input.Number, Title = (input.Title ?? "").Trim(), Text = (input.Text ?? "").Trim(), Giver = input.Giver,
        GiverUnitId = input.GiverUnitId, DecidedOn = input.DecidedOn, DecisionParagraph = string.IsNullOrWhiteSpace(input.DecisionParagraph) ? null : input.DecisionParagraph.Trim(),
        ResponsibleUnitId = input.ResponsibleUnitId, DueDate = input.DueDate, DuePeriodKey = string.IsNullOrWhiteSpace(input.DuePeriodKey) ? null : input.DuePeriodKey.Trim(),
        Status = input.Status, StatusReason = input.StatusReason, ClosedOn = input.ClosedOn, ClosedBy = input.ClosedBy,
        GoalIds = input.GoalIds ?? [], Reports = [],
    };

    private async Task<ServiceError?> CheckAsync(AssignmentDoc plan, Dictionary<Guid, FollowUpPeriod> calendar, ValidationErrors? unreadable, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", plan))
        {
            return ServiceError.Invalid(errors);
        }

        var unitIds = new[] { plan.ResponsibleUnitId, plan.GiverUnitId ?? Guid.Empty };
        var kinds = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Kind, cancellationToken);
        var goals = (await db.Goals.AsNoTracking().Where(g => plan.GoalIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken)).ToHashSet();
        var keys = calendar.Values.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        AssignmentRules.Check(errors, "", plan, new AssignmentReferences(kinds.ContainsKey, goals.Contains, k => PeriodRef.TryParse(k, out var p) && keys.Contains(p.Key)));

        // Who may give follows the giving unit, so the unit must be the body the giver names: otherwise a committee's
        // editor could give "the council's" assignment in their own unit's name, which the portal publishes as the council's.
        if (plan.GiverUnitId is { } giverUnit && kinds.TryGetValue(giverUnit, out var kind)
            && ((plan.Giver == AssignmentGiver.Council && kind != UnitKind.Council) || (plan.Giver == AssignmentGiver.ExecutiveBoard && kind != UnitKind.ExecutiveBoard)))
        {
            errors.Add("giverUnitId", plan.Giver == AssignmentGiver.Council
                ? "Ett uppdrag från kommunfullmäktige ges av fullmäktige: välj fullmäktige som enhet som gav uppdraget."
                : "Ett uppdrag från kommunstyrelsen ges av kommunstyrelsen: välj kommunstyrelsen som enhet som gav uppdraget.");
        }

        // A committee directs its own organisation, not a neighbour's: the responsible unit is the giving unit or below it
        // (a neighbour's people would otherwise find someone else's assignment on their start page and in their reminders).
        if (plan.Giver == AssignmentGiver.Committee && plan.GiverUnitId is { } committee && kinds.ContainsKey(committee) && kinds.ContainsKey(plan.ResponsibleUnitId))
        {
            var parents = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
            var below = false;
            var seen = new HashSet<Guid>();
            for (Guid? current = plan.ResponsibleUnitId; current is { } id && seen.Add(id) && !below; current = parents.GetValueOrDefault(id))
            {
                below = id == committee;
            }

            if (!below)
            {
                errors.Add("responsibleUnitId", "En nämnds uppdrag ges till nämnden själv eller en enhet under den.");
            }
        }
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private void Apply(Assignment assignment, AssignmentDoc plan, Dictionary<Guid, FollowUpPeriod> calendar)
    {
        assignment.Title = plan.Title;
        assignment.Text = plan.Text;
        assignment.Giver = plan.Giver;
        assignment.GiverUnitId = plan.GiverUnitId;
        assignment.DecidedOn = plan.DecidedOn;
        assignment.DecisionParagraph = plan.DecisionParagraph;
        assignment.ResponsibleUnitId = plan.ResponsibleUnitId;
        assignment.DueDate = plan.DueDate;
        assignment.DuePeriodId = plan.DuePeriodKey is { } key && PeriodRef.TryParse(key, out var due) ? calendar.Values.Single(p => p.Key == due.Key).Id : null;
        var wanted = plan.GoalIds.ToHashSet();
        assignment.Goals.RemoveAll(l => !wanted.Contains(l.GoalId));
        foreach (var goalId in plan.GoalIds.Where(g => assignment.Goals.All(l => l.GoalId != g)))
        {
            assignment.Goals.Add(new AssignmentGoalLink { TenantId = assignment.TenantId, AssignmentId = assignment.Id, GoalId = goalId });
        }
    }

    /// <summary>The tenant's periods by id, read once per call: a list of assignments looks up each one's periods in it.</summary>
    private Task<Dictionary<Guid, FollowUpPeriod>> CalendarAsync(CancellationToken cancellationToken) => db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);

    /// <summary>
    /// The assignment as the document describes it, its reports by period; <paramref name="keyOf"/> names a period by
    /// its id (the editing's calendar, the exporter's period keys).
    /// </summary>
    public static AssignmentDoc Doc(Assignment a, Func<Guid, string?> keyOf) => new()
    {
        Id = a.Id, Number = a.Number, Title = a.Title, Text = a.Text, Giver = a.Giver, GiverUnitId = a.GiverUnitId, DecidedOn = a.DecidedOn,
        DecisionParagraph = a.DecisionParagraph, ResponsibleUnitId = a.ResponsibleUnitId, DueDate = a.DueDate,
        DuePeriodKey = a.DuePeriodId is { } p ? keyOf(p) : null, Status = a.Status, StatusReason = a.StatusReason,
        ClosedOn = a.ClosedOn, ClosedBy = a.ClosedBy, GoalIds = [.. a.Goals.Select(g => g.GoalId).Order()],
        Reports = [.. a.Reports.Select(r => new AssignmentReportDoc(keyOf(r.PeriodId)!, r.Text, r.Status, r.WrittenBy, r.WrittenAt)).OrderBy(r => PeriodRef.Parse(r.PeriodKey))],
    };

    private static AssignmentDoc Doc(Assignment a, Dictionary<Guid, FollowUpPeriod> calendar) => Doc(a, id => calendar.GetValueOrDefault(id)?.Key);

    private static VersionedAssignment Versioned(Assignment a, Dictionary<Guid, FollowUpPeriod> calendar, DateOnly today)
    {
        var due = AssignmentDue.DueOn(a, p => calendar.GetValueOrDefault(p)?.EndDate);
        return new VersionedAssignment(Doc(a, calendar), a.Version, due, AssignmentDue.IsOverdue(a, due, today));
    }
}
