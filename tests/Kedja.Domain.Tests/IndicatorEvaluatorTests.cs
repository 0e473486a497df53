using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

public class IndicatorEvaluatorTests
{
    private static readonly PeriodRef T2 = PeriodRef.Parse("2025-T2");
    private static readonly PeriodRef T3 = PeriodRef.Parse("2025-T3");

    private static IndicatorFacts Indicator(Direction direction, decimal? outcome, TargetFacts? target, PeriodKind periodicity = PeriodKind.Tertial, string period = "2025-T2", ThresholdRule? rule = null) =>
        new(Guid.NewGuid(), "Sjukfrånvaro", direction, periodicity,
            new Dictionary<string, decimal?> { [period] = outcome },
            target is null ? new Dictionary<string, TargetFacts>() : new Dictionary<string, TargetFacts> { ["2025"] = target },
            UnitOfMeasure: "%", Decimals: 1, Thresholds: rule);

    private static IndicatorResult Evaluate(IndicatorFacts indicator, PeriodRef? window = null)
    {
        var w = window ?? T2;
        return IndicatorEvaluator.Evaluate(indicator, w.Start, w.End, FulfilmentScale.Standard, ThresholdRule.Standard);
    }

    [Theory]
    [InlineData(100, 100, StandardScale.Met)]
    [InlineData(120, 100, StandardScale.Met)]
    [InlineData(85, 100, StandardScale.PartlyMet)]
    [InlineData(80, 100, StandardScale.PartlyMet)]
    [InlineData(79.9, 100, StandardScale.NotMet)]
    [InlineData(0, 100, StandardScale.NotMet)]
    public void Higher_is_better_uses_share_of_target(double outcome, double target, string expected)
    {
        Evaluate(Indicator(Direction.HigherIsBetter, (decimal)outcome, new((decimal)target))).StatusKey.ShouldBe(expected);
    }

    [Theory]
    [InlineData(6.0, 6.0, StandardScale.Met)]
    [InlineData(5.2, 6.0, StandardScale.Met)]
    [InlineData(6.8, 6.0, StandardScale.PartlyMet)]
    [InlineData(7.5, 6.0, StandardScale.NotMet)]
    public void Lower_is_better_uses_overshoot(double outcome, double target, string expected)
    {
        Evaluate(Indicator(Direction.LowerIsBetter, (decimal)outcome, new((decimal)target))).StatusKey.ShouldBe(expected);
    }

    [Theory]
    [InlineData(-1.0, -2.0, StandardScale.Met)]
    [InlineData(-2.2, -2.0, StandardScale.PartlyMet)]
    [InlineData(-5.0, -2.0, StandardScale.NotMet)]
    public void Negative_targets_work(double outcome, double target, string expected)
    {
        Evaluate(Indicator(Direction.HigherIsBetter, (decimal)outcome, new((decimal)target))).StatusKey.ShouldBe(expected);
    }

    [Fact]
    public void Zero_target_lower_is_better_is_met_only_at_zero()
    {
        Evaluate(Indicator(Direction.LowerIsBetter, 0m, new(0m))).StatusKey.ShouldBe(StandardScale.Met);
        Evaluate(Indicator(Direction.LowerIsBetter, 1m, new(0m))).StatusKey.ShouldBe(StandardScale.NotMet);
    }

    [Theory]
    [InlineData(95, StandardScale.Met)]
    [InlineData(90, StandardScale.Met)]
    [InlineData(102, StandardScale.PartlyMet)]
    [InlineData(85, StandardScale.PartlyMet)]
    [InlineData(50, StandardScale.NotMet)]
    public void Target_range_is_met_inside_and_judged_by_distance_outside(double outcome, string expected)
    {
        Evaluate(Indicator(Direction.TargetRange, (decimal)outcome, new(null, 90m, 100m))).StatusKey.ShouldBe(expected);
    }

