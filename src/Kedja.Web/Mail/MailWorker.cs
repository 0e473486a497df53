using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Mail;

/// <summary>
/// Sends the outbox on every app node (ADR 45), at most once: a mail is claimed with one conditional UPDATE that only
/// one node can win (as report jobs are, ADR 35), marked Sending when the server has been reached and just before it is
/// handed over, and marked Sent by the node that holds it. A server's refusal or an unreachable server puts it back
/// with a growing wait (<see cref="Backoff"/>), and after the last try it is Failed. A mail found Sending after its lease
/// ran out was left by a node that stopped mid-send: it may have arrived, so it is marked Uncertain and never sent
/// again without an administrator's word.
/// </summary>
public sealed class MailWorker(IServiceScopeFactory scopes, MailSignal signal, IEmailSender sender, IDataProtectionProvider protection, IOptions<MailOptions> options,
    TimeProvider clock, ILogger<MailWorker> logger) : BackgroundService
{
    /// <summary>The waits after the 1st, 2nd, … failed try; after as many failures as there are waits plus one, the mail is Failed.</summary>
    public static readonly TimeSpan[] Backoff = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    public static int MaxAttempts => Backoff.Length + 1;

    public const string UncertainError = "Noden som skickade brevet stannade mitt i utskicket. Brevet kan ha kommit fram och skickas därför inte igen av sig självt.";

    public const string Interrupted = "Förbindelsen med e-postservern bröts medan brevet lämnades över. Brevet kan ha kommit fram och skickas därför inte igen av sig självt.";

    public string Name { get; } = LeaseHeartbeat.NewOwner();

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.RunWorker
        ? Task.CompletedTask
        : signal.LoopAsync("Utskicksarbetaren", RunOnceAsync, RemoveOldAsync, TimeSpan.FromSeconds(options.Value.PollSeconds), logger, stoppingToken);

    /// <summary>Claims one due mail and sends it. False when there was none to claim.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (await ClaimAsync(cancellationToken) is not { } id)
        {
            return false;
        }

        await SendAsync(id, cancellationToken);
        return true;
    }

    private async Task<Guid?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.Outbox.AsNoTracking()
            .Where(m => (m.State == OutboxMailState.Pending && m.NextTryAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                || (m.State == OutboxMailState.Sending && m.LeaseUntil < now))
            .OrderBy(m => m.NextTryAt).Take(20).Select(m => new { m.Id, m.State }).ToListAsync(cancellationToken);
        foreach (var c in candidates)
        {
            if (c.State == OutboxMailState.Sending)
            {
                var marked = await db.Outbox.Where(m => m.Id == c.Id && m.State == OutboxMailState.Sending && m.LeaseUntil < now)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Uncertain).SetProperty(m => m.LeaseOwner, (string?)null)
                        .SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.LastError, UncertainError), cancellationToken);
                if (marked == 1)
                {
                    logger.LogWarning("Brevet {Mail} lämnades mitt i utskicket av en nod som stannade; det markeras som osäkert och skickas inte igen.", c.Id);
                }

                continue;
            }

            var won = await db.Outbox.Where(m => m.Id == c.Id && m.State == OutboxMailState.Pending && m.NextTryAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, Name).SetProperty(m => m.LeaseUntil, now + Lease), cancellationToken);
            if (won == 1)
            {
                return c.Id;
            }
        }

        return null;
    }

    private async Task SendAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var mail = await db.Outbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (mail is null)
        {
            // Removed meanwhile (its tenant or account was deleted).
            return;
        }

        // A span, a duration and the tenant in every log line of the sending (issue 18, ADR 51); never the address.
        var slug = mail.TenantId is { } tenantId ? await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken) : null;
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.MailSend, slug).Tag("kedja.mail.kind", mail.Kind);
        using var tenantLog = slug is null ? null : Observability.TenantLog.Scope(logger, slug);

        if (mail.Kind == MailKinds.ResetRequest)
        {
            mail = await scope.ServiceProvider.GetRequiredService<Accounts>().ComposeResetAsync(mail, Name, cancellationToken);
            if (mail is null)
            {
                return;
            }
        }

        var message = new EmailMessage(mail.ToAddress, mail.Subject, Outbox.Unprotect(protection, mail.Body), Outbox.MessageId(mail.Key, options.Value.From));
        var held = db.Outbox.Where(m => m.Id == id && m.LeaseOwner == Name);
        var handedOver = false;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Well within the lease, so that a mail still Sending after it was left by a node that stopped.
        limit.CancelAfter(Lease / 2);
        try
        {
            await sender.SendAsync(message, async ct =>
            {
                handedOver = await held.Where(m => m.State == OutboxMailState.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Sending).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct) == 1;
                return handedOver;
            }, limit.Token);
            if (!handedOver)
            {
                measured.Fail("taken-over");
                logger.LogWarning("Brevet {Mail} hade tagits över av en annan nod och skickades inte härifrån.", id);
                return;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            if (await held.Where(m => m.State == OutboxMailState.Sending).ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Sent)
                    .SetProperty(m => m.SentAt, now).SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null)
                    .SetProperty(m => m.LastError, (string?)null).SetProperty(m => m.Body, ""), CancellationToken.None) == 0)
            {
                logger.LogWarning("Brevet {Mail} skickades men hade redan markerats av en annan nod.", id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is stopping. Not handed over: the lease runs out and another node sends it. Handed over: Uncertain, then.
            if (!handedOver)
            {
                await held.ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null), CancellationToken.None);
            }

            throw;
        }
        catch (Exception e)
        {
            measured.Fail(exception: e);
            await FailAsync(db, id, mail.Attempts + 1, handedOver, e);
        }
    }

    /// <summary>
    /// A try counts whether or not it reached the hand-over, or an unreachable server would be tried for ever.
    /// A refusal by the server (an SMTP reply) means the mail did not leave, whenever it came; a broken connection after
    /// the hand-over began may have left it delivered, so it is Uncertain. Before the hand-over, every failure is a retry.
    /// </summary>
    private async Task FailAsync(KedjaDbContext db, Guid id, int attempts, bool handedOver, Exception e)
    {
        var held = db.Outbox.Where(m => m.Id == id && m.LeaseOwner == Name);
        var refused = e is SmtpCommandException;
        var error = Describe(e);
        if (handedOver && !refused)
        {
            logger.LogWarning(e, "Brevet {Mail}: förbindelsen bröts under överlämningen; det markeras som osäkert.", id);
            await held.ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Uncertain).SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.LastError, Interrupted), CancellationToken.None);
            return;
        }

        var permanent = e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 } || attempts >= MaxAttempts;
        var now = clock.GetUtcNow().UtcDateTime;
        logger.LogWarning("Brevet {Mail} kunde inte skickas (försök {Attempt}): {Error}", id, attempts, error);
        await held.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, permanent ? OutboxMailState.Failed : OutboxMailState.Pending)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextTryAt, permanent ? now : now + Backoff[Math.Min(attempts, Backoff.Length) - 1])
            .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null)
            .SetProperty(m => m.LastError, error), CancellationToken.None);
    }

    /// <summary>What an administrator is shown: the server's answer, or what kind of failure it was; no stack trace.</summary>
    private static string Describe(Exception e)
    {
        var text = e switch
        {
            SmtpCommandException c => $"E-postservern svarade {(int)c.StatusCode}: {c.Message}",
            OperationCanceledException => "E-postservern svarade inte i tid.",
            System.Net.Sockets.SocketException s => $"E-postservern kunde inte nås ({s.SocketErrorCode}).",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return text.Length > 1000 ? text[..1000] : text;
    }

    /// <summary>Sent and cancelled mails go after <see cref="MailOptions.KeepDays"/>; failed and uncertain ones stay until handled.</summary>
    public async Task RemoveOldAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.KeepDays);
        var old = db.Outbox.Where(m => (m.State == OutboxMailState.Sent || m.State == OutboxMailState.Cancelled) && m.CreatedAt < before);
        if (await old.AnyAsync(cancellationToken))
        {
            await old.ExecuteDeleteAsync(cancellationToken);
        }
    }
}
