namespace Kedja.Domain.Assignments;

/// <summary>When an assignment is due and overdue, and how its status reads, with no database.</summary>
public static class AssignmentDue
{
    /// <summary>The day it is due: its own date, else the end of its period (<paramref name="periodEnd"/>), else none.</summary>
    public static DateOnly? DueOn(Assignment assignment, Func<Guid, DateOnly?> periodEnd) =>
        assignment.DueDate ?? (assignment.DuePeriodId is { } p ? periodEnd(p) : null);

    /// <summary>Whether the unit still has it to do (not done, not closed, not given up).</summary>
    public static bool IsOpen(AssignmentStatus status) => status is AssignmentStatus.NotStarted or AssignmentStatus.InProgress;

    /// <summary>Whether the giver has closed it (reported back and closed, or not carried out).</summary>
    public static bool IsClosed(AssignmentStatus status) => status is AssignmentStatus.Closed or AssignmentStatus.NotDone;

    /// <summary>Overdue: still open after the day it was due, on the Swedish day <paramref name="today"/>.</summary>
    public static bool IsOverdue(Assignment assignment, DateOnly? dueOn, DateOnly today) => IsOpen(assignment.Status) && dueOn is { } due && due < today;
}

public static class AssignmentNames
{
    public static string Swedish(AssignmentStatus status) => status switch
    {
        AssignmentStatus.NotStarted => "Ej påbörjat",
        AssignmentStatus.InProgress => "Pågår",
        AssignmentStatus.Done => "Klart",
        AssignmentStatus.Closed => "Återrapporterat och avslutat",
        AssignmentStatus.NotDone => "Ej genomfört",
        _ => status.ToString(),
    };

    public static string Swedish(AssignmentGiver giver) => giver switch
    {
        AssignmentGiver.Council => "Kommunfullmäktige",
        AssignmentGiver.ExecutiveBoard => "Kommunstyrelsen",
        AssignmentGiver.Committee => "Nämnd",
        _ => giver.ToString(),
    };

    /// <summary>Colour and symbol beside the status text (never colour alone); overdue is shown apart from the status.</summary>
    public static (string Colour, string Symbol) Signal(AssignmentStatus status) => status switch
    {
        AssignmentStatus.NotStarted => ("#757575", "○"),
        AssignmentStatus.InProgress => ("#f9a825", "◆"),
        AssignmentStatus.Done => ("#1565c0", "✓"),
        AssignmentStatus.Closed => ("#2e7d32", "●"),
        _ => ("#c62828", "■"),
    };
}
