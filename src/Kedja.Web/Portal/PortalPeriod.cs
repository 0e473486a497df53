using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>What every period-bound portal page starts from: the municipality, its published periods and the one shown.</summary>
public sealed record PortalPeriod(PublicTenantDto Tenant, List<PublicPeriodDto> Periods, PublicPeriodDto Period)
{
    /// <summary>The period asked for, else the latest published one; an unpublished or unknown one is not found.</summary>
    public static async Task<ServiceResult<PortalPeriod>> ReadAsync(PublishedTenant tenant, string? periodKey, CancellationToken cancellationToken)
    {
        var published = await PublishedAsync(tenant, cancellationToken);
        if (published.Value is not { } found)
        {
            return published.Error!;
        }

        var chosen = Choose(found.Periods, periodKey, found.Periods[^1]);
        return chosen.Value is { } period ? new PortalPeriod(found.Tenant, found.Periods, period) : chosen.Error!;
    }

    /// <summary>
    /// The municipality and its published periods, oldest first: the start of every public read. One that has published
    /// nothing is as missing as one that does not exist.
    /// </summary>
    public static async Task<ServiceResult<PublishedPeriods>> PublishedAsync(PublishedTenant tenant, CancellationToken cancellationToken)
    {
        var summary = await tenant.SummaryAsync(cancellationToken);
        var periods = await tenant.PeriodsAsync(cancellationToken);
        return summary.Value is { } found && periods.Value is { Count: > 0 } published
            ? new PublishedPeriods(found, published)
            : summary.Error ?? periods.Error ?? ServiceError.NotFound(PublicReader.TenantMissing);
    }

    /// <summary>The published period with the key (any spelling the calendar reads); without one, <paramref name="fallback"/>.</summary>
    public static ServiceResult<PublicPeriodDto> Choose(List<PublicPeriodDto> published, string? key, PublicPeriodDto fallback)
    {
        if (string.IsNullOrEmpty(key))
        {
            return fallback;
        }

        return PeriodRef.TryParse(key, out var parsed) && published.FirstOrDefault(p => p.Key == parsed.Key) is { } found
            ? found : ServiceError.NotFound(PublishedTenant.PeriodMissing);
    }

    /// <summary>The links to the other published periods of a page, newest first.</summary>
    public PortalPeriodChoice Choice(string path) => new(path, [.. Enumerable.Reverse(Periods)], Period.Key);
}

/// <summary>A municipality that has published something, and its published periods, oldest first.</summary>
public sealed record PublishedPeriods(PublicTenantDto Tenant, List<PublicPeriodDto> Periods);

/// <param name="Path">The page's address without a query: each period's link adds <c>?period=</c>.</param>
public sealed record PortalPeriodChoice(string Path, List<PublicPeriodDto> Periods, string Current);
