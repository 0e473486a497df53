using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Imports;

/// <summary>
/// Checks and imports uploaded files on every app node (ADR 36), claimed as report jobs are (ADR 35): one conditional
/// UPDATE that only one node wins, a lease renewed while it works with the progress written into the row, and a job
/// whose node died taken over once the lease runs out. A tenant's checks and imports hold its running slots
/// (<see cref="ImportOptions.RunningPerTenant"/>, <see cref="TenantSlots"/>), so that one municipality's large files
/// cannot take every node from the others; a node works on at most <see cref="ImportOptions.Parallel"/> at once. The work
/// is done in the name and with the rights of the person who uploaded the file, as they are when it runs.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, IOptions<ImportOptions> options, TimeProvider clock, ILogger<ImportWorker> logger)
    : BackgroundService
{
    public const string Unexpected = "Ett oväntat fel inträffade. Försök igen, och kontakta förvaltaren om det händer igen.";

    public const string Interrupted = "Arbetet avbröts flera gånger. Ladda upp filen igen, och kontakta förvaltaren om det händer igen.";

    public const int MaxAttempts = 3;


    public string Name { get; } = LeaseHeartbeat.NewOwner();

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    private sealed record Claim(Guid TenantId, Guid Id, OutcomeImportState Running);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Parallel)).Select(_ =>
            queue.LoopAsync("Importarbetaren", RunOnceAsync, async ct => await RemoveOldFilesAsync(ct), TimeSpan.FromSeconds(options.Value.PollSeconds), logger, stoppingToken)));
    }

    /// <summary>Claims the oldest waiting check or import and does it. False when there was none.</summary>
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

        // A waiting file only of a tenant with a free slot (TenantSlots): another tenant's long queue never hides it.
        var candidates = await Claimable(db, now)
            .Where(i => !(i.State == OutcomeImportState.CheckQueued || i.State == OutcomeImportState.ImportQueued)
                || db.OutcomeImports.IgnoreQueryFilters().Count(r => r.TenantId == i.TenantId && r.Slot != null) < perTenant)
            .OrderBy(i => i.RequestedAt).Take(20).Select(i => new { i.TenantId, i.Id, i.State, i.Attempts, i.Slot }).ToListAsync(cancellationToken);
        foreach (var c in candidates)
        {
            var running = c.State is OutcomeImportState.CheckQueued or OutcomeImportState.Checking ? OutcomeImportState.Checking : OutcomeImportState.Importing;
            var row = Claimable(db, now).Where(i => i.TenantId == c.TenantId && i.Id == c.Id && i.State == c.State);
            if (c.State == running && c.Attempts >= MaxAttempts)
            {
                await row.ExecuteUpdateAsync(s => s.SetProperty(i => i.State, OutcomeImportState.Failed).SetProperty(i => i.Failure, Interrupted).SetProperty(i => i.Slot, (int?)null)
                    .SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseUntil, (DateTime?)null), cancellationToken);
                continue;
            }

            // One taken over keeps its slot (one running from before slots were kept has none and takes one); a waiting one needs a free one.
            var slot = c.Slot;
            if (slot is null)
            {
                var used = await db.OutcomeImports.IgnoreQueryFilters().Where(i => i.TenantId == c.TenantId && i.Slot != null).Select(i => i.Slot!.Value).ToListAsync(cancellationToken);
                slot = TenantSlots.FirstFree(used, perTenant);
                if (slot is null)
                {
                    continue;
                }
            }

            try
            {
                var won = await row.ExecuteUpdateAsync(s => s.SetProperty(i => i.State, running).SetProperty(i => i.Slot, slot).SetProperty(i => i.LeaseOwner, Name)
                    .SetProperty(i => i.LeaseUntil, now + Lease).SetProperty(i => i.Attempts, i => i.Attempts + 1).SetProperty(i => i.Progress, 0), cancellationToken);
                if (won == 1)
                {
                    return new Claim(c.TenantId, c.Id, running);
                }
            }
            catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
            {
                // Another node took the same slot of this tenant first.
            }
        }

        return null;
    }

    private static IQueryable<OutcomeImport> Claimable(KedjaDbContext db, DateTime now) =>
        db.OutcomeImports.IgnoreQueryFilters().Where(i => i.State == OutcomeImportState.CheckQueued || i.State == OutcomeImportState.ImportQueued
            || ((i.State == OutcomeImportState.Checking || i.State == OutcomeImportState.Importing) && i.LeaseUntil < now));

    private async Task RunAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KedjaDbContext>();
        var import = await db.OutcomeImports.IgnoreQueryFilters().AsNoTracking().SingleAsync(i => i.TenantId == claim.TenantId && i.Id == claim.Id, cancellationToken);
        // A span, a duration and the tenant in every log line of the work (issue 18, ADR 51).
        var slug = await db.Tenants.AsNoTracking().Where(t => t.Id == import.TenantId).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken) ?? import.TenantId.ToString();
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.Import, slug)
            .Tag("kedja.import.kind", import.Kind).Tag("kedja.import.step", claim.Running == OutcomeImportState.Checking ? "check" : "import");
        using var tenantLog = Observability.TenantLog.Scope(logger, slug);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new LatestProgress();
        var heartbeat = LeaseHeartbeat.RunAsync(scopes, progress, Lease, clock,
            (db, percent, until) => db.OutcomeImports.IgnoreQueryFilters()
                .Where(i => i.TenantId == claim.TenantId && i.Id == claim.Id && i.State == claim.Running && i.LeaseOwner == Name)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Progress, percent).SetProperty(i => i.LeaseUntil, until), CancellationToken.None),
            () => logger.LogWarning("Importen {Import} togs över av en annan nod.", claim.Id),
            e => logger.LogWarning(e, "Importen {Import}: förloppet kunde inte sparas.", claim.Id), stop.Token);
        ImportCheck? check = null;
        string? failure = null;
        var imported = false;
        try
        {
            if ((await services.GetRequiredService<TenantAccess>().EnterAsMemberAsync(import.TenantId, import.RequestedById, cancellationToken)).Error is { } gone)
            {
                failure = gone.Message;
            }
            else if (import.Content is not { } content)
            {
                failure = "Filen finns inte kvar. Ladda upp den igen.";
            }
            else
            {
                if (services.GetRequiredService<IAuditActor>() is HttpAuditActor actor)
                {
                    actor.ActFor(import.RequestedByName);
                }

                if (import.Kind == OutcomeImportKind.Finance)
                {
                    var finance = services.GetRequiredService<Finance.FinanceImports>();
                    if (claim.Running == OutcomeImportState.Checking)
                    {
                        check = await finance.CheckAsync(import.FileName, content, progress, cancellationToken);
                    }
                    else
                    {
                        var run = await finance.ImportAsync(import.FileName, content, import.PlanHash, import.Id, progress, cancellationToken);
                        (check, imported, failure) = (run.Check, run.Imported, run.Refusal);
                    }
                }
                else
                {
                    var imports = services.GetRequiredService<OutcomeImports>();
                    if (claim.Running == OutcomeImportState.Checking)
                    {
                        check = await imports.CheckAsync(import.FileName, content, progress, cancellationToken);
                    }
                    else
                    {
                        var run = await imports.ImportAsync(import.FileName, content, import.PlanHash, import.Id, progress, cancellationToken);
                        (check, imported, failure) = (run.Check, run.Imported, run.Refusal);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stop.CancelAsync();
            await heartbeat;
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Importen {Import} misslyckades.", import.Id);
            failure = Unexpected;
        }

        await stop.CancelAsync();
        await heartbeat;
        if (failure is not null)
        {
            measured.Fail();
        }

        await FinishAsync(db, claim, check, imported, failure, cancellationToken);
        // Its slot is free: a file of the same tenant may be waiting.
        queue.Wake();
    }

    private async Task FinishAsync(KedjaDbContext db, Claim claim, ImportCheck? check, bool imported, string? failure, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var held = db.OutcomeImports.IgnoreQueryFilters().Where(i => i.TenantId == claim.TenantId && i.Id == claim.Id && i.State == claim.Running && i.LeaseOwner == Name);

        // A refused import (changed since the check, a file with errors) is checked again: the preview then shows why.
        var state = imported ? OutcomeImportState.Imported : check is not null && (claim.Running == OutcomeImportState.Checking || failure is not null) ? OutcomeImportState.Checked : OutcomeImportState.Failed;

        // A file that could not be read as a table at all (not a spreadsheet, no header, too many rows) is no checked file.
        if (check is { Rows: 0, ProblemCount: > 0 } && !imported)
        {
            (state, failure) = (OutcomeImportState.Failed, check.Problems[0].Message);
        }

        var preview = check is null ? null : JsonSerializer.Serialize(check, ImportJobs.PreviewJson);
        var written = await held.ExecuteUpdateAsync(s => s
            .SetProperty(i => i.State, state).SetProperty(i => i.Progress, 100).SetProperty(i => i.Failure, failure).SetProperty(i => i.Slot, (int?)null)
            .SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseUntil, (DateTime?)null).SetProperty(i => i.Attempts, 0)
            .SetProperty(i => i.Format, i => check == null ? i.Format : check.Format).SetProperty(i => i.Preview, i => preview ?? i.Preview)
            .SetProperty(i => i.PlanHash, i => check == null ? i.PlanHash : check.PlanHash)
            .SetProperty(i => i.Rows, i => check == null ? i.Rows : check.Rows).SetProperty(i => i.ErrorRows, i => check == null ? i.ErrorRows : check.ErrorRows)
            .SetProperty(i => i.NewValues, i => check == null ? i.NewValues : check.NewRows).SetProperty(i => i.ChangedValues, i => check == null ? i.ChangedValues : check.ChangedRows)
            .SetProperty(i => i.UnchangedValues, i => check == null ? i.UnchangedValues : check.UnchangedRows)
            .SetProperty(i => i.CheckedAt, i => check == null ? i.CheckedAt : now)
            .SetProperty(i => i.ImportedAt, i => imported ? now : i.ImportedAt).SetProperty(i => i.ImportedByName, i => imported ? i.RequestedByName : i.ImportedByName)
            .SetProperty(i => i.Content, i => imported ? null : i.Content), cancellationToken);
        if (written == 0)
        {
            logger.LogWarning("Importen {Import} hade tagits över av en annan nod; resultatet sparades inte.", claim.Id);
        }
    }

    /// <summary>Files never imported are removed after <see cref="ImportOptions.KeepFileDays"/>; the log rows stay.</summary>
    public async Task<int> RemoveOldFilesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.KeepFileDays);
        var old = db.OutcomeImports.IgnoreQueryFilters().Where(i => i.Content != null && i.RequestedAt < before
            && (i.State == OutcomeImportState.Checked || i.State == OutcomeImportState.Failed || i.State == OutcomeImportState.Imported));
        return await old.AnyAsync(cancellationToken) ? await old.ExecuteUpdateAsync(s => s.SetProperty(i => i.Content, (byte[]?)null), cancellationToken) : 0;
    }
}
