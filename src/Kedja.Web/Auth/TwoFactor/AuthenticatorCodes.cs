using System.Security.Cryptography;
using Kedja.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Kedja.Web.Auth.TwoFactor;

/// <summary>
/// The authenticator app's codes (RFC 6238 as the apps make them: SHA-1, six digits, 30 seconds), on the app's
/// <see cref="TimeProvider"/>. Identity's own provider reads the system clock, accepts ±2 steps and a replayed code
/// (ADR 45 "Spike"); this one accepts ±1 step and each step at most once per account, across nodes.
/// </summary>
public sealed class AuthenticatorCodes(KedjaDbContext db, TimeProvider clock, IDataProtectionProvider protection)
{
    public const string Issuer = "Kedja";

    private const string Purpose = "Kedja.TwoFactor.Key";

    private const int StepSeconds = 30;

    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    /// <summary>A new shared key (20 random bytes, as RFC 4226 recommends for SHA-1), protected for storing.</summary>
    public string NewProtectedKey() => protector.Protect(Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20)));

    /// <summary>The key in base32, as the person types it into the app.</summary>
    public string Key(string protectedKey) => protector.Unprotect(protectedKey);

    /// <summary>The key in groups of four, easier to type than 32 letters in a row.</summary>
    public static string Grouped(string key) => string.Join(' ', key.Chunk(4).Select(c => new string(c)));

    /// <summary>The address the app reads from the QR code (Key Uri Format).</summary>
    public static string Uri(string key, string email) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(email)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period={StepSeconds}";

    /// <summary>Six digits, spaces allowed (apps show "123 456").</summary>
    public static string? Normalise(string? code)
    {
        var digits = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>
    /// True when the code is the account's for this step or the one before or after, and that step is later than the
    /// last one accepted. The step is taken by one conditional UPDATE, so two nodes given the same code at once cannot
    /// both accept it. The account entity is reloaded afterwards (its stamp changed, see below).
    /// </summary>
    public async Task<bool> AcceptAsync(KedjaUser user, string? code, CancellationToken cancellationToken)
    {
        if (Normalise(code) is not { } digits || user.AuthenticatorKeyProtected is null)
        {
            return false;
        }

        byte[] secret;
        try
        {
            secret = Base32Encoding.ToBytes(Key(user.AuthenticatorKeyProtected));
        }
        catch (CryptographicException)
        {
            // A key protected with a key ring that is gone cannot be checked: no code is right.
            return false;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, 6);
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return false;
        }

        // The concurrency stamp changes with the step, so that an UpdateAsync of a copy of the account read before
        // this cannot write an older last step back over this one (it fails as a concurrent change instead).
        var stamp = Guid.NewGuid().ToString();
        var taken = await db.Users
            .Where(u => u.Id == user.Id && (u.LastTotpStep == null || u.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpStep, step).SetProperty(u => u.ConcurrencyStamp, stamp), cancellationToken);
        await db.Entry(user).ReloadAsync(cancellationToken);
        return taken == 1;
    }
}
