using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Mail;

/// <summary>A person turns their own reminder digests off or on (notices of submitted and returned follow-ups still come).</summary>
public sealed class ReminderSettings(KedjaDbContext db, TimeProvider clock)
{
    public Task<bool> AreOffAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.RemindersOff).SingleAsync(cancellationToken);

    /// <summary>
    /// Sets the choice; the same choice twice changes nothing, so no version is needed. Turning them off also cancels
    /// today's digest if it has not left yet.
    /// </summary>
    public async Task SetAsync(string userId, bool off, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Users.Where(u => u.Id == userId && u.RemindersOff != off).ExecuteUpdateAsync(s => s.SetProperty(u => u.RemindersOff, off), cancellationToken);
        if (changed == 0)
        {
            return;
        }

        if (off)
        {
            await db.Outbox.Where(m => m.UserId == userId && m.Kind == MailKinds.Digest && m.State == OutboxMailState.Pending && m.LeaseOwner == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Cancelled).SetProperty(m => m.Body, ""), cancellationToken);
        }

        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, userId, off ? "RemindersOff" : "RemindersOn", await NameAsync(userId, cancellationToken), now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<string> NameAsync(string userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken) ?? userId;
}
