using Kedja.Data;
using Kedja.Domain.Reports;
using Kedja.Reports;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Reports;

/// <summary>
/// Makes ordered reports on every app node (ADR 35). A job is claimed by one conditional UPDATE that only one node can
/// win; the winner renews its lease while it works and writes the progress into the row. A node that dies leaves a
/// lease that runs out, and another node takes the job over. A tenant has <see cref="ReportOptions.RunningPerTenant"/>
/// running slots, held by a unique key on (tenant, slot), so that one municipality's year-end rush cannot take every node
/// from the others (<see cref="TenantSlots"/>); a node makes at most <see cref="ReportOptions.Parallel"/> at once.
/// </summary>
public sealed class ReportWorker(IServiceScopeFactory scopes, ReportQueue queue, IOptions<ReportOptions> options, TimeProvider clock, ILogger<ReportWorker> logger)
    : BackgroundService
{
    public const string Failed = "Rapporten kunde inte skapas: ";

    public const string RequesterGone = Failed + "den som beställde rapporten är inte längre medlem i kommunen.";

    public const string Unexpected = Failed + "ett oväntat fel inträffade. Försök igen, och kontakta förvaltaren om det händer igen.";

    public const string Interrupted = Failed + "arbetet avbröts flera gånger. Beställ rapporten igen, och kontakta förvaltaren om det händer igen.";

    /// <summary>A job whose node died this many times is not tried again: it may be what kills the node.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Names this worker in the leases it holds.</summary>
    public string Name { get; } = LeaseHeartbeat.NewOwner();

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    private sealed record Claim(Guid TenantId, Guid Id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Parallel)).Select(_ => LoopAsync(stoppingToken)));
    }

    private Task LoopAsync(CancellationToken stoppingToken) =>
        queue.LoopAsync("Rapportarbetaren", RunOnceAsync, async ct => await RemoveExpiredAsync(ct), TimeSpan.FromSeconds(options.Value.PollSeconds), logger, stoppingToken);

    /// <summary>Claims the oldest job it may and makes it. False when there was none to claim.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (await ClaimAsync(cancellationToken) is not { } claim)
        {
            return false;
        }

        await RunAsync(claim, cancellationToken);
        return true;
    }

    private async Task<Claim?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var perTenant = TenantSlots.Limit(options.Value.RunningPerTenant);

        // A queued job only of a tenant with a free slot (TenantSlots): another tenant's long queue never hides it.
        var candidates = await db.ReportJobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => (j.State == ReportJobState.Queued && db.ReportJobs.IgnoreQueryFilters().Count(r => r.TenantId == j.TenantId && r.Slot != null) < perTenant)
                || (j.State == ReportJobState.Running && j.LeaseUntil < now))
            .OrderBy(j => j.RequestedAt).Take(20)
            .Select(j => new { j.TenantId, j.Id, j.State, j.Slot, j.Attempts })
            .ToListAsync(cancellationToken);
        foreach (var c in candidates)
        {
            var jobs = db.ReportJobs.IgnoreQueryFilters().Where(j => j.TenantId == c.TenantId && j.Id == c.Id
                && (j.State == ReportJobState.Queued || (j.State == ReportJobState.Running && j.LeaseUntil < now)));
            if (c.State == ReportJobState.Running && c.Attempts >= MaxAttempts)
            {
                await jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Failed).SetProperty(j => j.Slot, (int?)null)
                    .SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null)
                    .SetProperty(j => j.Failure, Interrupted).SetProperty(j => j.FinishedAt, now), cancellationToken);
                continue;
            }

            // A job taken over keeps its slot; a queued one needs a free one of its tenant's.
            var slot = c.Slot;
            if (slot is null)
            {
                var used = await db.ReportJobs.IgnoreQueryFilters().Where(j => j.TenantId == c.TenantId && j.Slot != null).Select(j => j.Slot!.Value).ToListAsync(cancellationToken);
                slot = TenantSlots.FirstFree(used, perTenant);
                if (slot is null)
                {
                    continue;
                }
            }

            try
            {
                var won = await jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Running).SetProperty(j => j.Slot, slot)
                    .SetProperty(j => j.LeaseOwner, Name).SetProperty(j => j.LeaseUntil, now + Lease)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.StartedAt, now).SetProperty(j => j.Progress, 0), cancellationToken);
                if (won == 1)
                {
                    return new Claim(c.TenantId, c.Id);
                }
            }
            catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
            {
                // Another node took the same slot of this tenant first.
            }
        }

        return null;
    }

    private async Task RunAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KedjaDbContext>();
        var job = await db.ReportJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.TenantId == claim.TenantId && j.Id == claim.Id, cancellationToken);
        var slug = await db.Tenants.AsNoTracking().Where(t => t.Id == job.TenantId).Select(t => t.Slug).SingleAsync(cancellationToken);
        // A span, a duration and the tenant in every log line of the job (issue 18, ADR 51).
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.Report, slug).Tag("kedja.report.format", job.Format);
        using var tenantLog = Observability.TenantLog.Scope(logger, slug);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new LatestProgress();
        var heartbeat = LeaseHeartbeat.RunAsync(scopes, progress, Lease, clock,
            (db, percent, until) => db.ReportJobs.IgnoreQueryFilters()
                .Where(j => j.TenantId == claim.TenantId && j.Id == claim.Id && j.State == ReportJobState.Running && j.LeaseOwner == Name)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, percent).SetProperty(j => j.LeaseUntil, until), CancellationToken.None),
            () => logger.LogWarning("Rapportjobbet {Job} togs över av en annan nod.", claim.Id),
            e => logger.LogWarning(e, "Rapportjobbet {Job}: förloppet kunde inte sparas.", claim.Id), stop.Token);
        ReportFile? file = null;
        string? failure = null;
        try
        {
            if (!await StillMemberAsync(db, job, cancellationToken))
            {
                failure = RequesterGone;
            }
            // As the person who ordered it: internal control and assignments are read only where they see them (ADR 46).
            else if ((await services.GetRequiredService<TenantAccess>().EnterAsMemberAsync(job.TenantId, job.RequestedById, cancellationToken)).Error is { } noTenant)
            {
                failure = Failed + noTenant.Message;
            }
            else
            {
                var request = new ReportRequest(job.UnitId, job.PeriodKey, job.TemplateKey, ReportScopes.Stored(job.Scope));
                var made = await ReportProduction.MakeAsync(services, request, ReportScopes.StoredFormat(job.Format), progress, cancellationToken);
                file = made.Value;
                failure = made.Error is { } error ? Failed + error.Message : null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is stopping: the lease runs out and another node takes the job over.
            await stop.CancelAsync();
            await heartbeat;
            throw;
        }
        catch (Kedja.Reports.ReportFontMissingException e)
        {
            // Something the operator can fix, said in Swedish: which package or setting gives the font.
            logger.LogError(e, "Rapportjobbet {Job} i {Tenant} saknar typsnitt.", job.Id, slug);
            failure = e.Message;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rapportjobbet {Job} i {Tenant} misslyckades.", job.Id, slug);
            failure = Unexpected;
        }

        await stop.CancelAsync();
        await heartbeat;
        if (failure is not null)
        {
            measured.Fail();
        }

        await FinishAsync(claim, file, failure, cancellationToken);
        // Its slot is free: a job of the same tenant may be waiting.
        queue.Wake();
    }

    private static async Task<bool> StillMemberAsync(KedjaDbContext db, ReportJob job, CancellationToken cancellationToken) =>
        await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.TenantId == job.TenantId && m.UserId == job.RequestedById, cancellationToken)
        || await db.Users.AnyAsync(u => u.Id == job.RequestedById && u.IsSystemAdmin, cancellationToken);

    /// <summary>Writes the progress and renews the lease at most every half second, while this worker still holds the job.</summary>
    private async Task FinishAsync(Claim claim, ReportFile? file, string? failure, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var held = db.ReportJobs.IgnoreQueryFilters()
            .Where(j => j.TenantId == claim.TenantId && j.Id == claim.Id && j.State == ReportJobState.Running && j.LeaseOwner == Name);
        var written = file is not null && failure is null
            ? await held.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Done).SetProperty(j => j.Progress, 100)
                .SetProperty(j => j.Slot, (int?)null).SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null)
                .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.FileName, file.FileName).SetProperty(j => j.ContentType, file.ContentType)
                .SetProperty(j => j.Content, file.Content).SetProperty(j => j.ContentHash, file.Sha256).SetProperty(j => j.Size, (long?)file.Content.LongLength), cancellationToken)
            : await held.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Failed)
                .SetProperty(j => j.Slot, (int?)null).SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null)
                .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Failure, failure ?? Unexpected), cancellationToken);
        if (written == 0)
        {
            logger.LogWarning("Rapportjobbet {Job} hade tagits över av en annan nod; resultatet sparades inte.", claim.Id);
        }
    }

    /// <summary>Finished and failed jobs are removed with their files after <see cref="ReportOptions.KeepDays"/>; frozen copies stay.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.KeepDays);
        var expired = db.ReportJobs.IgnoreQueryFilters().Where(j => (j.State == ReportJobState.Done || j.State == ReportJobState.Failed) && j.FinishedAt < before);
        // Read first: most looks find nothing, and a read takes no write lock.
        return await expired.AnyAsync(cancellationToken) ? await expired.ExecuteDeleteAsync(cancellationToken) : 0;
    }
}
