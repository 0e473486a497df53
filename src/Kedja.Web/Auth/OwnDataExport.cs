using System.Security.Claims;
using System.Text.Json;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

/// <summary>
/// ASVS 8.3.2 (ADR 55): a person downloads what Kedja holds about their own account – name, address, when the account
/// was made, whether two-step verification is on, their memberships, their own browser sessions and the audit entries
/// they made. Never anything that signs in (hash, stamp, key, codes, tokens, session ids) and nothing of anyone else:
/// the audit entries give when, what kind and where, not their before/after values (which can name other people).
/// Every export is audited.
/// </summary>
public sealed class OwnDataExport(KedjaDbContext db, BrowserSessions sessions, TimeProvider clock)
{
    /// <summary>The newest audit entries given; the file says when there were more.</summary>
    public const int AuditCap = 5_000;

    public const string Action = "DataExported";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed record Membership(string Municipality, string MunicipalitySlug, string Role, string? NameThere, bool LimitedToUnit, string Source);

    public sealed record Session(DateTime StartedAt, DateTime LastSeenAt, string? Browser, string? System, bool ThisOne);

    /// <summary>A registered security key (ADR 56) by its name and dates; never its credential id or public key.</summary>
    public sealed record Key(string Name, DateTime CreatedAt, DateTime? LastUsedAt);

    public sealed record AuditItem(DateTime At, string What, string Action, string? Municipality);

    public sealed record Export(DateTime ExportedAt, string Email, string? Name, DateTime? CreatedAt, bool TwoFactorOn, bool SystemAdministrator,
        List<Membership> Memberships, List<Session> Sessions, List<Key> SecurityKeys, int AuditEntriesTotal, int AuditEntriesGiven, string AuditNote, List<AuditItem> AuditEntries);

    /// <summary>The signed-in person's own data as indented UTF-8 JSON; null when the account is gone.</summary>
    public async Task<byte[]?> ExportAsync(ClaimsPrincipal principal, string? address, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var user = userId is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var email = user.Email ?? user.UserName ?? user.Id;
        var made = db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.UserName == email || a.UserName == user.Id);
        // Only the municipalities the person belongs to or acted in, not every tenant of the installation.
        var tenants = await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => db.Memberships.IgnoreQueryFilters().Any(m => m.UserId == user.Id && m.TenantId == t.Id) || made.Any(a => a.TenantId == t.Id))
            .Select(t => new { t.Id, t.Name, t.Slug }).ToDictionaryAsync(t => t.Id, cancellationToken);
        var memberships = (await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => m.UserId == user.Id).ToListAsync(cancellationToken))
            .Select(m => new Membership(tenants.TryGetValue(m.TenantId, out var t) ? t.Name : "", t?.Slug ?? "", m.Role.ToString(), m.DisplayName, m.UnitId is not null,
                m.Source.ToString()))
            .OrderBy(m => m.Municipality, StringComparer.Ordinal).ToList();
        var own = (await sessions.ListAsync(principal, cancellationToken))
            .Select(s =>
            {
                var (browser, system) = BrowserSessions.Describe(s.UserAgent);
                return new Session(s.StartedAt, s.LastSeenAt, browser, system, s.Current);
            }).ToList();

        var keys = await db.SecurityKeys.AsNoTracking().Where(k => k.UserId == user.Id).OrderBy(k => k.CreatedAt)
            .Select(k => new Key(k.Name, k.CreatedAt, k.LastUsedAt)).ToListAsync(cancellationToken);

        var total = await made.CountAsync(cancellationToken);
        var audit = (await made.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(AuditCap)
                .Select(a => new { a.At, a.Entity, a.Action, a.TenantId }).ToListAsync(cancellationToken))
            .Select(a => new AuditItem(a.At, a.Entity, a.Action, a.TenantId is { } id && tenants.TryGetValue(id, out var t) ? t.Name : null))
            .ToList();
        var created = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.Entity == AccountAudit.Account && a.EntityId == user.Id && (a.Action == "Created" || a.Action == "CreatedBySso"))
            .OrderBy(a => a.Id).Select(a => (DateTime?)a.At).FirstOrDefaultAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var export = new Export(now.UtcDateTime, email, user.DisplayName, created, user.TwoFactorEnabled, user.IsSystemAdmin, memberships, own, keys, total, audit.Count,
            $"De {AuditCap} senaste händelserna som du gjort, de nyaste först; när, vad och i vilken kommun (inte ändringarnas innehåll).", audit);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, Action, email, now, details: new { address, auditEntries = audit.Count }));
        await db.SaveChangesAsync(cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(export, Json);
    }
}
