using System.Globalization;
using System.Text;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Charts;

/// <param name="Label">The period as a reader names it ("T2 2026").</param>
public sealed record TrendPoint(string Label, decimal? Value, decimal? Target);

/// <summary>
/// An indicator's values over periods with their targets: the one chart model the pages draw as SVG now and the
/// reports (PDF, Word) and the public portal will draw later. Figures are formatted by the caller's culture.
/// </summary>
public sealed record TrendChart(string Title, string UnitOfMeasure, IReadOnlyList<TrendPoint> Points)
{
    public bool HasValues => Points.Any(p => p.Value is not null || p.Target is not null);

    /// <summary>
    /// An indicator's trend as the goal page and the portal draw it: every period of the indicator's kind with an outcome
    /// or a target, oldest first. A yearly target stands for each period of its year when the indicator is followed
    /// more often.
    /// </summary>
    /// <param name="outcomes">Outcomes by period key; keys of another kind are left out.</param>
    /// <param name="targets">Targets by period key, the indicator's own kind or whole years.</param>
    public static TrendChart ForIndicator(string title, string unitOfMeasure, PeriodKind periodicity, IReadOnlyDictionary<string, decimal?> outcomes,
        IReadOnlyDictionary<string, decimal?> targets, CultureInfo culture)
    {
        decimal? Target(string key) => targets.TryGetValue(key, out var t) ? t : targets.GetValueOrDefault(key[..4]);
        var keys = IndicatorKeys(periodicity, outcomes.Keys, targets.Keys);
        return new TrendChart(title, unitOfMeasure, [.. keys.Select(k => new TrendPoint(PeriodRef.Parse(k).LabelIn(culture), outcomes.GetValueOrDefault(k), Target(k)))]);
    }

    /// <summary>The period keys of <see cref="ForIndicator"/>'s points, in their order: for a table of the same numbers beside the chart.</summary>
    public static List<string> IndicatorKeys(PeriodKind periodicity, IEnumerable<string> outcomeKeys, IEnumerable<string> targetKeys)
    {
        bool OfKind(string key) => PeriodRef.TryParse(key, out var r) && r.Kind == periodicity;
        return [.. outcomeKeys.Where(OfKind).Union(targetKeys.Where(OfKind)).OrderBy(PeriodRef.Parse)];
    }
}

/// <summary>
/// Draws a <see cref="TrendChart"/> as inline SVG: a line of values, a dashed line of targets, the lowest and highest
/// figure and the first and last period written out. role="img" with a title and a description in words, so a screen
/// reader hears what the chart says; the numbers themselves belong in a table beside it.
/// </summary>
public static partial class SvgChart
{
    /// <param name="labels">False for a sparkline beside a figure: no axis, no text, only the lines.</param>
    public static string Render(TrendChart chart, string description, CultureInfo culture, int width = 320, int height = 120, bool labels = true)
    {
        // One period has no line to draw and no first and last to name: it is drawn as a marker with its figure written
        // beside it, its target as a dashed level across the chart, and room above for the figure.
        var single = chart.Points.Count == 1;
        var (left, right, top, bottom) = labels ? (44, 8, single ? 24 : 10, 22) : (3, 3, 3, 3);
        var values = chart.Points.SelectMany(p => new[] { p.Value, p.Target }).OfType<decimal>().ToList();
        var id = "d" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}t {id}d\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}t\">{Escape(chart.Title)}</title><desc id=\"{id}d\">{Escape(description)}</desc>");
        if (values.Count == 0 || chart.Points.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }

        var (min, max) = (values.Min(), values.Max());
        if (min == max)
        {
            (min, max) = (min - 1, max + 1);
        }
        else if (single)
        {
            // Neither the value nor its target on the chart's edge: the marker would sit on the axis.
            var room = (max - min) / 4;
            (min, max) = (min - room, max + room);
        }

        double X(int i) => single ? left + ((width - left - right) / 2.0) : left + (i * (double)(width - left - right) / (chart.Points.Count - 1));
        double Y(decimal v) => top + ((double)(max - v) / (double)(max - min) * (height - top - bottom));
        string Line(Func<TrendPoint, decimal?> pick) => string.Join(" ", chart.Points.Select((p, i) => (p, i)).Where(x => pick(x.p) is not null)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{X(x.i):0.#},{Y(pick(x.p)!.Value):0.#}")));
        string Figure(decimal v) => Escape(v.ToString("#,0.##", culture));

        if (labels)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#6b6b78\"/>");
            if (single)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(0):0.#}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1b1b1f\">{Escape(chart.Points[0].Label)}</text>");
                if (chart.Points[0].Target is { } target)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{Y(target) + 3:0.#}\" text-anchor=\"end\" font-size=\"10\" fill=\"#1b1b1f\">{Figure(target)}</text>");
                }
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + 4}\" text-anchor=\"end\" font-size=\"10\" fill=\"#1b1b1f\">{Figure(max)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{height - bottom}\" text-anchor=\"end\" font-size=\"10\" fill=\"#1b1b1f\">{Figure(min)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 6}\" font-size=\"10\" fill=\"#1b1b1f\">{Escape(chart.Points[0].Label)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right}\" y=\"{height - 6}\" text-anchor=\"end\" font-size=\"10\" fill=\"#1b1b1f\">{Escape(chart.Points[^1].Label)}</text>");
            }
        }

        if (single && chart.Points[0].Target is { } level)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(level):0.#}\" x2=\"{width - right}\" y2=\"{Y(level):0.#}\" stroke=\"#6b6b78\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
        }
        else if (Line(p => p.Target) is { Length: > 0 } targets)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{targets}\" fill=\"none\" stroke=\"#6b6b78\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
        }

        var marked = chart.Points.Select((p, i) => (p, i)).Where(x => x.p.Value is not null).ToList();
        if (marked.Count > 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{Line(p => p.Value)}\" fill=\"none\" stroke=\"#004b87\" stroke-width=\"2\"/>");
        }

        // A lone value has no line to show where it is: a larger marker does.
        var radius = marked.Count == 1 ? (labels ? "5" : "3") : "2.5";
        foreach (var (p, i) in marked)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(p.Value!.Value):0.#}\" r=\"{radius}\" fill=\"#004b87\"/>");
        }

        if (single && labels && chart.Points[0].Value is { } only)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(0):0.#}\" y=\"{Y(only) - 9:0.#}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#004b87\">{Figure(only)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
