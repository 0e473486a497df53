using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

public class PeriodRefTests
{
    [Theory]
    [InlineData("2025", PeriodKind.Year, 1, "2025-01-01", "2025-12-31", "Helår 2025")]
    [InlineData("2025-T1", PeriodKind.Tertial, 1, "2025-01-01", "2025-04-30", "T1 2025")]
    [InlineData("2025-T2", PeriodKind.Tertial, 2, "2025-05-01", "2025-08-31", "T2 2025")]
    [InlineData("2025-T3", PeriodKind.Tertial, 3, "2025-09-01", "2025-12-31", "T3 2025")]
    [InlineData("2024-Q1", PeriodKind.Quarter, 1, "2024-01-01", "2024-03-31", "Kvartal 1 2024")]
    [InlineData("2024-H2", PeriodKind.HalfYear, 2, "2024-07-01", "2024-12-31", "Halvår 2 2024")]
    [InlineData("2024-D", PeriodKind.Interim, 8, "2024-01-01", "2024-08-31", "Delår 2024")]
    [InlineData("2024-02", PeriodKind.Month, 2, "2024-02-01", "2024-02-29", "februari 2024")]
    public void Parses_keys_into_calendar_ranges(string key, PeriodKind kind, int number, string start, string end, string label)
    {
        var period = PeriodRef.Parse(key);

        period.Kind.ShouldBe(kind);
        period.Number.ShouldBe(number);
        period.Start.ShouldBe(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        period.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        period.Label.ShouldBe(label);
        period.Key.ShouldBe(key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("25")]
    [InlineData("2025-T4")]
    [InlineData("2025-Q0")]
    [InlineData("2025-13")]
    [InlineData("2025-X1")]
    [InlineData("2025T1")]
    [InlineData("abcd")]
    public void Rejects_malformed_keys(string key)
    {
        PeriodRef.TryParse(key, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => PeriodRef.Parse(key)).Message.ShouldContain("Ogiltig period");
    }

    [Fact]
    public void Calendar_for_interim_and_annual_holds_delar_and_year()
    {
        PeriodRef.CalendarFor(FollowUpCadence.InterimAndAnnual, 2025).Select(p => p.Key).ShouldBe(["2025-D", "2025"]);
        PeriodRef.CalendarFor(FollowUpCadence.Tertial, 2025).Select(p => p.Key).ShouldBe(["2025-T1", "2025-T2", "2025-T3"]);
    }

    [Fact]
    public void Only_periods_closing_the_year_count_as_annual()
    {
        PeriodRef.Parse("2025-T3").ClosesYear.ShouldBeTrue();
        PeriodRef.Parse("2025").ClosesYear.ShouldBeTrue();
        PeriodRef.Parse("2025-T2").ClosesYear.ShouldBeFalse();
        PeriodRef.Parse("2025-D").ClosesYear.ShouldBeFalse();
    }

    [Fact]
    public void Ending_within_finds_the_months_of_a_tertial()
    {
        var t2 = PeriodRef.Parse("2025-T2");
        PeriodRef.EndingWithin(PeriodKind.Month, t2.Start, t2.End).Select(p => p.Key)
            .ShouldBe(["2025-05", "2025-06", "2025-07", "2025-08"]);
        PeriodRef.EndingWithin(PeriodKind.Year, t2.Start, t2.End).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("2026-T1", "2025-T3")]
    [InlineData("2026-T3", "2026-T2")]
    [InlineData("2026", "2025")]
    [InlineData("2026-01", "2025-12")]
    [InlineData("2026-Q1", "2025-Q4")]
    [InlineData("2026-H2", "2026-H1")]
    [InlineData("2026-D", "2025-D")]
    public void The_period_before_is_of_the_same_kind_and_crosses_the_year(string key, string before) =>
        PeriodRef.Parse(key).Previous().Key.ShouldBe(before);
}
