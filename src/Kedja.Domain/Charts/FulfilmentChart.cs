using System.Globalization;
using System.Text;

namespace Kedja.Domain.Charts;

/// <summary>One step of the scale as a chart shows it: its colour, and its symbol and label so that colour is never alone.</summary>
public sealed record FulfilmentStep(string Key, string Label, string Colour, string Symbol);

/// <summary>A perspective's (or area's) goals counted per step, in the order of <see cref="FulfilmentChart.Steps"/>.</summary>
public sealed record FulfilmentRow(string Name, IReadOnlyList<int> Counts)
{
    public int Total => Counts.Sum();
}

/// <summary>
/// Goal fulfilment per perspective or area: how many goals are at each step of the scale. The one chart model the
/// scorecard draws now and the reports (issue 10) and the portal (issue 13) will draw later.
/// </summary>
public sealed record FulfilmentChart(string Title, IReadOnlyList<FulfilmentStep> Steps, IReadOnlyList<FulfilmentRow> Rows)
{
    /// <summary>The chart of groups of statuses: one row per group, the steps in the scale's order; statuses outside the scale are left out.</summary>
    public static FulfilmentChart Of(string title, IReadOnlyList<FulfilmentStep> steps, IEnumerable<(string Name, IEnumerable<string> StatusKeys)> groups) =>
        new(title, steps, [.. groups.Select(g =>
        {
            var keys = g.StatusKeys.ToList();
            return new FulfilmentRow(g.Name, [.. steps.Select(s => keys.Count(k => k == s.Key))]);
        })]);

    public bool HasGoals => Rows.Any(r => r.Total > 0);
}

public static partial class SvgChart
{
    /// <summary>
    /// Draws a <see cref="FulfilmentChart"/> as inline SVG: one bar per row, split by step in the step's colour, each
    /// part wide enough carrying its count and the step's symbol. role="img" with a title and a description in words;
    /// the numbers themselves belong in a table beside it.
    /// </summary>
    public static string Render(FulfilmentChart chart, string description, int width = 560)
    {
        const int barHeight = 22, gap = 10, nameWidth = 170, top = 4;
        var rows = chart.Rows.Where(r => r.Total > 0).ToList();
        var height = top + (rows.Count * (barHeight + gap));
        var id = "f" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart fulfilment\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}t {id}d\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}t\">{Escape(chart.Title)}</title><desc id=\"{id}d\">{Escape(description)}</desc>");
        var barWidth = width - nameWidth - 4;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var y = top + (r * (barHeight + gap));
            var name = row.Name.Length > 26 ? row.Name[..25] + "…" : row.Name;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\" font-size=\"12\" fill=\"#1b1b1f\">{Escape(name)}</text>");
            double x = nameWidth;
            for (var s = 0; s < chart.Steps.Count; s++)
            {
                var count = row.Counts[s];
                if (count == 0)
                {
                    continue;
                }

                var w = barWidth * (double)count / row.Total;
                var step = chart.Steps[s];
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{barHeight}\" fill=\"{Escape(step.Colour)}\" stroke=\"#ffffff\"/>");
                if (w >= 34)
                {
                    // White text with a dark outline reads on light and dark step colours alike.
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (w / 2):0.#}\" y=\"{y + 15}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#ffffff\" stroke=\"#1b1b1f\" stroke-width=\"2.5\" paint-order=\"stroke\">{Escape($"{step.Symbol} {count}".Trim())}</text>");
                }

                x += w;
            }
        }

        return svg.Append("</svg>").ToString();
    }
}
