namespace Kedja.Domain.Assignments;

public enum AssignmentGiver
{
    /// <summary>Kommunfullmäktige.</summary>
    Council,

    /// <summary>Kommunstyrelsen.</summary>
    ExecutiveBoard,

    /// <summary>A nämnd.</summary>
    Committee,
}

public enum AssignmentStatus
{
    /// <summary>Ej påbörjat.</summary>
    NotStarted,

    /// <summary>Pågår.</summary>
    InProgress,

    /// <summary>Klart: done by the unit, waiting for the giver to take the report back and close it.</summary>
    Done,

    /// <summary>Återrapporterat och avslutat: closed by the giver.</summary>
    Closed,

    /// <summary>Ej genomfört, with a reason: also closed by the giver.</summary>
    NotDone,
}

/// <summary>
/// An assignment (uppdrag) given by the council, the executive board or a committee to a unit, with the decision's
/// date and paragraph, followed with a progress report per follow-up period until the giver closes it.
/// </summary>
public class Assignment : TenantEntity
{
    /// <summary>The assignment's number within the municipality; never reused.</summary>
    public int Number { get; set; }

    public required string Title { get; set; }

    /// <summary>The assignment as decided ("Kommunstyrelsen får i uppdrag att ...").</summary>
    public required string Text { get; set; }

    public AssignmentGiver Giver { get; set; }

    /// <summary>The unit that gave it (required for a committee); only whoever may act for it closes the assignment.</summary>
    public Guid? GiverUnitId { get; set; }

    public DateOnly DecidedOn { get; set; }

    /// <summary>The paragraph of the decision ("§ 112").</summary>
    public string? DecisionParagraph { get; set; }

    public Guid ResponsibleUnitId { get; set; }

    /// <summary>Due by this day; or, when null, by the end of <see cref="DuePeriodId"/>; or open-ended when both are null.</summary>
    public DateOnly? DueDate { get; set; }

    public Guid? DuePeriodId { get; set; }

    public AssignmentStatus Status { get; set; }

    /// <summary>Why it was not carried out (with <see cref="AssignmentStatus.NotDone"/>).</summary>
    public string? StatusReason { get; set; }

    public DateOnly? ClosedOn { get; set; }

    public string? ClosedBy { get; set; }

    public List<AssignmentReport> Reports { get; set; } = [];

    public List<AssignmentGoalLink> Goals { get; set; } = [];
}

/// <summary>What the responsible unit reported on an assignment in a follow-up period.</summary>
public class AssignmentReport : TenantEntity
{
    public Guid AssignmentId { get; set; }

    public Guid PeriodId { get; set; }

    public required string Text { get; set; }

    public AssignmentStatus Status { get; set; }

    public required string WrittenBy { get; set; }

    public DateTime WrittenAt { get; set; }
}

/// <summary>The assignment bears on the goal: shown with the goal, never counted in its fulfilment.</summary>
public class AssignmentGoalLink : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid AssignmentId { get; set; }

    public Guid GoalId { get; set; }
}
