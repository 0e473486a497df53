using PdfSharp.Drawing;

namespace Kedja.Reports;

/// <summary>
/// The fulfilment chart as vectors, drawn as the scorecard's SVG draws it: a stacked bar per row split by step in
/// the step's colour with a white line between parts, each part wide enough carrying its symbol and count, the row's
/// name on the left and a legend of colour, symbol and label below; the description in words under it. The numbers
/// follow as a table (<see cref="ChartTable"/>), so nothing is said by the chart alone.
/// </summary>
internal static class PdfChart
{
    private const double NameWidth = 150, BarHeight = 20, Gap = 8;

    public static void Draw(PdfLayout layout, ReportChart chart)
    {
        var steps = chart.Chart.Steps;
        var rows = chart.Chart.Rows.Where(r => r.Total > 0).ToList();
        var nameLh = PdfLayout.LineHeight(layout.Cell);
        var titleHeight = PdfLayout.LineHeight(layout.Bold) + 4;
        var legend = LegendLines(layout, steps);
        var legendLh = PdfLayout.LineHeight(layout.Cell) + 2;
        var description = layout.Wrap(chart.Description, layout.Cell, PdfLayout.Width);
        var height = titleHeight + (rows.Count * (BarHeight + Gap)) + 4 + (legend.Count * legendLh) + 6 + (description.Count * nameLh);
        layout.Need(height);

        layout.Text(layout.Fit(chart.Chart.Title, layout.Bold, PdfLayout.Width), layout.Bold, layout.InkBrush, PdfLayout.Left, layout.Y);
        layout.Y += titleHeight;
        var g = layout.Graphics;
        var barLeft = PdfLayout.Left + NameWidth + 6;
        var barWidth = PdfLayout.Right - barLeft;
        var separator = new XPen(XColors.White, 1.2);
        foreach (var row in rows)
        {
            var top = layout.Y;
            var name = layout.Wrap(row.Name, layout.Cell, NameWidth).Take(2).ToList();
            if (name.Count == 2 && layout.Wrap(row.Name, layout.Cell, NameWidth).Count > 2)
            {
                name[1] = layout.Fit(name[1] + " …", layout.Cell, NameWidth);
            }

            var nameTop = top + ((BarHeight - (name.Count * nameLh)) / 2);
            for (var l = 0; l < name.Count; l++)
            {
                layout.Text(name[l], layout.Cell, layout.InkBrush, PdfLayout.Left, nameTop + (l * nameLh));
            }

            var x = barLeft;
            for (var s = 0; s < steps.Count && s < row.Counts.Count; s++)
            {
                var count = row.Counts[s];
                if (count <= 0)
                {
                    continue;
                }

                var w = barWidth * count / row.Total;
                var (r, gr, b) = Colours.Rgb(steps[s].Colour);
                g.DrawRectangle(separator, new XSolidBrush(XColor.FromArgb(r, gr, b)), x, top, w, BarHeight);
                var label = $"{steps[s].Symbol} {count}".Trim();
                var labelWidth = layout.Measure(label, layout.CellBold);
                if (labelWidth + 8 <= w)
                {
                    // Dark text on light steps, white on dark ones: readable whatever colours the tenant chose.
                    var light = ((0.2126 * r) + (0.7152 * gr) + (0.0722 * b)) / 255 > 0.55;
                    var brush = light ? layout.InkBrush : XBrushes.White;
                    layout.Text(label, layout.CellBold, brush, x + ((w - labelWidth) / 2), top + ((BarHeight - nameLh) / 2));
                }

                x += w;
            }

            layout.Y += BarHeight + Gap;
        }

        layout.Y += 4;
        foreach (var line in legend)
        {
            var x = PdfLayout.Left;
            foreach (var (step, width) in line)
            {
                var (r, gr, b) = Colours.Rgb(step.Colour);
                g.DrawRectangle(layout.InkPen, new XSolidBrush(XColor.FromArgb(r, gr, b)), x, layout.Y + 1.5, 9, 9);
                layout.Text(Legend(step), layout.Cell, layout.InkBrush, x + 13, layout.Y);
                x += width;
            }

            layout.Y += legendLh;
        }

        layout.Y += 6;
        foreach (var line in description)
        {
            layout.Text(line, layout.Cell, layout.MutedBrush, PdfLayout.Left, layout.Y);
            layout.Y += nameLh;
        }

        layout.Y += 8;
    }

    private static string Legend(Domain.Charts.FulfilmentStep step) => $"{step.Symbol} {step.Label}".Trim();

    private static List<List<(Domain.Charts.FulfilmentStep Step, double Width)>> LegendLines(PdfLayout layout, IReadOnlyList<Domain.Charts.FulfilmentStep> steps)
    {
        var lines = new List<List<(Domain.Charts.FulfilmentStep, double)>> { new() };
        double used = 0;
        foreach (var step in steps)
        {
            var width = 13 + layout.Measure(Legend(step), layout.Cell) + 16;
            if (used + width > PdfLayout.Width && lines[^1].Count > 0)
            {
                lines.Add([]);
                used = 0;
            }

            lines[^1].Add((step, width));
            used += width;
        }

        return lines;
    }
}