    [Fact]
    public void Missing_outcome_is_not_assessed_never_green()
    {
        var result = Evaluate(Indicator(Direction.HigherIsBetter, null, new(10m)));

        result.StatusKey.ShouldBe(StandardScale.NotAssessed);
        result.Counts.ShouldBeTrue();
        result.Explanation.Swedish.ShouldBe("Utfall saknas för T2 2025; målvärde 10,0 % (högre är bättre).");
    }

    [Fact]
    public void Missing_outcome_still_shows_the_target()
    {
        var result = Evaluate(Indicator(Direction.HigherIsBetter, null, new(10m)));

        result.Outcome.ShouldBeNull();
        result.Target.ShouldBe(new TargetFacts(10m));
    }

    [Fact]
    public void Missing_outcome_of_a_range_names_the_range()
    {
        var result = Evaluate(Indicator(Direction.TargetRange, null, new(null, 90m, 100m)));

        result.Target.ShouldBe(new TargetFacts(null, 90m, 100m));
        result.Explanation.Swedish.ShouldBe("Utfall saknas för T2 2025; målintervall 90,0 %–100,0 %.");
    }

    [Fact]
    public void Missing_outcome_and_target_says_both()
    {
        var result = Evaluate(Indicator(Direction.LowerIsBetter, null, null));

        result.Target.ShouldBeNull();
        result.Explanation.Swedish.ShouldBe("Utfall och målvärde saknas för T2 2025.");
    }

    [Fact]
    public void A_target_without_a_value_is_no_target_unless_the_indicator_has_a_range()
    {
        var result = Evaluate(Indicator(Direction.HigherIsBetter, 10m, new(null, 5m, null)));

        result.StatusKey.ShouldBe(StandardScale.NotAssessed);
        result.Target.ShouldBeNull();
        result.Explanation.Swedish.ShouldContain("målvärde saknas för T2 2025");
    }

    [Fact]
    public void Missing_target_is_not_assessed()
    {
        var result = Evaluate(Indicator(Direction.HigherIsBetter, 10m, null));

        result.StatusKey.ShouldBe(StandardScale.NotAssessed);
        result.Explanation.Swedish.ShouldContain("målvärde saknas för T2 2025");
    }

