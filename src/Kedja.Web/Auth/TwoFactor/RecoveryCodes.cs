using System.Security.Cryptography;
using System.Text;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth.TwoFactor;

/// <summary>
/// Ten one-time codes for when the phone is lost: shown once, stored as SHA-256 (50 random bits each, guessed no faster
/// than an authenticator code, ADR 11's delays), each used at most once, by a conditional UPDATE.
/// </summary>
public sealed class RecoveryCodes(KedjaDbContext db, TimeProvider clock)
{
    public const int Count = 10;

    /// <summary>Crockford's base32: no I, L, O or U, so a code read aloud or from paper is not mistyped.</summary>
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Replaces the account's codes with new ones in the caller's unit of work; returns them to be shown once.</summary>
    public async Task<List<string>> ReplaceAsync(string userId, CancellationToken cancellationToken)
    {
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.UserId == userId).ToListAsync(cancellationToken));
        var now = clock.GetUtcNow().UtcDateTime;
        var codes = Enumerable.Range(0, Count).Select(_ => New()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(code => new RecoveryCode { UserId = userId, CodeHash = Hash(code), CreatedAt = now }));
        return codes;
    }

    /// <summary>Removes the account's codes in the caller's unit of work.</summary>
    public async Task RemoveAsync(string userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.UserId == userId).ToListAsync(cancellationToken));

    public Task<int> UnusedAsync(string userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, cancellationToken);

    /// <summary>True when the code is one of the account's unused codes; it is used up at once (one statement).</summary>
    public async Task<bool> UseAsync(string userId, string? code, CancellationToken cancellationToken)
    {
        if (Normalise(code) is not { } normalised)
        {
            return false;
        }

        var hash = Hash(normalised);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.RecoveryCodes.Where(c => c.UserId == userId && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
    }

    /// <summary>Ten characters of the alphabet, shown as two groups of five ("k3m9x-q2h7d").</summary>
    private static string New()
    {
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }

    /// <summary>Lower case without spaces and dashes; the letters Crockford reads as digits (o, i, l) as those digits.</summary>
    internal static string? Normalise(string? code)
    {
        var text = new StringBuilder();
        foreach (var c in (code ?? "").Trim().ToLowerInvariant())
        {
            switch (c)
            {
                case ' ' or '-':
                    continue;
                case 'o':
                    text.Append('0');
                    break;
                case 'i' or 'l':
                    text.Append('1');
                    break;
                default:
                    if (!Alphabet.Contains(c, StringComparison.Ordinal))
                    {
                        return null;
                    }

                    text.Append(c);
                    break;
            }
        }

        return text.Length == 10 ? text.ToString() : null;
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(code)!)));
}
