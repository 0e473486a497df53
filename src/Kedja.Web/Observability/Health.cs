using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Domain.Imports;
using Kedja.Domain.Reports;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kedja.Web.Observability;

/// <summary>
/// The health endpoints (issue 18, ADR 51), anonymous and saying nothing but states:
/// <c>/health/live</c> the process answers; <c>/health/ready</c> the database answers, every migration this build knows
/// is applied and none is running, and this node's background loops still look for work (503 when not); work leased
/// past its lease by a long time makes it "Degraded" (200: another node takes the work over, so a load balancer should
/// not take every node out for it). <c>/health</c> stays what it was (the database answers): the load balancer of
/// deploy/cluster asks it, and a migration holding every node's readiness would take the whole installation out.
/// </summary>
public static class Health
{
    /// <summary>Checks only readiness asks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The advisory lock SchemaMigrator takes on PostgreSQL while it migrates.</summary>
    public const long MigrationLock = 53740001;

    /// <summary>How long past its lease running work may be before readiness calls it stuck: every node's poll would have taken it over.</summary>
    public static readonly TimeSpan LeaseGrace = TimeSpan.FromMinutes(5);

    public static IHealthChecksBuilder AddKedjaReadiness(this IHealthChecksBuilder checks) =>
        checks.AddCheck<MigrationCheck>("migrations", tags: [ReadyTag]).AddCheck<JobCheck>("jobs", tags: [ReadyTag]);

    public static void MapKedjaHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = WriteStatesAsync }).AllowAnonymous();
    }

    /// <summary>The overall state and each check's, by name; no description or exception (they may name a server).</summary>
    private static Task WriteStatesAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }));
    }

    /// <summary>Every migration of this build applied, and none running now.</summary>
    public sealed class MigrationCheck(KedjaDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var provider = KedjaDatabase.ProviderOf(db);
            if (provider == DatabaseProvider.Postgres && await db.Database.SqlQueryRaw<bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = {0} AND objsubid = 1) AS \"Value\"",
                    (int)MigrationLock).SingleAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("migrating");
            }

            // Read without creating the history table: a database never migrated has none, and is not ready.
            var applied = (await db.Database.SqlQueryRaw<string>($"SELECT id AS \"Value\" FROM {SchemaMigrator.HistoryTable}").ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            return SchemaMigrator.Scripts(provider).All(s => applied.Contains(s.Id)) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("pending");
        }
    }

    /// <summary>This node's loops look for work; no report, import, mail or Kolada fetch held long past its lease.</summary>
    public sealed class JobCheck(IServiceProvider services, KedjaDbContext db, TimeProvider clock) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (Watches(services).Any(w => w.Stuck()))
            {
                return HealthCheckResult.Unhealthy("loop");
            }

            var before = clock.GetUtcNow().UtcDateTime - LeaseGrace;
            var stuck = await db.ReportJobs.IgnoreQueryFilters().AnyAsync(j => j.State == ReportJobState.Running && j.LeaseUntil < before, cancellationToken)
                || await db.OutcomeImports.IgnoreQueryFilters().AnyAsync(i => (i.State == OutcomeImportState.Checking || i.State == OutcomeImportState.Importing) && i.LeaseUntil < before, cancellationToken)
                || await db.Outbox.IgnoreQueryFilters().AnyAsync(m => m.State == OutboxMailState.Sending && m.LeaseUntil < before, cancellationToken)
                || await db.KoladaSchedules.IgnoreQueryFilters().AnyAsync(s => s.LeaseUntil < before, cancellationToken);
            return stuck ? HealthCheckResult.Degraded("lease") : HealthCheckResult.Healthy();
        }

        /// <summary>The loops of this node: the job queues' and every polling worker's.</summary>
        public static IEnumerable<LoopWatch> Watches(IServiceProvider services) =>
            new Infrastructure.WorkSignal?[] { services.GetService<Reports.ReportQueue>(), services.GetService<Imports.ImportQueue>(), services.GetService<Mail.MailSignal>() }
                .OfType<Infrastructure.WorkSignal>().Select(s => s.Watch)
                .Concat(services.GetServices<IHostedService>().OfType<Infrastructure.PollingWorker>().Select(w => w.Watch));
    }
}
