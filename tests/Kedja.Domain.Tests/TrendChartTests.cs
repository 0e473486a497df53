using System.Globalization;
using System.Xml.Linq;
using Kedja.Domain.Charts;

namespace Kedja.Domain.Tests;

/// <summary>An indicator's trend drawn as SVG: a line over several periods, a visible marker with its figure for one.</summary>
public class TrendChartTests
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    private static (XElement Svg, XNamespace Ns) Draw(params TrendPoint[] points)
    {
        var svg = XElement.Parse(SvgChart.Render(new TrendChart("Utlån per invånare", "st", points), "beskrivning", Swedish));
        return (svg, svg.Name.Namespace);
    }

    [Fact]
    public void A_single_period_is_a_marker_with_its_figure_under_its_name_and_its_target_a_dashed_level()
    {
        var (svg, ns) = Draw(new TrendPoint("T2 2026", 12.5m, 15m));

        var marker = svg.Elements(ns + "circle").ShouldHaveSingleItem();
        double.Parse(marker.Attribute("r")!.Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(4);
        var texts = svg.Elements(ns + "text").Select(t => t.Value).ToList();
        texts.Count(t => t == "T2 2026").ShouldBe(1, "the period is named once, not as both first and last");
        texts.ShouldContain("12,5");
        texts.ShouldContain("15");
        svg.Elements(ns + "polyline").ShouldBeEmpty("a line of one point draws nothing");
        var level = svg.Elements(ns + "line").Single(l => l.Attribute("stroke-dasharray") is not null);
        (double.Parse(level.Attribute("x2")!.Value, CultureInfo.InvariantCulture) - double.Parse(level.Attribute("x1")!.Value, CultureInfo.InvariantCulture)).ShouldBeGreaterThan(100);
    }

    [Fact]
    public void A_single_value_without_a_target_writes_no_made_up_axis_figures()
    {
        var (svg, ns) = Draw(new TrendPoint("2026", 12.5m, null));

        svg.Elements(ns + "text").Select(t => t.Value).ShouldBe(["2026", "12,5"], ignoreOrder: true);
    }

    [Fact]
    public void Several_periods_are_a_line_named_by_their_first_and_last_period_and_the_lowest_and_highest_figure()
    {
        var (svg, ns) = Draw(new TrendPoint("T1 2026", 10m, 12m), new TrendPoint("T2 2026", 11m, 12m), new TrendPoint("T3 2026", 13m, 12m));

        svg.Elements(ns + "polyline").Count().ShouldBe(2);
        svg.Elements(ns + "circle").Count().ShouldBe(3);
        svg.Elements(ns + "text").Select(t => t.Value).ShouldBe(["13", "10", "T1 2026", "T3 2026"]);
    }

    [Fact]
    public void An_indicators_trend_has_its_own_kinds_periods_in_order_and_a_years_target_stands_for_each_tertial_of_it()
    {
        var outcomes = new Dictionary<string, decimal?> { ["2026-T1"] = 3m, ["2025-T3"] = 2m, ["2025"] = 99m, ["2025-T2"] = null };
        var targets = new Dictionary<string, decimal?> { ["2025"] = 5m, ["2026-T1"] = 6m, ["2026-T2"] = 7m };

        var chart = TrendChart.ForIndicator("Utlån", "st", Periods.PeriodKind.Tertial, outcomes, targets, Swedish);

        chart.Points.ShouldBe([new("T2 2025", null, 5m), new("T3 2025", 2m, 5m), new("T1 2026", 3m, 6m), new("T2 2026", null, 7m)]);
        TrendChart.IndicatorKeys(Periods.PeriodKind.Tertial, outcomes.Keys, targets.Keys).ShouldBe(["2025-T2", "2025-T3", "2026-T1", "2026-T2"]);
        TrendChart.ForIndicator("Utlån", "st", Periods.PeriodKind.Year, outcomes, targets, Swedish).Points
            .ShouldBe([new("Helår 2025", 99m, 5m)], "a yearly indicator has only the year's points");
    }
}
