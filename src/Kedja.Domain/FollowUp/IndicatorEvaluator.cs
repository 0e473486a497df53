using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.FollowUp;

public sealed record TargetFacts(decimal? Value, decimal? Min = null, decimal? Max = null);

/// <summary>What the engine needs to know about an indicator: its rule and its values by period key.</summary>
/// <param name="ProgramId">Set for a program's indicator, which never counts toward a goal, even when <paramref name="GoalId"/> is set too.</param>
/// <param name="LatestAvailable">
/// Published by its source long after the period (Kolada's yearly figures): where no value of its own falls in a
/// follow-up, the latest earlier one is assessed and the explanation names its year.
/// </param>
public sealed record IndicatorFacts(
    Guid Id,
    string Name,
    Direction Direction,
    PeriodKind Periodicity,
    IReadOnlyDictionary<string, decimal?> Outcomes,
    IReadOnlyDictionary<string, TargetFacts> Targets,
    string UnitOfMeasure = "",
    int Decimals = 0,
    ThresholdRule? Thresholds = null,
    decimal Weight = 1m,
    Guid? GoalId = null,
    Guid? ProgramId = null,
    bool LatestAvailable = false);

/// <param name="Counts">False when the indicator is not due in the period or is neutral: it does not take part in roll-ups.</param>
public sealed record IndicatorResult(
    Guid IndicatorId,
    string Name,
    string StatusKey,
    bool Counts,
    string? OutcomePeriod,
    decimal? Outcome,
    TargetFacts? Target,
    decimal? Achievement,
    Explanation Explanation);

/// <summary>Turns an indicator's outcome, target and direction into a status on the scale, with a readable explanation.</summary>
public static class IndicatorEvaluator
{
    /// <summary>How many years before a follow-up the latest available value of a <see cref="IndicatorFacts.LatestAvailable"/> indicator may be.</summary>
    public const int LatestAvailableYears = 3;

    public static IndicatorResult Evaluate(IndicatorFacts indicator, DateOnly windowStart, DateOnly windowEnd, FulfilmentScale scale, ThresholdRule defaultRule)
    {
        var notAssessed = scale.NotAssessed.Key;
        var candidates = PeriodRef.EndingWithin(indicator.Periodicity, windowStart, windowEnd).ToList();

        // A delår may end with any month the municipality chose, so the delår that is due is the latest one reported.
        var due = indicator.Periodicity == PeriodKind.Interim && candidates.LastOrDefault(p => indicator.Outcomes.ContainsKey(p.Key)) is { Year: > 0 } reported
            ? reported
            : candidates.LastOrDefault();
        if (indicator.LatestAvailable && (due == default || indicator.Outcomes.GetValueOrDefault(due.Key) is null) && Latest(indicator, windowEnd) is { } latest)
        {
            var found = Evaluate(indicator with { LatestAvailable = false }, latest.Start, latest.End, scale, defaultRule);
            return found with { Explanation = new LatestAvailableValue(latest, found.Explanation) };
        }

        if (due == default)
        {
            return new(indicator.Id, indicator.Name, notAssessed, false, null, null, null, null,
                new NotMeasuredInPeriod(indicator.Periodicity));
        }

        indicator.Outcomes.TryGetValue(due.Key, out var outcome);
        var target = FindTarget(indicator, due);
        if (target is not null && (indicator.Direction == Direction.TargetRange ? target.Value ?? target.Min ?? target.Max : target.Value) is null)
        {
            // Only a range has use for a target without a value.
            target = null;
        }

        if (indicator.Direction == Direction.Neutral)
        {
            return outcome is null
                ? new(indicator.Id, indicator.Name, notAssessed, false, due.Key, null, null, null, new NeutralIndicator(due, null))
                : new(indicator.Id, indicator.Name, notAssessed, false, due.Key, outcome, null, null, new NeutralIndicator(due, Figure(outcome.Value, indicator)));
        }

        if (outcome is null)
        {
            // The target is shown with the missing outcome, so the reader sees what the unit is to report against.
            return new(indicator.Id, indicator.Name, notAssessed, true, due.Key, null, target, null,
                new OutcomeMissing(due, target is null ? null : TargetFigure(indicator, target)));
        }

        if (target is null)
        {
            return new(indicator.Id, indicator.Name, notAssessed, true, due.Key, outcome, null, null,
                new TargetMissing(due, Figure(outcome.Value, indicator)));
        }

        var achievement = Achievement(indicator.Direction, outcome.Value, target);
        var rule = indicator.Thresholds ?? defaultRule;
        var status = Apply(rule, achievement);
        return new(indicator.Id, indicator.Name, status, true, due.Key, outcome, target, achievement,
            new IndicatorAssessed(due, Figure(outcome.Value, indicator), TargetFigure(indicator, target), achievement, scale.Step(status)));
    }

