using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

/// <summary>
/// Whatever decimal is stored, the engine gives a status and never an exception: one extreme outcome must not break
/// every scorecard above its indicator.
/// </summary>
public class IndicatorEvaluatorBoundsTests
{
    private static readonly decimal[] Extremes =
        [decimal.MinValue, decimal.MaxValue, -1m, 0m, 1m, 0.0000001m, -0.0000001m, -Values.MaxMagnitude, Values.MaxMagnitude, 79228162514264.3375m];

    public static TheoryData<Direction> Directions => [.. Enum.GetValues<Direction>()];

    [Theory]
    [MemberData(nameof(Directions))]
    public void Achievement_stays_between_zero_and_one_for_any_outcome_and_target(Direction direction)
    {
        foreach (var outcome in Extremes)
        {
            foreach (var target in Extremes)
            {
                foreach (var facts in Targets(direction, target))
                {
                    var achievement = IndicatorEvaluator.Achievement(direction, outcome, facts);
                    achievement.ShouldBeInRange(0m, 1m, $"{direction}: utfall {outcome}, mål {facts}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Directions))]
    public void Evaluation_explains_any_outcome_and_target_without_throwing(Direction direction)
    {
        var period = PeriodRef.Parse("2025-T2");
        foreach (var outcome in Extremes)
        {
            foreach (var target in Extremes)
            {
                foreach (var facts in Targets(direction, target))
                {
                    var indicator = new IndicatorFacts(Guid.NewGuid(), "Extrem", direction, PeriodKind.Tertial,
                        new Dictionary<string, decimal?> { ["2025-T2"] = outcome }, new Dictionary<string, TargetFacts> { ["2025"] = facts }, "kr", 6);

                    var result = IndicatorEvaluator.Evaluate(indicator, period.Start, period.End, FulfilmentScale.Standard, ThresholdRule.Standard);

                    result.Explanation.Swedish.ShouldNotBeNullOrWhiteSpace();
                    (result.Achievement ?? 0m).ShouldBeInRange(0m, 1m);
                }
            }
        }
    }

    [Fact]
    public void The_outcome_from_the_acceptance_trial_gives_not_met_instead_of_an_overflow()
    {
        var achievement = IndicatorEvaluator.Achievement(Direction.HigherIsBetter, -79228162514264337593543950335m, new TargetFacts(95m));

        achievement.ShouldBe(0m);
        IndicatorEvaluator.Achievement(Direction.LowerIsBetter, decimal.MaxValue, new TargetFacts(decimal.MinValue)).ShouldBe(0m);
        IndicatorEvaluator.Achievement(Direction.TargetRange, decimal.MinValue, new TargetFacts(null, decimal.MaxValue, decimal.MaxValue)).ShouldBe(0m);
    }

    /// <summary>A range is tried with the value as its lower bound, its upper bound, both, and against the opposite extreme.</summary>
    private static IEnumerable<TargetFacts> Targets(Direction direction, decimal target) => direction == Direction.TargetRange
        ? [new(target), new(null, target, null), new(null, null, target), new(null, target, decimal.MaxValue), new(null, decimal.MinValue, target)]
        : [new(target)];
}
