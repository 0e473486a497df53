using Kedja.Web.Infrastructure;
using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>What every period-bound portal page starts from: the municipality, its published periods and the one shown.</summary>
public sealed record PortalPeriod(PublicTenantDto Tenant, List<PublicPeriodDto> Periods, PublicPeriodDto Period)
{
    /// <summary>The period asked for, else the latest published one; an unpublished or unknown one is not found.</summary>
    public static async Task<ServiceResult<PortalPeriod>> ReadAsync(PublishedTenant tenant, string? periodKey, CancellationToken cancellationToken)
    {
        var summary = await tenant.SummaryAsync(cancellationToken);
        var periods = await tenant.PeriodsAsync(cancellationToken);
        if (summary.Value is not { } found || periods.Value is not { Count: > 0 } published)
        {
            return summary.Error ?? periods.Error ?? ServiceError.NotFound(PublicReader.TenantMissing);
        }

        var period = string.IsNullOrEmpty(periodKey) ? published[^1] : published.FirstOrDefault(p => p.Key == periodKey);
        return period is null ? ServiceError.NotFound(PublishedTenant.PeriodMissing) : new PortalPeriod(found, published, period);
    }

    /// <summary>The links to the other published periods of a page, newest first.</summary>
    public PortalPeriodChoice Choice(string path) => new(path, [.. Enumerable.Reverse(Periods)], Period.Key);
}

/// <param name="Path">The page's address without a query: each period's link adds <c>?period=</c>.</param>
public sealed record PortalPeriodChoice(string Path, List<PublicPeriodDto> Periods, string Current);
