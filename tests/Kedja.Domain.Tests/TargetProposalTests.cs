using Kedja.Domain.Indicators;
using Kedja.Domain.Planning;

namespace Kedja.Domain.Tests;

/// <summary>Proposals of next year's targets (issue 16): the last target, a trend from yearly outcomes, too few points, clamping, rounding, every direction.</summary>
public class TargetProposalTests
{
    private static TargetFacts Facts(Direction direction, int decimals = 1, decimal? min = null, decimal? max = null, KnownTarget? last = null, params (int Year, decimal Value)[] outcomes) =>
        new(direction, decimals, min, max, last, [.. outcomes.Select(o => new YearOutcome(o.Year, o.Value))]);

    [Fact]
    public void The_last_target_is_carried_with_its_key_in_the_explanation()
    {
        var set = TargetProposals.For(Facts(Direction.HigherIsBetter, last: new KnownTarget("2026", 82.5m, null, null)), 2027);
        var p = set.Best.ShouldNotBeNull();
        p.Kind.ShouldBe(ProposalKind.LastTarget);
        p.Value.ShouldBe(82.5m);
        p.Explanation.ShouldBe("Samma mål som 2026: 82,5.");
        set.Missing.ShouldBe("För få årsutfall för en trend: 0 av minst 3.");
    }

    [Fact]
    public void A_range_target_is_carried_as_a_range_and_gets_no_trend()
    {
        var set = TargetProposals.For(Facts(Direction.TargetRange, 0, last: new KnownTarget("2026", null, 10m, 20m), outcomes: [(2023, 12m), (2024, 14m), (2025, 16m)]), 2027);
        set.Proposals.Count.ShouldBe(1);
        set.Best!.Min.ShouldBe(10m);
        set.Best.Max.ShouldBe(20m);
        set.Best.Explanation.ShouldBe("Samma mål som 2026: 10–20.");
        set.Missing.ShouldBe("Målet är ett intervall; ingen trend föreslås.");
    }

    [Fact]
    public void A_neutral_indicator_gets_no_trend()
    {
        var set = TargetProposals.For(Facts(Direction.Neutral, outcomes: [(2023, 1m), (2024, 2m), (2025, 3m)]), 2027);
        set.Proposals.ShouldBeEmpty();
        set.Missing.ShouldBe("Måttet följs utan att bedömas; ingen trend föreslås som mål.");
    }

    [Fact]
    public void Two_yearly_outcomes_are_too_few_for_a_trend()
    {
        var (trend, missing) = TargetProposals.Trend(Facts(Direction.HigherIsBetter, outcomes: [(2025, 10m), (2026, 12m)]), 2027);
        trend.ShouldBeNull();
        missing.ShouldBe("För få årsutfall för en trend: 2 av minst 3.");
    }

    [Fact]
    public void Outcomes_of_the_planned_year_or_later_do_not_count_and_a_year_counts_once()
    {
        var (trend, missing) = TargetProposals.Trend(Facts(Direction.HigherIsBetter, outcomes: [(2025, 10m), (2026, 12m), (2026, 13m), (2027, 50m)]), 2027);
        trend.ShouldBeNull();
        missing.ShouldBe("För få årsutfall för en trend: 2 av minst 3.");
    }

    [Fact]
    public void A_rising_trend_is_projected_to_the_planned_year_and_explained()
    {
        // 10, 12, 14 over 2024–2026: +2 a year, so 16 in 2027.
        var (trend, _) = TargetProposals.Trend(Facts(Direction.HigherIsBetter, 0, outcomes: [(2024, 10m), (2025, 12m), (2026, 14m)]), 2027);
        trend.ShouldNotBeNull();
        trend.Value.ShouldBe(16m);
        trend.Clamped.ShouldBeFalse();
        trend.Explanation.ShouldBe("Trend från 3 årsutfall 2024–2026: förbättras med 2,0 per år, vilket ger 16 år 2027.");
    }

    [Fact]
    public void Least_squares_fits_a_line_through_scattered_points_and_skips_a_missing_year()
    {
        // (2022, 10), (2023, 14), (2025, 15), (2026, 19): slope 1.9, mean (2024, 14.5) → 2027: 14.5 + 3·1.9 = 20.2.
        var (trend, _) = TargetProposals.Trend(Facts(Direction.HigherIsBetter, 1, outcomes: [(2022, 10m), (2023, 14m), (2025, 15m), (2026, 19m)]), 2027);
        trend!.Value.ShouldBe(20.2m);
    }

