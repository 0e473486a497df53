using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Kolada;

/// <summary>Settings of the comparison with Kolada, bound from <c>Kedja:Benchmarking</c>.</summary>
public sealed class BenchmarkingOptions
{
    public const string Section = "Kedja:Benchmarking";

    /// <summary>How long what was fetched from Kolada is reused on this node (public data: a few minutes old is fine).</summary>
    public int CacheMinutes { get; set; } = 10;

    /// <summary>After Kolada failed, how long this node says so at once instead of waiting through every retry again.</summary>
    public int PauseAfterFailureSeconds { get; set; } = 60;
}

/// <summary>
/// What this node fetched from Kolada for comparisons, reused for a short time, and a short pause after Kolada failed
/// (ADR 40). Only public Kolada data is held, keyed by the address asked, so nodes never need to agree: each may be a few
/// minutes behind Kolada, never wrong about a tenant's own data. A failure is never cached as data.
/// </summary>
public sealed class BenchmarkingCache(TimeProvider clock, IOptions<BenchmarkingOptions> options)
{
    // Municipalities, groups, KPI metadata and a data answer per comparison: a few hundred entries at most in practice.
    private const int MaxEntries = 500;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, object Value)> entries = new(StringComparer.Ordinal);
    private volatile PauseState? pause;

    /// <summary>Why Kolada is not asked right now (it failed a moment ago), or null.</summary>
    public string? Paused => pause is { } p && p.Until > clock.GetUtcNow() ? p.Message : null;

    public void Pause(string message) =>
        pause = new(clock.GetUtcNow().AddSeconds(Math.Max(0, options.Value.PauseAfterFailureSeconds)), message);

    public async Task<T> GetAsync<T>(string key, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
        where T : class
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(key, out var held) && held.Until > now && held.Value is T value)
        {
            return value;
        }

        var fetched = await fetch(cancellationToken);
        if (entries.Count >= MaxEntries)
        {
            foreach (var stale in entries.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                entries.TryRemove(stale, out _);
            }

            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }
        }

        entries[key] = (now.AddMinutes(Math.Max(0, options.Value.CacheMinutes)), fetched);
        return fetched;
    }

    private sealed record PauseState(DateTimeOffset Until, string Message);
}
