using System.Security.Cryptography;
using System.Text;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>
/// Growing delays after failed sign-ins, per client address and per address and account, held in the database so
/// that they hold across app nodes. While a client is delayed it is refused before its password is checked, so its
/// attempts do not count against the account: one address cannot keep an account locked (ADR 11).
/// </summary>
public sealed class SignInDelays(KedjaDbContext db, TimeProvider clock, IOptions<AccountOptions> options)
{
    private readonly AccountOptions limits = options.Value;

    /// <summary>How long the client must wait before it may try this account again; null when it may try now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string address, string? email, CancellationToken cancellationToken)
    {
        var subjects = Subjects(address, email).Select(s => s.Subject).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = await db.SignInThrottles.AsNoTracking()
            .Where(t => subjects.Contains(t.Subject) && t.BlockedUntil > now)
            .MaxAsync(t => t.BlockedUntil, cancellationToken);
        return until is { } u ? u - now : null;
    }

    /// <summary>Whether this address has failed on this account lately (within <see cref="AccountOptions.ForgetFailuresAfter"/>).</summary>
    public Task<bool> HasFailedAsync(string address, string? email, CancellationToken cancellationToken)
    {
        var pair = Subjects(address, email).Last().Subject;
        var since = clock.GetUtcNow().UtcDateTime - limits.ForgetFailuresAfter;
        return db.SignInThrottles.AsNoTracking().AnyAsync(t => t.Subject == pair && t.LastFailureAt >= since, cancellationToken);
    }

    public async Task RecordFailureAsync(string address, string? email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var forget = now - limits.ForgetFailuresAfter;
        foreach (var (subject, free) in Subjects(address, email))
        {
            // One statement, so that two nodes counting the same client at once both count.
            var failures = (await db.Database.SqlQuery<int>($"""
                INSERT INTO sign_in_throttles (subject, failures, last_failure_at, blocked_until) VALUES ({subject}, 1, {now}, NULL)
                ON CONFLICT (subject) DO UPDATE SET
                    failures = CASE WHEN sign_in_throttles.last_failure_at < {forget} THEN 1 ELSE sign_in_throttles.failures + 1 END,
                    last_failure_at = {now}
                RETURNING failures AS "Value"
                """).ToListAsync(cancellationToken)).Single();
            if (failures >= free)
            {
                var until = now + Delay(failures - free);
                await db.SignInThrottles.Where(t => t.Subject == subject)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.BlockedUntil, until), cancellationToken);
            }
        }

        await db.SignInThrottles.Where(t => t.LastFailureAt < forget).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The first delay, doubled for each failure after the one that started the delays, up to the maximum.</summary>
    internal TimeSpan Delay(int failuresBeyondFree)
    {
        var factor = Math.Pow(2, Math.Min(failuresBeyondFree, 30));
        var ticks = Math.Min(limits.FirstDelay.Ticks * factor, limits.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private IEnumerable<(string Subject, int Free)> Subjects(string address, string? email)
    {
        yield return ("a:" + address, limits.FreeFailuresPerAddress);
        yield return ($"a:{address}|e:{EmailKey(email)}", limits.FreeFailuresPerAccount);
    }

    /// <summary>
    /// A hash, so that the table never holds an e-mail address (nor a password typed into the e-mail field). Normalised as
    /// Identity normalises the address it looks up (NFC, upper case), so that look-alike spellings of one account (a
    /// Kelvin sign for K) share its key.
    /// </summary>
    internal static string EmailKey(string? email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((email ?? "").Trim().Normalize().ToUpperInvariant())))[..32];
}
