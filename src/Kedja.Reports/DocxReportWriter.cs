using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Kedja.Domain.Charts;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Wp = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace Kedja.Reports;

/// <summary>
/// The Word report: a title page, a table of contents Word updates on opening, each section on a new page, headings in
/// Word's built-in heading styles (so a municipality's template styles apply and the contents work), tables whose
/// header row repeats on every page, the fulfilment chart as a native Word chart with its numbers as a table, and a
/// running header and "Sida X av Y" on every page but the title page. The body is written element by element
/// (OpenXmlWriter), so a report of 20,000 table rows never stands in memory as one tree.
/// </summary>
public sealed class DocxReportWriter : IReportWriter
{
    public ReportFormat Format => ReportFormat.Docx;

    // A4 with 2.5 cm margins, in twentieths of a point.
    internal const int PageWidth = 11906, PageHeight = 16838, Margin = 1418, TextWidth = PageWidth - (2 * Margin);

    private const string Font = "Calibri";

    public void Write(ReportDocument report, Stream output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);

        if (OpenXmlText.WroteThroughBuffer(output, buffer => Write(report, buffer, progress)))
        {
            return;
        }

        using var document = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document, autoSave: true);
        var language = OpenXmlText.LanguageTag(report.Language);
        document.PackageProperties.Title = OpenXmlText.Clean(report.Title);
        document.PackageProperties.Subject = OpenXmlText.Clean(report.Subtitle);
        document.PackageProperties.Creator = "Kedja";
        document.PackageProperties.Language = language;
        document.PackageProperties.Created = report.Created.UtcDateTime;

        var main = document.AddMainDocumentPart();
        main.AddNewPart<StyleDefinitionsPart>().Styles = DocxStyles.Create(language, Font);
        main.AddNewPart<DocumentSettingsPart>().Settings = new Settings(
            new Zoom { Percent = "100" },
            new DefaultTabStop { Val = 709 },
            new CharacterSpacingControl { Val = CharacterSpacingValues.DoNotCompress },
            // Word asks on opening whether to update the fields: that fills in the contents' page numbers.
            new UpdateFieldsOnOpen { Val = true },
            new Compatibility(new CompatibilitySetting
            {
                Name = CompatSettingNameValues.CompatibilityMode,
                Uri = "http://schemas.microsoft.com/office/word",
                Val = "15",
            }),
            new ThemeFontLanguages { Val = language });

        var header = main.AddNewPart<HeaderPart>();
        header.Header = new Header(Styled("Header", new Run(new Text(OpenXmlText.Clean(report.RunningHeader)))));
        var footer = main.AddNewPart<FooterPart>();
        footer.Footer = new Footer(PageNumbers());
        // The title page has a header and footer of its own, empty.
        var firstHeader = main.AddNewPart<HeaderPart>();
        firstHeader.Header = new Header(Styled("Header"));
        var firstFooter = main.AddNewPart<FooterPart>();
        firstFooter.Footer = new Footer(Styled("Footer"));

        new Body(main, report).Write(progress, new SectionProperties(
            new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
            new HeaderReference { Type = HeaderFooterValues.First, Id = main.GetIdOfPart(firstHeader) },
            new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
            new FooterReference { Type = HeaderFooterValues.First, Id = main.GetIdOfPart(firstFooter) },
            new PageSize { Width = PageWidth, Height = PageHeight },
            new PageMargin { Top = Margin, Right = Margin, Bottom = Margin, Left = Margin, Header = 709, Footer = 709, Gutter = 0 },
            new TitlePage()));
    }

    /// <summary>"Sida { PAGE } av { NUMPAGES }", the words from <see cref="Labels.Page"/> around the fields.</summary>
    private static Paragraph PageNumbers()
    {
        // The words are the label's, whatever language it speaks: the page figures are cut out and replaced by fields.
        var text = Labels.Page(111111, 999999);
        var page = text.IndexOf("111111", StringComparison.Ordinal);
        var pages = text.IndexOf("999999", StringComparison.Ordinal);
        var paragraph = Styled("Footer");
        paragraph.ParagraphProperties!.Justification = new Justification { Val = JustificationValues.Right };
        paragraph.Append(Plain(text[..page]));
        paragraph.Append(Field("PAGE", "1"));
        paragraph.Append(Plain(text[(page + 6)..pages]));
        paragraph.Append(Field("NUMPAGES", "1"));
        paragraph.Append(Plain(text[(pages + 6)..]));
        return paragraph;
    }

    internal static Run Plain(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    /// <summary>A complex field with its cached result, which Word shows until it updates the field.</summary>
    internal static IEnumerable<Run> Field(string instruction, string result) =>
    [
        new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new Run(new FieldCode($" {instruction} ") { Space = SpaceProcessingModeValues.Preserve }),
        new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new Run(new Text(result)),
        new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
    ];

    internal static Paragraph Styled(string style, params OpenXmlElement[] content)
    {
        var paragraph = new Paragraph(new ParagraphProperties { ParagraphStyleId = new ParagraphStyleId { Val = style } });
        paragraph.Append(content);
        return paragraph;
    }

    /// <summary>One report's body: the state of one Write call, so the writer itself stays stateless.</summary>
    private sealed class Body(MainDocumentPart main, ReportDocument report)
    {
        private int bookmarks;
        private uint drawings;
        private OpenXmlWriter writer = null!;

        // The contents' entries: each heading of level 1-3 carries a bookmark the cached contents link to.
        private readonly Dictionary<(int Section, int Block), string> anchors = [];

        public void Write(IProgress<double>? progress, SectionProperties section)
        {
            var contents = Contents();
            using (writer = OpenXmlWriter.Create(main))
            {
                writer.WriteStartDocument();
                writer.WriteStartElement(new Document(), [],
                [
                    new("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
                    new("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
                    new("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
                    new("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
                    new("c", "http://schemas.openxmlformats.org/drawingml/2006/chart"),
                ]);
                writer.WriteStartElement(new DocumentFormat.OpenXml.Wordprocessing.Body());
                TitlePage();
                TableOfContents(contents);
                for (var s = 0; s < report.Sections.Count; s++)
                {
                    Section(s, report.Sections[s]);
                    progress?.Report((s + 1) / (double)report.Sections.Count);
                }

                writer.WriteElement(section);
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.Close();
            }
        }

        private void TitlePage()
        {
            var organisation = Styled("Subtitle", Plain(OpenXmlText.Clean(report.Organisation)));
            organisation.ParagraphProperties!.SpacingBetweenLines = new SpacingBetweenLines { Before = "2880" };
            writer.WriteElement(organisation);
            writer.WriteElement(Styled("Title", Plain(OpenXmlText.Clean(report.Title))));
            writer.WriteElement(Styled("Subtitle", Plain(OpenXmlText.Clean(report.Subtitle))));
            writer.WriteElement(Styled("Normal", Plain(OpenXmlText.Clean(report.Period))));
            writer.WriteElement(Styled("Normal", Plain(Labels.Created(report))));
        }

        private List<(int Level, string Text, string Anchor)> Contents()
        {
            var entries = new List<(int, string, string)>();
            for (var s = 0; s < report.Sections.Count; s++)
            {
                var section = report.Sections[s];
                entries.Add((1, section.Heading, Anchor(s, -1)));
                for (var b = 0; b < section.Blocks.Count; b++)
                {
                    if (section.Blocks[b] is ReportHeading { Level: <= 3 } heading)
                    {
                        entries.Add((Math.Max(2, heading.Level), heading.Text, Anchor(s, b)));
                    }
                }
            }

            return entries;
        }

        private string Anchor(int section, int block)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"_Toc{++bookmarks:D8}");
            anchors[(section, block)] = name;
            return name;
        }

        /// <summary>
        /// The contents as a TOC field whose cached entries are the headings without page numbers: Word fills in the
        /// pages when it updates the fields on opening (settings), and a reader that does not update still has a
        /// contents that links to each heading.
        /// </summary>
        private void TableOfContents(List<(int Level, string Text, string Anchor)> contents)
        {
            var heading = Styled("TOCHeading", Plain(Labels.Contents));
            heading.ParagraphProperties!.PageBreakBefore = new PageBreakBefore();
            writer.WriteElement(heading);
            var runs = Field("TOC \\o \"1-3\" \\h \\z \\u", "").ToArray();
            var begin = runs[..3];
            var end = runs[^1];
            for (var i = 0; i < contents.Count; i++)
            {
                var (level, text, anchor) = contents[i];
                var entry = Styled($"TOC{level}");
                if (i == 0)
                {
                    entry.Append(begin);
                }

                entry.Append(new Hyperlink(new Run(new RunProperties(new RunStyle { Val = "Hyperlink" }), new Text(OpenXmlText.Clean(text)) { Space = SpaceProcessingModeValues.Preserve }))
                {
                    Anchor = anchor,
                    History = true,
                });
                if (i == contents.Count - 1)
                {
                    entry.Append(end);
                }

                writer.WriteElement(entry);
            }

            if (contents.Count == 0)
            {
                writer.WriteElement(new Paragraph(runs));
            }
        }

        private void Section(int index, ReportSection section)
        {
            var heading = Heading(1, section.Heading, anchors[(index, -1)]);
            heading.ParagraphProperties!.PageBreakBefore = new PageBreakBefore();
            writer.WriteElement(heading);
            for (var b = 0; b < section.Blocks.Count; b++)
            {
                switch (section.Blocks[b])
                {
                    case ReportHeading h:
                        writer.WriteElement(Heading(Math.Clamp(h.Level, 2, 4), h.Text, anchors.GetValueOrDefault((index, b))));
                        break;
                    case ReportParagraph p:
                        foreach (var line in OpenXmlText.Lines(p.Text))
                        {
                            writer.WriteElement(Styled(p.Kind == ParagraphKind.Note ? "Note" : "Normal", Plain(line)));
                        }

                        break;
                    case ReportField f:
                        Labelled(f);
                        break;
                    case ReportStatusLine s:
                        StatusLine(s);
                        break;
                    case ReportTable t:
                        Table(t);
                        break;
                    case ReportChart c:
                        Chart(c);
                        Table(ChartTable.Of(c));
                        break;
                    case ReportPageBreak:
                        writer.WriteElement(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
                        break;
                }
            }
        }

        private Paragraph Heading(int level, string text, string? anchor)
        {
            var paragraph = Styled($"Heading{level}");
            if (anchor is null)
            {
                paragraph.Append(Plain(OpenXmlText.Clean(text)));
                return paragraph;
            }

            var id = anchor[4..].TrimStart('0');
            paragraph.Append(new BookmarkStart { Id = id, Name = anchor }, Plain(OpenXmlText.Clean(text)), new BookmarkEnd { Id = id });
            return paragraph;
        }

        private void Labelled(ReportField field)
        {
            var lines = OpenXmlText.Lines(field.Text).ToList();
            var label = Styled("Normal", Bold(field.Label));
            // The label stays on the page of its text.
            label.ParagraphProperties!.KeepNext = new KeepNext();
            if (lines.Count > 0)
            {
                label.ParagraphProperties.SpacingBetweenLines = new SpacingBetweenLines { After = "0" };
            }

            writer.WriteElement(label);
            foreach (var line in lines)
            {
                writer.WriteElement(Styled("Normal", Plain(line)));
            }
        }

        private void StatusLine(ReportStatusLine line)
        {
            var paragraph = Styled("Normal", Bold(line.Label + ": "));
            paragraph.Append(Status(line.Status));
            if (!string.IsNullOrWhiteSpace(line.Explanation))
            {
                paragraph.Append(Plain(" – " + OpenXmlText.Clean(line.Explanation)));
            }

            writer.WriteElement(paragraph);
        }

        private static Run Bold(string text) =>
            new(new RunProperties { Bold = new Bold() }, new Text(OpenXmlText.Clean(text)) { Space = SpaceProcessingModeValues.Preserve });

        /// <summary>Symbol and words; the step's colour only on the symbol beside the words, the words in the text colour.</summary>
        private static IEnumerable<Run> Status(ReportStatus status)
        {
            var colour = OpenXmlText.Hex(status.Colour);
            var symbol = OpenXmlText.Clean(status.Symbol).Trim();
            var label = OpenXmlText.Clean(status.Label).Trim();
            if (symbol.Length > 0)
            {
                yield return new Run(new RunProperties { Color = colour is null ? null : new Color { Val = colour } },
                    new Text(label.Length > 0 ? symbol + " " : symbol) { Space = SpaceProcessingModeValues.Preserve });
            }

            if (label.Length > 0)
            {
                yield return Plain(label);
            }
        }

        private void Table(ReportTable table)
        {
            var caption = Styled("Caption", Plain(OpenXmlText.Clean(table.Caption)));
            caption.ParagraphProperties!.KeepNext = new KeepNext();
            writer.WriteElement(caption);
            if (table.Columns.Count == 0)
            {
                // Word calls a table without a cell damaged.
                return;
            }

            var widths = Widths(table.Columns);
            writer.WriteStartElement(new Table());
            writer.WriteElement(new TableProperties(
                new TableStyle { Val = "TableGrid" },
                new TableWidth { Width = TextWidth.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableLook { Val = "04A0", FirstRow = true, LastRow = false, FirstColumn = false, LastColumn = false, NoHorizontalBand = true, NoVerticalBand = true },
                new TableCaption { Val = OpenXmlText.Clean(table.Caption) }));
            writer.WriteElement(new TableGrid([.. widths.Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })]));

            var header = new TableRow(new TableRowProperties(new CantSplit(), new TableHeader()));
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                header.Append(Cell(widths[c], Figure(column.Kind), "E8E8EE", Bold(column.Header)));
            }

            writer.WriteElement(header);
            // One row of elements is filled in and written for every row: a report of 20,000 rows would otherwise make
            // and drop a million elements.
            var template = new TableRow(new TableRowProperties(new CantSplit()));
            var paragraphs = new Paragraph[table.Columns.Count];
            var plain = new Run[table.Columns.Count];
            for (var c = 0; c < table.Columns.Count; c++)
            {
                plain[c] = Plain("");
                var cell = Cell(widths[c], Figure(table.Columns[c].Kind), null, plain[c]);
                paragraphs[c] = cell.GetFirstChild<Paragraph>()!;
                template.Append(cell);
            }

            foreach (var row in table.Rows)
            {
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = c < row.Count ? row[c] : ReportCell.Empty;
                    var paragraph = paragraphs[c];
                    if (cell.Status is { } status)
                    {
                        paragraph.RemoveAllChildren<Run>();
                        paragraph.Append(Status(status));
                        continue;
                    }

                    if (plain[c].Parent is null)
                    {
                        paragraph.RemoveAllChildren<Run>();
                        paragraph.Append(plain[c]);
                    }

                    plain[c].GetFirstChild<Text>()!.Text = OpenXmlText.Clean(cell.Text);
                }

                writer.WriteElement(template);
            }

            writer.WriteEndElement();
            // Word joins two tables that touch; an empty paragraph keeps them apart and gives air below.
            writer.WriteElement(Styled("Normal"));
        }

        private static bool Figure(CellKind kind) => kind is CellKind.Number or CellKind.Percent;

        private static TableCell Cell(int width, bool right, string? fill, params OpenXmlElement[] runs)
        {
            var properties = new TableCellProperties(new TableCellWidth { Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa });
            if (fill is not null)
            {
                properties.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = fill });
            }

            var paragraph = new Paragraph(new ParagraphProperties
            {
                ParagraphStyleId = new ParagraphStyleId { Val = "TableText" },
                Justification = right ? new Justification { Val = JustificationValues.Right } : null,
            });
            paragraph.Append(runs);
            return new TableCell(properties, paragraph);
        }

        /// <summary>The columns' relative widths as twentieths of a point filling the text width.</summary>
        private static int[] Widths(IReadOnlyList<ReportColumn> columns)
        {
            var weights = columns.Select(c => double.IsFinite(c.Width) && c.Width > 0 ? c.Width : 1).ToArray();
            var total = weights.Sum();
            return [.. weights.Select(w => (int)Math.Floor(TextWidth * w / total))];
        }

        private void Chart(ReportChart chart)
        {
            var part = main.AddNewPart<ChartPart>();
            part.ChartSpace = DocxChart.Create(chart.Chart, OpenXmlText.LanguageTag(report.Language));
            var id = ++drawings;
            // Twentieths of a point to English Metric Units.
            const long emu = 635;
            var width = TextWidth * emu;
            var height = (long)(((chart.Chart.Rows.Count * 0.9) + 3.2) * 360000);
            var drawing = new Drawing(new Wp.Inline(
                new Wp.Extent { Cx = width, Cy = height },
                new Wp.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
                new Wp.DocProperties { Id = id, Name = $"Diagram {id}", Title = OpenXmlText.Clean(chart.Chart.Title), Description = OpenXmlText.Clean(chart.Description) },
                new Wp.NonVisualGraphicFrameDrawingProperties(),
                new A.Graphic(new A.GraphicData(new C.ChartReference { Id = main.GetIdOfPart(part) })
                {
                    Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart",
                }))
            {
                DistanceFromTop = 0,
                DistanceFromBottom = 0,
                DistanceFromLeft = 0,
                DistanceFromRight = 0,
            });
            var paragraph = Styled("Normal", new Run(drawing));
            paragraph.ParagraphProperties!.KeepNext = new KeepNext();
            writer.WriteElement(paragraph);
            writer.WriteElement(Styled("Caption", Plain(OpenXmlText.Clean(chart.Description))));
        }
    }
}

