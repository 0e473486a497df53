using System.Diagnostics;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Observability;

public sealed class SlowRequestOptions
{
    public const string Section = "Kedja:SlowRequests";

    /// <summary>How many of its slowest requests a node keeps per window.</summary>
    public int PerWindow { get; set; } = 5;

    /// <summary>How often a node writes its slowest of the window to the database.</summary>
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Samples older than this are deleted.</summary>
    public int KeepHours { get; set; } = 6;
}

/// <summary>
/// This node's slowest requests since its last write (issue 18, ADR 51): a handful, by duration, held in memory for at
/// most a window and then written to <c>request_samples</c> by <see cref="SlowRequestWriter"/>, so that the page of the
/// installation's slowest requests reads every node's. What a node loses when it dies is its last window's handful.
/// </summary>
public sealed class SlowRequests(IOptions<SlowRequestOptions> options)
{
    private readonly object gate = new();
    private List<RequestSample> held = [];

    /// <summary>Names this node in its samples.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public void Record(RequestSample sample)
    {
        var keep = Math.Max(1, options.Value.PerWindow);
        lock (gate)
        {
            if (held.Count < keep)
            {
                held.Add(sample);
                return;
            }

            var fastest = 0;
            for (var i = 1; i < held.Count; i++)
            {
                if (held[i].DurationMs < held[fastest].DurationMs)
                {
                    fastest = i;
                }
            }

            if (sample.DurationMs > held[fastest].DurationMs)
            {
                held[fastest] = sample;
            }
        }
    }

    /// <summary>What was held, leaving none.</summary>
    public List<RequestSample> Take()
    {
        lock (gate)
        {
            var taken = held;
            held = [];
            return taken;
        }
    }
}

/// <summary>Times each request against its endpoint's route template (no address, no query string) for <see cref="SlowRequests"/>.</summary>
public sealed class SlowRequestMiddleware(RequestDelegate next, SlowRequests samples, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var database = DatabaseTime.Current;
        var before = database is null ? 0 : Interlocked.Read(ref database.Value);
        try
        {
            await next(http);
        }
        finally
        {
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
            // Probes and static files say nothing about the app's speed.
            if (!http.Request.Path.StartsWithSegments("/health") && (route.Length > 0 || http.Response.StatusCode != StatusCodes.Status200OK))
            {
                samples.Record(new RequestSample
                {
                    Node = samples.Node,
                    At = clock.GetUtcNow().UtcDateTime,
                    Method = http.Request.Method.Length <= 10 ? http.Request.Method : "OTHER",
                    Route = route.Length <= 400 ? route : route[..400],
                    Status = http.Response.StatusCode,
                    DurationMs = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds),
                    DatabaseMs = database is null ? 0 : (int)TimeSpan.FromTicks(Interlocked.Read(ref database.Value) - before).TotalMilliseconds,
                });
            }
        }
    }
}

/// <summary>Writes this node's slowest requests of each window, and deletes the installation's old samples now and then.</summary>
public sealed class SlowRequestWriter(IServiceScopeFactory scopes, SlowRequests samples, IOptions<SlowRequestOptions> options, TimeProvider clock, ILogger<SlowRequestWriter> logger)
    : PollingWorker(clock, logger)
{
    private long lastPrune = long.MinValue;

    protected override bool Enabled => options.Value.WindowSeconds > 0;

    protected override string FailureMessage => "De långsammaste anropen kunde inte sparas; försöker igen.";

    protected override TimeSpan UntilNextLook() => TimeSpan.FromSeconds(Math.Max(1, options.Value.WindowSeconds));

    protected override Task LookAsync(CancellationToken cancellationToken) => WriteAsync(cancellationToken);

    /// <summary>Writes what is held (nothing when nothing is) and, every housekeeping interval, deletes old samples.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        var taken = samples.Take();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        if (taken.Count > 0)
        {
            db.RequestSamples.AddRange(taken);
            await db.SaveChangesAsync(cancellationToken);
        }

        var now = Stopwatch.GetTimestamp();
        if (lastPrune == long.MinValue || Stopwatch.GetElapsedTime(lastPrune, now) >= WorkSignal.HousekeepingInterval)
        {
            lastPrune = now;
            var before = Clock.GetUtcNow().UtcDateTime.AddHours(-Math.Max(1, options.Value.KeepHours));
            var old = db.RequestSamples.Where(r => r.At < before);
            if (await old.AnyAsync(cancellationToken))
            {
                await old.ExecuteDeleteAsync(cancellationToken);
            }
        }
    }
}
