using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

/// <summary>The calendar as municipalities have it (issue 16): the delår's chosen month and forecast-only periods.</summary>
public class CalendarPeriodTests
{
    [Theory]
    [InlineData("2026-D", 8, "2026-08-31", "Delår 2026", "Interim 2026")]
    [InlineData("2026-D04", 4, "2026-04-30", "Delår jan–apr 2026", "Interim Jan–Apr 2026")]
    [InlineData("2026-D07", 7, "2026-07-31", "Delår jan–juli 2026", "Interim Jan–Jul 2026")]
    [InlineData("2026-D03", 3, "2026-03-31", "Delår jan–mars 2026", "Interim Jan–Mar 2026")]
    [InlineData("2026-D11", 11, "2026-11-30", "Delår jan–nov 2026", "Interim Jan–Nov 2026")]
    public void A_delar_ends_with_its_month_and_August_keeps_the_old_key(string key, int month, string end, string label, string english)
    {
        var period = PeriodRef.Parse(key);

        period.Kind.ShouldBe(PeriodKind.Interim);
        period.Number.ShouldBe(month);
        period.Start.ShouldBe(new DateOnly(2026, 1, 1));
        period.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        period.Label.ShouldBe(label);
        period.EnglishLabel.ShouldBe(english);
        period.Key.ShouldBe(key);
        PeriodRef.Interim(2026, month).Key.ShouldBe(key);
        period.ClosesYear.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2026-P02", 2, "2026-02-28", "Prognos februari 2026", "Forecast February 2026")]
    [InlineData("2026-P10", 10, "2026-10-31", "Prognos oktober 2026", "Forecast October 2026")]
    [InlineData("2024-P02", 2, "2024-02-29", "Prognos februari 2024", "Forecast February 2024")]
    public void A_forecast_period_runs_from_January_to_the_end_of_its_month(string key, int month, string end, string label, string english)
    {
        var period = PeriodRef.Parse(key);

        period.ShouldBe(PeriodRef.Forecast(period.Year, month));
        period.Kind.ShouldBe(PeriodKind.Forecast);
        period.Start.ShouldBe(new DateOnly(period.Year, 1, 1));
        period.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        period.Label.ShouldBe(label);
        period.EnglishLabel.ShouldBe(english);
        period.Key.ShouldBe(key);
        period.ClosesYear.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2026-D08")]
    [InlineData("2026-D02")]
    [InlineData("2026-D12")]
    [InlineData("2026-D4")]
    [InlineData("2026-D004")]
    [InlineData("2026-P00")]
    [InlineData("2026-P12")]
    [InlineData("2026-P")]
    [InlineData("2026-PXX")]
    [InlineData("2026-d04")]
    public void Keys_that_name_no_period_or_a_second_key_for_one_are_refused(string key)
    {
        PeriodRef.TryParse(key, out _).ShouldBeFalse();
        Should.Throw<ArgumentOutOfRangeException>(() => PeriodRef.Interim(2026, 12));
        Should.Throw<ArgumentOutOfRangeException>(() => PeriodRef.Interim(2026, 2));
        Should.Throw<ArgumentOutOfRangeException>(() => PeriodRef.Forecast(2026, 12));
    }

    [Fact]
    public void Every_key_of_every_kind_reads_back_as_itself()
    {
        var all = new List<PeriodRef> { PeriodRef.ForYear(2026) };
        all.AddRange(Enumerable.Range(1, 12).Select(m => new PeriodRef(2026, PeriodKind.Month, m)));
        all.AddRange(Enumerable.Range(1, 4).Select(q => new PeriodRef(2026, PeriodKind.Quarter, q)));
        all.AddRange(Enumerable.Range(1, 3).Select(t => new PeriodRef(2026, PeriodKind.Tertial, t)));
        all.AddRange(Enumerable.Range(1, 2).Select(h => new PeriodRef(2026, PeriodKind.HalfYear, h)));
        all.AddRange(Enumerable.Range(3, 9).Select(m => PeriodRef.Interim(2026, m)));
        all.AddRange(Enumerable.Range(1, 11).Select(m => PeriodRef.Forecast(2026, m)));

        foreach (var period in all)
        {
            PeriodRef.Parse(period.Key).ShouldBe(period);
        }

        all.Select(p => p.Key).Distinct().Count().ShouldBe(all.Count);
    }

    [Fact]
    public void Periods_ending_the_same_day_are_ordered_month_forecast_delar()
    {
        var keys = new[] { "2026-D", "2026-P08", "2026-08", "2026-T2", "2026-P01", "2026-01", "2026-D04", "2026-T1", "2026-04" };

        keys.Select(PeriodRef.Parse).Order().Select(p => p.Key)
            .ShouldBe(["2026-01", "2026-P01", "2026-04", "2026-T1", "2026-D04", "2026-08", "2026-T2", "2026-P08", "2026-D"]);
        (PeriodRef.Parse("2026-P08") < PeriodRef.Parse("2026-D")).ShouldBeTrue();
        (PeriodRef.Parse("2026-08") < PeriodRef.Parse("2026-P08")).ShouldBeTrue();
        PeriodRef.Parse("2026-P08").CompareTo(PeriodRef.Parse("2026-P08")).ShouldBe(0);
    }

    [Fact]
    public void No_outcome_is_read_from_a_forecast_period()
    {
        var year = PeriodRef.ForYear(2026);

        PeriodRef.EndingWithin(PeriodKind.Forecast, year.Start, year.End).ShouldBeEmpty();
        year.PeriodsEndingWithin().ShouldNotContain(p => p.Kind == PeriodKind.Forecast);

        // A forecast period reads the outcomes to date (the months, the delår that has ended) but no forecast period.
        var october = PeriodRef.Parse("2026-P10").PeriodsEndingWithin().Select(p => p.Key).ToList();
        october.ShouldContain("2026-10");
        october.ShouldContain("2026-D");
        october.ShouldContain("2026-D04");
        october.ShouldNotContain("2026-P10");
        october.ShouldNotContain("2026-P02");
        october.ShouldNotContain("2026-D11");
    }

    [Fact]
    public void A_delar_of_any_month_is_among_the_periods_a_follow_up_reads()
    {
        var t1 = PeriodRef.Parse("2026-T1");

        PeriodRef.EndingWithin(PeriodKind.Interim, t1.Start, t1.End).Select(p => p.Key).ShouldBe(["2026-D03", "2026-D04"]);
        PeriodRef.Parse("2026-D04").PeriodsEndingWithin().Select(p => p.Key).ShouldContain("2026-D04");
        PeriodRef.Parse("2026").PeriodsEndingWithin().Count(p => p.Kind == PeriodKind.Interim).ShouldBe(9);
    }

    [Theory]
    [InlineData(4, "2026-D04")]
    [InlineData(7, "2026-D07")]
    [InlineData(8, "2026-D")]
    public void The_calendar_of_an_interim_and_annual_model_has_the_chosen_delar(int month, string delar)
    {
        PeriodRef.CalendarFor(FollowUpCadence.InterimAndAnnual, 2026, month).Select(p => p.Key).ShouldBe([delar, "2026"]);
        PeriodRef.CalendarFor(FollowUpCadence.Tertial, 2026, month).Select(p => p.Key).ShouldBe(["2026-T1", "2026-T2", "2026-T3"]);
    }

    [Theory]
    [InlineData("2026-D04", "2025-D04")]
    [InlineData("2026-D", "2025-D")]
    [InlineData("2026-P10", "2025-P10")]
    public void The_period_before_a_delar_or_forecast_ends_with_the_same_month_a_year_earlier(string key, string before) =>
        PeriodRef.Parse(key).Previous().Key.ShouldBe(before);

    [Fact]
    public void A_result_is_never_reported_in_a_forecast_period()
    {
        var calendar = new[] { Period("2026-T1"), Period("2026-P02"), Period("2026-T2"), Period("2026-P10"), Period("2026-T3") };

        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2026-02"), calendar)!.Key.ShouldBe("2026-T1");
        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2026-10"), calendar)!.Key.ShouldBe("2026-T3");
        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2026-P10"), calendar)!.Key.ShouldBe("2026-T3");
    }

    [Fact]
    public void Companies_followed_up_at_the_delar_are_followed_up_at_the_delar_of_any_month()
    {
        List<CadenceOverride> overrides = [new(UnitKind.Company, FollowUpCadence.InterimAndAnnual)];

        CadenceOverride.FollowsUp(overrides, UnitKind.Company, PeriodRef.Parse("2026-D04")).ShouldBeTrue();
        CadenceOverride.FollowsUp(overrides, UnitKind.Company, PeriodRef.Parse("2026-D")).ShouldBeTrue();
        CadenceOverride.FollowsUp(overrides, UnitKind.Company, PeriodRef.Parse("2026-T1")).ShouldBeFalse();
        CadenceOverride.FollowsUp(overrides, UnitKind.Company, PeriodRef.Parse("2026")).ShouldBeTrue();
    }

    [Fact]
    public void An_indicator_measured_at_the_delar_is_assessed_on_the_delar_the_municipality_reported()
    {
        var indicator = new IndicatorFacts(Guid.NewGuid(), "Sjukfrånvaro", Direction.LowerIsBetter, PeriodKind.Interim,
            new Dictionary<string, decimal?> { ["2026-D04"] = 5m },
            new Dictionary<string, TargetFacts> { ["2026-D04"] = new(6m) });
        var year = PeriodRef.ForYear(2026);

        var result = IndicatorEvaluator.Evaluate(indicator, year.Start, year.End, FulfilmentScale.Standard, ThresholdRule.Standard);

        result.OutcomePeriod.ShouldBe("2026-D04");
        result.StatusKey.ShouldBe(StandardScale.Met);

        var none = IndicatorEvaluator.Evaluate(indicator with { Outcomes = new Dictionary<string, decimal?>() }, year.Start, year.End, FulfilmentScale.Standard, ThresholdRule.Standard);
        none.OutcomePeriod.ShouldBe("2026-D11");
    }

    private static FollowUpPeriod Period(string key)
    {
        var r = PeriodRef.Parse(key);
        return new FollowUpPeriod { Key = key, Name = r.Label, Year = r.Year, Kind = r.Kind, StartDate = r.Start, EndDate = r.End };
    }
}
