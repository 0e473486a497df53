using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kedja.Web.Tests.Fuzz;

internal static class Prof
{
    private static readonly ConcurrentDictionary<string, (long Ticks, int Count)> Phases = new();

    public static async Task<T> T<T>(string phase, Func<Task<T>> f)
    {
        var sw = Stopwatch.StartNew();
        try { return await f(); }
        finally { Phases.AddOrUpdate(phase, (sw.ElapsedTicks, 1), (_, v) => (v.Ticks + sw.ElapsedTicks, v.Count + 1)); }
    }

    public static T S<T>(string phase, Func<T> f)
    {
        var sw = Stopwatch.StartNew();
        try { return f(); }
        finally { Phases.AddOrUpdate(phase, (sw.ElapsedTicks, 1), (_, v) => (v.Ticks + sw.ElapsedTicks, v.Count + 1)); }
    }

    public static void Dump(string name)
    {
        var lines = Phases.OrderBy(p => p.Key).Select(p => $"{name} {p.Key}: {p.Value.Count} x, {p.Value.Ticks * 1000.0 / Stopwatch.Frequency:0} ms total, {p.Value.Ticks * 1000.0 / Stopwatch.Frequency / p.Value.Count:0.00} ms each");
        File.AppendAllLines("/tmp/h191prof.txt", lines);
        Phases.Clear();
    }
}
