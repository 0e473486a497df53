using System.Collections.Concurrent;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Organisation;

public sealed class ReorganisationOptions
{
    public const string Section = "Kedja:Reorganisations";

    /// <summary>Whether this node's worker applies due reorganisations; tests drive it themselves with false.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How often the worker looks besides each day's change (Swedish midnight), for a node that missed it.</summary>
    public double PollMinutes { get; set; } = 15;
}

/// <summary>
/// Applies confirmed reorganisations to the current rows once their date has come (issue 16, review 16 finding 14), as the
/// system ("Kedja" in the audit trail), never as whoever happens to read. Reads of a period never wait for it: they resolve
/// names, parents and owners by date from the history written at confirmation. What reads today's rows (the units'
/// activity, <c>UnitScope</c>, imports by unit name) sees the new organisation from the first moment of the day because
/// every node runs this at its start and at each Swedish day change, and the first write request to a tenant that day
/// (<see cref="EnsureAppliedAsync"/>) applies what is due before it runs. A GET writes nothing.
/// <para>
/// Several nodes on one database: each reorganisation is claimed by its version in the same transaction as its changes
/// (the conditional UPDATE of <c>reorganisations … WHERE version = v</c>), so one node's apply commits and every other one
/// finds no row, rolls back and writes nothing (the claim of ADR 35 without a lease: the work is one transaction).
/// </para>
/// </summary>
public sealed class ReorganisationWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ReorganisationOptions> options, ILogger<ReorganisationWorker> logger)
    : PollingWorker(clock, logger)
{
    /// <summary>Who applies a reorganisation in the audit trail: the system, not a person.</summary>
    public const string ActorName = "Kedja";

    /// <summary>The day each tenant was last found with nothing due, on this node: a write request checks at most once a day.</summary>
    private readonly ConcurrentDictionary<Guid, DateOnly> checkedOn = new();

    protected override bool Enabled => options.Value.RunWorker;

    protected override string FailureMessage => "Omorganisationerna kunde inte genomföras; försöker igen.";

    protected override Task LookAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>The poll interval, or less: a second past the next Swedish midnight, when a date may come.</summary>
    protected override TimeSpan UntilNextLook()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var local = Ui.Language.InSweden(now);
        var untilMidnight = local.Date.AddDays(1) - local + TimeSpan.FromSeconds(1);
        var poll = TimeSpan.FromMinutes(Math.Max(0.1, options.Value.PollMinutes));
        return untilMidnight < poll ? untilMidnight : poll;
    }

    /// <summary>Applies every tenant's due reorganisations that this node wins; the number it applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var today = Deadlines.Today(Clock);
        List<(Guid Id, string Slug)> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            // Across tenants, by design: the one place a node looks at every tenant's reorganisations.
            var due = db.Reorganisations.IgnoreQueryFilters().Where(r => r.State == ReorganisationState.Confirmed && r.EffectiveDate <= today).Select(r => r.TenantId);
            tenants = [.. (await db.Tenants.AsNoTracking().Where(t => due.Contains(t.Id)).Select(t => new { t.Id, t.Slug }).ToListAsync(cancellationToken))
                .Select(t => (t.Id, t.Slug))];
        }

        var applied = 0;
        foreach (var (_, slug) in tenants)
        {
            applied += await ApplyAsSystemAsync(slug, cancellationToken);
        }

        return applied;
    }

    /// <summary>
    /// Before a write request to the tenant: applies what is due, unless this node already found nothing due today (a
    /// reorganisation confirmed for a date already come is applied by its confirmation, so none can become due later in
    /// the day).
    /// </summary>
    public async Task EnsureAppliedAsync(Guid tenantId, string slug, CancellationToken cancellationToken)
    {
        var today = Deadlines.Today(Clock);
        if (checkedOn.TryGetValue(tenantId, out var day) && day == today)
        {
            return;
        }

        bool due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            due = await db.Reorganisations.IgnoreQueryFilters().AnyAsync(r => r.TenantId == tenantId && r.State == ReorganisationState.Confirmed && r.EffectiveDate <= today,
                cancellationToken);
        }

        if (due)
        {
            try
            {
                await ApplyAsSystemAsync(slug, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The person's own write goes on; the worker tries again at its next look.
                logger.LogError(e, "Omorganisationerna i {Tenant} kunde inte genomföras före en ändring.", slug);
                return;
            }
        }

        checkedOn[tenantId] = today;
    }

    /// <summary>Enters the tenant as the system, named <see cref="ActorName"/>, and applies what is due; the number this call applied.</summary>
    private async Task<int> ApplyAsSystemAsync(string slug, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if ((await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug, cancellationToken)).Error is not null)
        {
            return 0;
        }

        // In a request's scope the actor would otherwise be the person asking.
        (scope.ServiceProvider.GetRequiredService<IAuditActor>() as HttpAuditActor)?.ActFor(ActorName);
        var applied = await scope.ServiceProvider.GetRequiredService<Reorganisations>().ApplyDueAsync(cancellationToken);
        if (applied > 0)
        {
            logger.LogInformation("{Count} omorganisationer genomfördes i {Tenant}.", applied, slug);
        }

        return applied;
    }
}