/// <summary>The fulfilment chart as a native Word chart: stacked horizontal bars, one series per scale step in its colour, the rows as categories.</summary>
internal static class DocxChart
{
    public static C.ChartSpace Create(FulfilmentChart chart, string language)
    {
        const uint categoryAxis = 48650001, valueAxis = 48650002;
        var bar = new C.BarChart(
            new C.BarDirection { Val = C.BarDirectionValues.Bar },
            new C.BarGrouping { Val = C.BarGroupingValues.Stacked },
            new C.VaryColors { Val = false });
        for (var s = 0; s < chart.Steps.Count; s++)
        {
            var step = chart.Steps[s];
            var series = new C.BarChartSeries(
                new C.Index { Val = (uint)s },
                new C.Order { Val = (uint)s },
                new C.SeriesText(new C.NumericValue(OpenXmlText.Clean($"{step.Symbol} {step.Label}".Trim()))));
            if (OpenXmlText.Hex(step.Colour) is { } colour)
            {
                series.Append(new C.ChartShapeProperties(
                    new A.SolidFill(new A.RgbColorModelHex { Val = colour }),
                    new A.Outline(new A.SolidFill(new A.RgbColorModelHex { Val = "FFFFFF" })) { Width = 9525 }));
            }

            series.Append(new C.InvertIfNegative { Val = false });
            var categories = new C.StringLiteral(new C.PointCount { Val = (uint)chart.Rows.Count });
            var values = new C.NumberLiteral(new C.FormatCode("General"), new C.PointCount { Val = (uint)chart.Rows.Count });
            for (var r = 0; r < chart.Rows.Count; r++)
            {
                var row = chart.Rows[r];
                categories.Append(new C.StringPoint(new C.NumericValue(OpenXmlText.Clean(row.Name))) { Index = (uint)r });
                var count = s < row.Counts.Count ? row.Counts[s] : 0;
                values.Append(new C.NumericPoint(new C.NumericValue(count.ToString(CultureInfo.InvariantCulture))) { Index = (uint)r });
            }

            series.Append(new C.CategoryAxisData(categories), new C.Values(values));
            bar.Append(series);
        }

        bar.Append(new C.GapWidth { Val = 60 }, new C.Overlap { Val = 100 }, new C.AxisId { Val = categoryAxis }, new C.AxisId { Val = valueAxis });

        var plot = new C.PlotArea(
            new C.Layout(),
            bar,
            new C.CategoryAxis(
                new C.AxisId { Val = categoryAxis },
                // The first row at the top, as in the table beside the chart.
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MaxMin }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Left },
                new C.NumberingFormat { FormatCode = "General", SourceLinked = false },
                new C.MajorTickMark { Val = C.TickMarkValues.None },
                new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = valueAxis },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.AutoLabeled { Val = true },
                new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
                new C.LabelOffset { Val = 100 },
                new C.NoMultiLevelLabels { Val = false }),
            new C.ValueAxis(
                new C.AxisId { Val = valueAxis },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false },
                // With the rows top down the value axis crosses at the last row, so its figures stand below the bars.
                new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
                new C.MajorGridlines(),
                new C.NumberingFormat { FormatCode = "0", SourceLinked = false },
                new C.MajorTickMark { Val = C.TickMarkValues.Outside },
                new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = categoryAxis },
                new C.Crosses { Val = C.CrossesValues.Maximum },
                new C.CrossBetween { Val = C.CrossBetweenValues.Between }));
        // Goals are whole: a unit of one keeps Word from ticking halves when the bars are short.
        if (chart.Rows.Select(r => r.Total).DefaultIfEmpty().Max() <= 10)
        {
            plot.GetFirstChild<C.ValueAxis>()!.Append(new C.MajorUnit { Val = 1 });
        }

        var space = new C.ChartSpace(
            new C.Date1904 { Val = false },
            new C.EditingLanguage { Val = language },
            new C.RoundedCorners { Val = false },
            new C.Chart(
                new C.Title(
                    new C.ChartText(new C.RichText(
                        new A.BodyProperties(),
                        new A.ListStyle(),
                        new A.Paragraph(
                            new A.ParagraphProperties(new A.DefaultRunProperties { FontSize = 1200, Bold = true }),
                            new A.Run(new A.RunProperties { Language = language, FontSize = 1200, Bold = true }, new A.Text(OpenXmlText.Clean(chart.Title)))))),
                    new C.Overlay { Val = false }),
                new C.AutoTitleDeleted { Val = false },
                plot,
                new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
                new C.PlotVisibleOnly { Val = true },
                new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Gap }));
        space.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        return space;
    }
}
