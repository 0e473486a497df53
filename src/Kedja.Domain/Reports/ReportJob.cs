namespace Kedja.Domain.Reports;

/// <summary>Where an ordered report is: waiting, being made by one node's worker, finished with a file, or failed with a reason.</summary>
public enum ReportJobState
{
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>
/// A report someone ordered, made in the background by whichever app node's worker claims it (ADR 35). The row is the
/// job's whole state, so every node sees the same: who ordered what, the lease of the node making it, its progress,
/// and the finished file (kept for a week) or the Swedish reason it failed.
/// </summary>
public class ReportJob : IOperationalRow
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The account that ordered it: only they (and administrators) see the job and its file.</summary>
    public required string RequestedById { get; set; }

    public required string RequestedByName { get; set; }

    public DateTime RequestedAt { get; set; }

    /// <summary>The unit reported on; no reference, so that a job does not keep a unit from being removed (the job fails then).</summary>
    public Guid UnitId { get; set; }

    public required string PeriodKey { get; set; }

    public required string TemplateKey { get; set; }

    /// <summary>"unit", "children" or "all".</summary>
    public required string Scope { get; set; }

    /// <summary>"docx", "pdf", "xlsx" or "html".</summary>
    public required string Format { get; set; }

    public ReportJobState State { get; set; }

    /// <summary>0-100.</summary>
    public int Progress { get; set; }

    /// <summary>Why it failed, in Swedish, for the person who ordered it.</summary>
    public string? Failure { get; set; }

    /// <summary>Which worker is making it, until <see cref="LeaseUntil"/>; after that another node may take it over.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>1 to the tenant's limit while running (two by default), and a unique key on (tenant, slot) holds that across nodes.</summary>
    public int? Slot { get; set; }

    /// <summary>How many times a worker has claimed it: more than one means a node died while making it.</summary>
    public int Attempts { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string? FileName { get; set; }

    public string? ContentType { get; set; }

    public byte[]? Content { get; set; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public string? ContentHash { get; set; }

    public long? Size { get; set; }
}
