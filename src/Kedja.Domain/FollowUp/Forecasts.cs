using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.FollowUp;

/// <summary>
/// A full-year forecast (helårsprognos) of an indicator, made at a follow-up period (an interim report, a tertial, a
/// forecast-only period): what the unit expects the year to end at, with why. It never changes a computed status; its
/// own status against the year's target is computed when it is read (<see cref="ForecastEvaluator"/>, ADR 47).
/// </summary>
public class IndicatorForecast : TenantEntity
{
    public Guid IndicatorId { get; set; }

    /// <summary>The follow-up period the forecast was made at.</summary>
    public Guid PeriodId { get; set; }

    /// <summary>The year forecast: the period's year.</summary>
    public int Year { get; set; }

    public decimal Value { get; set; }

    public decimal? ValueWomen { get; set; }

    public decimal? ValueMen { get; set; }

    public string? Comment { get; set; }

    public required string RecordedBy { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>A forecast measured against the year's target: no status (<see cref="StatusKey"/> null) for a neutral indicator or a missing target.</summary>
public sealed record ForecastResult(string? StatusKey, TargetFacts? Target, decimal? Achievement, Explanation Explanation);

/// <summary>
/// Measures a full-year forecast against the year's target as an outcome is measured against its target
/// (<see cref="IndicatorEvaluator.Achievement"/>, <see cref="IndicatorEvaluator.Apply"/>), so a forecast at the target
/// gets the status the outcome would.
/// </summary>
public static class ForecastEvaluator
{
    public static ForecastResult Evaluate(IndicatorFacts indicator, decimal forecast, int year, FulfilmentScale scale, ThresholdRule defaultRule)
    {
        // A forecast is said with the decimals it was given, at least the indicator's: 1,6 stays 1,6 on an indicator of whole numbers.
        var figure = new Figure(forecast, Math.Max(indicator.Decimals, (forecast / 1.000000000000000000000000000000m).Scale), indicator.UnitOfMeasure);
        if (indicator.Direction == Direction.Neutral)
        {
            return new(null, null, null, new ForecastNeutral(year, figure));
        }

        var target = YearTarget(indicator, year);
        if (target is null || (indicator.Direction == Direction.TargetRange ? target.Value ?? target.Min ?? target.Max : target.Value) is null)
        {
            return new(null, null, null, new ForecastTargetMissing(year, figure));
        }

        var achievement = IndicatorEvaluator.Achievement(indicator.Direction, forecast, target);
        var status = IndicatorEvaluator.Apply(indicator.Thresholds ?? defaultRule, achievement);
        var targetFigure = new TargetFigure(indicator.Direction, Figure(target.Value, indicator), Figure(target.Min, indicator), Figure(target.Max, indicator));
        return new(status, target, achievement, new ForecastAssessed(year, figure, targetFigure, achievement, scale.Step(status)));
    }

    /// <summary>The year's target ("2026"), else the target of the indicator's period that closes the year ("2026-T3", "2026-12").</summary>
    public static TargetFacts? YearTarget(IndicatorFacts indicator, int year)
    {
        if (indicator.Targets.TryGetValue(PeriodRef.ForYear(year).Key, out var yearly))
        {
            return yearly;
        }

        var end = new DateOnly(year, 12, 31);
        return PeriodRef.EndingWithin(indicator.Periodicity, end, end).Select(p => indicator.Targets.GetValueOrDefault(p.Key)).LastOrDefault(t => t is not null);
    }

    /// <summary>The target keys <see cref="YearTarget"/> may read, for a query that fetches only those.</summary>
    public static IEnumerable<string> TargetKeys(PeriodKind periodicity, int year)
    {
        var end = new DateOnly(year, 12, 31);
        return PeriodRef.EndingWithin(periodicity, end, end).Select(p => p.Key).Prepend(PeriodRef.ForYear(year).Key).Distinct();
    }

    private static Figure? Figure(decimal? value, IndicatorFacts indicator) => value is { } v ? new Figure(v, indicator.Decimals, indicator.UnitOfMeasure) : null;
}
