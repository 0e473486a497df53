using PdfSharp.Drawing;

namespace Kedja.Reports;

/// <summary>
/// A table in the PDF: its caption in bold above it, the header row shaded and drawn again at the top of every page
/// the table runs over, text wrapped within its cell, figures right-aligned, and a row moved whole to the next page
/// rather than split (only a row taller than a page is split, at a line).
/// </summary>
internal static class PdfTable
{
    private const double PadX = 4, PadY = 2.5, MarkerWidth = 11;

    private sealed record Cell(List<string> Lines, XFont Font, bool AlignRight, ReportStatus? Status);

    private sealed record Row(List<Cell> Cells, int LineCount, bool Header);

    public static void Draw(PdfLayout layout, ReportTable table)
    {
        var columns = table.Columns;
        if (columns.Count == 0)
        {
            return;
        }

        var widths = Widths(layout, table);
        var lh = PdfLayout.LineHeight(layout.Cell);

        var header = Layout(layout, widths, [.. columns.Select(c => new ReportCell(c.Header))], columns, header: true);
        var captionFont = layout.Bold;
        var caption = layout.Wrap(table.Caption, captionFont, PdfLayout.Width);
        var captionHeight = (caption.Count * PdfLayout.LineHeight(captionFont)) + 3;
        var first = table.Rows.Count > 0 ? Height(Layout(layout, widths, table.Rows[0], columns, false), lh) : 0;
        // The caption keeps the header and the first row with it; a first row taller than a page, a few of its lines.
        var room = PdfLayout.BodyBottom - PdfLayout.BodyTop - captionHeight - Height(header, lh);
        layout.Need(captionHeight + Height(header, lh) + (first <= room ? first : (3 * lh) + (2 * PadY)));
        foreach (var line in caption)
        {
            layout.Text(line, captionFont, layout.InkBrush, PdfLayout.Left, layout.Y);
            layout.Y += PdfLayout.LineHeight(captionFont);
        }

        layout.Y += 3;
        DrawRow(layout, header, widths, 0, header.LineCount, lh);
        foreach (var cells in table.Rows)
        {
            var row = Layout(layout, widths, cells, columns, false);
            var height = Height(row, lh);
            if (height <= layout.Room)
            {
                DrawRow(layout, row, widths, 0, row.LineCount, lh);
                continue;
            }

            if (height <= PdfLayout.BodyBottom - PdfLayout.BodyTop - Height(header, lh) - PdfLayout.LineHeight(layout.CellBold) - 2)
            {
                NextPage(layout, table.Caption, header, widths, lh);
                DrawRow(layout, row, widths, 0, row.LineCount, lh);
                continue;
            }

            // Taller than a page: the one case where a row continues on the next page.
            for (var from = 0; from < row.LineCount;)
            {
                var fits = (int)((layout.Room - (2 * PadY)) / lh);
                if (fits < 1)
                {
                    NextPage(layout, table.Caption, header, widths, lh);
                    continue;
                }

                var count = Math.Min(fits, row.LineCount - from);
                DrawRow(layout, row, widths, from, count, lh);
                from += count;
            }
        }
    }

    /// <summary>
    /// The columns' widths in proportion to <see cref="ReportColumn.Width"/>, but no narrower than their header's
    /// longest word, a figure column no narrower than its header and widest figure: figures and words are never broken.
    /// </summary>
    private static double[] Widths(PdfLayout layout, ReportTable table)
    {
        var columns = table.Columns;
        var weights = columns.Select(c => c.Width > 0 ? c.Width : 1).ToArray();
        var least = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var header = columns[c].Header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => layout.Measure(w, layout.CellBold)).DefaultIfEmpty(0).Max();
            if (columns[c].Kind is CellKind.Number or CellKind.Percent)
            {
                header = columns[c].WrapHeader ? header : Math.Max(header, layout.Measure(columns[c].Header, layout.CellBold));
                foreach (var row in table.Rows)
                {
                    header = Math.Max(header, c < row.Count ? layout.Measure(row[c].Text, layout.Cell) : 0);
                }

                header = Math.Min(header, PdfLayout.Width / 4);
            }