    /// <summary>The latest period of the indicator's own kind with a value, ended by <paramref name="end"/> and at most <see cref="LatestAvailableYears"/> years before it.</summary>
    private static PeriodRef? Latest(IndicatorFacts indicator, DateOnly end)
    {
        PeriodRef? latest = null;
        foreach (var (key, value) in indicator.Outcomes)
        {
            if (value is not null && PeriodRef.TryParse(key, out var period) && period.Kind == indicator.Periodicity && period.End <= end && period.Year >= end.Year - LatestAvailableYears
                && (latest is null || period > latest.Value))
            {
                latest = period;
            }
        }

        return latest;
    }

    private static TargetFigure TargetFigure(IndicatorFacts indicator, TargetFacts target) =>
        new(indicator.Direction, Figure(target.Value, indicator), Figure(target.Min, indicator), Figure(target.Max, indicator));

    /// <summary>The target for exactly the outcome's period, else the target for its year.</summary>
    private static TargetFacts? FindTarget(IndicatorFacts indicator, PeriodRef period)
    {
        if (indicator.Targets.TryGetValue(period.Key, out var exact))
        {
            return exact;
        }

        return indicator.Targets.TryGetValue(PeriodRef.ForYear(period.Year).Key, out var yearly) ? yearly : null;
    }

    /// <summary>
    /// How much of the target is reached, 0..1, measured as the shortfall relative to the size of the target so that
    /// negative and zero targets (a budget result of -2 MSEK, zero incidents) work too.
    /// </summary>
    public static decimal Achievement(Direction direction, decimal outcome, TargetFacts target)
    {
        switch (direction)
        {
            case Direction.TargetRange:
            {
                var min = target.Min ?? target.Value ?? decimal.MinValue;
                var max = target.Max ?? target.Value ?? decimal.MaxValue;
                if (outcome >= min && outcome <= max)
                {
                    return 1m;
                }

                var bound = outcome < min ? min : max;
                return outcome < min ? Relative(Gap(bound, outcome), bound) : Relative(Gap(outcome, bound), bound);
            }

            case Direction.LowerIsBetter:
                return Relative(Gap(outcome, target.Value!.Value), target.Value.Value);
            default:
                return Relative(Gap(target.Value!.Value, outcome), target.Value.Value);
        }
    }

    /// <summary>
    /// How far <paramref name="high"/> lies above <paramref name="low"/>, 0 when it does not. Saturates at decimal's
    /// maximum instead of overflowing: any stored value, however extreme, gives an achievement and never an exception.
    /// </summary>
    private static decimal Gap(decimal high, decimal low)
    {
        if (high <= low)
        {
            return 0m;
        }

        return low < 0m && high > decimal.MaxValue + low ? decimal.MaxValue : high - low;
    }

    private static decimal Relative(decimal shortfall, decimal target)
    {
        if (shortfall == 0m)
        {
            return 1m;
        }

        // A shortfall as large as the target leaves nothing; below that the share is under 1 and cannot overflow.
        var size = Math.Abs(target);
        return size == 0m || shortfall >= size ? 0m : Math.Clamp(1m - (shortfall / size), 0m, 1m);
    }

    public static string Apply(ThresholdRule rule, decimal achievement)
    {
        foreach (var step in rule.Steps.OrderByDescending(s => s.MinimumAchievement))
        {
            if (achievement >= step.MinimumAchievement)
            {
                return step.Status;
            }
        }

        return rule.Otherwise;
    }

    private static Figure? Figure(decimal? value, IndicatorFacts indicator) => value is null ? null : Figure(value.Value, indicator);

    private static Figure Figure(decimal value, IndicatorFacts indicator) => new(value, indicator.Decimals, indicator.UnitOfMeasure);
}
