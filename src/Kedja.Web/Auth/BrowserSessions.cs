using System.Security.Claims;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

/// <summary>One of the person's own sessions as the profile page lists it.</summary>
public sealed record SessionInfo(Guid Id, DateTime StartedAt, DateTime LastSeenAt, string? UserAgent, bool Current);

/// <summary>
/// Signed-in browser sessions (ASVS 3.3.4, ADR 54): a row per sign-in, named by a claim in the sign-in cookie and checked
/// on every request on every node, so that a session ended here is refused at its next request wherever it lands. A
/// person lists and ends only their own: every query is by the signed-in account as well as the session's id.
/// </summary>
public sealed class BrowserSessions(KedjaDbContext db, TimeProvider clock)
{
    /// <summary>The claim in the sign-in cookie that names its row.</summary>
    public const string Claim = "kedja:session";

    /// <summary>How stale "last seen" may be: a write at most this often per session, not one per request.</summary>
    public static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(1);

    /// <summary>A new row for a sign-in (saved at once, with whatever the caller's context holds); old rows of the account are pruned.</summary>
    public async Task<Guid> StartAsync(string userId, string stamp, string? userAgent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new UserSession
        {
            UserId = userId,
            Stamp = stamp,
            StartedAt = now,
            LastSeenAt = now,
            UserAgent = string.IsNullOrWhiteSpace(userAgent) ? null : userAgent.Length > 300 ? userAgent[..300] : userAgent,
        };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        // Past the absolute lifetime no cookie can name them any more (CookieSignIn): nothing to keep.
        var over = now - CookieSignIn.AbsoluteLifetime - TimeSpan.FromHours(1);
        await db.UserSessions.Where(s => s.UserId == userId && s.StartedAt < over).ExecuteDeleteAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>
    /// The account as it stands (tracked, as <c>UserManager.FindByIdAsync</c> would give it, so that the request's own
    /// look-ups of it cost nothing more) and whether the cookie's session still stands: one round trip, the account left
    /// joined to its session row, on every signed-in request on every node – nothing cached, so a session ended on one
    /// node is refused at its next request on any other. "Last seen" is moved on at most once a minute. A cookie without
    /// the claim comes from before sessions were stored (a rolling upgrade) and stands on its stamp and lifetime alone.
    /// </summary>
    public async Task<(KedjaUser? User, bool Stands)> AccountAndSessionAsync(ClaimsPrincipal principal, string userId, CancellationToken cancellationToken)
    {
        var claim = principal.FindFirstValue(Claim);
        var id = Guid.Empty;
        if (claim is not null && !Guid.TryParse(claim, out id))
        {
            return (null, false);
        }

        var row = await (
            from u in db.Users
            where u.Id == userId
            join s in db.UserSessions.Where(s => s.Id == id) on u.Id equals s.UserId into sessions
            from s in sessions.DefaultIfEmpty()
            select new { User = u, Found = s != null, EndedAt = s != null ? s.EndedAt : null, LastSeenAt = s != null ? s.LastSeenAt : (DateTime?)null })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (null, false);
        }

        if (claim is null)
        {
            return (row.User, true);
        }

        // A session under an older stamp is over (a new password ends them all): refused, and its "last seen" left.
        if (!row.Found || row.EndedAt is not null || row.User.SecurityStamp != principal.FindFirstValue(CookieSignIn.StampClaim))
        {
            return (row.User, false);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (now - row.LastSeenAt >= SeenEvery)
        {
            await db.UserSessions.Where(s => s.Id == id && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        return (row.User, true);
    }

    /// <summary>The account's sessions that still stand (same stamp as the account now, not ended, within the lifetimes), newest first.</summary>
    public async Task<List<SessionInfo>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var current = Guid.TryParse(principal.FindFirstValue(Claim), out var id) ? id : Guid.Empty;
        var now = clock.GetUtcNow().UtcDateTime;
        var started = now - CookieSignIn.AbsoluteLifetime;
        var seen = now - CookieSignIn.IdleLifetime;
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync(cancellationToken);
        var rows = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Stamp == stamp && s.EndedAt == null && s.StartedAt > started && s.LastSeenAt > seen)
            .Select(s => new { s.Id, s.StartedAt, s.LastSeenAt, s.UserAgent })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(s => s.Id == current).ThenByDescending(s => s.LastSeenAt)
            .Select(s => new SessionInfo(s.Id, s.StartedAt, s.LastSeenAt, s.UserAgent, s.Id == current))];
    }

    /// <summary>Ends one of the signed-in person's own sessions; false (and nothing changed) for anyone else's id.</summary>
    public async Task<bool> EndAsync(ClaimsPrincipal principal, Guid sessionId, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        if (ended == 1)
        {
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, userId, "SessionEnded", principal.Identity?.Name ?? userId, clock.GetUtcNow(), details: new { session = sessionId }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return ended == 1;
    }

    /// <summary>Ends every session of the signed-in person but the one asking.</summary>
    public async Task<int> EndOthersAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var current = Guid.TryParse(principal.FindFirstValue(Claim), out var id) ? id : Guid.Empty;
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = await db.UserSessions.Where(s => s.UserId == userId && s.Id != current && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, userId, "OtherSessionsEnded", principal.Identity?.Name ?? userId, clock.GetUtcNow(), details: new { sessions = ended }));
        await db.SaveChangesAsync(cancellationToken);
        return ended;
    }

    /// <summary>The row of a session signed out from this browser, ended too (the sign-out also changes the stamp).</summary>
    public Task<int> EndCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || !Guid.TryParse(principal.FindFirstValue(Claim), out var id))
        {
            return Task.FromResult(0);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }

    /// <summary>"Firefox på Windows" from a User-Agent header: the browser and system a person recognises, or null.</summary>
    public static (string? Browser, string? System) Describe(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return (null, null);
        }

        bool Has(string part) => userAgent.Contains(part, StringComparison.OrdinalIgnoreCase);
        var browser = Has("Edg/") ? "Edge" : Has("OPR/") ? "Opera" : Has("Firefox/") ? "Firefox" : Has("Chrome/") || Has("Chromium/") ? "Chrome"
            : Has("Safari/") ? "Safari" : null;
        var system = Has("Windows") ? "Windows" : Has("iPhone") || Has("iPad") ? "iOS" : Has("Android") ? "Android" : Has("Mac OS X") ? "macOS"
            : Has("CrOS") ? "ChromeOS" : Has("Linux") ? "Linux" : null;
        return (browser, system);
    }
}
