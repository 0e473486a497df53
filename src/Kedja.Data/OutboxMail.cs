namespace Kedja.Data;

public enum OutboxMailState
{
    /// <summary>Waiting for its next try.</summary>
    Pending = 0,

    /// <summary>Claimed by a node that is talking to the SMTP server now.</summary>
    Sending = 1,

    Sent = 2,

    /// <summary>Every try failed; shown to administrators.</summary>
    Failed = 3,

    /// <summary>A node died while sending: it may or may not have left. Never sent again (at most once); shown.</summary>
    Uncertain = 4,

    /// <summary>No longer to be sent (the person turned reminders off, or what it reminded of was done).</summary>
    Cancelled = 5,
}

/// <summary>
/// A mail to be sent, written in the same transaction as what caused it. <see cref="Key"/> names that cause
/// ("digest:{user}:{date}", "returned:{status}:{version}"), so the same mail can be inserted only once, on any node;
/// workers claim rows with a lease as report jobs are claimed (ADR 45).
/// </summary>
public class OutboxMail
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Key { get; set; }

    /// <summary>The municipality the mail is about; null for account mails outside one.</summary>
    public Guid? TenantId { get; set; }

    public string? UserId { get; set; }

    public required string ToAddress { get; set; }

    public required string Kind { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public OutboxMailState State { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextTryAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public DateTime? SentAt { get; set; }

    public string? LastError { get; set; }
}
