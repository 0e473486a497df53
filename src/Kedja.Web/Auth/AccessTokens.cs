using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

public sealed record TokenInfo(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>Personal access tokens (ADR 6): created for a signed-in account, listed and revoked by their owner.</summary>
public sealed class AccessTokens(KedjaDbContext db, TimeProvider clock)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 365;

    /// <summary>A Swedish message when the lifetime is outside 1-365 days; null when it is fine (or left out).</summary>
    public static string? CheckDays(int? days) =>
        days is null or (>= 1 and <= MaxDays) ? null : $"En token gäller från 1 till {MaxDays} dagar (utan värde {DefaultDays} dagar).";

    /// <summary>Returns the secret, which is shown once and never stored.</summary>
    /// <param name="via">How the maker signed in (<see cref="CookieSignIn.MethodClaim"/>), kept with the token.</param>
    public Task<(string Secret, PersonalAccessToken Token)> CreateAsync(KedjaUser user, string? name, int? days, string via, CancellationToken cancellationToken = default) =>
        CreateAsync(user, name, days, null, via, cancellationToken);

    /// <param name="createdBy">Who made it when not the account itself (the operator's verb); said in the audit entry.</param>
    public async Task<(string Secret, PersonalAccessToken Token)> CreateAsync(KedjaUser user, string? name, int? days, string? createdBy, string via, CancellationToken cancellationToken = default)
    {
        if (CheckDays(days) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(days), error);
        }

        var now = clock.GetUtcNow();
        var secret = Tokens.NewSecret();
        var token = new PersonalAccessToken
        {
            UserId = user.Id,
            Name = string.IsNullOrWhiteSpace(name) ? "API" : name.Trim(),
            TokenHash = Tokens.Hash(secret),
            Prefix = secret[..12],
            CreatedAt = now.UtcDateTime,
            ExpiresAt = now.UtcDateTime.AddDays(days ?? DefaultDays),
            CreatedVia = via,
        };
        db.AccessTokens.Add(token);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Token, token.Id.ToString(), "Created", createdBy ?? user.Email ?? user.Id, now,
            details: createdBy is null ? (object)new { userId = user.Id, token.Name, token.ExpiresAt } : new { userId = user.Id, token.Name, token.ExpiresAt, createdBy }));
        await db.SaveChangesAsync(cancellationToken);
        return (secret, token);
    }

    public Task<List<TokenInfo>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToListAsync(cancellationToken);

    /// <summary>False when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, string actor, Guid id, CancellationToken cancellationToken = default)
    {
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            var now = clock.GetUtcNow();
            token.RevokedAt = now.UtcDateTime;
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Token, token.Id.ToString(), "Revoked", actor, now, details: new { userId, token.Name }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Revokes every live token of the account in the caller's unit of work (after a password reset or change).</summary>
    internal async Task RevokeAllAsync(string userId, string actor, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var token in await db.AccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.RevokedAt = now.UtcDateTime;
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Token, token.Id.ToString(), "Revoked", actor, now, details: new { userId, token.Name, reason }));
        }
    }
}
