using System.Security.Cryptography;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Kedja.Web.Mail;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.CalendarFeed;

/// <summary>
/// A person's deadlines as a calendar to subscribe to (ADR 45): <c>/kalender/{secret}.ics</c>, anonymous because calendar
/// programs cannot sign in. The secret is 32 random bytes; only its SHA-256 is stored, so the address is shown once and
/// a new one replaces it. The feed holds the deadlines of the units the person reports for in each of their
/// municipalities, nothing of anyone else's, read afresh at every fetch.
/// </summary>
public sealed class CalendarFeeds(KedjaDbContext db, IServiceScopeFactory scopes, IOptions<MailOptions> mail, TimeProvider clock)
{
    public const string Audited = "CalendarFeed";

    /// <summary>How far back and ahead the feed reaches: last year's deadlines stay in the calendar, the coming two years are there.</summary>
    public const int DaysBack = 365;

    public const int DaysAhead = 730;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The feed's address for the secret, from the address people reach Kedja on (as links in mails).</summary>
    public string Address(string secret) => $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/kalender/{secret}.ics";

    public Task<bool> HasFeedAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.CalendarSecretHash != null, cancellationToken);

    /// <summary>Makes a new secret for the person (the old address stops working) and returns it: shown once, never stored.</summary>
    public async Task<string> CreateAsync(string userId, string actor, CancellationToken cancellationToken = default)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var had = await HasFeedAsync(userId, cancellationToken);
        var changed = await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CalendarSecretHash, Hash(secret)), cancellationToken);
        if (changed == 0)
        {
            throw new InvalidOperationException("Kontot finns inte.");
        }

        db.AuditEntries.Add(AccountAudit.Entry(Audited, userId, had ? "Replaced" : "Created", actor, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>Ends the person's feed address; false when they had none.</summary>
    public async Task<bool> RevokeAsync(string userId, string actor, CancellationToken cancellationToken = default)
    {
        var changed = await db.Users.Where(u => u.Id == userId && u.CalendarSecretHash != null)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.CalendarSecretHash, (string?)null), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        db.AuditEntries.Add(AccountAudit.Entry(Audited, userId, "Revoked", actor, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The calendar of the secret's owner as iCalendar text; null for a secret that is not (or no longer) anyone's.</summary>
    public async Task<string?> RenderAsync(string secret, CancellationToken cancellationToken = default)
    {
        // 32 bytes in base64url without padding: anything else is no secret of ours, and costs no query.
        if (secret.Length != 43 || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var hash = Hash(secret);
        var user = await db.Users.AsNoTracking().Where(u => u.CalendarSecretHash == hash).Select(u => new { u.Id }).SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var memberships = await (from m in db.Memberships.IgnoreQueryFilters().AsNoTracking()
                                 join t in db.Tenants.AsNoTracking() on m.TenantId equals t.Id
                                 where m.UserId == user.Id
                                 select new { m.TenantId, t.Slug, t.Name, m.Role, m.UnitId }).ToListAsync(cancellationToken);
        var calendar = new Ical.Net.Calendar { ProductId = "-//Kedja//Sista dagar//SV" };
        calendar.AddProperty("X-WR-CALNAME", "Kedja: sista dagar");
        calendar.AddProperty("X-WR-CALDESC", "Sista dag att skicka in uppföljningen för enheterna du rapporterar för.");
        var stamp = new CalDateTime(clock.GetUtcNow().UtcDateTime, "UTC");
        var baseUrl = mail.Value.PublicBaseUrl.TrimEnd('/');

        // Roles are stored by name: compared in memory. Readers report for no unit.
        foreach (var m in memberships.Where(m => m.Role >= TenantRole.Editor).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            await using var scope = scopes.CreateAsyncScope();
            var tenantDb = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            tenantDb.Scope.Enter(m.TenantId, m.Slug);
            var deadlines = scope.ServiceProvider.GetRequiredService<Deadlines>();
            var today = deadlines.Today();
            var due = await deadlines.DueBetweenAsync(today.AddDays(-DaysBack), today.AddDays(DaysAhead), cancellationToken);
            if (m.UnitId is { } scopeUnit)
            {
                var parents = await tenantDb.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
                foreach (var d in due.Where(d => Below(parents, scopeUnit, d.UnitId)))
                {
                    calendar.Events.Add(new CalendarEvent
                    {
                        Uid = $"{d.PeriodId:N}-{d.UnitId:N}@kedja",
                        DtStamp = stamp,
                        DtStart = new CalDateTime(d.DueOn),
                        DtEnd = new CalDateTime(d.DueOn.AddDays(1)),
                        Summary = $"Sista dag: uppföljning {d.PeriodName} – {d.UnitName}",
                        Description = $"{d.UnitName} ({UnitKindNames.Swedish(d.UnitKind).ToLowerInvariant()}, {m.Name}) skickar in uppföljningen för {d.PeriodName} senast i dag.",
                        Url = new Uri($"{baseUrl}/k/{Uri.EscapeDataString(m.Slug)}/malkort/{d.UnitId}?period={Uri.EscapeDataString(d.PeriodKey)}"),
                        Transparency = "TRANSPARENT",
                    });
                }
            }
            else
            {
                // A member of the whole municipality (a controller) would get one event per unit, hundreds on the same
                // day: one event per period and day instead, naming the levels, linking to the start page.
                foreach (var g in due.GroupBy(d => (d.PeriodId, d.DueOn)))
                {
                    var first = g.First();
                    var kinds = string.Join(", ", g.Select(d => d.UnitKind).Distinct().Order().Select(k => UnitKindNames.Swedish(k).ToLowerInvariant()));
                    calendar.Events.Add(new CalendarEvent
                    {
                        Uid = $"{g.Key.PeriodId:N}-{g.Key.DueOn:yyyyMMdd}@kedja",
                        DtStamp = stamp,
                        DtStart = new CalDateTime(g.Key.DueOn),
                        DtEnd = new CalDateTime(g.Key.DueOn.AddDays(1)),
                        Summary = $"Sista dag: uppföljning {first.PeriodName} – {m.Name}",
                        Description = $"{g.Count()} {(g.Count() == 1 ? "enhet" : "enheter")} ({kinds}) skickar in uppföljningen för {first.PeriodName} senast i dag.",
                        Url = new Uri($"{baseUrl}/k/{Uri.EscapeDataString(m.Slug)}?period={Uri.EscapeDataString(first.PeriodKey)}"),
                        Transparency = "TRANSPARENT",
                    });
                }
            }

            // The assignments (ADR 46) of the units the person reports for, open, on the day each is due.
            var assignments = await scope.ServiceProvider.GetRequiredService<Assignments.AssignmentEditing>()
                .OpenDueBetweenAsync(today.AddDays(-DaysBack), today.AddDays(DaysAhead), cancellationToken);
            if (assignments.Count > 0)
            {
                var units = await tenantDb.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId, u.Name }).ToListAsync(cancellationToken);
                var parents = units.ToDictionary(u => u.Id, u => u.ParentId);
                var names = units.ToDictionary(u => u.Id, u => u.Name);
                foreach (var a in assignments.Where(a => m.UnitId is not { } scopeUnit || Below(parents, scopeUnit, a.ResponsibleUnitId)))
                {
                    calendar.Events.Add(new CalendarEvent
                    {
                        Uid = $"uppdrag-{a.Id:N}@kedja",
                        DtStamp = stamp,
                        DtStart = new CalDateTime(a.DueOn!.Value),
                        DtEnd = new CalDateTime(a.DueOn.Value.AddDays(1)),
                        Summary = $"Sista dag: uppdrag {a.Number} – {a.Title}",
                        Description = $"{names.GetValueOrDefault(a.ResponsibleUnitId, "")} ({m.Name}) ska ha uppdrag {a.Number} klart senast i dag.",
                        Url = new Uri($"{baseUrl}/k/{Uri.EscapeDataString(m.Slug)}/uppdrag/{a.Id}"),
                        Transparency = "TRANSPARENT",
                    });
                }
            }
        }

        return new CalendarSerializer().SerializeToString(calendar);
    }

    private static bool Below(Dictionary<Guid, Guid?> parents, Guid scope, Guid unit)
    {
        var seen = new HashSet<Guid>();
        for (Guid? current = unit; current is { } id && seen.Add(id); current = parents.GetValueOrDefault(id))
        {
            if (id == scope)
            {
                return true;
            }
        }

        return false;
    }
}

public static class CalendarFeedHosting
{
    public const string RateLimit = "calendar-feed";

    /// <summary>The feed's service and its limiter: per client address, generous, since calendar programs fetch every few hours.</summary>
    public static IServiceCollection AddCalendarFeeds(this IServiceCollection services)
    {
        services.AddScoped<CalendarFeeds>();
        services.AddSharedRateLimits();
        services.AddOptions<SharedRateLimitOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var permits = configuration.GetValue("Kedja:Calendar:PermitsPerMinute", 60);
            o.Policies[RateLimit] = http => new(ClientAddress.Of(http), permits, TimeSpan.FromMinutes(1));
        });
        return services;
    }

    /// <summary>
    /// <c>GET /kalender/{secret}.ics</c>: anonymous; an unknown or revoked secret is 404, as is any other address; never a
    /// cookie, never stored by a cache or indexed (the app's Referrer-Policy keeps the address on this site).
    /// </summary>
    public static void MapCalendarFeed(this IEndpointRouteBuilder app) =>
        app.MapMethods("/kalender/{secret}.ics", [HttpMethods.Get, HttpMethods.Head], async (string secret, HttpContext http, CalendarFeeds feeds) =>
        {
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.SetCookie);
                return Task.CompletedTask;
            });
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Robots-Tag"] = "noindex";
            var ics = await feeds.RenderAsync(secret, http.RequestAborted);
            return ics is null
                ? Results.Problem(title: "Kalendern finns inte. Adressen kan ha bytts ut eller tagits bort.", statusCode: StatusCodes.Status404NotFound)
                : Results.Text(ics, "text/calendar; charset=utf-8", Encoding.UTF8);
        }).AllowAnonymous().RequireRateLimiting(RateLimit).ExcludeFromDescription();
}
