using System.Xml.Linq;
using Kedja.Domain.Charts;

namespace Kedja.Domain.Tests;

/// <summary>Goal fulfilment per perspective: counted in the scale's order and drawn as bars whose parts match the counts.</summary>
public class FulfilmentChartTests
{
    private static readonly FulfilmentStep[] Steps =
    [
        new("uppfyllt", "Uppfyllt", "#1e7b34", "●"),
        new("delvis", "Delvis uppfyllt", "#b25e00", "◐"),
        new("ej", "Ej uppfyllt", "#b3261e", "○"),
        new("ej-bedomt", "Ej bedömt", "#5f6368", "–"),
    ];

    [Fact]
    public void Goals_are_counted_per_group_in_the_scales_order_and_unknown_statuses_are_left_out()
    {
        var chart = FulfilmentChart.Of("Måluppfyllelse", Steps,
        [
            ("Invånare", ["delvis", "uppfyllt", "uppfyllt", "okänd"]),
            ("Medarbetare", ["ej-bedomt"]),
            ("Ekonomi", []),
        ]);

        chart.Rows.Select(r => r.Counts.ToArray()).ShouldBe([[2, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]]);
        chart.Rows.Select(r => r.Total).ShouldBe([3, 1, 0]);
        chart.HasGoals.ShouldBeTrue();
        FulfilmentChart.Of("Tom", Steps, [("Ekonomi", [])]).HasGoals.ShouldBeFalse();
    }

    [Fact]
    public void Each_bar_is_split_in_proportion_with_symbol_and_count_and_the_chart_is_described_in_words()
    {
        var chart = FulfilmentChart.Of("Måluppfyllelse <T2>", Steps, [("Invånare", ["uppfyllt", "uppfyllt", "uppfyllt", "ej"]), ("Tom", [])]);

        var svg = XElement.Parse(SvgChart.Render(chart, "Invånare: Uppfyllt 3, Ej uppfyllt 1", width: 570));
        XNamespace ns = svg.Name.Namespace;
        svg.Attribute("role")!.Value.ShouldBe("img");
        svg.Element(ns + "title")!.Value.ShouldBe("Måluppfyllelse <T2>");
        svg.Element(ns + "desc")!.Value.ShouldBe("Invånare: Uppfyllt 3, Ej uppfyllt 1");
        var parts = svg.Elements(ns + "rect").Select(r => (Fill: r.Attribute("fill")!.Value, Width: double.Parse(r.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        parts.Select(p => p.Fill).ShouldBe(["#1e7b34", "#b3261e"], "the empty row draws no bar");
        (parts[0].Width / parts[1].Width).ShouldBe(3, 0.05);
        svg.Elements(ns + "text").Select(t => t.Value).ShouldContain("● 3");
        svg.Elements(ns + "text").Select(t => t.Value).ShouldContain("○ 1");
    }
}
