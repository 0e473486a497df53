using Kedja.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

public abstract record SignInResult
{
    public sealed record Succeeded(KedjaUser User) : SignInResult;

    /// <summary>Wrong e-mail or password; the answer never says which.</summary>
    public sealed record Failed : SignInResult;

    /// <summary>The client must wait; its attempt was not checked and does not count against the account.</summary>
    public sealed record Delayed(TimeSpan RetryAfter) : SignInResult;

    /// <summary>Correct password, but the account is locked for a while. Only told to someone who knows the password.</summary>
    public sealed record LockedOut : SignInResult;
}

/// <summary>
/// Checks an e-mail and password: the one way in with a password, for the token endpoint now and the cookie sign-in
/// page later. Unknown and known accounts take the same time (a dummy hash is verified); delayed clients are refused
/// before the check; failures and lock-outs are audited (ADR 11).
/// </summary>
public sealed class SignIn(
    UserManager<KedjaUser> users,
    KedjaDbContext db,
    SignInDelays delays,
    TimeProvider clock,
    IOptions<IdentityOptions> identity,
    IOptions<PasswordHasherOptions> hashing)
{
    /// <summary>One per PBKDF2 count, so that the dummy costs what a real hash of this app costs (tests run hosts of both).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> DummyHashes = new();

    public async Task<SignInResult> CheckPasswordAsync(string? email, string? password, string address, CancellationToken cancellationToken = default)
    {
        email = email?.Trim() ?? "";
        password ??= "";
        // A delayed client is refused before its password is checked, so its attempts never count against the account.
        // Nothing is counted per account alone: that would let a few addresses keep the owner out (ADR 11).
        if (await delays.RetryAfterAsync(address, email, cancellationToken) is { } wait)
        {
            return new SignInResult.Delayed(wait);
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        var correct = user?.PasswordHash is null ? VerifyDummy(password) : await users.CheckPasswordAsync(user, password);
        if (user is not null && correct)
        {
            if (await users.IsLockedOutAsync(user))
            {
                // The lock-out holds against the addresses that failed on this account; the owner, signing in from an
                // address that never failed on it, gets in, so that guessing from elsewhere cannot keep them out.
                return await delays.HasFailedAsync(address, email, cancellationToken) ? new SignInResult.LockedOut() : new SignInResult.Succeeded(user);
            }

            await users.ResetAccessFailedCountAsync(user);
            return new SignInResult.Succeeded(user);
        }

        await RecordFailureAsync(user, address, cancellationToken);
        return new SignInResult.Failed();
    }

    /// <summary>
    /// The client's failure always counts towards its delays; it counts against the account only while the account is
    /// not already locked, so failing on purpose during a lock-out does not prolong it.
    /// </summary>
    private async Task RecordFailureAsync(KedjaUser? user, string address, CancellationToken cancellationToken)
    {
        await delays.RecordFailureAsync(address, user?.Email, cancellationToken);
        var now = clock.GetUtcNow();
        var details = new { address };
        if (user is null)
        {
            db.AuditEntries.Add(AccountAudit.Entry("SignIn", AccountAudit.UnknownAccount, "SignInFailed", "anonym", now, details: details));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignInFailed", "anonym", now, details: details));
        if (await users.IsLockedOutAsync(user))
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (user.LockoutEnabled && user.AccessFailedCount + 1 >= identity.Value.Lockout.MaxFailedAccessAttempts)
        {
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "LockedOut", "anonym", now,
                details: new { address, minutes = identity.Value.Lockout.DefaultLockoutTimeSpan.TotalMinutes }));
        }

        // Saves the count (or the lock-out) and the audit entries in one SaveChanges.
        await users.AccessFailedAsync(user);
    }

    private bool VerifyDummy(string password)
    {
        var dummyHash = DummyHashes.GetOrAdd(hashing.Value.IterationCount, _ => users.PasswordHasher.HashPassword(new KedjaUser(), Guid.NewGuid().ToString()));
        users.PasswordHasher.VerifyHashedPassword(new KedjaUser(), dummyHash, password);
        return false;
    }
}
