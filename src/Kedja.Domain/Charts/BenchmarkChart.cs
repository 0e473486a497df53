using System.Globalization;
using System.Text;

namespace Kedja.Domain.Charts;

/// <summary>One municipality's value in a comparison; <see cref="IsOwn"/> marks the one compared (also said in its label).</summary>
public sealed record BenchmarkBar(string Label, decimal? Value, bool IsOwn);

/// <summary>
/// A key figure for one year across municipalities, with the comparison set's quartiles and median: the chart model the
/// benchmarking page draws now and reports may draw later. The caller orders the bars and words the labels.
/// </summary>
public sealed record BenchmarkChart(string Title, IReadOnlyList<BenchmarkBar> Bars, decimal? LowerQuartile, decimal? Median, decimal? UpperQuartile)
{
    public bool HasValues => Bars.Any(b => b.Value is not null);
}

public static partial class SvgChart
{
    private const string OtherBar = "#4f7aa5";
    private const string OwnBar = "#b34d00";

    /// <summary>
    /// Draws a <see cref="BenchmarkChart"/> as inline SVG: a horizontal bar per municipality with its figure written
    /// beside it, the own municipality in another colour and bold, the median as a solid and the quartiles as dashed
    /// lines across the bars, named in a legend under them. role="img" with a title and a description in words; the
    /// numbers themselves belong in a table beside it.
    /// </summary>
    /// <param name="medianLabel">The legend's words for the solid line ("Median").</param>
    /// <param name="quartilesLabel">The legend's words for the dashed lines ("Undre och övre kvartil").</param>
    public static string Render(BenchmarkChart chart, string description, CultureInfo culture, string medianLabel, string quartilesLabel, int width = 640)
    {
        const int barHeight = 16, gap = 6, nameWidth = 250, valueWidth = 70, top = 4, legend = 26;
        var height = top + (chart.Bars.Count * (barHeight + gap)) + legend;
        var id = "b" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart benchmark\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}t {id}d\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}t\">{Escape(chart.Title)}</title><desc id=\"{id}d\">{Escape(description)}</desc>");
        var figures = chart.Bars.Select(b => b.Value).Concat([chart.LowerQuartile, chart.Median, chart.UpperQuartile]).OfType<decimal>().ToList();
        if (figures.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }

        // Bars grow from zero, so that a negative result reads as one.
        var (low, high) = (Math.Min(0m, figures.Min()), Math.Max(0m, figures.Max()));
        if (low == high)
        {
            high = low + 1;
        }

        var (left, right) = (nameWidth, width - valueWidth);
        double X(decimal v) => left + ((double)(v - low) / (double)(high - low) * (right - left));
        var bottom = top + (chart.Bars.Count * (barHeight + gap));
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = top + (i * (barHeight + gap));
            var weight = bar.IsOwn ? " font-weight=\"bold\"" : "";
            var name = bar.Label.Length > 32 ? bar.Label[..31] + "…" : bar.Label;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 12}\" font-size=\"12\" fill=\"#1b1b1f\"{weight}>{Escape(name)}</text>");
            if (bar.Value is { } value)
            {
                var (from, to) = (X(Math.Min(0m, value)), X(Math.Max(0m, value)));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{from:0.#}\" y=\"{y}\" width=\"{Math.Max(1, to - from):0.#}\" height=\"{barHeight}\" fill=\"{(bar.IsOwn ? OwnBar : OtherBar)}\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width}\" y=\"{y + 12}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1b1b1f\"{weight}>{Escape(bar.Value is { } v ? v.ToString("#,0.##", culture) : "–")}</text>");
        }

        if (low < 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(0):0.#}\" y1=\"{top}\" x2=\"{X(0):0.#}\" y2=\"{bottom}\" stroke=\"#6b6b78\"/>");
        }

        void Across(decimal? at, string dash)
        {
            if (at is { } v)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(v):0.#}\" y1=\"{top - 2}\" x2=\"{X(v):0.#}\" y2=\"{bottom}\" stroke=\"#1b1b1f\" stroke-width=\"1.5\"{dash}/>");
            }
        }

        const string dashed = " stroke-dasharray=\"4 3\"";
        Across(chart.LowerQuartile, dashed);
        Across(chart.UpperQuartile, dashed);
        Across(chart.Median, "");
        if (chart.Median is not null)
        {
            var y = bottom + 14;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y - 4}\" x2=\"{left + 24}\" y2=\"{y - 4}\" stroke=\"#1b1b1f\" stroke-width=\"1.5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 30}\" y=\"{y}\" font-size=\"12\" fill=\"#1b1b1f\">{Escape(medianLabel)}</text>");
            var second = left + 150;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{second}\" y1=\"{y - 4}\" x2=\"{second + 24}\" y2=\"{y - 4}\" stroke=\"#1b1b1f\" stroke-width=\"1.5\"{dashed}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{second + 30}\" y=\"{y}\" font-size=\"12\" fill=\"#1b1b1f\">{Escape(quartilesLabel)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
