using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Web.Mail;

/// <summary>The kinds of mail in the outbox; stored as text in <see cref="OutboxMail.Kind"/>.</summary>
public static class MailKinds
{
    public const string Invitation = "invitation";
    public const string RoleNotice = "role";
    public const string Reset = "reset";

    /// <summary>"Forgot password" as asked: the worker looks the address up and writes the mail, or drops the row (ADR 11: same answer for every address).</summary>
    public const string ResetRequest = "reset-request";
    public const string PasswordChanged = "password-changed";

    /// <summary>Two-factor turned on or off, moved to a new app, new recovery codes (ASVS 2.5.5).</summary>
    public const string SecurityNotice = "security-notice";
    public const string Submitted = "submitted";
    public const string Returned = "returned";
    public const string Digest = "digest";
}

/// <summary>
/// Puts mails in the outbox (ADR 45): a row written with the caller's DbContext, so that it is saved in the same
/// transaction as what caused it, or not at all. The key names the cause ("submitted:{status}:{version}"); the same key
/// twice is one mail. Bodies are stored protected with Data Protection (an invitation holds a one-time link) and
/// emptied once sent.
/// </summary>
public sealed class Outbox(KedjaDbContext db, MailSignal signal, TimeProvider clock, IDataProtectionProvider protection)
{
    private bool hooked;

    /// <summary>Adds the mail to the context; the caller's SaveChanges (and commit) writes it, and this node's worker is woken then.</summary>
    public OutboxMail Add(string key, string kind, EmailMessage message, Guid? tenantId = null, string? userId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new OutboxMail
        {
            Key = key,
            Kind = kind,
            TenantId = tenantId,
            UserId = userId,
            ToAddress = message.To,
            Subject = message.Subject,
            Body = Protect(protection, message.Body),
            State = OutboxMailState.Pending,
            CreatedAt = now,
            NextTryAt = now,
        };
        db.Outbox.Add(mail);
        WakeAfterSave();
        return mail;
    }

    /// <summary>
    /// Writes the mail on its own unless a mail with the key is there already (another node, or an earlier run of the
    /// same scheduler): insert-or-ignore by catching the unique violation, in a save of its own. True when written.
    /// </summary>
    public async Task<bool> TryInsertAsync(string key, string kind, EmailMessage message, Guid? tenantId, string? userId, CancellationToken cancellationToken)
    {
        if (await db.Outbox.AnyAsync(m => m.Key == key, cancellationToken))
        {
            return false;
        }

        var mail = Add(key, kind, message, tenantId, userId);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            db.Entry(mail).State = EntityState.Detached;
            return false;
        }
    }

    private void WakeAfterSave()
    {
        if (hooked)
        {
            return;
        }

        hooked = true;
        db.SavedChanges += (_, _) =>
        {
            // In a transaction of the caller's the row is not visible to the worker until the commit.
            if (db.Database.CurrentTransaction is null)
            {
                signal.Wake();
            }
            else
            {
                signal.WakeOnCommit(db);
            }
        };
    }

    internal string ProtectBody(string body) => Protect(protection, body);

    internal const string Purpose = "Kedja.Mail.Outbox";

    internal static string Protect(IDataProtectionProvider protection, string body) => protection.CreateProtector(Purpose).Protect(body);

    internal static string Unprotect(IDataProtectionProvider protection, string body) => protection.CreateProtector(Purpose).Unprotect(body);

    /// <summary>
    /// The Message-ID of the mail with the key: the same on every node and every try, so a receiving server can drop a
    /// duplicate. A hash, because a key names accounts and rows.
    /// </summary>
    public static string MessageId(string key, string from)
    {
        var domain = MimeKit.MailboxAddress.TryParse(from, out var address) && address.Domain is { Length: > 0 } d ? d : "kedja.localhost";
        return $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40]}@{domain}";
    }
}

/// <summary>Wakes this node's <see cref="MailWorker"/> when a mail was queued here (after its transaction committed).</summary>
public sealed class MailSignal : WorkSignal
{
    private readonly ConditionalWeakTable<DbContext, object> waiting = [];

    internal void WakeOnCommit(DbContext db) => waiting.AddOrUpdate(db, this);

    internal void Committed(DbContext? db)
    {
        if (db is not null && waiting.Remove(db))
        {
            Wake();
        }
    }

    internal void RolledBack(DbContext? db)
    {
        if (db is not null)
        {
            waiting.Remove(db);
        }
    }
}

/// <summary>Tells <see cref="MailSignal"/> when a transaction that queued mail committed.</summary>
public sealed class MailCommitInterceptor(MailSignal signal) : DbTransactionInterceptor
{
    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.Committed(eventData.Context);

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.RolledBack(eventData.Context);

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.RolledBack(eventData.Context);
        return Task.CompletedTask;
    }
}
