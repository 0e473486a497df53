using Kedja.Domain.Assignments;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Assignments;
using Kedja.Web.InternalControl;

namespace Kedja.Web.Demo;

/// <summary>A risk's assessment for a year: likelihood and consequence before existing controls, then after them.</summary>
internal readonly record struct Assessed(int Year, int Likelihood, int Consequence, int LikelihoodAfter, int ConsequenceAfter);

/// <summary>What the responsible unit reported on an assignment in a follow-up.</summary>
internal readonly record struct Reported(string PeriodKey, AssignmentStatus Status, string Text);

/// <summary>
/// Writes the internal control and assignments of an example municipality (issue 15, ADR 46) as data: risks with their
/// yearly assessments, decided plans with control actions, results and measures, and assignments with their reports.
/// Who wrote what and when follows from the period: reports and results a dozen days after it ended.
/// </summary>
internal sealed class ControlExamples
{
    private const string Controller = "controller@exempelkommun.se";

    public List<RiskDoc> Risks { get; } = [];

    public List<ControlPlanDoc> Plans { get; } = [];

    public List<AssignmentDoc> Assignments { get; } = [];

    /// <summary>The section for the document; <paramref name="settings"/> null leaves the tenant on the default scale without a row of its own.</summary>
    public InternalControlDoc Doc(RiskSettingsDoc? settings) => new() { Settings = settings, Risks = Risks, Plans = Plans };

    /// <summary>A risk in the unit's register since its first assessment, numbered in the order written.</summary>
    public Guid Risk(Guid unit, string title, string category, string process, string owner, string? description, string controls, string reasoning,
        Assessed[] years)
    {
        var risk = new RiskDoc
        {
            Id = Guid.CreateVersion7(), Number = Risks.Count + 1, UnitId = unit, Title = title, Description = description, Category = category, Process = process,
            Owner = owner, FirstYear = years.Min(y => y.Year),
            Assessments = [.. years.Select(y => new RiskAssessmentDoc(y.Year, y.Likelihood, y.Consequence, controls, y.LikelihoodAfter, y.ConsequenceAfter,
                y.Year == years.Max(x => x.Year) ? reasoning : $"Bedömningen i riskanalysen inför {y.Year}.", Controller, Stamp(new DateOnly(y.Year - 1, 10, 15))))],
        };
        Risks.Add(risk);
        return risk.Id;
    }

    /// <summary>A plan the unit decided for the year, with the risks chosen for it.</summary>
    public ControlPlanDoc Plan(Guid unit, int year, DateOnly decidedOn, string paragraph, string description, params Guid[] risks)
    {
        var plan = new ControlPlanDoc
        {
            Id = Guid.CreateVersion7(), UnitId = unit, Year = year, Status = ControlPlanStatus.Decided, DecidedOn = decidedOn, DecisionParagraph = paragraph,
            Description = description, RiskIds = [.. risks],
        };
        Plans.Add(plan);
        return plan;
    }

    /// <summary>A control action in the plan, checked in the period and, when followed up, with its result and measures.</summary>
    public void Action(ControlPlanDoc plan, Guid? risk, string title, string method, string scope, Guid responsible, string person, string periodKey, string reportTo,
        ControlResultDoc? result = null, params ControlMeasureDoc[] measures) =>
        plan.Actions.Add(new ControlActionDoc
        {
            Id = Guid.CreateVersion7(), RiskId = risk, Title = title, Method = method, Scope = scope, ResponsibleUnitId = responsible, ResponsiblePerson = person,
            PeriodKey = periodKey, ReportTo = reportTo, SortOrder = plan.Actions.Count, Results = result is null ? [] : [result], Measures = [.. measures],
        });

    public static ControlResultDoc WithoutRemark(string periodKey) => Result(periodKey, ControlOutcome.WithoutRemark, null, null);

    public static ControlResultDoc Deviation(string periodKey, string findings) => Result(periodKey, ControlOutcome.WithDeviation, findings, null);

    public static ControlResultDoc NotPerformed(string periodKey, string reason) => Result(periodKey, ControlOutcome.NotPerformed, null, reason);

    /// <summary>A measure decided in the period; <paramref name="doneOn"/> makes it done.</summary>
    public static ControlMeasureDoc Measure(string periodKey, string text, string owner, DateOnly deadline, MeasureStatus status, DateOnly? doneOn = null) =>
        new(Guid.CreateVersion7(), periodKey, text, owner, deadline, doneOn is null ? status : MeasureStatus.Done, doneOn);

    /// <summary>
    /// An assignment given by the decision, due by a day or by the end of a period. A closed one (<see cref="AssignmentStatus.Closed"/> or
    /// <see cref="AssignmentStatus.NotDone"/>) was closed on <paramref name="closedOn"/> by the giver's secretary.
    /// </summary>
    public Guid Assignment(AssignmentGiver giver, Guid giverUnit, DateOnly decidedOn, string paragraph, Guid responsible, string title, string text,
        AssignmentStatus status, DateOnly? due = null, string? duePeriod = null, DateOnly? closedOn = null, string? reason = null, Guid[]? goals = null,
        params Reported[] reports)
    {
        var assignment = new AssignmentDoc
        {
            Id = Guid.CreateVersion7(), Number = Assignments.Count + 1, Title = title, Text = text, Giver = giver, GiverUnitId = giverUnit, DecidedOn = decidedOn,
            DecisionParagraph = paragraph, ResponsibleUnitId = responsible, DueDate = due, DuePeriodKey = duePeriod, Status = status, StatusReason = reason,
            ClosedOn = closedOn, ClosedBy = closedOn is null ? null : giver == AssignmentGiver.Committee ? "namndsekreterare@exempelkommun.se" : "kommunsekreterare@exempelkommun.se",
            GoalIds = [.. goals ?? []],
            Reports = [.. reports.Select(r => new AssignmentReportDoc(r.PeriodKey, r.Text, r.Status, "chef@exempelkommun.se", Stamp(PeriodRef.Parse(r.PeriodKey).End.AddDays(12))))],
        };
        Assignments.Add(assignment);
        return assignment.Id;
    }

    private static ControlResultDoc Result(string periodKey, ControlOutcome outcome, string? findings, string? reason) =>
        new(periodKey, outcome, findings, reason, "chef@exempelkommun.se", Stamp(PeriodRef.Parse(periodKey).End.AddDays(12)));

    private static DateTime Stamp(DateOnly day) => new(day.Year, day.Month, day.Day, 9, 30, 0, DateTimeKind.Utc);
}
