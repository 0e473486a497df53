namespace Kedja.Domain.Kolada;

/// <summary>
/// How the fetching of one indicator's Kolada link stands (ADR 39): when it last succeeded, the last attempt and its
/// Swedish error, the KPI's title, whether Kolada still has the KPI, and the values flagged for a person to review
/// (<see cref="Flags"/>, JSON) with the ones already reviewed (<see cref="Reviewed"/>, JSON), so that a reviewed
/// difference is not flagged again by the next fetch. An operational row: writing it raises no data version.
/// </summary>
public class KoladaLinkStatus : IOperationalRow
{
    public Guid TenantId { get; set; }

    public Guid IndicatorId { get; set; }

    /// <summary>The link as it was last fetched, "N00945 kommun 1280": a changed link starts without the old flags.</summary>
    public string Link { get; set; } = "";

    public string? KpiTitle { get; set; }

    /// <summary>Kolada no longer has the KPI, or marks it deleted.</summary>
    public bool KpiMissing { get; set; }

    /// <summary>The last fetch that reached Kolada and wrote what it could.</summary>
    public DateTime? LastFetchedAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    /// <summary>Why the last attempt fetched nothing for the indicator, in Swedish; null when it went well.</summary>
    public string? LastError { get; set; }

    public string Flags { get; set; } = "[]";

    public string Reviewed { get; set; } = "[]";
}

/// <summary>
/// When a tenant's linked indicators are fetched next: one row per tenant, claimed by one node's scheduler at a time
/// with a conditional update and a lease (as report jobs are, ADR 35), so that several nodes fetch once per interval.
/// </summary>
public class KoladaSchedule : IOperationalRow
{
    public Guid TenantId { get; set; }

    public DateTime NextRunAt { get; set; }

    public DateTime? LastRunAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}
