using System.Collections.Concurrent;
using System.Diagnostics;
using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode 2: concurrent readers of one unit's scorecard (by default the nämnd with the largest chain) for a fixed time,
/// first alone, then while outcomes in that unit's chain are written at a steady rate.
/// </summary>
public static class ReadersAndWriters
{
    /// <summary>A ceiling on one reader's requests in one phase, whatever the duration.</summary>
    public const int MaxReadsPerReader = 200_000;

    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, Guid? unitId, int readers, int writesPerSecond, TimeSpan duration, TimeSpan warmUp,
        TextWriter output, CancellationToken ct)
    {
        var (unit, chain) = Pick(tenant, unitId, UnitKind.Committee);
        // Enough outcomes that a slow write never holds up the next one due, up to one per goal looked into.
        var targets = writesPerSecond == 0 ? [] : await tenant.WriteTargetsAsync(api, unit.Id, Math.Clamp(writesPerSecond * 4, 10, 100), ct);
        if (writesPerSecond > 0 && targets.Count == 0)
        {
            throw new LoadException($"{unit.Name} has no indicator to write to in its chain for {tenant.Period.Key}.");
        }

        await output.WriteLineAsync(Header.Line("readers-and-writers", api, tenant,
            $"{readers} readers of {unit.Name} (chain {Figures.Count(chain)} goals) · {duration.TotalSeconds:0} s per phase after {warmUp.TotalSeconds:0} s warm-up"));
        try
        {
            if (warmUp > TimeSpan.Zero)
            {
                await PhaseAsync(api, tenant, unit, readers, warmUp, 0, targets, ct);
            }

            var alone = await PhaseAsync(api, tenant, unit, readers, duration, 0, targets, ct);
            await output.WriteLineAsync(Line("read-only", alone));
            if (writesPerSecond == 0)
            {
                return alone.Errors.Count == 0 ? 0 : 1;
            }

            var mixed = await PhaseAsync(api, tenant, unit, readers, duration, writesPerSecond, targets, ct);
            await output.WriteLineAsync(Line($"{writesPerSecond} writes/s", mixed));
            await output.WriteLineAsync($"  writes   {mixed.Writes.Client.Count} done of {mixed.WritesDue} due ({Figures.Number(mixed.Writes.Client.Count / mixed.Seconds)}/s) to {targets.Count} indicators at depth {string.Join("/", targets.Select(t => t.Depth).Distinct().Order())} · PUT server {Figures.Percentiles(mixed.Writes.Server)} · not sent (all outcomes busy) {mixed.WritesNotSent} · errors {Figures.Errors(mixed.WriteErrors)}");
            await output.WriteLineAsync($"  read throughput with writes / read-only: {Figures.Number(mixed.Reads.Client.Count / mixed.Seconds / (alone.Reads.Client.Count / alone.Seconds), "0.00")}");
            return alone.Errors.Count + mixed.Errors.Count + mixed.WriteErrors.Count == 0 ? 0 : 1;
        }
        finally
        {
            await OutcomeWriter.RestoreAsync(api, targets);
        }
    }

    /// <summary>The unit asked for, or the one of the kind with the largest chain.</summary>
    public static (UnitItem Unit, int ChainGoals) Pick(TenantPicture tenant, Guid? unitId, UnitKind kind)
    {
        if (unitId is { } id)
        {
            var unit = tenant.Units.FirstOrDefault(u => u.Id == id) ?? throw new LoadException($"Tenant has no active unit {id}.");
            return (unit, tenant.Chain(id).Count);
        }

        return tenant.ByChainSize(kind).FirstOrDefault() is { Unit: not null } found ? found : throw new LoadException($"Tenant has no {kind} unit with goals.");
    }

    internal static string Line(string phase, PhaseResult r) =>
        $"{phase,-12} {Figures.Count(r.Reads.Client.Count)} reads in {Figures.Number(r.Seconds)} s = {Figures.Number(r.Reads.Client.Count / r.Seconds)} req/s · client {Figures.Percentiles(r.Reads.Client)} · server {Figures.Percentiles(r.Reads.Server)} · of it in database {Figures.Percentiles(r.Reads.Database)} · errors {Figures.Errors(r.Errors)}";

    internal static async Task<PhaseResult> PhaseAsync(KedjaApi api, TenantPicture tenant, UnitItem unit, int readers, TimeSpan duration, int writesPerSecond,
        List<WriteTarget> targets, CancellationToken ct)
    {
        var result = new PhaseResult();
        var started = Stopwatch.GetTimestamp();
        var reading = Enumerable.Range(0, readers).Select(_ => Task.Run(() => ReaderAsync(api, tenant, unit, started, duration, result, ct), ct)).ToList();
        var writing = writesPerSecond > 0 ? WriterAsync(api, targets, writesPerSecond, started, duration, result, ct) : Task.CompletedTask;
        await Task.WhenAll(reading);
        result.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await writing;
        return result;
    }

    private static async Task ReaderAsync(KedjaApi api, TenantPicture tenant, UnitItem unit, long started, TimeSpan duration, PhaseResult result, CancellationToken ct)
    {
        var mine = new Samples();
        var errors = new Dictionary<string, int>();
        for (var n = 0; n < MaxReadsPerReader && Stopwatch.GetElapsedTime(started) < duration; n++)
        {
            var error = await TryAsync(async () =>
            {
                var answer = await api.ScorecardAsync(unit.Id, tenant.Period.Key, ct);
                if (answer.Ok)
                {
                    mine.Add(answer);
                }

                return answer.Ok ? null : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }, ct);
            if (error is not null)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }
        }

        lock (result)
        {
            result.Reads.AddRange(mine);
            foreach (var (key, count) in errors)
            {
                result.Errors[key] = result.Errors.GetValueOrDefault(key) + count;
            }
        }
    }

    /// <summary>Starts one write every 1/rate seconds on the next outcome that no write holds; does not wait for one write to start the next.</summary>
    private static async Task WriterAsync(KedjaApi api, List<WriteTarget> targets, int perSecond, long started, TimeSpan duration, PhaseResult result, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var running = new List<Task>();
        var writes = new ConcurrentQueue<Timed>();
        var errors = new ConcurrentDictionary<string, int>();
        var next = 0;
        for (var k = 0; interval * k < duration; k++)
        {
            var wait = (interval * k) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            result.WritesDue++;
            var target = Enumerable.Range(0, targets.Count).Select(i => targets[(next + i) % targets.Count]).FirstOrDefault(t => t.TryClaim());
            if (target is null)
            {
                result.WritesNotSent++;
                continue;
            }

            next = (targets.IndexOf(target) + 1) % targets.Count;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var error = await TryAsync(async () =>
                    {
                        var answer = await OutcomeWriter.WriteAsync(api, target, ct);
                        if (answer.Ok)
                        {
                            writes.Enqueue(answer);
                        }

                        return answer.Ok ? null : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }, ct);
                    if (error is not null)
                    {
                        errors.AddOrUpdate(error, 1, (_, c) => c + 1);
                    }
                }
                finally
                {
                    target.Release();
                }
            }, ct));
        }

        await Task.WhenAll(running);
        foreach (var w in writes)
        {
            result.Writes.Add(w);
        }

        foreach (var (key, count) in errors)
        {
            result.WriteErrors[key] = count;
        }
    }

    /// <summary>Runs one request; a refused connection or a timeout is an error of the run, not its end. Null when it went well.</summary>
    private static async Task<string?> TryAsync(Func<Task<string?>> request, CancellationToken ct)
    {
        try
        {
            return await request();
        }
        catch (HttpRequestException)
        {
            // Keep a reader whose server has gone from spinning.
            await Task.Delay(100, ct);
            return "connection";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "timeout";
        }
    }

    internal sealed class PhaseResult
    {
        public Samples Reads { get; } = new();

        public Dictionary<string, int> Errors { get; } = [];

        public double Seconds { get; set; }

        public Samples Writes { get; } = new();

        public Dictionary<string, int> WriteErrors { get; } = [];

        public int WritesDue { get; set; }

        public int WritesNotSent { get; set; }
    }
}
