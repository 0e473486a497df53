using System.Globalization;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

/// <summary>
/// A full-year forecast measured against the year's target, said in Swedish and English, for every direction, for the
/// standard scale and a tenant's own (with and without its own forecast phrase and count forms), without a target and
/// for a neutral indicator.
/// </summary>
public class ForecastEvaluatorTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A tenant's own scale: keys outside the standard ones, with and without their own phrase and forms.</summary>
    private static readonly FulfilmentScale Traffic = new(
    [
        new ScaleStep("gron", "Grönt", 1m, false, ForecastPhrase: "ser ut att nås"),
        new ScaleStep("gul", "Gult", 0.5m, false, Plural: "gula", SingularCommon: "gul", SingularNeuter: "gult"),
        new ScaleStep("rod", "Rött", 0m, false),
        new ScaleStep("grå", "Ej bedömt", 0m, true),
    ]);

    private static readonly ThresholdRule TrafficRule = new([new("gron", 1.0m), new("gul", 0.8m)], "rod");

    private static IndicatorFacts Indicator(Direction direction, Dictionary<string, TargetFacts> targets, PeriodKind periodicity = PeriodKind.Year, string unit = "", int decimals = 1) =>
        new(Guid.NewGuid(), "Nöjda brukare", direction, periodicity, new Dictionary<string, decimal?>(), targets, unit, decimals);

    private static Dictionary<string, TargetFacts> Year(decimal value) => new() { ["2026"] = new(value) };

    [Theory]
    [InlineData(2.0, StandardScale.Met, "Prognos: uppfylls, 2,0 mot målet 2,0.", "Forecast: met, 2.0 against the target 2.0.")]
    [InlineData(1.6, StandardScale.PartlyMet, "Prognos: uppfylls delvis, 1,6 mot målet 2,0.", "Forecast: partly met, 1.6 against the target 2.0.")]
    [InlineData(1.0, StandardScale.NotMet, "Prognos: uppfylls inte, 1,0 mot målet 2,0.", "Forecast: not met, 1.0 against the target 2.0.")]
    public void Higher_is_better_forecast_is_measured_against_the_years_target(decimal forecast, string status, string swedish, string english)
    {
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2.0m)), forecast, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.StatusKey.ShouldBe(status);
        result.Target!.Value.ShouldBe(2.0m);
        result.Explanation.Swedish.ShouldBe(swedish);
        result.Explanation.In(English).ShouldBe(english);
    }

    [Theory]
    [InlineData(5.5, StandardScale.Met, "Prognos: uppfylls, 5,5 % mot målet 6,0 % (lägre är bättre).", "Forecast: met, 5.5 % against the target 6.0 % (lower is better).")]
    [InlineData(7.0, StandardScale.PartlyMet, "Prognos: uppfylls delvis, 7,0 % mot målet 6,0 % (lägre är bättre).", "Forecast: partly met, 7.0 % against the target 6.0 % (lower is better).")]
    [InlineData(9.0, StandardScale.NotMet, "Prognos: uppfylls inte, 9,0 % mot målet 6,0 % (lägre är bättre).", "Forecast: not met, 9.0 % against the target 6.0 % (lower is better).")]
    public void Lower_is_better_forecast_says_so(decimal forecast, string status, string swedish, string english)
    {
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.LowerIsBetter, Year(6.0m), unit: "%"), forecast, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.StatusKey.ShouldBe(status);
        result.Explanation.Swedish.ShouldBe(swedish);
        result.Explanation.In(English).ShouldBe(english);
    }

    [Theory]
    [InlineData(95, StandardScale.Met)]
    [InlineData(85, StandardScale.PartlyMet)]
    [InlineData(130, StandardScale.NotMet)]
    public void Range_forecast_is_met_inside_the_range(decimal forecast, string status)
    {
        var indicator = Indicator(Direction.TargetRange, new() { ["2026"] = new(null, 90m, 100m) }, unit: "%", decimals: 0);

        var result = ForecastEvaluator.Evaluate(indicator, forecast, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.StatusKey.ShouldBe(status);
        result.Explanation.Swedish.ShouldEndWith($"{forecast} % mot målintervallet 90 %–100 %.");
        result.Explanation.In(English).ShouldEndWith($"{forecast} % against the target range 90 %–100 %.");
    }

    [Fact]
    public void Neutral_indicator_forecast_gets_no_status()
    {
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.Neutral, Year(2m)), 1234.5m, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.StatusKey.ShouldBeNull();
        result.Achievement.ShouldBeNull();
        result.Explanation.Swedish.ShouldBe("Prognos för helåret 2026: 1\u00a0234,5. Neutral indikator: följs utan bedömning.");
        result.Explanation.In(English).ShouldBe("Full-year forecast 2026: 1,234.5. Neutral indicator: followed without assessment.");
    }

    [Fact]
    public void Forecast_without_a_target_for_the_year_says_so_and_gets_no_status()
    {
        // Last year's target does not count for this year.
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, new() { ["2025"] = new(2m) }), 1.6m, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.StatusKey.ShouldBeNull();
        result.Explanation.ShouldBeOfType<ForecastTargetMissing>();
        result.Explanation.Swedish.ShouldBe("Prognos för helåret 2026: 1,6, men målvärde för 2026 saknas.");
        result.Explanation.In(English).ShouldBe("Full-year forecast 2026: 1.6, but no target for 2026.");
    }

    [Fact]
    public void Target_of_the_period_that_closes_the_year_is_used_when_there_is_no_yearly_one()
    {
        var indicator = Indicator(Direction.HigherIsBetter, new() { ["2026-T1"] = new(1m), ["2026-T3"] = new(2m) }, PeriodKind.Tertial);

        var result = ForecastEvaluator.Evaluate(indicator, 1.6m, 2026, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.Target!.Value.ShouldBe(2m);
        result.StatusKey.ShouldBe(StandardScale.PartlyMet);
        ForecastEvaluator.TargetKeys(PeriodKind.Tertial, 2026).ShouldBe(["2026", "2026-T3"]);
    }

    [Fact]
    public void Indicators_own_thresholds_decide_over_the_models()
    {
        var indicator = Indicator(Direction.HigherIsBetter, Year(2m)) with { Thresholds = new ThresholdRule([new(StandardScale.Met, 0.75m)], StandardScale.NotMet) };

        ForecastEvaluator.Evaluate(indicator, 1.6m, 2026, FulfilmentScale.Standard, ThresholdRule.Standard).StatusKey.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void A_levels_own_forecast_phrase_is_used()
    {
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2m)), 2.2m, 2026, Traffic, TrafficRule);

        result.StatusKey.ShouldBe("gron");
        result.Explanation.Swedish.ShouldBe("Prognos: ser ut att nås, 2,2 mot målet 2,0.");
        result.Explanation.In(English).ShouldBe("Forecast: expected to be Grönt, 2.2 against the target 2.0.");
    }

    [Fact]
    public void Without_a_phrase_the_singular_en_word_form_follows_bedoms_bli()
    {
        // "indikator" is an en-word: the level's singular common form ("gul"), not its label ("Gult") or plural.
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2m)), 1.6m, 2026, Traffic, TrafficRule);

        result.StatusKey.ShouldBe("gul");
        result.Explanation.Swedish.ShouldBe("Prognos: bedöms bli gul, 1,6 mot målet 2,0.");
        result.Explanation.In(English).ShouldBe("Forecast: expected to be Gult, 1.6 against the target 2.0.");
    }

    [Fact]
    public void Without_a_phrase_or_forms_the_label_in_lower_case_is_said()
    {
        var result = ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2m)), 0.5m, 2026, Traffic, TrafficRule);

        result.StatusKey.ShouldBe("rod");
        result.Explanation.Swedish.ShouldBe("Prognos: bedöms bli rött, 0,5 mot målet 2,0.");
    }

    [Fact]
    public void A_standard_key_with_a_custom_label_keeps_the_standard_phrase_unless_it_has_its_own()
    {
        var scale = new FulfilmentScale(
        [
            new ScaleStep(StandardScale.Met, "Grönt", 1m, false),
            new ScaleStep(StandardScale.PartlyMet, "Gult", 0.5m, false, ForecastPhrase: "  nås nästan  "),
            new ScaleStep(StandardScale.NotMet, "Rött", 0m, false),
            new ScaleStep(StandardScale.NotAssessed, "Grått", 0m, true),
        ]);

        ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2m)), 2m, 2026, scale, ThresholdRule.Standard).Explanation.Swedish
            .ShouldBe("Prognos: uppfylls, 2,0 mot målet 2,0.");
        ForecastEvaluator.Evaluate(Indicator(Direction.HigherIsBetter, Year(2m)), 1.6m, 2026, scale, ThresholdRule.Standard).Explanation.Swedish
            .ShouldBe("Prognos: nås nästan, 1,6 mot målet 2,0.");
    }

    [Fact]
    public void The_assessment_resting_on_the_forecast_is_said_in_both_languages()
    {
        new AssessmentBasedOnForecast().Swedish.ShouldBe("Bedömningen bygger på helårsprognosen.");
        new AssessmentBasedOnForecast().In(English).ShouldBe("The assessment rests on the full-year forecast.");
    }
}
