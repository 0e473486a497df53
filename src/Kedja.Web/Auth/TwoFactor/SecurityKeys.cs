using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Kedja.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth.TwoFactor;

/// <summary>Kedja:SecurityKeys: the WebAuthn relying party. Unset, the request's own host and origin are used.</summary>
public sealed class SecurityKeyOptions
{
    public const string Section = "Kedja:SecurityKeys";

    /// <summary>The relying-party id (a host name, e.g. kedja.kommun.se); a key registered under one id works only there.</summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The origins (scheme://host[:port]) a browser may sign from; the library refuses any other.</summary>
    public List<string> Origins { get; set; } = [];
}

/// <summary>A WebAuthn ceremony begun: the page hands the options to the browser and the challenge's id back with the answer.</summary>
public sealed record Ceremony(Guid ChallengeId, string OptionsJson);

public abstract record KeyResult
{
    /// <summary>Done; <paramref name="RecoveryCodes"/> are new when the key turned the second factor on.</summary>
    public sealed record Done(List<string> RecoveryCodes) : KeyResult;

    /// <summary>A challenge that is not this person's newest, used or expired, or an answer the library refused.</summary>
    public sealed record Refused : KeyResult;

    /// <summary>The last second factor of an account that must have one.</summary>
    public sealed record Required : KeyResult;
}

