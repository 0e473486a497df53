using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Mail;

/// <summary>One mail as an administrator sees it: never its text (it may hold a one-time link).</summary>
public sealed record OutboxRow(Guid Id, string? TenantName, string To, string Kind, string Subject, OutboxMailState State, int Attempts, DateTime CreatedAt,
    DateTime NextTryAt, DateTime? SentAt, string? Error);

/// <summary>What the mail page shows: how mail leaves this installation, the count per state and the newest mails.</summary>
public sealed record OutboxView(bool UsesSmtp, string? PickupDirectory, Dictionary<OutboxMailState, int> Counts, List<OutboxRow> Mails, bool All);

/// <summary>
/// The outbox as administrators see it (issue 14: a failed send is shown to administrators after the last try): a
/// municipality's administrators see its own mails, a system administrator may see every mail, also the account mails
/// that belong to no municipality. A Failed mail can be tried again; an Uncertain one only when the administrator
/// confirms that it may arrive twice. Each retry is audited.
/// </summary>
public sealed class OutboxAdministration(KedjaDbContext db, TenantContext tenant, IAuditActor actor, IOptions<MailOptions> options, PickupDirectoryEmailSender pickup,
    MailSignal signal, TimeProvider clock)
{
    public const int Shown = 200;

    public const string NotFound = "Brevet finns inte.";

    public const string ConfirmUncertain = "Brevet kan redan ha kommit fram. Kryssa i att du vill skicka det igen ändå.";

    public const string NotRetryable = "Brevet har redan skickats eller väntar på sitt nästa försök; det kan inte skickas igen härifrån.";

    /// <summary>The mails the caller may see, newest first; <paramref name="all"/> (system administrators only) widens to the whole installation.</summary>
    public async Task<OutboxView> ListAsync(OutboxMailState? state, bool all, CancellationToken cancellationToken = default)
    {
        all &= tenant.IsSystemAdmin;
        var visible = Visible(all);
        var counts = await visible.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var shown = state is { } s ? visible.Where(m => m.State == s) : visible;
        var rows = await shown.OrderByDescending(m => m.CreatedAt).Take(Shown)
            .GroupJoin(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => new { m, t })
            .SelectMany(x => x.t.DefaultIfEmpty(), (x, t) => new OutboxRow(x.m.Id, t == null ? null : t.Name, x.m.ToAddress, x.m.Kind, x.m.Subject, x.m.State, x.m.Attempts,
                x.m.CreatedAt, x.m.NextTryAt, x.m.SentAt, x.m.LastError))
            .ToListAsync(cancellationToken);
        return new OutboxView(options.Value.UsesSmtp, tenant.IsSystemAdmin && !options.Value.UsesSmtp ? pickup.Directory : null, counts,
            [.. rows.OrderByDescending(r => r.CreatedAt)], all);
    }

    /// <summary>Puts a Failed mail (or, confirmed, an Uncertain one) back in line to be sent now.</summary>
    public async Task<ServiceResult<Done>> RetryAsync(Guid id, bool confirmUncertain, bool all, CancellationToken cancellationToken = default)
    {
        all &= tenant.IsSystemAdmin;
        var mail = await Visible(all).AsNoTracking().Where(m => m.Id == id).Select(m => new { m.State, m.TenantId, m.Kind }).SingleOrDefaultAsync(cancellationToken);
        if (mail is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (mail.State == OutboxMailState.Uncertain && !confirmUncertain)
        {
            return ServiceError.Invalid("bekrafta", ConfirmUncertain);
        }

        var from = mail.State;
        if (from is not (OutboxMailState.Failed or OutboxMailState.Uncertain))
        {
            return ServiceError.Conflict(NotRetryable);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Conditional on the state read, so that two administrators pressing at once put it back once.
        var changed = await db.Outbox.Where(m => m.Id == id && m.State == from)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Pending).SetProperty(m => m.Attempts, 0).SetProperty(m => m.NextTryAt, now.UtcDateTime)
                .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.LastError, (string?)null), cancellationToken);
        if (changed == 0)
        {
            return ServiceError.Conflict(NotRetryable);
        }

        db.AuditEntries.Add(AccountAudit.Entry("OutboxMail", id.ToString(), from == OutboxMailState.Uncertain ? "RetriedUncertain" : "Retried", actor.Name, now, mail.TenantId,
            new { kind = mail.Kind }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Wake();
        return new Done();
    }

    /// <summary>A tenant administrator: the tenant's own mails only; a system administrator asking for all: every mail.</summary>
    private IQueryable<OutboxMail> Visible(bool all) => all ? db.Outbox : db.Outbox.Where(m => m.TenantId == tenant.TenantId);
}
