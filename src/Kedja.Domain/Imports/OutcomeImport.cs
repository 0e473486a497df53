namespace Kedja.Domain.Imports;

/// <summary>Where an import of outcomes and targets from a file is.</summary>
public enum OutcomeImportState
{
    /// <summary>Uploaded; a worker checks it next.</summary>
    CheckQueued,

    Checking,

    /// <summary>Checked: the preview is there to read, and the import may be started if it found no errors.</summary>
    Checked,

    /// <summary>A person asked to import it; a worker does it next.</summary>
    ImportQueued,

    Importing,

    Imported,

    /// <summary>Stopped: the file could not be read, the import was refused, or the work was interrupted too often.</summary>
    Failed,
}

/// <summary>
/// The import log (ADR 36): one row per file someone imported or only checked, with who, when, the file's name and
/// hash, its row counts and, until it is imported, the file itself and the preview. Any app node's worker checks
/// and imports it, claiming it with a lease as report jobs are claimed (ADR 35). An operational row: writing it raises
/// no data version; the outcomes the import writes do.
/// </summary>
public class OutcomeImport : IOperationalRow
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string RequestedById { get; set; }

    public required string RequestedByName { get; set; }

    public DateTime RequestedAt { get; set; }

    public required string FileName { get; set; }

    /// <summary>"csv" or "xlsx" once read; empty before.</summary>
    public string Format { get; set; } = "";

    /// <summary>What the file holds: <see cref="OutcomeImportKind.Outcomes"/> (indicators) or <see cref="OutcomeImportKind.Finance"/> (budget and outcome, issue 16).</summary>
    public string Kind { get; set; } = OutcomeImportKind.Outcomes;

    /// <summary>SHA-256 of the file, hex.</summary>
    public required string FileHash { get; set; }

    public long Size { get; set; }

    /// <summary>The file, kept until it is imported or the log row expires: the import reads it again.</summary>
    public byte[]? Content { get; set; }

    public OutcomeImportState State { get; set; }

    /// <summary>0-100 while a worker checks or imports.</summary>
    public int Progress { get; set; }

    /// <summary>Why it stopped, in Swedish.</summary>
    public string? Failure { get; set; }

    /// <summary>Data rows in the file.</summary>
    public int Rows { get; set; }

    /// <summary>Rows with at least one problem.</summary>
    public int ErrorRows { get; set; }

    public int NewValues { get; set; }

    public int ChangedValues { get; set; }

    public int UnchangedValues { get; set; }

    /// <summary>The preview as JSON: the problems and the first rows' results.</summary>
    public string? Preview { get; set; }

    /// <summary>What the checked file would write, as a hash: an import whose writes differ from what was previewed is refused.</summary>
    public string? PlanHash { get; set; }

    public DateTime? CheckedAt { get; set; }

    public DateTime? ImportedAt { get; set; }

    public string? ImportedByName { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>1 to the tenant's limit while checked or imported, as a report job's (ADR 35); a unique key on (tenant, slot) holds that across nodes.</summary>
    public int? Slot { get; set; }

    public int Attempts { get; set; }
}

/// <summary>The kinds of file the import log holds; each is checked and imported by its own service.</summary>
public static class OutcomeImportKind
{
    public const string Outcomes = "outcomes";

    public const string Finance = "finance";
}
