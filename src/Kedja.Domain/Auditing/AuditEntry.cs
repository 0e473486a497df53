namespace Kedja.Domain.Auditing;

/// <summary>One recorded change. Append-only: never updated or deleted.</summary>
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
}
