using Kedja.Domain.Assignments;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Public;

/// <summary>A period of the tenant's calendar named by its key, published or not: when something is due or checked.</summary>
public sealed record PublicCalendarPeriodDto(string Key, string Name, DateOnly EndDate);

/// <summary>What the responsible unit reported on an assignment in a published period, once it marked that follow-up ready.</summary>
public sealed record PublicAssignmentReportDto(string PeriodKey, string PeriodName, AssignmentStatus Status, string StatusName, string Text);

/// <summary>
/// An assignment the council gave (issue 15), as the public sees it: no person named (not who closed it, not who wrote a
/// report). <paramref name="Status"/> is the giver's closing when closed, else the status of the latest published report
/// (<see cref="PublishedTenant.AssignmentsAsync"/>), else null: a status set by a report still being written is not public.
/// </summary>
/// <param name="DuePeriod">Due by the end of this period when there is no <paramref name="DueDate"/>.</param>
/// <param name="StatusReason">Why it was not carried out, as the giver recorded it when closing it so.</param>
public sealed record PublicAssignmentDto(Guid Id, int Number, string Title, string Text, DateOnly DecidedOn, string? DecisionParagraph, Guid ResponsibleUnitId,
    string ResponsibleUnit, DateOnly? DueDate, PublicCalendarPeriodDto? DuePeriod, AssignmentStatus? Status, string? StatusName, string? StatusReason, DateOnly? ClosedOn,
    PublicAssignmentReportDto? LatestReport, List<Guid> GoalIds)
{
    public bool IsClosed => Status is { } status && AssignmentDue.IsClosed(status);
}

/// <summary>A control action (kontrollmoment) of a decided plan: what is checked, how, how much, by which unit and when. No risk, no result.</summary>
public sealed record PublicControlActionDto(Guid Id, string Title, string Method, string? Scope, Guid ResponsibleUnitId, string ResponsibleUnit, PublicCalendarPeriodDto? Period);

/// <summary>A committee's decided internal control plan for a year, as the public sees it.</summary>
public sealed record PublicControlPlanDto(Guid Id, Guid UnitId, string UnitName, int Year, DateOnly? DecidedOn, string? DecisionParagraph, string? Description,
    List<PublicControlActionDto> Actions);

/// <summary>The reads of issue 15's portal pages: the council's assignments and the committees' decided internal control plans.</summary>
public sealed partial class PublishedTenant
{
    public const string NotPublished = "Kommunen publicerar inte det här.";

    /// <summary>Whether the municipality publishes the council's assignments; the view's filter shows none otherwise.</summary>
    public bool PublishesAssignments => db.PublishAssignments;

    /// <summary>Whether the municipality publishes its committees' decided internal control plans.</summary>
    public bool PublishesControlPlans => db.PublishControlPlans;