/// <summary>
/// Security keys and passkeys (WebAuthn, ADR 56) as a second factor beside the authenticator app: registration, the
/// sign-in assertion and removal, with the Fido2 library doing the verification (origin, challenge, signature, counter).
/// The options between begin and finish are a single-use row (<see cref="SecurityKeyChallenge"/>), so a finish may land
/// on any node, and only the person's newest begin of each kind is accepted.
/// </summary>
public sealed class SecurityKeys(
    KedjaDbContext db,
    UserManager<KedjaUser> users,
    RecoveryCodes recovery,
    TimeProvider clock,
    IOptions<SecurityKeyOptions> options,
    Mail.Outbox outbox)
{
    public const string Register = "register";

    public const string SignIn = "sign-in";

    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);

    public const int NameLength = 100;

    public Task<bool> AnyAsync(string userId, CancellationToken cancellationToken) => db.SecurityKeys.AnyAsync(k => k.UserId == userId, cancellationToken);

    public Task<List<SecurityKey>> ListAsync(string userId, CancellationToken cancellationToken) =>
        db.SecurityKeys.AsNoTracking().Where(k => k.UserId == userId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Options for a new key; the person's existing keys are excluded so that one key is not registered twice.</summary>
    public async Task<Ceremony> BeginRegistrationAsync(HttpContext http, KedjaUser user)
    {
        var existing = await db.SecurityKeys.Where(k => k.UserId == user.Id).Select(k => k.CredentialId).ToListAsync(http.RequestAborted);
        var created = Fido(http).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(user.Id), Name = user.Email ?? user.Id, DisplayName = user.Email ?? user.Id },
            ExcludeCredentials = [.. existing.Select(id => new PublicKeyCredentialDescriptor(id))],
            // A second factor: the password is the first, so the key's own PIN is not asked for, and no discoverable credential.
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Discouraged, UserVerification = UserVerificationRequirement.Discouraged },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return await StoreAsync(user.Id, Register, created.ToJson(), http.RequestAborted);
    }

    /// <summary>
    /// Verifies the browser's answer to the person's newest registration options and stores the key. The first second
    /// factor of an account turns two-factor on as the app does: recovery codes, a new security stamp (other sessions end).
    /// </summary>
    public async Task<KeyResult> FinishRegistrationAsync(HttpContext http, KedjaUser user, Guid challengeId, string? answer, string? name)
    {
        if (await TakeAsync(user.Id, challengeId, Register, http.RequestAborted) is not { } challenge
            || Parse<AuthenticatorAttestationRawResponse>(answer) is not { } response)
        {
            return await RefuseAsync(user, http, "SecurityKeyRefused", Register);
        }

        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await Fido(http).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(challenge),
                IsCredentialIdUniqueToUserCallback = async (args, token) => !await db.SecurityKeys.AnyAsync(k => k.CredentialId == args.CredentialId, token),
            }, http.RequestAborted);
        }
        catch (Exception e) when (Unverified(e))
        {
            return await RefuseAsync(user, http, "SecurityKeyRefused", Register, e.Message);
        }

        var hadSecondFactor = user.TwoFactorEnabled || await AnyAsync(user.Id, http.RequestAborted);
        var now = clock.GetUtcNow();
        var count = await db.SecurityKeys.CountAsync(k => k.UserId == user.Id, http.RequestAborted);
        var label = string.IsNullOrWhiteSpace(name) ? $"Nyckel {count + 1}" : name.Trim()[..Math.Min(name.Trim().Length, NameLength)];
        db.SecurityKeys.Add(new SecurityKey
        {
            UserId = user.Id,
            CredentialId = credential.Id,
            PublicKey = credential.PublicKey,
            SignCount = credential.SignCount,
            Name = label,
            CreatedAt = now.UtcDateTime,
        });
        List<string> codes = hadSecondFactor ? [] : await recovery.ReplaceAsync(user.Id, http.RequestAborted);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SecurityKeyAdded", user.Email ?? user.Id, now,
            details: new { address = ClientAddress.Of(http), name = label, twoFactorTurnedOn = !hadSecondFactor }));
        SecurityNotices.Add(outbox, user, SecurityChange.SecurityKeyAdded, now);
        if (hadSecondFactor)
        {
            await db.SaveChangesAsync(http.RequestAborted);
            return new KeyResult.Done([]);
        }

        // One SaveChanges (the store's): the key, the codes, the audit entry and a new stamp together.
        await Succeed(users.UpdateSecurityStampAsync(user));
        await CookieSignIn.SignInAsync(http, user, [SecondFactor.UsedClaim]);
        return new KeyResult.Done(codes);
    }

    /// <summary>
    /// Removes one of the person's own keys (another person's is not found). The last second factor goes as turning the
    /// app off does: the recovery codes go, a new stamp ends other sessions; refused where the account must have one.
    /// </summary>
    public async Task<KeyResult> RemoveAsync(HttpContext http, KedjaUser user, Guid keyId, bool required)
    {
        var key = await db.SecurityKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.UserId == user.Id, http.RequestAborted);
        if (key is null)
        {
            return new KeyResult.Refused();
        }

        var last = !user.TwoFactorEnabled && !await db.SecurityKeys.AnyAsync(k => k.UserId == user.Id && k.Id != keyId, http.RequestAborted);
        if (last && required)
        {
            return new KeyResult.Required();
        }

        db.SecurityKeys.Remove(key);
        if (last)
        {
            await recovery.RemoveAsync(user.Id, http.RequestAborted);
        }

        var now = clock.GetUtcNow();
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SecurityKeyRemoved", user.Email ?? user.Id, now,
            details: new { address = ClientAddress.Of(http), name = key.Name, twoFactorTurnedOff = last }));
        SecurityNotices.Add(outbox, user, SecurityChange.SecurityKeyRemoved, now);
        // A new stamp ends the account's other sessions: one of them may have been started with the key now removed.
        await Succeed(users.UpdateSecurityStampAsync(user));
        await CookieSignIn.SignInAsync(http, user, last ? null : [SecondFactor.UsedClaim]);
        return new KeyResult.Done([]);
    }

    /// <summary>Options for signing in with one of the person's keys; null when they have none.</summary>
    public async Task<Ceremony?> BeginSignInAsync(HttpContext http, KedjaUser user)
    {
        var keys = await db.SecurityKeys.Where(k => k.UserId == user.Id).Select(k => k.CredentialId).ToListAsync(http.RequestAborted);
        if (keys.Count == 0)
        {
            return null;
        }

        var assertion = Fido(http).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. keys.Select(id => new PublicKeyCredentialDescriptor(id))],
            UserVerification = UserVerificationRequirement.Discouraged,
        });
        return await StoreAsync(user.Id, SignIn, assertion.ToJson(), http.RequestAborted);
    }

    /// <summary>
    /// True when the answer signs the person's newest sign-in challenge with one of their own keys, from an allowed
    /// origin, with a counter above the one stored (unless the key keeps none); the key's counter and last use are saved.
    /// </summary>
    public async Task<bool> VerifySignInAsync(HttpContext http, KedjaUser user, Guid challengeId, string? answer)
    {
        if (await TakeAsync(user.Id, challengeId, SignIn, http.RequestAborted) is not { } challenge
            || Parse<AuthenticatorAssertionRawResponse>(answer) is not { RawId: { } rawId } response)
        {
            return false;
        }

        var key = await db.SecurityKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CredentialId == rawId && k.UserId == user.Id, http.RequestAborted);
        if (key is null)
        {
            return false;
        }

        var handle = Encoding.UTF8.GetBytes(user.Id);
        VerifyAssertionResult result;
        try
        {
            result = await Fido(http).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(challenge),
                StoredPublicKey = key.PublicKey,
                StoredSignatureCounter = (uint)key.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(handle)),
            }, http.RequestAborted);
        }
        catch (Exception e) when (Unverified(e))
        {
            return false;
        }

        // The library refuses a counter that did not grow; checked here too, and written only over the counter read,
        // so that two nodes verifying the same key at once do not both pass.
        if ((result.SignCount != 0 || key.SignCount != 0) && result.SignCount <= key.SignCount)
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return await db.SecurityKeys.Where(k => k.Id == key.Id && k.SignCount == key.SignCount)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.SignCount, (long)result.SignCount).SetProperty(k => k.LastUsedAt, now), http.RequestAborted) == 1;
    }

    /// <summary>The relying party: configured, else this request's host (the id) and origin.</summary>
    private Fido2 Fido(HttpContext http)
    {
        var configured = options.Value;
        var origins = configured.Origins.Count > 0 ? configured.Origins : [$"{http.Request.Scheme}://{http.Request.Host}"];
        return new Fido2(new Fido2Configuration
        {
            RPID = string.IsNullOrEmpty(configured.RelyingPartyId) ? http.Request.Host.Host : configured.RelyingPartyId,
            RPName = "Kedja",
            Origins = new HashSet<string>(origins, StringComparer.Ordinal),
            Timeout = (uint)ChallengeLifetime.TotalMilliseconds,
        });
    }

    /// <summary>A new challenge row; the person's earlier ones of the same kind (and anyone's expired ones) go.</summary>
    private async Task<Ceremony> StoreAsync(string userId, string purpose, string json, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.SecurityKeyChallenges.Where(c => (c.UserId == userId && c.Purpose == purpose) || c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var row = new SecurityKeyChallenge { UserId = userId, Purpose = purpose, Options = json, ExpiresAt = now + ChallengeLifetime };
        db.SecurityKeyChallenges.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new Ceremony(row.Id, json);
    }

    /// <summary>
    /// The challenge's options, if it is the person's, of this kind and fresh. Read and deleted in one statement
    /// (DELETE … RETURNING, SQLite ≥ 3.35 and PostgreSQL), so that of two nodes taking the same challenge at once only
    /// one gets it: there is no moment between a read and a delete in which both could have read it.
    /// </summary>
    private async Task<string?> TakeAsync(string userId, Guid id, string purpose, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // SQLite keeps ids as upper-case text (as EF writes them); PostgreSQL as uuid.
        object key = KedjaDatabase.ProviderOf(db) == DatabaseProvider.Postgres ? id : id.ToString().ToUpperInvariant();
        var taken = await db.Database.SqlQuery<string>($"""
            DELETE FROM security_key_challenges
            WHERE id = {key} AND user_id = {userId} AND purpose = {purpose} AND expires_at > {now}
            RETURNING options AS "Value"
            """).ToListAsync(cancellationToken);
        return taken.SingleOrDefault();
    }

    /// <param name="reason">The library's message (what did not verify), for whoever reads the audit; never shown to the person.</param>
    private async Task<KeyResult> RefuseAsync(KedjaUser user, HttpContext http, string action, string purpose, string? reason = null)
    {
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, action, user.Email ?? user.Id, clock.GetUtcNow(),
            details: new { address = ClientAddress.Of(http), purpose, reason = reason?[..Math.Min(reason.Length, 300)] }));
        await db.SaveChangesAsync(http.RequestAborted);
        return new KeyResult.Refused();
    }

    private static T? Parse<T>(string? json)
        where T : class
    {
        try
        {
            return string.IsNullOrEmpty(json) || json.Length > 64_000 ? null : JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    /// <summary>What a forged, stale or malformed answer makes the library throw.</summary>
    private static bool Unverified(Exception e) =>
        e is Fido2VerificationException or JsonException or ArgumentException or FormatException or InvalidOperationException or System.Formats.Cbor.CborContentException
            or System.Security.Cryptography.CryptographicException or NotSupportedException;

    private static async Task Succeed(Task<IdentityResult> update)
    {
        var result = await update;
        if (!result.Succeeded)
        {
            throw new DbUpdateConcurrencyException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

}