            least[c] = header + (2 * PadX) + 0.5;
        }

        if (least.Sum() >= PdfLayout.Width)
        {
            var scale = PdfLayout.Width / least.Sum();
            return [.. least.Select(w => w * scale)];
        }

        // Columns the proportion would make too narrow get their least width; the rest share what is left.
        var fixedColumns = new bool[columns.Count];
        while (true)
        {
            var free = PdfLayout.Width - least.Where((_, c) => fixedColumns[c]).Sum();
            var weight = weights.Where((_, c) => !fixedColumns[c]).Sum();
            var changed = false;
            for (var c = 0; c < columns.Count; c++)
            {
                if (!fixedColumns[c] && free * weights[c] / weight < least[c])
                {
                    fixedColumns[c] = changed = true;
                }
            }

            if (!changed)
            {
                return [.. columns.Select((_, c) => fixedColumns[c] ? least[c] : free * weights[c] / weight)];
            }
        }
    }

    // The caption again, marked as continued, so that a reader who opens the page knows whose rows these are.
    private static void NextPage(PdfLayout layout, string caption, Row header, double[] widths, double lh)
    {
        layout.NewPage();
        var font = layout.CellBold;
        layout.Text(layout.Fit(caption, font, PdfLayout.Width - layout.Measure(Continued, font)) + Continued, font, layout.MutedBrush, PdfLayout.Left, layout.Y);
        layout.Y += PdfLayout.LineHeight(font) + 2;
        DrawRow(layout, header, widths, 0, header.LineCount, lh);
    }

    private const string Continued = " (forts.)";

    private static double Height(Row row, double lh) => (row.LineCount * lh) + (2 * PadY);

    private static Row Layout(PdfLayout layout, double[] widths, IReadOnlyList<ReportCell> cells, IReadOnlyList<ReportColumn> columns, bool header)
    {
        var list = new List<Cell>(columns.Count);
        var font = header ? layout.CellBold : layout.Cell;
        for (var c = 0; c < columns.Count; c++)
        {
            var cell = c < cells.Count ? cells[c] : ReportCell.Empty;
            var status = header ? null : cell.Status;
            var inner = widths[c] - (2 * PadX) - (status is null ? 0 : MarkerWidth);
            var lines = layout.Wrap(cell.Text, font, Math.Max(inner, 4));
            list.Add(new Cell(lines, font, columns[c].Kind is CellKind.Number or CellKind.Percent, status));
        }

        return new Row(list, Math.Max(1, list.Max(c => c.Lines.Count)), header);
    }

    private static void DrawRow(PdfLayout layout, Row row, double[] widths, int from, int count, double lh)
    {
        var g = layout.Graphics;
        var top = layout.Y;
        var height = (count * lh) + (2 * PadY);
        var x = PdfLayout.Left;
        for (var c = 0; c < row.Cells.Count; c++)
        {
            var cell = row.Cells[c];
            g.DrawRectangle(layout.RulePen, row.Header ? layout.ShadeBrush : null, x, top, widths[c], height);
            var textX = x + PadX;
            if (cell.Status is { } status && from == 0)
            {
                layout.Marker(status, textX, top + PadY, lh, 6.5);
            }

            if (cell.Status is not null)
            {
                textX += MarkerWidth;
            }

            for (var l = from; l < Math.Min(from + count, cell.Lines.Count); l++)
            {
                var line = cell.Lines[l];
                var y = top + PadY + ((l - from) * lh);
                var lineX = cell.AlignRight ? x + widths[c] - PadX - layout.Measure(line, cell.Font) : textX;
                layout.Text(line, cell.Font, layout.InkBrush, lineX, y);
            }

            x += widths[c];
        }

        layout.Y = top + height;
    }
}
