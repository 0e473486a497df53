using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Kedja.Reports;

/// <summary>
/// The PDF: A4 portrait with DejaVu Sans embedded; a title page, a contents page with page numbers, each section on a
/// new page, a running header and "Sida X av Y" on every page but the first, tables whose header row repeats on every
/// page they run over and whose rows never split, and the fulfilment chart as vectors with its numbers as a table.
/// PDFsharp without MigraDoc, so the layout (line breaking, page breaks) is our own (ADR 34).
/// </summary>
/// <param name="fontFolder">A folder with DejaVuSans.ttf, -Bold, -Oblique and -BoldOblique (Kedja:Reports:FontFolder); null: Debian's fonts-dejavu-core and the usual font folders.</param>
public sealed class PdfReportWriter(string? fontFolder = null) : IReportWriter
{
    private const double Paragraph = 6, Block = 12;

    public ReportFormat Format => ReportFormat.Pdf;

    /// <exception cref="ReportFontMissingException">DejaVu Sans is not on the machine; the message, in Swedish, says what to install.</exception>
    public void Write(ReportDocument report, Stream output, IProgress<double>? progress = null)
    {
        var family = PdfFonts.FamilyFor(fontFolder);
        using var document = new PdfDocument();
        document.Info.Title = $"{report.Title} – {report.Subtitle}";
        document.Info.Subject = $"{report.Organisation}, {report.Period}";
        document.Info.Author = "Kedja";
        document.Info.Creator = "Kedja";
        document.Info.CreationDate = report.Created.UtcDateTime;
        document.Language = report.Language;
        document.ViewerPreferences.DisplayDocTitle = true;
        document.PageMode = PdfPageMode.UseOutlines;

        using (var layout = new PdfLayout(document, family))
        {
            TitlePage(layout, report);
            var contents = ContentsLines(layout, report);

            // The contents' length is known before the sections are laid out: reserve its pages, fill them at the end.
            var contentsPages = Enumerable.Range(0, ContentsPageCount(layout, contents)).Select(_ => layout.NewPage()).ToList();

            var starts = new int[report.Sections.Count];
            var blocks = Math.Max(1, report.Sections.Sum(s => s.Blocks.Count));
            var drawn = 0;
            for (var s = 0; s < report.Sections.Count; s++)
            {
                var section = report.Sections[s];
                var page = layout.NewPage();
                starts[s] = document.PageCount;
                document.Outlines.Add(section.Heading, page, true);
                Heading(layout, 1, section.Heading);
                for (var b = 0; b < section.Blocks.Count; b++)
                {
                    // A break that ends a section would leave a blank page before the next one.
                    if (section.Blocks[b] is not ReportPageBreak || b < section.Blocks.Count - 1)
                    {
                        Draw(layout, section.Blocks[b]);
                    }

                    // Told by blocks rather than sections: an annual report may be one section of 2,000 goals.
                    if (++drawn % 200 == 0)
                    {
                        progress?.Report(0.9 * drawn / blocks);
                    }
                }
            }

            layout.EndPage();
            FillContents(layout, contentsPages, contents, starts);
            HeadersAndFooters(layout, report);
        }

        document.Save(output, false);
        progress?.Report(1);
    }

    private static void TitlePage(PdfLayout layout, ReportDocument report)
    {
        layout.NewPage();
        layout.Y = 230;
        layout.Lines(report.Organisation, layout.TitleText);
        layout.Y += 10;
        layout.Lines(report.Title, layout.Title);
        layout.Y += 6;
        layout.Lines(report.Subtitle, layout.TitleSubtitle);
        layout.Y += 4;
        layout.Lines(report.Period, layout.TitleText);
        layout.Y += 10;
        layout.Graphics.DrawLine(new XPen(PdfLayout.Ink, 2), PdfLayout.Left, layout.Y, PdfLayout.Right, layout.Y);
        layout.Y += 10;
        layout.Text(Labels.Created(report), layout.Body, layout.MutedBrush, PdfLayout.Left, layout.Y);
    }

    private const double NumberWidth = 40;

    private static List<List<string>> ContentsLines(PdfLayout layout, ReportDocument report) =>
        [.. report.Sections.Select(s => layout.Wrap(s.Heading, layout.Body, PdfLayout.Width - NumberWidth - 20))];

    private static double ContentsHeading(PdfLayout layout) => PdfLayout.LineHeight(layout.Headings[0]) + Block;

    private static double ContentsEntry(PdfLayout layout, List<string> lines) => (Math.Max(1, lines.Count) * PdfLayout.LineHeight(layout.Body)) + 4;

    private static int ContentsPageCount(PdfLayout layout, List<List<string>> contents)
    {
        var pages = 1;
        var y = PdfLayout.BodyTop + ContentsHeading(layout);
        foreach (var entry in contents)
        {
            var h = ContentsEntry(layout, entry);
            if (y + h > PdfLayout.BodyBottom)
            {
                pages++;
                y = PdfLayout.BodyTop;
            }

            y += h;
        }

        return pages;
    }

