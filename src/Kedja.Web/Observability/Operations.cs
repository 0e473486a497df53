using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Domain.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Observability;

public sealed record JobFailure(string Tenant, DateTime At, string Failure);

/// <summary>A mail that did not go, without its address (the outbox page of the tenant shows that).</summary>
public sealed record MailFailure(string? Tenant, string Kind, OutboxMailState State, DateTime At, int Attempts, string? Error);

public sealed record KoladaTenant(string Slug, string Name, DateTime NextRunAt, DateTime? LastRunAt, bool Running, int Linked, int Failing, DateTime? LastFetchedAt);

public sealed record ReminderSummary(int Queued, int Sent, int NotSent, DateTime? Latest);

public sealed record OperationsView(
    IReadOnlyDictionary<ReportJobState, int> Reports,
    List<JobFailure> ReportFailures,
    IReadOnlyDictionary<OutcomeImportState, int> Imports,
    List<JobFailure> ImportFailures,
    IReadOnlyDictionary<OutboxMailState, int> Mail,
    DateTime? OldestWaitingMail,
    List<MailFailure> MailFailures,
    List<KoladaTenant> Kolada,
    ReminderSummary Reminders,
    List<RequestSample> Slowest,
    int StuckLeases);

/// <summary>
/// What the system administrators' operations page shows (issue 18, ADR 51), read from the database so that every node
/// shows the installation's state: the report, import and mail queues with their latest failures, each tenant's Kolada
/// schedule and fetch status, the reminder digests of the last day, and the slowest requests of the last hour.
/// </summary>
public sealed class Operations(KedjaDbContext db, TimeProvider clock)
{
    public const int FailuresShown = 10;

    public const int SlowestShown = 20;

    public async Task<OperationsView> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tenants = await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.Slug, t.Name }).ToDictionaryAsync(t => t.Id, cancellationToken);
        string Slug(Guid? id) => id is { } t && tenants.TryGetValue(t, out var found) ? found.Slug : "";

        var reports = await db.ReportJobs.IgnoreQueryFilters().GroupBy(j => j.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var reportFailures = await db.ReportJobs.IgnoreQueryFilters().AsNoTracking().Where(j => j.State == ReportJobState.Failed)
            .OrderByDescending(j => j.FinishedAt).Take(FailuresShown).Select(j => new { j.TenantId, j.FinishedAt, j.RequestedAt, j.Failure }).ToListAsync(cancellationToken);
        var imports = await db.OutcomeImports.IgnoreQueryFilters().GroupBy(i => i.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var importFailures = await db.OutcomeImports.IgnoreQueryFilters().AsNoTracking().Where(i => i.State == OutcomeImportState.Failed)
            .OrderByDescending(i => i.RequestedAt).Take(FailuresShown).Select(i => new { i.TenantId, i.RequestedAt, i.Failure }).ToListAsync(cancellationToken);
        var mail = await db.Outbox.IgnoreQueryFilters().GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var oldestWaiting = await db.Outbox.IgnoreQueryFilters().Where(m => m.State == OutboxMailState.Pending).OrderBy(m => m.CreatedAt).Select(m => (DateTime?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var mailFailures = await db.Outbox.IgnoreQueryFilters().AsNoTracking().Where(m => m.State == OutboxMailState.Failed || m.State == OutboxMailState.Uncertain)
            .OrderByDescending(m => m.CreatedAt).Take(FailuresShown).Select(m => new { m.TenantId, m.Kind, m.State, m.CreatedAt, m.Attempts, m.LastError }).ToListAsync(cancellationToken);

        var schedules = await db.KoladaSchedules.IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken);
        var links = (await db.KoladaLinkStatuses.IgnoreQueryFilters().GroupBy(s => s.TenantId)
            .Select(g => new { g.Key, Linked = g.Count(), Failing = g.Count(s => s.LastError != null), Latest = g.Max(s => s.LastFetchedAt) })
            .ToListAsync(cancellationToken)).ToDictionary(x => x.Key);
        var kolada = schedules.Where(s => tenants.ContainsKey(s.TenantId))
            .Select(s => (Schedule: s, Tenant: tenants[s.TenantId], Links: links.GetValueOrDefault(s.TenantId)))
            .Select(x => new KoladaTenant(x.Tenant.Slug, x.Tenant.Name, x.Schedule.NextRunAt, x.Schedule.LastRunAt, x.Schedule.LeaseUntil > now,
                x.Links?.Linked ?? 0, x.Links?.Failing ?? 0, x.Links?.Latest))
            .OrderByDescending(k => k.Failing).ThenBy(k => k.Name, StringComparer.Create(Domain.SwedishFormat.Culture, false)).ToList();

        var dayAgo = now.AddDays(-1);
        var digests = await db.Outbox.IgnoreQueryFilters().Where(m => m.Kind == Mail.MailKinds.Digest && m.CreatedAt >= dayAgo)
            .GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count(), Latest = g.Max(m => m.CreatedAt) }).ToListAsync(cancellationToken);
        var reminders = new ReminderSummary(digests.Sum(d => d.Count), digests.Where(d => d.Key == OutboxMailState.Sent).Sum(d => d.Count),
            digests.Where(d => d.Key is OutboxMailState.Failed or OutboxMailState.Uncertain).Sum(d => d.Count), digests.Count == 0 ? null : digests.Max(d => d.Latest));

        var hourAgo = now.AddHours(-1);
        var slowest = await db.RequestSamples.AsNoTracking().Where(r => r.At >= hourAgo).OrderByDescending(r => r.DurationMs).Take(SlowestShown).ToListAsync(cancellationToken);

        var leaseBefore = now - Health.LeaseGrace;
        var stuck = await db.ReportJobs.IgnoreQueryFilters().CountAsync(j => j.State == ReportJobState.Running && j.LeaseUntil < leaseBefore, cancellationToken)
            + await db.OutcomeImports.IgnoreQueryFilters().CountAsync(i => (i.State == OutcomeImportState.Checking || i.State == OutcomeImportState.Importing) && i.LeaseUntil < leaseBefore, cancellationToken);

        return new OperationsView(reports,
            [.. reportFailures.Select(f => new JobFailure(Slug(f.TenantId), f.FinishedAt ?? f.RequestedAt, f.Failure ?? ""))],
            imports,
            [.. importFailures.Select(f => new JobFailure(Slug(f.TenantId), f.RequestedAt, f.Failure ?? ""))],
            mail, oldestWaiting,
            [.. mailFailures.Select(f => new MailFailure(f.TenantId is null ? null : Slug(f.TenantId), f.Kind, f.State, f.CreatedAt, f.Attempts, f.LastError))],
            kolada, reminders, slowest, stuck);
    }
}