    [Fact]
    public void Annual_indicator_is_not_due_in_T2_but_is_in_T3()
    {
        var annual = Indicator(Direction.HigherIsBetter, 50m, new(40m), PeriodKind.Year, "2025");

        var inT2 = Evaluate(annual, T2);
        inT2.Counts.ShouldBeFalse();
        inT2.StatusKey.ShouldBe(StandardScale.NotAssessed);
        inT2.Explanation.Swedish.ShouldContain("årsvis");

        var inT3 = Evaluate(annual, T3);
        inT3.Counts.ShouldBeTrue();
        inT3.StatusKey.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void Monthly_indicator_uses_latest_month_of_the_window()
    {
        var monthly = new IndicatorFacts(Guid.NewGuid(), "Väntetid", Direction.LowerIsBetter, PeriodKind.Month,
            new Dictionary<string, decimal?> { ["2025-07"] = 30m, ["2025-08"] = 12m },
            new Dictionary<string, TargetFacts> { ["2025"] = new(14m) });

        var result = Evaluate(monthly);

        result.OutcomePeriod.ShouldBe("2025-08");
        result.StatusKey.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void Exact_period_target_wins_over_year_target()
    {
        var indicator = new IndicatorFacts(Guid.NewGuid(), "Andel", Direction.HigherIsBetter, PeriodKind.Tertial,
            new Dictionary<string, decimal?> { ["2025-T2"] = 70m },
            new Dictionary<string, TargetFacts> { ["2025"] = new(100m), ["2025-T2"] = new(70m) });

        Evaluate(indicator).StatusKey.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void Neutral_indicator_is_shown_but_never_counted()
    {
        var result = Evaluate(Indicator(Direction.Neutral, 12m, new(10m)));

        result.Counts.ShouldBeFalse();
        result.StatusKey.ShouldBe(StandardScale.NotAssessed);
        result.Outcome.ShouldBe(12m);
    }

    [Fact]
    public void Neutral_indicator_without_outcome_is_not_counted_as_missing()
    {
        var result = Evaluate(Indicator(Direction.Neutral, null, null));

        result.Counts.ShouldBeFalse();
        result.Explanation.Swedish.ShouldBe("Utfall saknas för T2 2025. Neutral indikator: följs utan bedömning.");
    }

    [Fact]
    public void Indicator_override_of_thresholds_applies()
    {
        var strict = new ThresholdRule([new(StandardScale.Met, 1m), new(StandardScale.PartlyMet, 0.95m)], StandardScale.NotMet);

        Evaluate(Indicator(Direction.HigherIsBetter, 90m, new(100m), rule: strict)).StatusKey.ShouldBe(StandardScale.NotMet);
        Evaluate(Indicator(Direction.HigherIsBetter, 90m, new(100m))).StatusKey.ShouldBe(StandardScale.PartlyMet);
    }

    [Fact]
    public void Explanation_uses_swedish_number_format()
    {
        var result = Evaluate(Indicator(Direction.LowerIsBetter, 6.8m, new(6.0m)));

        result.Explanation.Swedish.ShouldBe("Utfall T2 2025 6,8 % mot målvärde 6,0 % (lägre är bättre): 87\u00a0% av målet → Delvis uppfyllt.");
    }
    private static IndicatorFacts Kolada(bool latestAvailable, params (string Period, decimal? Value)[] outcomes) =>
        new(Guid.NewGuid(), "Behöriga till gymnasiet", Direction.HigherIsBetter, PeriodKind.Year, outcomes.ToDictionary(o => o.Period, o => o.Value),
            new Dictionary<string, TargetFacts> { ["2024"] = new(80m), ["2025"] = new(82m), ["2026"] = new(84m) }, "%", 1, LatestAvailable: latestAvailable);

    [Fact]
    public void A_yearly_figure_published_late_is_assessed_in_a_tertial_from_its_latest_year_and_says_so()
    {
        var result = Evaluate(Kolada(true, ("2024", 78m), ("2025", 82.5m)), PeriodRef.Parse("2026-T1"));

        result.OutcomePeriod.ShouldBe("2025");
        result.Outcome.ShouldBe(82.5m);
        result.Target!.Value.ShouldBe(82m, "the target of the value's own year");
        result.StatusKey.ShouldBe(StandardScale.Met);
        result.Counts.ShouldBeTrue();
        result.Explanation.Swedish.ShouldBe("Senaste tillgängliga värde, från helår 2025. Utfall Helår 2025 82,5 % mot målvärde 82,0 % (högre är bättre): målet nått → Uppfyllt.");
        result.Explanation.In(System.Globalization.CultureInfo.GetCultureInfo("en")).ShouldStartWith("Latest available value, from full year 2025. ");
    }

    [Fact]
    public void The_year_end_follow_up_falls_back_to_the_year_before_until_the_year_is_published()
    {
        var result = Evaluate(Kolada(true, ("2024", 78m)), PeriodRef.Parse("2025-T3"));

        result.OutcomePeriod.ShouldBe("2024");
        result.Explanation.ShouldBeOfType<LatestAvailableValue>().Period.ShouldBe(PeriodRef.ForYear(2024));
        Evaluate(Kolada(true, ("2024", 78m), ("2025", 83m)), PeriodRef.Parse("2025-T3")).Explanation.ShouldBeOfType<IndicatorAssessed>("its own year's value, once there");
    }

    [Fact]
    public void Without_the_flag_or_with_only_old_values_a_tertial_shows_nothing_measured()
    {
        Evaluate(Kolada(false, ("2025", 82.5m)), PeriodRef.Parse("2026-T1")).Explanation.ShouldBeOfType<NotMeasuredInPeriod>();
        Evaluate(Kolada(true, ("2021", 70m)), PeriodRef.Parse("2026-T1")).Explanation.ShouldBeOfType<NotMeasuredInPeriod>("more than three years back is not the latest available any more");
        Evaluate(Kolada(true, ("2027", 90m)), PeriodRef.Parse("2026-T1")).Explanation.ShouldBeOfType<NotMeasuredInPeriod>("a later year is not available in an earlier follow-up");
    }
}