    private static void FillContents(PdfLayout layout, List<PdfPage> pages, List<List<string>> contents, int[] starts)
    {
        if (pages.Count == 0)
        {
            return;
        }

        var p = 0;
        var g = XGraphics.FromPdfPage(pages[p], XGraphicsPdfPageOptions.Append);
        try
        {
            var y = PdfLayout.BodyTop;
            g.DrawString(Labels.Contents, layout.Headings[0], layout.InkBrush, PdfLayout.Left, y, XStringFormats.TopLeft);
            y += ContentsHeading(layout);
            var lh = PdfLayout.LineHeight(layout.Body);
            var dot = layout.Measure(".", layout.Body);
            for (var s = 0; s < contents.Count; s++)
            {
                var entry = contents[s];
                if (y + ContentsEntry(layout, entry) > PdfLayout.BodyBottom && p + 1 < pages.Count)
                {
                    g.Dispose();
                    g = XGraphics.FromPdfPage(pages[++p], XGraphicsPdfPageOptions.Append);
                    y = PdfLayout.BodyTop;
                }

                for (var l = 0; l < entry.Count; l++)
                {
                    g.DrawString(entry[l], layout.Body, layout.InkBrush, PdfLayout.Left, y, XStringFormats.TopLeft);
                    if (l == entry.Count - 1)
                    {
                        var number = starts[s].ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var numberWidth = layout.Measure(number, layout.Body);
                        g.DrawString(number, layout.Body, layout.InkBrush, PdfLayout.Right - numberWidth, y, XStringFormats.TopLeft);

                        // Dot leaders from the heading to its page number, as a printed contents has them.
                        var from = PdfLayout.Left + layout.Measure(entry[l], layout.Body) + 6;
                        var count = (int)((PdfLayout.Right - numberWidth - 6 - from) / dot);
                        if (count > 2)
                        {
                            g.DrawString(new string('.', count), layout.Body, layout.MutedBrush, PdfLayout.Right - numberWidth - 6 - (count * dot), y, XStringFormats.TopLeft);
                        }
                    }

                    y += lh;
                }

                y += 4;
            }
        }
        finally
        {
            g.Dispose();
        }
    }

    private static void HeadersAndFooters(PdfLayout layout, ReportDocument report)
    {
        var document = layout.Document;
        var header = layout.Fit(report.RunningHeader, layout.Small, PdfLayout.Width);
        for (var i = 1; i < document.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            g.DrawString(header, layout.Small, layout.MutedBrush, PdfLayout.Left, 34, XStringFormats.TopLeft);
            g.DrawLine(layout.RulePen, PdfLayout.Left, 47, PdfLayout.Right, 47);
            var page = Labels.Page(i + 1, document.PageCount);
            g.DrawLine(layout.RulePen, PdfLayout.Left, PdfLayout.PageHeight - 46, PdfLayout.Right, PdfLayout.PageHeight - 46);
            g.DrawString(page, layout.Small, layout.MutedBrush, PdfLayout.Right - layout.Measure(page, layout.Small), PdfLayout.PageHeight - 42, XStringFormats.TopLeft);
        }
    }

    private static void Draw(PdfLayout layout, ReportBlock block)
    {
        switch (block)
        {
            case ReportHeading h:
                Heading(layout, Math.Clamp(h.Level, 2, 4), h.Text);
                break;
            case ReportParagraph p:
                foreach (var line in PdfLayout.Paragraphs(p.Text))
                {
                    layout.Lines(line, p.Kind == ParagraphKind.Note ? layout.Italic : layout.Body);
                    layout.Y += Paragraph;
                }

                break;
            case ReportField f:
                layout.Need(PdfLayout.LineHeight(layout.Bold) * 2);
                layout.Lines(f.Label, layout.Bold);
                foreach (var line in PdfLayout.Paragraphs(f.Text))
                {
                    layout.Lines(line, layout.Body);
                    layout.Y += 2;
                }

                layout.Y += Paragraph;
                break;
            case ReportStatusLine s:
                StatusLine(layout, s);
                break;
            case ReportTable t:
                PdfTable.Draw(layout, t);
                layout.Y += Block;
                break;
            case ReportChart c:
                PdfChart.Draw(layout, c);
                PdfTable.Draw(layout, ChartTable.Of(c));
                layout.Y += Block;
                break;
            case ReportPageBreak:
                if (!layout.AtTop)
                {
                    layout.NewPage();
                }

                break;
        }
    }

    private static void Heading(PdfLayout layout, int level, string text)
    {
        var font = layout.Headings[level - 1];
        var lines = layout.Wrap(text, font, PdfLayout.Width);
        var height = lines.Count * PdfLayout.LineHeight(font);

        // A heading keeps a few lines of what follows it on its page.
        layout.Need(height + (level == 1 ? 0 : Block + (3 * PdfLayout.LineHeight(layout.Body))));
        layout.Space(level == 2 ? 14 : 8);
        layout.Lines(text, font);
        layout.Y += level == 1 ? Block : 4;
    }

    private static void StatusLine(PdfLayout layout, ReportStatusLine line)
    {
        var lh = PdfLayout.LineHeight(layout.Body);
        layout.Need(lh * 2);
        var label = line.Label + ":";
        var x = PdfLayout.Left;
        layout.Text(label, layout.Bold, layout.InkBrush, x, layout.Y);
        x += layout.Measure(label, layout.Bold) + 6;
        layout.Marker(line.Status, x, layout.Y, lh, 8);
        x += 12;
        layout.Text(layout.Fit(line.Status.Text, layout.Body, PdfLayout.Right - x), layout.Body, layout.InkBrush, x, layout.Y);
        layout.Y += lh;
        if (!string.IsNullOrWhiteSpace(line.Explanation))
        {
            layout.Lines(line.Explanation, layout.Body);
        }

        layout.Y += Paragraph;
    }
}
