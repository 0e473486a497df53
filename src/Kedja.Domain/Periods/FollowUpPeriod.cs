namespace Kedja.Domain.Periods;

/// <summary>A follow-up occasion in the tenant's calendar (T2 2025, Delår 2025 ...), with its deadline and publish state.</summary>
public class FollowUpPeriod : TenantEntity
{
    /// <summary>PeriodRef key, e.g. "2025-T2".</summary>
    public required string Key { get; set; }

    public int Year { get; set; }

    public PeriodKind Kind { get; set; }

    public required string Name { get; set; }

    public DateOnly StartDate { get; set; }

    public DateOnly EndDate { get; set; }

    /// <summary>When units must have marked their follow-up ready.</summary>
    public DateOnly? Deadline { get; set; }

    /// <summary>Only published periods are ever shown to the public.</summary>
    public bool IsPublished { get; set; }

    public DateTime? PublishedAt { get; set; }

    public string? PublishedBy { get; set; }

    public PeriodRef Ref => PeriodRef.Parse(Key);
}

public enum WorkflowState
{
    Open,

    /// <summary>Inskickad / klarmarkerad by the unit.</summary>
    Submitted,
    Approved,
    Locked,
}

/// <summary>Where one unit's follow-up for one period stands. Reopening needs a reason.</summary>
public class UnitPeriodStatus : TenantEntity
{
    public Guid UnitId { get; set; }

    public Guid PeriodId { get; set; }

    public WorkflowState State { get; set; }

    public string? ChangedBy { get; set; }

    public DateTime? ChangedAt { get; set; }

    public string? ReopenReason { get; set; }

    /// <summary>The account that submitted the follow-up; it may not approve it (four eyes).</summary>
    public string? SubmittedByUserId { get; set; }
}

/// <summary>A frozen copy of a report as it was sent (e.g. to the council). Never changed after it is made.</summary>
public class ReportSnapshot : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid? PeriodId { get; set; }

    public Guid? UnitId { get; set; }

    public required string Title { get; set; }

    /// <summary>"docx", "pdf", "xlsx" or "json".</summary>
    public required string Format { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>SHA-256 of the content, hex, so a copy can be checked against the original.</summary>
    public required string ContentHash { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The file name a download gets, with its extension.</summary>
    public string? FileName { get; set; }

    /// <summary>The report template it was made with ("tertialrapport").</summary>
    public string? TemplateKey { get; set; }

    /// <summary>The report job it was frozen from: a job is frozen once.</summary>
    public Guid? JobId { get; set; }
}
