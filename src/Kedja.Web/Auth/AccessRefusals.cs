using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

/// <summary>An entry of the installation's security events as system administrators read them on /drift.</summary>
public sealed record SecurityEventRow(DateTime At, string Action, string Who, string? Details);

/// <summary>
/// ASVS 7.1.3 / 7.2.2: a signed-in person refused (403) is a security event – someone reaching past their role. Each is
/// audited in the installation's chain with who, what (method, route template, municipality) and when, up to
/// <see cref="PerPerson"/> per person and <see cref="Window"/> (counted in the database, so across nodes); past that a
/// person filling the log gets one log line per refusal and no more rows. Anonymous 401s and 404s are not recorded:
/// anyone can make them without an account, and they would fill the store for free.
/// </summary>
public static class AccessRefusals
{
    public const string Entity = "Access";

    public const string Action = "AccessRefused";

    public const int PerPerson = 20;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Account, token and access events of the installation's chain, the kinds the operations page lists.</summary>
    private static readonly string[] Entities = [AccountAudit.Account, AccountAudit.Token, "SignIn", Entity];

    /// <summary>After authentication: the endpoint has answered when the status is looked at.</summary>
    public static WebApplication UseAccessRefusalAudit(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            await next(http);
            if (http.Response.StatusCode == StatusCodes.Status403Forbidden && http.User.Identity?.IsAuthenticated == true
                && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            {
                await RecordAsync(http, userId);
            }
        });
        return app;
    }

    private static async Task RecordAsync(HttpContext http, string userId)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessRefusals));
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        try
        {
            // A scope of its own: the request's context may still track what the refused request began.
            await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var counter = scope.ServiceProvider.GetRequiredService<RateCounter>();
            if (await counter.HitAsync(Action, new RateLimit(userId, PerPerson, Window), CancellationToken.None) is not null)
            {
                logger.LogWarning("Access refused beyond the audited {PerPerson} per {Window}: {Method} {Route}", PerPerson, Window, http.Request.Method, route);
                return;
            }

            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            db.AuditEntries.Add(AccountAudit.Entry(Entity, userId, Action, http.User.Identity?.Name ?? userId, clock.GetUtcNow(), details: new
            {
                method = http.Request.Method,
                route = route.Length <= 400 ? route : route[..400],
                tenant = http.GetRouteValue("slug") as string,
                address = ClientAddress.Of(http),
            }));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            // The refusal stands whatever happens here; a 403 must not become a 500.
            logger.LogWarning(e, "Access refusal not audited: {Method} {Route}", http.Request.Method, route);
        }
    }

    /// <summary>The newest security events of the installation (sign-ins, failures, lock-outs, two-factor, tokens, refusals).</summary>
    public static async Task<List<SecurityEventRow>> RecentAsync(KedjaDbContext db, int count, CancellationToken cancellationToken) =>
        await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.TenantId == null && Entities.Contains(e.Entity))
            .OrderByDescending(e => e.Sequence).Take(count)
            .Select(e => new SecurityEventRow(e.At, e.Action, e.UserName, e.After))
            .ToListAsync(cancellationToken);
}
