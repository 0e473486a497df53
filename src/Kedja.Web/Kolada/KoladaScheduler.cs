using Kedja.Data;
using Kedja.Domain.Kolada;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Kolada;

/// <summary>
/// Fetches every tenant's linked indicators from Kolada once per <see cref="KoladaFetchOptions.FetchEveryHours"/>, on
/// every app node (ADR 39). Each tenant has a schedule row; a node takes a tenant whose time has come with one
/// conditional UPDATE that sets its lease, as report jobs are claimed (ADR 35), so that with several nodes each tenant
/// is fetched once. The lease is renewed while the fetch runs (<see cref="LeaseHeartbeat"/>), so that only a node that
/// died leaves it to run out and another node takes the tenant over; a node stopping gives the fetch back, still due.
/// When Kolada cannot be reached the statuses say so and the tenant is tried again next interval.
/// </summary>
public sealed class KoladaScheduler(IServiceScopeFactory scopes, IOptions<KoladaFetchOptions> options, TimeProvider clock, ILogger<KoladaScheduler> logger)
    : PollingWorker(clock, logger)
{
    public string Name { get; } = LeaseHeartbeat.NewOwner();

    protected override bool Enabled => options.Value.RunScheduler;

    protected override string FailureMessage => "Kolada-schemat kunde inte köras; försöker igen.";

    protected override Task LookAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    protected override TimeSpan UntilNextLook() => TimeSpan.FromMinutes(options.Value.PollMinutes);

    /// <summary>Fetches the tenants whose time has come that this node wins; the number it fetched.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchedulesAsync(cancellationToken);
        var now = Clock.GetUtcNow().UtcDateTime;
        List<(Guid TenantId, string Slug)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            due = [.. (await Due(db, now).Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => new { s.TenantId, t.Slug }).ToListAsync(cancellationToken))
                .Select(x => (x.TenantId, x.Slug))];
        }

        var fetched = 0;
        foreach (var (tenantId, slug) in due)
        {
            if (!await ClaimAsync(tenantId, cancellationToken))
            {
                continue;
            }

            // The lease is renewed while the fetch runs (a slow Kolada may take longer than the lease), so that only a node
            // that died leaves it to run out and be taken over.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var heartbeat = LeaseHeartbeat.RunAsync(scopes, new LatestProgress(), Lease, Clock,
                (db, _, until) => db.KoladaSchedules.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && s.LeaseOwner == Name)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, until), CancellationToken.None),
                () => logger.LogWarning("Kolada-hämtningen för {Tenant} togs över av en annan nod.", slug),
                e => logger.LogWarning(e, "Kolada-hämtningen för {Tenant}: tiden kunde inte förlängas.", slug), stop.Token, RenewEvery);
            try
            {
                await FetchAsync(slug, cancellationToken);
                fetched++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The node is stopping: the fetch is not done, so it stays due and the next node takes it at once.
                await stop.CancelAsync();
                await heartbeat;
                await ReleaseAsync(tenantId);
                throw;
            }
            finally
            {
                await stop.CancelAsync();
                await heartbeat;
            }

            await FinishAsync(tenantId, CancellationToken.None);
        }

        return fetched;
    }

    private static IQueryable<KoladaSchedule> Due(KedjaDbContext db, DateTime now) =>
        db.KoladaSchedules.IgnoreQueryFilters().Where(s => s.NextRunAt <= now && (s.LeaseUntil == null || s.LeaseUntil < now));

    /// <summary>A schedule row for each tenant that has none, due at once; two nodes adding the same row is a unique violation one of them ignores.</summary>
    private async Task EnsureSchedulesAsync(CancellationToken cancellationToken)
    {
        List<(Guid Id, string Slug)> missing;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            missing = [.. (await db.Tenants.Where(t => !db.KoladaSchedules.IgnoreQueryFilters().Any(s => s.TenantId == t.Id)).Select(t => new { t.Id, t.Slug })
                .ToListAsync(cancellationToken)).Select(t => (t.Id, t.Slug))];
        }

        foreach (var (id, slug) in missing)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            db.Scope.Enter(id, slug);
            db.SuppressRowAudit = true;
            db.KoladaSchedules.Add(new KoladaSchedule { TenantId = id, NextRunAt = Clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
            {
            }
        }
    }

    private TimeSpan Lease => TimeSpan.FromMinutes(options.Value.LeaseMinutes);

    /// <summary>A quarter of the lease, at most every 30 seconds: a fetch has no progress bar to keep fresh.</summary>
    private TimeSpan RenewEvery => TimeSpan.FromTicks(Math.Clamp(Lease.Ticks / 4, TimeSpan.FromMilliseconds(500).Ticks, TimeSpan.FromSeconds(30).Ticks));

    private async Task<bool> ClaimAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var now = Clock.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        return await Due(db, now).Where(s => s.TenantId == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, Name).SetProperty(x => x.LeaseUntil, until), cancellationToken) == 1;
    }

    /// <summary>Next time one interval from now, whether the fetch went well or Kolada could not be reached.</summary>
    private async Task FinishAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var now = Clock.GetUtcNow().UtcDateTime;
        var next = now + TimeSpan.FromHours(options.Value.FetchEveryHours);
        var written = await db.KoladaSchedules.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && s.LeaseOwner == Name)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextRunAt, next).SetProperty(x => x.LastRunAt, now)
                .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null), cancellationToken);
        if (written == 0)
        {
            logger.LogWarning("Kolada-hämtningen för kommunen {Tenant} hade tagits över av en annan nod.", tenantId);
        }
    }

    /// <summary>Gives the tenant's fetch back undone, still due.</summary>
    private async Task ReleaseAsync(Guid tenantId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        await db.KoladaSchedules.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && s.LeaseOwner == Name)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null), CancellationToken.None);
    }

    private async Task FetchAsync(string slug, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // The tenant in every log line of the fetch (issue 18, ADR 51); KoladaFetching measures it.
        using var tenantLog = Observability.TenantLog.Scope(logger, slug);
        try
        {
            if ((await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug, cancellationToken)).Error is { } gone)
            {
                logger.LogWarning("Kolada-hämtningen för {Tenant} gjordes inte: {Message}", slug, gone.Message);
                return;
            }

            var result = await services.GetRequiredService<KoladaFetching>().FetchAllAsync(cancellationToken);
            if (result.Value is { } done)
            {
                logger.LogInformation(
                    "Kolada för {Tenant}: {Indicators} indikatorer, {Recorded} nya värden, {Revised} reviderade, {Unchanged} oförändrade, {Flagged} flaggade, {Failed} misslyckade.",
                    slug, done.Indicators, done.Recorded, done.Revised, done.Unchanged, done.Flagged, done.Failed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // One tenant's trouble must not stop the others' fetch.
            logger.LogError(e, "Kolada-hämtningen för {Tenant} misslyckades.", slug);
        }
    }
}
