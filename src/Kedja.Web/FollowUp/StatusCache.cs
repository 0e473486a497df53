using Microsoft.Extensions.Options;

namespace Kedja.Web.FollowUp;

/// <summary>Kedja:Status. How much of what it computes one app node keeps in memory.</summary>
public sealed class StatusOptions
{
    public const string Section = "Kedja:Status";

    /// <summary>Computed results (goals and indicators). About 75,000 per period of the largest tenant measured (L); a municipality's period is a few thousand.</summary>
    public int CachedResults { get; set; } = 400_000;

    /// <summary>Lines of built scorecards (goals, trace lines, indicators, deviations, activities). A nämnd's card on L has about 2,000.</summary>
    public int CachedScorecardLines { get; set; } = 1_000_000;
}

/// <summary>
/// The computed statuses one app node holds: a slot per tenant, period and view (or unit chain), see
/// <see cref="VersionedCache{T}"/>, bounded by <see cref="StatusOptions.CachedResults"/>.
/// </summary>
public sealed class StatusCache(IOptions<StatusOptions> options)
    : VersionedCache<PeriodStatuses>(options.Value.CachedResults, result => result.Goals.Count + result.Indicators.Count)
{
    private long updates;

    /// <summary>Of <see cref="VersionedCache{T}.Computations"/>, those that started from an earlier result and computed only what changed.</summary>
    public long Updates => Interlocked.Read(ref updates);

    internal void CountUpdate() => Interlocked.Increment(ref updates);
}
