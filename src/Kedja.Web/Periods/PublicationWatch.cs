using Kedja.Data;
using Kedja.Web.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Periods;

/// <summary>
/// Every node's look at the tenants' publications (ADR 41): every <see cref="PortalOptions.WatchPublicationsSeconds"/>
/// one statement reads each tenant's count of published periods and latest publication; a tenant whose publications
/// changed since the last look has its portal readied here (<see cref="PortalPreparation"/>), so that the first
/// visitor after a publication on another node is not the one who waits for a whole period's statuses (a second on
/// the largest tenant). What the node sees at its start it only remembers: visitors then ready what they ask for.
/// Nodes need not talk: each looks for itself, and the node that published has readied its own already. It lives
/// here, not in the portal, because it reads across tenants from the signed-in side's database (ADR 41: the portal reads
/// only through the published path).
/// </summary>
public sealed class PublicationWatch(IServiceScopeFactory scopes, PortalPreparation preparation, IOptions<PortalOptions> options, ILogger<PublicationWatch> log)
    : BackgroundService
{
    private Dictionary<Guid, (string Slug, int Count, DateTime? Latest)>? seen;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.WatchPublicationsSeconds);
        if (every <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(every);
        do
        {
            try
            {
                await LookAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The portal readies what it needs at its first request instead; nothing is lost but time.
                log.LogWarning(ex, "Could not look at the tenants' publications");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look: readies each tenant whose publications changed since the last one.</summary>
    public async Task LookAsync(CancellationToken cancellationToken)
    {
        Dictionary<Guid, (string Slug, int Count, DateTime? Latest)> now;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            // Across tenants, by design: the one place a node looks at every tenant's publications. Two linear reads: a
            // slug looked up per group made it tenants × tenants rows at every look (300 tenants: 90,000 rows).
            var publications = await db.Periods.IgnoreQueryFilters().AsNoTracking().Where(p => p.IsPublished)
                .GroupBy(p => p.TenantId)
                .Select(g => new { Tenant = g.Key, Count = g.Count(), Latest = g.Max(p => p.PublishedAt) })
                .ToListAsync(cancellationToken);
            var slugs = await db.Tenants.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Slug, cancellationToken);
            now = publications.Where(p => slugs.ContainsKey(p.Tenant)).ToDictionary(p => p.Tenant, p => (slugs[p.Tenant], p.Count, p.Latest));
        }

        var before = seen;
        seen = now;
        if (before is null)
        {
            return;
        }

        foreach (var (tenant, publications) in now)
        {
            if (!before.TryGetValue(tenant, out var earlier) || earlier != publications)
            {
                await preparation.PrepareAsync(publications.Slug, cancellationToken);
            }
        }
    }
}
