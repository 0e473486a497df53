using Kedja.Domain.Indicators;

namespace Kedja.Web.Kolada;

/// <summary>
/// The arithmetic of a comparison (ADR 40): quartiles as Excel's KVARTIL.INK / QUARTILE.INC computes them (linear
/// interpolation between the closest ranks), so that a controller who checks a figure in a spreadsheet gets the same.
/// </summary>
public static class BenchmarkingStatistics
{
    /// <summary>The p-quantile (0-1) of values sorted ascending; null for none.</summary>
    public static decimal? Quantile(IReadOnlyList<decimal> sorted, decimal p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = (sorted.Count - 1) * p;
        var below = (int)Math.Floor(position);
        return below + 1 >= sorted.Count ? sorted[below] : sorted[below] + ((position - below) * (sorted[below + 1] - sorted[below]));
    }

    /// <summary>One year over the comparison set's values, with the own municipality's value ranked among them and it.</summary>
    public static BenchmarkYear Year(int year, IEnumerable<decimal> comparison, decimal? own, Direction direction)
    {
        var sorted = comparison.Order().ToList();
        var ranked = direction is Direction.HigherIsBetter or Direction.LowerIsBetter && own is not null;
        return new BenchmarkYear(
            year, sorted.Count, sorted.Count > 0 ? sorted[0] : null, Quantile(sorted, 0.25m), Quantile(sorted, 0.5m), Quantile(sorted, 0.75m),
            sorted.Count > 0 ? sorted[^1] : null, own,
            ranked ? 1 + sorted.Count(v => Better(v, own!.Value, direction)) : null,
            ranked ? sorted.Count + 1 : null);
    }

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/> by the direction.</summary>
    public static bool Better(decimal a, decimal b, Direction direction) => direction switch
    {
        Direction.HigherIsBetter => a > b,
        Direction.LowerIsBetter => a < b,
        _ => false,
    };

    /// <summary>
    /// The median and the better quartile of the latest year with values, rounded to the indicator's decimals; none
    /// where the indicator has no better direction (a target range, or followed without judging).
    /// </summary>
    public static IReadOnlyList<TargetSuggestion> Suggest(IReadOnlyList<BenchmarkYear> years, Direction direction, int decimals)
    {
        if (direction is not (Direction.HigherIsBetter or Direction.LowerIsBetter) || years.LastOrDefault(y => y.Count > 0) is not { } latest)
        {
            return [];
        }

        var quartile = direction == Direction.HigherIsBetter ? latest.UpperQuartile : latest.LowerQuartile;
        TargetSuggestion Of(SuggestionKind kind, decimal value)
        {
            var rounded = Math.Round(value, Math.Clamp(decimals, 0, 6), MidpointRounding.AwayFromZero);
            return new(kind, latest.Year, rounded, latest.Own is { } own && !Better(rounded, own, direction));
        }

        return [Of(SuggestionKind.Median, latest.Median!.Value), Of(SuggestionKind.BetterQuartile, quartile!.Value)];
    }
}
