using System.Security.Claims;
using Kedja.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth.TwoFactor;

public abstract record CodeResult
{
    /// <summary>The code was right; <paramref name="Target"/> is where the sign-in goes on to.</summary>
    public sealed record Accepted(KedjaUser User, string Target) : CodeResult;

    /// <summary>A wrong, used or malformed code; the answer never says which.</summary>
    public sealed record Failed : CodeResult;

    /// <summary>Too many wrong codes: the code was not checked.</summary>
    public sealed record Delayed(TimeSpan RetryAfter) : CodeResult;

    /// <summary>No password step in the last five minutes (or the account changed since): sign in again.</summary>
    public sealed record Expired : CodeResult;
}

public abstract record SwitchResult
{
    public sealed record Done(List<string> RecoveryCodes) : SwitchResult;

    public sealed record WrongCode : SwitchResult;

    public sealed record Delayed(TimeSpan RetryAfter) : SwitchResult;

    /// <summary>Two-factor cannot be turned off: the account must use it.</summary>
    public sealed record Required : SwitchResult;
}

/// <summary>What the enrolment page shows: the state, and while it is off the key to put into the app.</summary>
public sealed record Enrolment(bool Enabled, bool Required, int UnusedRecoveryCodes, string? Key, string? Uri);

/// <summary>
/// Two-factor for local accounts (ADR 45): the code step after a correct password, enrolment, recovery codes and who
/// must use it. Pages, the token endpoint and the profile page ask this service, so each rule is written once.
/// SSO sign-ins do not come here: the identity provider does its own second factor.
/// </summary>
public sealed class SecondFactor(
    KedjaDbContext db,
    UserManager<KedjaUser> users,
    AuthenticatorCodes authenticator,
    RecoveryCodes recovery,
    SignInDelays delays,
    TimeProvider clock,
    IOptions<TwoFactorOptions> options,
    IOptions<AccountOptions> accountOptions,
    Mail.Outbox outbox,
    SecurityKeys keys)
{
    /// <summary>The short-lived cookie between the password and the code: it names the account, nothing more.</summary>
    public const string PendingScheme = "Kedja.TwoFactor";

    public const string CodePath = "/inloggning/tvastegs";

    public const string EnrolPath = "/profil/tvastegsverifiering";

    /// <summary>The person's security keys (ADR 56); open to a session that must enrol, as a key is a second factor too.</summary>
    public const string KeysPath = "/profil/tvastegsverifiering/nycklar";

    /// <summary>The second step with a security key instead of a code (under <see cref="CodePath"/>, where the pending cookie goes).</summary>
    public const string KeyPath = "/inloggning/tvastegs/nyckel";

    /// <summary>RFC 8176 authentication method reference: "mfa" when the session was started with a second factor.</summary>
    public const string AmrClaim = "amr";

    public const string Mfa = "mfa";

    /// <summary>A session that must enrol first and reaches nothing else (<see cref="TwoFactorGate"/>).</summary>
    public const string EnrolClaim = "kedja:must-enrol";

    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The claim a sign-in with a second factor carries; an SSO sign-in whose provider asked for one may pass it too.</summary>
    public static Claim UsedClaim => new(AmrClaim, Mfa);

    private const string TargetItem = "tillbaka";

    /// <summary>System administrators (when configured) and members of a municipality that requires it.</summary>
    public async Task<bool> IsRequiredAsync(KedjaUser user, CancellationToken cancellationToken = default) =>
        (user.IsSystemAdmin && options.Value.RequireTwoFactorForSystemAdmins)
        || await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.UserId == user.Id && db.Tenants.Any(t => t.Id == m.TenantId && t.RequireTwoFactor), cancellationToken);

    /// <summary>
    /// After a correct password: where the browser goes instead of a full session, or null for an ordinary sign-in.
    /// An account with two-factor gets no session yet, only the pending cookie; one that must enrol gets a session that
    /// reaches only the enrolment page.
    /// </summary>
    public async Task<string?> AfterPasswordAsync(HttpContext http, KedjaUser user, string target)
    {
        var hasKeys = await keys.AnyAsync(user.Id, http.RequestAborted);
        if (user.TwoFactorEnabled || hasKeys)
        {
            var principal = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(CookieSignIn.StampClaim, await users.GetSecurityStampAsync(user))], PendingScheme));
            var properties = new AuthenticationProperties { IsPersistent = false };
            properties.Items[TargetItem] = target;
            await http.SignInAsync(PendingScheme, principal, properties);
            return hasKeys ? KeyPath : CodePath;
        }

        if (!await IsRequiredAsync(user, http.RequestAborted))
        {
            return null;
        }

        await CookieSignIn.SignInAsync(http, user, [new Claim(EnrolClaim, "true")]);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignedIn", user.Email ?? user.Id, clock.GetUtcNow(),
            details: new { address = ClientAddress.Of(http), how = "cookie", mustEnrol = true }));
        await db.SaveChangesAsync(http.RequestAborted);
        return EnrolPath;
    }

    /// <summary>The account waiting for its code, if the pending cookie is there, fresh and the account unchanged since.</summary>
    public async Task<KedjaUser?> PendingAsync(HttpContext http)
    {
        var pending = await http.AuthenticateAsync(PendingScheme);
        if (!pending.Succeeded || pending.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id
            || await users.FindByIdAsync(id) is not { } user
            || user.SecurityStamp != pending.Principal.FindFirstValue(CookieSignIn.StampClaim)
            || !(user.TwoFactorEnabled || await keys.AnyAsync(user.Id, http.RequestAborted)))
        {
            return null;
        }

        return user;
    }

    /// <summary>The code step: an authenticator code or a recovery code; on success the session starts with "mfa".</summary>
    public async Task<CodeResult> CompleteAsync(HttpContext http, string? code)
    {
        var pending = await http.AuthenticateAsync(PendingScheme);
        if (await PendingAsync(http) is not { } user)
        {
            await http.SignOutAsync(PendingScheme);
            return new CodeResult.Expired();
        }

        var address = ClientAddress.Of(http);
        var how = AuthenticatorCodes.Normalise(code) is null ? "recovery-code" : "two-factor";
        if (how == "two-factor" && !user.TwoFactorEnabled)
        {
            // An account with security keys only: an app key it may hold was never confirmed, so no app code counts.
            code = null;
        }

        switch (await CheckAsync(user, code, address, allowRecovery: true, "anonym", http.RequestAborted))
        {
            case Check.Wait wait:
                return new CodeResult.Delayed(wait.RetryAfter);
            case Check.Wrong:
                return new CodeResult.Failed();
        }

        await http.SignOutAsync(PendingScheme);
        await CookieSignIn.SignInAsync(http, user, [UsedClaim]);
        var now = clock.GetUtcNow();
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignedIn", user.Email ?? user.Id, now, details: new { address, how }));
        if (how == "recovery-code")
        {
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "RecoveryCodeUsed", user.Email ?? user.Id, now,
                details: new { address, left = await recovery.UnusedAsync(user.Id, http.RequestAborted) }));
        }

        await db.SaveChangesAsync(http.RequestAborted);
        return new CodeResult.Accepted(user, pending.Properties?.Items.TryGetValue(TargetItem, out var target) == true && target is not null ? target : "/");
    }

    /// <summary>
    /// The second step with a security key (ADR 56): the answer must sign this person's newest sign-in challenge with one
    /// of their keys; a refusal counts as a wrong code does for the sign-in's delays. On success the session starts with "mfa".
    /// </summary>
    public async Task<CodeResult> CompleteWithKeyAsync(HttpContext http, Guid challengeId, string? answer)
    {
        var pending = await http.AuthenticateAsync(PendingScheme);
        if (await PendingAsync(http) is not { } user)
        {
            await http.SignOutAsync(PendingScheme);
            return new CodeResult.Expired();
        }

        var address = ClientAddress.Of(http);
        if (await delays.RetryAfterAsync(address, user.Email, http.RequestAborted) is { } wait)
        {
            return new CodeResult.Delayed(wait);
        }

        var now = clock.GetUtcNow();
        if (!await keys.VerifySignInAsync(http, user, challengeId, answer))
        {
            await delays.RecordFailureAsync(address, user.Email, http.RequestAborted);
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "TwoFactorFailed", "anonym", now, details: new { address, how = "security-key" }));
            await db.SaveChangesAsync(http.RequestAborted);
            return new CodeResult.Failed();
        }

        await http.SignOutAsync(PendingScheme);
        await CookieSignIn.SignInAsync(http, user, [UsedClaim]);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignedIn", user.Email ?? user.Id, now, details: new { address, how = "security-key" }));
        await db.SaveChangesAsync(http.RequestAborted);
        return new CodeResult.Accepted(user, pending.Properties?.Items.TryGetValue(TargetItem, out var target) == true && target is not null ? target : "/");
    }

    /// <summary>What the enrolment page shows; while two-factor is off the account gets a key (once) to enrol with.</summary>
    public async Task<Enrolment> EnrolmentAsync(KedjaUser user, CancellationToken cancellationToken)
    {
        var required = await IsRequiredAsync(user, cancellationToken);
        if (user.TwoFactorEnabled)
        {
            return new Enrolment(true, required, await recovery.UnusedAsync(user.Id, cancellationToken), null, null);
        }

        if (user.AuthenticatorKeyProtected is null)
        {
            // Only where there is none yet: two tabs opened at once show the same key, and the one stored is the one checked.
            var fresh = authenticator.NewProtectedKey();
            await db.Users.Where(u => u.Id == user.Id && u.AuthenticatorKeyProtected == null)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AuthenticatorKeyProtected, fresh), cancellationToken);
            await db.Entry(user).ReloadAsync(cancellationToken);
        }

        var key = authenticator.Key(user.AuthenticatorKeyProtected!);
        return new Enrolment(false, required, 0, key, AuthenticatorCodes.Uri(key, user.Email ?? user.Id));
    }

    /// <summary>Turns two-factor on with a code from the app; the account's other sessions end, this one goes on with "mfa".</summary>
    public async Task<SwitchResult> EnableAsync(HttpContext http, KedjaUser user, string? code)
    {
        if (user.TwoFactorEnabled)
        {
            return new SwitchResult.Done([]);
        }

        switch (await CheckAsync(user, code, ClientAddress.Of(http), allowRecovery: false, user.Email ?? user.Id, http.RequestAborted))
        {
            case Check.Wait wait:
                return new SwitchResult.Delayed(wait.RetryAfter);
            case Check.Wrong:
                return new SwitchResult.WrongCode();
        }

        var codes = await recovery.ReplaceAsync(user.Id, http.RequestAborted);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "TwoFactorEnabled", user.Email ?? user.Id, clock.GetUtcNow(),
            details: new { address = ClientAddress.Of(http), recoveryCodes = codes.Count }));
        SecurityNotices.Add(outbox, user, SecurityChange.TwoFactorEnabled, clock.GetUtcNow());

        // One SaveChanges (the store's): the flag, a new security stamp, the codes and the audit entry together.
        user.TwoFactorEnabled = true;
        await Succeed(users.UpdateSecurityStampAsync(user));
        await CookieSignIn.SignInAsync(http, user, [UsedClaim]);
        return new SwitchResult.Done(codes);
    }

    /// <summary>New recovery codes in place of the old ones (used or not).</summary>
    public async Task<List<string>> RenewRecoveryCodesAsync(HttpContext http, KedjaUser user)
    {
        var codes = await recovery.ReplaceAsync(user.Id, http.RequestAborted);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "RecoveryCodesRenewed", user.Email ?? user.Id, clock.GetUtcNow(),
            details: new { address = ClientAddress.Of(http), recoveryCodes = codes.Count }));
        SecurityNotices.Add(outbox, user, SecurityChange.RecoveryCodesRenewed, clock.GetUtcNow());
        await db.SaveChangesAsync(http.RequestAborted);
        return codes;
    }

    /// <summary>
    /// The operator's reset for a lost phone without recovery codes (ASVS 2.5.7, ADR 55; the `reset-two-factor` verb):
    /// app key, security keys (ADR 56: the lost device may be a key) and codes removed, a new stamp (every session and
    /// the two-factor step end), mailed and audited as the operator's with the given reason, in one save. False when
    /// two-factor was not on.
    /// </summary>
    public async Task<bool> ResetByOperatorAsync(KedjaUser user, string reason, CancellationToken cancellationToken)
    {
        var securityKeys = await db.SecurityKeys.Where(k => k.UserId == user.Id).ToListAsync(cancellationToken);
        if (!user.TwoFactorEnabled && user.AuthenticatorKeyProtected is null && securityKeys.Count == 0)
        {
            return false;
        }

        db.SecurityKeys.RemoveRange(securityKeys);
        await recovery.RemoveAsync(user.Id, cancellationToken);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "TwoFactorReset", "driften (reset-two-factor)", clock.GetUtcNow(),
            details: new { how = CookieSignIn.OperatorMethod, reason, securityKeys = securityKeys.Count }));
        SecurityNotices.Add(outbox, user, SecurityChange.TwoFactorDisabled, clock.GetUtcNow());
        user.TwoFactorEnabled = false;
        user.AuthenticatorKeyProtected = null;
        await Succeed(users.UpdateSecurityStampAsync(user));
        return true;
    }

    /// <summary>Turns two-factor off with a current code (or a recovery code: the phone may be lost), unless the account must use it.</summary>
    public async Task<SwitchResult> DisableAsync(HttpContext http, KedjaUser user, string? code) =>
        await IsRequiredAsync(user, http.RequestAborted) && !await keys.AnyAsync(user.Id, http.RequestAborted)
            ? new SwitchResult.Required() : await StartOverAsync(http, user, code, "TwoFactorDisabled", mustEnrol: false);

    /// <summary>
    /// A new phone or app for an account that must keep two-factor: with a current code or a recovery code the old key
    /// and codes go, and the session, like every new one, reaches only enrolment until the new app is confirmed.
    /// </summary>
    public async Task<SwitchResult> ChangeAppAsync(HttpContext http, KedjaUser user, string? code) =>
        await StartOverAsync(http, user, code, "TwoFactorAppChanged", mustEnrol: await IsRequiredAsync(user, http.RequestAborted) && !await keys.AnyAsync(user.Id, http.RequestAborted));

    private async Task<SwitchResult> StartOverAsync(HttpContext http, KedjaUser user, string? code, string action, bool mustEnrol)
    {
        if (!user.TwoFactorEnabled)
        {
            return new SwitchResult.Done([]);
        }

        switch (await CheckAsync(user, code, ClientAddress.Of(http), allowRecovery: true, user.Email ?? user.Id, http.RequestAborted))
        {
            case Check.Wait wait:
                return new SwitchResult.Delayed(wait.RetryAfter);
            case Check.Wrong:
                return new SwitchResult.WrongCode();
        }

        // With a security key left the second factor stays on, and so do its recovery codes.
        var keysLeft = await keys.AnyAsync(user.Id, http.RequestAborted);
        if (!keysLeft)
        {
            await recovery.RemoveAsync(user.Id, http.RequestAborted);
        }

        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, action, user.Email ?? user.Id, clock.GetUtcNow(),
            details: new { address = ClientAddress.Of(http) }));
        SecurityNotices.Add(outbox, user, action == "TwoFactorDisabled" ? SecurityChange.TwoFactorDisabled : SecurityChange.TwoFactorAppChanged, clock.GetUtcNow());
        user.TwoFactorEnabled = false;
        user.AuthenticatorKeyProtected = null;
        // A new stamp ends every other session of the account: they were signed in with the old app.
        await Succeed(users.UpdateSecurityStampAsync(user));
        await CookieSignIn.SignInAsync(http, user, mustEnrol ? [new Claim(EnrolClaim, "true")] : keysLeft ? [UsedClaim] : null);
        return new SwitchResult.Done([]);
    }

    /// <summary>
    /// The password alone never gives a token to an account that has or needs two-factor; the caller answers as for a
    /// wrong password, so the answer does not tell that the password was right.
    /// </summary>
    public async Task<bool> RefusesPasswordOnlyAsync(KedjaUser user, CancellationToken cancellationToken) =>
        user.TwoFactorEnabled || await keys.AnyAsync(user.Id, cancellationToken) || await IsRequiredAsync(user, cancellationToken);

    /// <summary>
    /// Counts a right password refused for want of a second factor as the sign-in counts a wrong one (the delays), so
    /// that the delays do not tell the two apart either; audited as what it was.
    /// </summary>
    public async Task RefusePasswordOnlyAsync(KedjaUser user, string address, CancellationToken cancellationToken)
    {
        await delays.RecordFailureAsync(address, user.Email, cancellationToken);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "TokenRefused", "anonym", clock.GetUtcNow(),
            details: new { address, reason = "two-factor" }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Tokens are made on the profile page only in a session started with two-factor, when the account has or needs it,
    /// or through a municipality's provider (which decides its own second factor).
    /// </summary>
    public async Task<bool> MayCreateTokensAsync(ClaimsPrincipal session, KedjaUser user, CancellationToken cancellationToken) =>
        session.HasClaim(AmrClaim, Mfa)
        || session.FindFirstValue(CookieSignIn.MethodClaim)?.StartsWith(SingleSignOn.SsoSchemes.Prefix, StringComparison.Ordinal) == true
        || !await RefusesPasswordOnlyAsync(user, cancellationToken);

    private abstract record Check
    {
        public sealed record Right : Check;

        public sealed record Wrong : Check;

        public sealed record Wait(TimeSpan RetryAfter) : Check;
    }

    /// <summary>
    /// One code, throttled as passwords are (the sign-in's delays per address and per address and account) and also per
    /// account from every address together, since whoever reaches this step already knows the password: six digits must
    /// not be guessed from many addresses at once. A delayed attempt is not checked.
    /// </summary>
    /// <param name="actor">"anonym" at the sign-in's code step (as a wrong password is audited), the account in a session.</param>
    private async Task<Check> CheckAsync(KedjaUser user, string? code, string address, bool allowRecovery, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var subject = AccountSubject(user.Id);
        var wait = await delays.RetryAfterAsync(address, user.Email, cancellationToken);
        var blocked = await db.SignInThrottles.AsNoTracking().Where(t => t.Subject == subject && t.BlockedUntil > now).Select(t => t.BlockedUntil).FirstOrDefaultAsync(cancellationToken);
        if (blocked is { } until && (wait is null || until - now > wait))
        {
            wait = until - now;
        }

        if (wait is { } delay)
        {
            return new Check.Wait(delay);
        }

        var right = AuthenticatorCodes.Normalise(code) is not null
            ? await authenticator.AcceptAsync(user, code, cancellationToken)
            : allowRecovery && await recovery.UseAsync(user.Id, code, cancellationToken);
        if (right)
        {
            await db.SignInThrottles.Where(t => t.Subject == subject).ExecuteDeleteAsync(cancellationToken);
            return new Check.Right();
        }

        await delays.RecordFailureAsync(address, user.Email, cancellationToken);
        await RecordAccountFailureAsync(subject, now, cancellationToken);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "TwoFactorFailed", actor, clock.GetUtcNow(), details: new { address }));
        await db.SaveChangesAsync(cancellationToken);
        return new Check.Wrong();
    }

    private async Task RecordAccountFailureAsync(string subject, DateTime now, CancellationToken cancellationToken)
    {
        var limits = accountOptions.Value;
        var forget = now - limits.ForgetFailuresAfter;
        // One statement, as SignInDelays counts, so that two nodes counting at once both count.
        var failures = (await db.Database.SqlQuery<int>($"""
            INSERT INTO sign_in_throttles (subject, failures, last_failure_at, blocked_until) VALUES ({subject}, 1, {now}, NULL)
            ON CONFLICT (subject) DO UPDATE SET
                failures = CASE WHEN sign_in_throttles.last_failure_at < {forget} THEN 1 ELSE sign_in_throttles.failures + 1 END,
                last_failure_at = {now}
            RETURNING failures AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        if (failures >= limits.FreeFailuresPerAccount)
        {
            var until = now + delays.Delay(failures - limits.FreeFailuresPerAccount);
            await db.SignInThrottles.Where(t => t.Subject == subject).ExecuteUpdateAsync(s => s.SetProperty(t => t.BlockedUntil, until), cancellationToken);
        }
    }

    /// <summary>Not an e-mail hash like the password delays' subjects: the account's id, which only this step knows.</summary>
    private static string AccountSubject(string userId) => "2fa:" + userId;

    private static async Task Succeed(Task<IdentityResult> update)
    {
        var result = await update;
        if (!result.Succeeded)
        {
            // Only a concurrent change of the same account gets here; the person tries again.
            throw new DbUpdateConcurrencyException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
