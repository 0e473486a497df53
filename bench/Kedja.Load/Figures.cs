using System.Globalization;

namespace Kedja.Load;

/// <summary>Medians, percentiles and the way figures are printed (milliseconds with one decimal, invariant culture).</summary>
public static class Figures
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Nearest rank: the smallest value that at least <paramref name="p"/> of the values do not exceed.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"12.3 ms (min 10.1, max 19.0)".</summary>
    public static string Spread(IReadOnlyCollection<double> values) => values.Count == 0
        ? "-"
        : $"{Ms(Median(values))} ms (min {Ms(values.Min())}, max {Ms(values.Max())})";

    /// <summary>"p50 12.3, p95 20.1, p99 31.0, max 40.2 ms".</summary>
    public static string Percentiles(IReadOnlyCollection<double> values) => values.Count == 0
        ? "-"
        : $"p50 {Ms(Percentile(values, 0.50))}, p95 {Ms(Percentile(values, 0.95))}, p99 {Ms(Percentile(values, 0.99))}, max {Ms(values.Max())} ms";

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"0" or "3 (409 ×2, timeout ×1)".</summary>
    public static string Errors(IReadOnlyDictionary<string, int> errors) => errors.Count == 0
        ? "0"
        : $"{errors.Values.Sum()} ({string.Join(", ", errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} ×{e.Value}"))})";
}
