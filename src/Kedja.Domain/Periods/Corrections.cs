namespace Kedja.Domain.Periods;

/// <summary>
/// A unit's scorecard for a period as it was reported when the follow-up was locked (issue 16, ADR 47 section 4), and
/// again after each correction. Readers of a locked follow-up are served the latest of these, so later changes to the
/// model, its thresholds, targets or the organisation cannot rewrite what was reported. Never changed once written.
/// </summary>
public class LockedScorecard : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid PeriodId { get; set; }

    public Guid UnitId { get; set; }

    /// <summary>0 for the card as locked; the number of the correction that took it again otherwise.</summary>
    public int CorrectionNumber { get; set; }

    /// <summary>The scorecard as its API gave it then (camelCase JSON, explanations as their Swedish sentences).</summary>
    public required string Json { get; set; }

    /// <summary>SHA-256 of <see cref="Json"/> (UTF-8), hex, so a copy can be checked against the original.</summary>
    public required string Hash { get; set; }

    public required string LockedBy { get; set; }

    public DateTime LockedAt { get; set; }

    /// <summary>
    /// The unit's budget card of the period's year as reported (review 16, finding 9), JSON; null when the unit had no
    /// frame that year, or the card was taken before budgets were kept (migration 0028).
    /// </summary>
    public string? Budget { get; set; }
}

/// <summary>
/// A correction of a locked follow-up: an administrator opens it with a reason, changes what was wrong through the
/// ordinary services (which let only them through while it is open), and finishes it; the scorecard is then taken again.
/// </summary>
public class Correction : TenantEntity
{
    public Guid PeriodId { get; set; }

    public Guid UnitId { get; set; }

    /// <summary>1 for the unit's first correction of the period, and so on.</summary>
    public int Number { get; set; }

    public required string Reason { get; set; }

    /// <summary>The administrator's name as the audit trail records it: only they change the locked follow-up while it is open.</summary>
    public required string OpenedBy { get; set; }

    /// <summary>
    /// The account that opened it (review 16, finding 8): only that account, while it is still the municipality's
    /// administrator, changes the locked follow-up. Null for corrections opened before it was kept (migration 0028).
    /// </summary>
    public string? OpenedById { get; set; }

    public DateTime OpenedAt { get; set; }

    /// <summary>The last audit entry before the correction opened: the changes made in it come after.</summary>
    public long AuditFrom { get; set; }

    public string? ClosedBy { get; set; }

    /// <summary>Null while the correction is open.</summary>
    public DateTime? ClosedAt { get; set; }

    /// <summary>What the correction changed on the scorecard, before and after (JSON list of <see cref="CorrectedItem"/>).</summary>
    public string? Changes { get; set; }

    /// <summary>The audit entries (sequence numbers) of the changes made in the correction, so their history can say so.</summary>
    public string? AuditEntries { get; set; }
}

/// <summary>One line of what a correction changed on a scorecard: a goal's status or assessment, an indicator's outcome or status.</summary>
public sealed record CorrectedItem(string Kind, Guid Id, string Name, string Field, string? Before, string? After);
