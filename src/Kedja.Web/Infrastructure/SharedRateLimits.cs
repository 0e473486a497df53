using Kedja.Data;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kedja.Web.Infrastructure;

/// <summary>One request's limit: who is counted, how many requests a window lets through, and how long a window is.</summary>
public sealed record RateLimit(string Key, int Permits, TimeSpan Window);

/// <summary>
/// The named limits that <see cref="SharedRateLimitMiddleware"/> applies to endpoints carrying ASP.NET's
/// <see cref="EnableRateLimitingAttribute"/> (<c>[EnableRateLimiting(name)]</c>, <c>.RequireRateLimiting(name)</c>), and
/// what a refused request is answered.
/// </summary>
public sealed class SharedRateLimitOptions
{
    /// <summary>Each named limit: the request's limit, or null when this request is not counted (a form's GET).</summary>
    public Dictionary<string, Func<HttpContext, RateLimit?>> Policies { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes the refusal (429 and Retry-After); gets how long the client must wait.</summary>
    public Func<HttpContext, TimeSpan, Task> OnRejected { get; set; } = (http, _) =>
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return Task.CompletedTask;
    };
}

/// <summary>
/// Fixed-window counters in the database (<c>rate_limit_windows</c>, issue 17), so that a limit holds across app nodes: one
/// INSERT … ON CONFLICT … DO UPDATE … RETURNING per counted request, on SQLite and PostgreSQL alike, which both nodes'
/// statements pass through one after the other (the row is locked), so no two nodes both see "one left". A window starts
/// at the first request after the last window ended, as ASP.NET's in-process fixed window did. Refused requests count
/// too: a client that keeps knocking stays refused until the window ends, whichever node it knocks on.
/// </summary>
public sealed class RateCounter(KedjaDbContext db, TimeProvider clock)
{
    /// <summary>Counts a request; null when it is within the limit, otherwise how long until the window ends.</summary>
    public async Task<TimeSpan?> HitAsync(string policy, RateLimit limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var end = now + Math.Max(1, (long)Math.Ceiling(limit.Window.TotalMilliseconds));
        var key = limit.Key.Length <= 200 ? limit.Key : limit.Key[..200];
        var counted = (await db.Database.SqlQuery<Counted>($"""
            INSERT INTO rate_limit_windows (policy, partition_key, window_start, expires_at, hits) VALUES ({policy}, {key}, {now}, {end}, 1)
            ON CONFLICT (policy, partition_key) DO UPDATE SET
                hits = CASE WHEN rate_limit_windows.expires_at <= {now} THEN 1 ELSE rate_limit_windows.hits + 1 END,
                window_start = CASE WHEN rate_limit_windows.expires_at <= {now} THEN {now} ELSE rate_limit_windows.window_start END,
                expires_at = CASE WHEN rate_limit_windows.expires_at <= {now} THEN {end} ELSE rate_limit_windows.expires_at END
            RETURNING hits AS "Hits", expires_at AS "ExpiresAt"
            """).ToListAsync(cancellationToken)).Single();
        return counted.Hits <= limit.Permits ? null : TimeSpan.FromMilliseconds(Math.Max(0, counted.ExpiresAt - now));
    }

    /// <summary>Deletes the rows of windows that have ended; the number deleted.</summary>
    public Task<int> ForgetEndedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return db.RateLimitWindows.Where(w => w.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    private sealed class Counted
    {
        public int Hits { get; set; }

        public long ExpiresAt { get; set; }
    }
}

/// <summary>
/// Applies the limit named by the endpoint's <see cref="EnableRateLimitingAttribute"/> with <see cref="RateCounter"/>, in
/// place of ASP.NET's rate-limiter middleware, whose limiters count in this process only. The endpoints keep declaring
/// their limits the ASP.NET way; an unknown name is an error, as it is there.
/// </summary>
public sealed class SharedRateLimitMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<SharedRateLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        var name = metadata?.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        if (name is null || metadata!.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            await next(http);
            return;
        }

        if (!options.Value.Policies.TryGetValue(name, out var policy))
        {
            throw new InvalidOperationException($"Gränsen '{name}' finns inte.");
        }

        if (policy(http) is not { } limit)
        {
            await next(http);
            return;
        }

        var counter = http.RequestServices.GetRequiredService<RateCounter>();
        if (await counter.HitAsync(name, limit, http.RequestAborted) is { } wait)
        {
            await options.Value.OnRejected(http, wait);
            return;
        }

        await next(http);
    }
}

/// <summary>Deletes ended rate-limit windows on every node now and then; a delete that finds nothing costs little.</summary>
public sealed class RateLimitHousekeeping(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RateLimitHousekeeping> logger) : PollingWorker(clock, logger)
{
    protected override bool Enabled => true;

    protected override string FailureMessage => "Gamla räknare för begränsningar kunde inte tas bort; försöker igen.";

    protected override async Task LookAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RateCounter>().ForgetEndedAsync(cancellationToken);
    }

    protected override TimeSpan UntilNextLook() => WorkSignal.HousekeepingInterval;
}

public static class SharedRateLimitHosting
{
    /// <summary>The counter, its options and its housekeeping; safe to call from every feature that adds a limit.</summary>
    public static IServiceCollection AddSharedRateLimits(this IServiceCollection services)
    {
        services.TryAddScoped<RateCounter>();
        services.AddOptions<SharedRateLimitOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RateLimitHousekeeping>());
        return services;
    }

    public static IApplicationBuilder UseSharedRateLimits(this IApplicationBuilder app) => app.UseMiddleware<SharedRateLimitMiddleware>();
}