    [Fact]
    public void The_trend_is_rounded_to_the_indicators_decimals_away_from_zero()
    {
        // 1.00, 1.10, 1.20 → 1.30 in 2027 at two decimals; 1.5, 2.0, 2.0 → 2.33 at none gives 2.
        TargetProposals.Trend(Facts(Direction.HigherIsBetter, 2, outcomes: [(2024, 1.00m), (2025, 1.10m), (2026, 1.20m)]), 2027).Proposal!.Value.ShouldBe(1.30m);
        TargetProposals.Trend(Facts(Direction.HigherIsBetter, 0, outcomes: [(2024, 1.5m), (2025, 2.0m), (2026, 2.0m)]), 2027).Proposal!.Value.ShouldBe(2m);
        // 2.25 + 0.25 = 2.5 exactly: away from zero gives 3, banker's rounding would give 2.
        TargetProposals.Trend(Facts(Direction.HigherIsBetter, 0, outcomes: [(2023, 1.75m), (2024, 2.0m), (2025, 2.25m)]), 2026).Proposal!.Value.ShouldBe(3m);
    }

    [Fact]
    public void A_trend_beyond_the_plausible_range_is_clamped_and_says_so()
    {
        var (up, _) = TargetProposals.Trend(Facts(Direction.HigherIsBetter, 0, 0m, 100m, outcomes: [(2024, 80m), (2025, 90m), (2026, 100m)]), 2027);
        up!.Value.ShouldBe(100m);
        up.Clamped.ShouldBeTrue();
        up.Explanation.ShouldEndWith("Begränsat till måttets rimliga intervall 0–100.");
        var (down, _) = TargetProposals.Trend(Facts(Direction.LowerIsBetter, 0, 0m, 100m, outcomes: [(2024, 20m), (2025, 10m), (2026, 2m)]), 2027);
        down!.Value.ShouldBe(0m);
        down.Clamped.ShouldBeTrue();
    }

    [Fact]
    public void A_last_target_outside_a_narrowed_range_is_clamped_too()
    {
        var p = TargetProposals.LastTarget(Facts(Direction.HigherIsBetter, 0, 0m, 100m, new KnownTarget("2026", 120m, null, null)), 2027)!;
        p.Value.ShouldBe(100m);
        p.Clamped.ShouldBeTrue();
    }

    [Theory]
    [InlineData(Direction.HigherIsBetter, 10, 12, 14, "förbättras")]
    [InlineData(Direction.HigherIsBetter, 14, 12, 10, "försämras")]
    [InlineData(Direction.LowerIsBetter, 14, 12, 10, "förbättras")]
    [InlineData(Direction.LowerIsBetter, 10, 12, 14, "försämras")]
    [InlineData(Direction.LowerIsBetter, 10, 10, 10, "oförändrad")]
    public void The_trend_says_whether_it_improves_in_the_indicators_direction(Direction direction, int a, int b, int c, string word)
    {
        var (trend, _) = TargetProposals.Trend(Facts(direction, 0, outcomes: [(2024, a), (2025, b), (2026, c)]), 2027);
        trend!.Explanation.ShouldContain(word);
    }

    [Theory]
    [InlineData(Direction.HigherIsBetter, 15, ProposalKind.Trend)]
    [InlineData(Direction.HigherIsBetter, 20, ProposalKind.LastTarget)]
    [InlineData(Direction.LowerIsBetter, 20, ProposalKind.Trend)]
    [InlineData(Direction.LowerIsBetter, 15, ProposalKind.LastTarget)]
    public void The_trend_is_offered_first_only_when_it_is_at_least_as_good_as_the_last_target(Direction direction, int lastTarget, ProposalKind first)
    {
        // The trend gives 16 (higher) or 16 (lower, falling from 22) in 2027.
        (int, decimal)[] outcomes = direction == Direction.HigherIsBetter ? [(2024, 10m), (2025, 12m), (2026, 14m)] : [(2024, 22m), (2025, 20m), (2026, 18m)];
        var set = TargetProposals.For(Facts(direction, 0, last: new KnownTarget("2026", lastTarget, null, null), outcomes: outcomes), 2027);
        set.Proposals.Count.ShouldBe(2);
        set.Best!.Kind.ShouldBe(first);
    }
}
