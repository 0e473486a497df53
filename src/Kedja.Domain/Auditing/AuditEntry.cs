namespace Kedja.Domain.Auditing;

/// <summary>
/// One recorded change. Append-only: never updated or deleted. Entries form a hash chain per tenant (and one for
/// installation-wide events): each carries its position and a hash over its content and the previous entry's hash,
/// so that a changed, removed or inserted entry is found by verifying the chain (docs/adr/0014-tamper-evident-audit.md).
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }

    public Guid? TenantId { get; set; }

    public required string UserName { get; set; }

    public DateTime At { get; set; }

    public required string Entity { get; set; }

    public required string EntityId { get; set; }

    /// <summary>"Added", "Modified", "Deleted", or a named bulk operation such as "Imported".</summary>
    public required string Action { get; set; }

    /// <summary>JSON of the changed values before the change; null when added.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the changed values after the change; null when deleted.</summary>
    public string? After { get; set; }

    /// <summary>Position in its chain, from 1, without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>SHA-256 (hex) over the entry's content and the previous entry's hash.</summary>
    public string Hash { get; set; } = "";
}