    /// <summary>
    /// The council's assignments decided up to the last published year, by number. The status shown is decided in one
    /// place, here: an assignment the giver closed shows its closing (closing is the giver's decision, not a unit's
    /// draft); any other shows the status of the latest report made in a published period whose follow-up the unit marked
    /// ready (the view's filter), never the row's current status, which a report still being written may have changed.
    /// </summary>
    public async Task<ServiceResult<List<PublicAssignmentDto>>> AssignmentsAsync(CancellationToken cancellationToken = default)
    {
        if (!db.PublishAssignments)
        {
            return ServiceError.NotFound(NotPublished);
        }

        var assignments = await db.Assignments.AsNoTracking().OrderBy(a => a.Number).ToListAsync(cancellationToken);
        var reports = (await db.AssignmentReports.AsNoTracking().Select(r => new { r.AssignmentId, r.PeriodId, r.Status, r.Text }).ToListAsync(cancellationToken))
            .Where(r => db.Calendar.ContainsKey(r.PeriodId))
            .ToLookup(r => r.AssignmentId);
        var goals = (await db.AssignmentGoals.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(l => l.AssignmentId, l => l.GoalId);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return assignments.Select(a =>
        {
            var latest = reports[a.Id].MaxBy(r => PeriodRef.Parse(db.Calendar[r.PeriodId]));
            var report = latest is null ? null : new PublicAssignmentReportDto(db.Calendar[latest.PeriodId], PeriodRef.Parse(db.Calendar[latest.PeriodId]).Label,
                latest.Status, AssignmentNames.Swedish(latest.Status), latest.Text);
            AssignmentStatus? status = AssignmentDue.IsClosed(a.Status) ? a.Status : latest?.Status;
            return new PublicAssignmentDto(a.Id, a.Number, a.Title, a.Text, a.DecidedOn, a.DecisionParagraph, a.ResponsibleUnitId, units.GetValueOrDefault(a.ResponsibleUnitId, ""),
                a.DueDate, a.DueDate is null ? CalendarPeriod(a.DuePeriodId) : null, status, status is { } s ? AssignmentNames.Swedish(s) : null,
                a.Status == AssignmentStatus.NotDone ? a.StatusReason : null, AssignmentDue.IsClosed(a.Status) ? a.ClosedOn : null, report, [.. goals[a.Id]]);
        }).ToList();
    }

    /// <summary>
    /// The committees' decided internal control plans of one year (the view shows decided plans up to the last published
    /// year only), each with its control actions in the order the plan holds them. Nothing of the risk register comes along.
    /// </summary>
    public async Task<ServiceResult<List<PublicControlPlanDto>>> ControlPlansAsync(int year, CancellationToken cancellationToken = default)
    {
        if (!db.PublishControlPlans)
        {
            return ServiceError.NotFound(NotPublished);
        }

        var plans = await db.ControlPlans.AsNoTracking().Where(p => p.Year == year).ToListAsync(cancellationToken);
        var ids = plans.Select(p => p.Id).ToList();
        var actions = (ids.Count == 0 ? [] : await db.ControlActions.AsNoTracking().Where(a => ids.Contains(a.PlanId)).ToListAsync(cancellationToken))
            .OrderBy(a => a.SortOrder).ThenBy(a => a.Title, StringComparer.Create(Domain.SwedishFormat.Culture, false)).ToLookup(a => a.PlanId);
        var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        var names = units.ToDictionary(u => u.Id, u => u.Name);
        var order = units.OrderBy(u => u.SortOrder).ThenBy(u => u.Name, StringComparer.Create(Domain.SwedishFormat.Culture, false)).Select((u, i) => (u.Id, i)).ToDictionary();
        return plans.OrderBy(p => order.GetValueOrDefault(p.UnitId, int.MaxValue))
            .Select(p => new PublicControlPlanDto(p.Id, p.UnitId, names.GetValueOrDefault(p.UnitId, ""), p.Year, p.DecidedOn, p.DecisionParagraph, p.Description,
                [.. actions[p.Id].Select(a => new PublicControlActionDto(a.Id, a.Title, a.Method, a.Scope, a.ResponsibleUnitId, names.GetValueOrDefault(a.ResponsibleUnitId, ""),
                    CalendarPeriod(a.PeriodId)))]))
            .ToList();
    }

    /// <summary>The years that have a published (decided) plan, latest first.</summary>
    public async Task<List<int>> ControlPlanYearsAsync(CancellationToken cancellationToken = default) =>
        db.PublishControlPlans ? await db.ControlPlans.AsNoTracking().Select(p => p.Year).Distinct().OrderByDescending(y => y).ToListAsync(cancellationToken) : [];

    private PublicCalendarPeriodDto? CalendarPeriod(Guid? id) =>
        id is { } found && db.Calendar.TryGetValue(found, out var key) && PeriodRef.Parse(key) is var period
            ? new PublicCalendarPeriodDto(key, period.Label, period.End) : null;
}
