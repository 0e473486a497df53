namespace Kedja.Domain.Activities;

public enum ActivityStatus
{
    NotStarted,
    InProgress,
    Done,
    Delayed,
    Cancelled,
}

/// <summary>Something a unit does to reach a goal or within a program.</summary>
public class Activity : TenantEntity
{
    public required string Title { get; set; }

    public string? Description { get; set; }

    public Guid? GoalId { get; set; }

    public Guid? ProgramId { get; set; }

    public Guid ResponsibleUnitId { get; set; }

    public DateOnly? StartDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public ActivityStatus Status { get; set; }

    /// <summary>0-100.</summary>
    public int Progress { get; set; }

    public List<ActivityComment> Comments { get; set; } = [];
}

/// <summary>What a unit reported on an activity in a follow-up period.</summary>
public class ActivityComment : TenantEntity
{
    public Guid ActivityId { get; set; }

    public Guid PeriodId { get; set; }

    public required string Text { get; set; }

    public ActivityStatus Status { get; set; }

    public int Progress { get; set; }

    public required string WrittenBy { get; set; }

    public DateTime WrittenAt { get; set; }
}

/// <summary>A program (Kumla's miljöprogram, Digitala Kumla) that holds activities and indicators but does not count toward goal fulfilment.</summary>
public class Program : TenantEntity
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public Guid? OwnerUnitId { get; set; }

    public int? ValidFromYear { get; set; }

    public int? ValidToYear { get; set; }
}

public static class ActivityStatusNames
{
    public static string Swedish(ActivityStatus status) => status switch
    {
        ActivityStatus.NotStarted => "Ej påbörjad",
        ActivityStatus.InProgress => "Pågår",
        ActivityStatus.Done => "Klar",
        ActivityStatus.Delayed => "Försenad",
        ActivityStatus.Cancelled => "Avbruten",
        _ => status.ToString(),
    };
}
