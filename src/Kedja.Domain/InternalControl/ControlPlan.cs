namespace Kedja.Domain.InternalControl;

public enum ControlPlanStatus
{
    /// <summary>Förslag: being prepared, changed freely.</summary>
    Proposal,

    /// <summary>Beslutad: decided by the committee with date and paragraph; a change needs a reason.</summary>
    Decided,
}

/// <summary>A committee's internal control plan (internkontrollplan) for one year: the risks chosen and a control action for each.</summary>
public class ControlPlan : TenantEntity
{
    /// <summary>The committee (or other unit) whose plan it is.</summary>
    public Guid UnitId { get; set; }

    public int Year { get; set; }

    public ControlPlanStatus Status { get; set; }

    public DateOnly? DecidedOn { get; set; }

    /// <summary>The paragraph of the decision ("§ 45").</summary>
    public string? DecisionParagraph { get; set; }

    /// <summary>The reason given for the latest change after the decision, so the audit trail carries it with the change.</summary>
    public string? ChangeReason { get; set; }

    public string? Description { get; set; }

    public List<ControlPlanRisk> Risks { get; set; } = [];

    public List<ControlAction> Actions { get; set; } = [];
}

/// <summary>A risk chosen for a plan.</summary>
public class ControlPlanRisk : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid PlanId { get; set; }

    public Guid RiskId { get; set; }
}

/// <summary>
/// A control action (kontrollmoment): what is checked, how and how much, by whom, in which follow-up period, and to
/// whom it is reported. Its result is entered in that period through the responsible unit's follow-up.
/// </summary>
public class ControlAction : TenantEntity
{
    public Guid PlanId { get; set; }

    /// <summary>The risk it controls; null for a control the plan holds without a risk of the register.</summary>
    public Guid? RiskId { get; set; }

    /// <summary>What is checked.</summary>
    public required string Title { get; set; }

    /// <summary>Stickprov, granskning, avstämning ... (free text, offered from a list).</summary>
    public required string Method { get; set; }

    /// <summary>How much is checked ("20 fakturor per tertial").</summary>
    public string? Scope { get; set; }

    public Guid ResponsibleUnitId { get; set; }

    public string? ResponsiblePerson { get; set; }

    /// <summary>The follow-up period in which it is checked and reported.</summary>
    public Guid PeriodId { get; set; }

    /// <summary>To whom the result is reported ("Barn- och utbildningsnämnden").</summary>
    public string? ReportTo { get; set; }

    public int SortOrder { get; set; }

    public List<ControlResult> Results { get; set; } = [];

    public List<ControlMeasure> Measures { get; set; } = [];
}

public enum ControlOutcome
{
    /// <summary>Utan anmärkning.</summary>
    WithoutRemark,

    /// <summary>Med avvikelse: findings are required.</summary>
    WithDeviation,

    /// <summary>Ej genomförd: the reason is required.</summary>
    NotPerformed,
}

/// <summary>The result of a control action in a follow-up period, written while the responsible unit's follow-up is open.</summary>
public class ControlResult : TenantEntity
{
    public Guid ActionId { get; set; }

    public Guid PeriodId { get; set; }

    public ControlOutcome Outcome { get; set; }

    /// <summary>What the control found (iakttagelser); required with a deviation.</summary>
    public string? Findings { get; set; }

    /// <summary>Why the control was not performed; required then.</summary>
    public string? Reason { get; set; }

    public required string WrittenBy { get; set; }

    public DateTime WrittenAt { get; set; }
}

public enum MeasureStatus
{
    NotStarted,
    InProgress,
    Done,
}

/// <summary>An action (åtgärd) decided after a control: owner, deadline and status. Open ones follow into the next year's plan until done.</summary>
public class ControlMeasure : TenantEntity
{
    public Guid ActionId { get; set; }

    /// <summary>The follow-up period in which it was decided, when known.</summary>
    public Guid? PeriodId { get; set; }

    public required string Text { get; set; }

    public string? Owner { get; set; }

    public DateOnly? Deadline { get; set; }

    public MeasureStatus Status { get; set; }

    /// <summary>When it was done; set with <see cref="MeasureStatus.Done"/>.</summary>
    public DateOnly? DoneOn { get; set; }
}
