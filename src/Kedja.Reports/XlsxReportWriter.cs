using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Reports;

/// <summary>
/// The Excel report: a first sheet "Rapport" with the title page and a linked list of the sections, then one sheet per
/// section with its blocks top to bottom. Figures are numbers (the value, with a number format for its decimals and
/// unit), so a reader can sum and chart them; every text is as the other formats show it. Sheets are written row by
/// row (OpenXmlWriter), so 20,000 rows never stand in memory as one tree.
/// </summary>
public sealed class XlsxReportWriter : IReportWriter
{
    public ReportFormat Format => ReportFormat.Xlsx;

    /// <summary>The first sheet's name: the title page. A section of the same name gets a number after it.</summary>
    internal const string TitleSheet = "Rapport";

    // Excel refuses a cell of more text than this and calls the whole file damaged.
    private const int MaxCellText = 32_767;

    public void Write(ReportDocument report, Stream output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);

        if (OpenXmlText.WroteThroughBuffer(output, buffer => Write(report, buffer, progress)))
        {
            return;
        }

        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook, autoSave: true);
        document.PackageProperties.Title = OpenXmlText.Clean(report.Title);
        document.PackageProperties.Subject = OpenXmlText.Clean(report.Subtitle);
        document.PackageProperties.Creator = "Kedja";
        document.PackageProperties.Language = OpenXmlText.LanguageTag(report.Language);
        document.PackageProperties.Created = report.Created.UtcDateTime;

        var workbook = document.AddWorkbookPart();
        var styles = new XlsxStyles();
        var names = SheetNames(report.Sections);
        var sheets = new Sheets();

        var title = workbook.AddNewPart<WorksheetPart>();
        WriteTitleSheet(title, report, names, styles);
        sheets.Append(new Sheet { Name = TitleSheet, SheetId = 1, Id = workbook.GetIdOfPart(title) });
        for (var s = 0; s < report.Sections.Count; s++)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            WriteSectionSheet(part, report.Sections[s], styles);
            sheets.Append(new Sheet { Name = names[s], SheetId = (uint)(s + 2), Id = workbook.GetIdOfPart(part) });
            progress?.Report((s + 1) / (double)report.Sections.Count);
        }

        workbook.Workbook = new Workbook(new BookViews(new WorkbookView { ActiveTab = 0 }), sheets);
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = styles.Stylesheet();
    }

    /// <summary>
    /// A name per section that Excel takes: at most 31 characters, none of []:*?/\, no apostrophe at either end, not
    /// "History" (Excel's own), and unique in any case, since Excel compares names without case.
    /// </summary>
    internal static List<string> SheetNames(IReadOnlyList<ReportSection> sections)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { TitleSheet, "History" };
        var names = new List<string>(sections.Count);
        for (var s = 0; s < sections.Count; s++)
        {
            var clean = new string([.. OpenXmlText.Clean(sections[s].Heading).Where(c => !char.IsControl(c) && c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\'))]);
            clean = Fit(clean.Trim().Trim('\'').Trim(), 31);
            if (clean.Length == 0)
            {
                clean = string.Create(CultureInfo.InvariantCulture, $"Avsnitt {s + 1}");
            }

            var name = clean;
            for (var n = 2; !taken.Add(name); n++)
            {
                var suffix = string.Create(CultureInfo.InvariantCulture, $" ({n})");
                name = Fit(clean, 31 - suffix.Length).TrimEnd().TrimEnd('\'') + suffix;
            }

            names.Add(name);
        }

        return names;
    }

    // Cut at a character, never within a surrogate pair.
    private static string Fit(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    private static void WriteTitleSheet(WorksheetPart part, ReportDocument report, List<string> names, XlsxStyles styles)
    {
        using var sheet = new SheetWriter(part, [60], selected: true);
        sheet.Text(report.Organisation, styles.Of(XlsxFont.Regular));
        sheet.Text(report.Title, styles.Of(XlsxFont.Title));
        sheet.Text(report.Subtitle, styles.Of(XlsxFont.Heading2));
        sheet.Text(report.Period, styles.Of(XlsxFont.Regular));
        sheet.Text(Labels.Created(report), styles.Of(XlsxFont.Regular));
        sheet.Skip();
        sheet.Text(Labels.Contents, styles.Of(XlsxFont.Heading3));
        var link = styles.Of(XlsxFont.Link);
        for (var s = 0; s < report.Sections.Count; s++)
        {
            sheet.Link(report.Sections[s].Heading, names[s], link);
        }
    }

    private static void WriteSectionSheet(WorksheetPart part, ReportSection section, XlsxStyles styles)
    {
        using var sheet = new SheetWriter(part, Widths(section), selected: false);
        sheet.Text(section.Heading, styles.Of(XlsxFont.Heading1));
        foreach (var block in section.Blocks)
        {
            switch (block)
            {
                case ReportHeading h:
                    sheet.Skip();
                    sheet.Text(h.Text, styles.Of(h.Level <= 2 ? XlsxFont.Heading2 : h.Level == 3 ? XlsxFont.Heading3 : XlsxFont.Bold));
                    break;
                case ReportParagraph p:
                    var style = styles.Of(p.Kind == ParagraphKind.Note ? XlsxFont.Italic : XlsxFont.Regular);
                    foreach (var line in OpenXmlText.Lines(p.Text))
                    {
                        sheet.Text(line, style);
                    }

                    break;
                case ReportField f:
                    var lines = OpenXmlText.Lines(f.Text).DefaultIfEmpty("").ToList();
                    sheet.Row([(f.Label, styles.Of(XlsxFont.Bold)), (lines[0], 0u)]);
                    foreach (var line in lines.Skip(1))
                    {
                        sheet.Row([("", 0u), (line, 0u)]);
                    }

                    break;
                case ReportStatusLine s:
                    sheet.Row([(s.Label, styles.Of(XlsxFont.Bold)), (s.Status.Text, styles.Status(s.Status, border: false)), (s.Explanation ?? "", 0u)]);
                    break;
                case ReportTable t:
                    Table(sheet, t, styles);
                    break;
                case ReportChart c:
                    sheet.Skip();
                    sheet.Text(c.Description, styles.Of(XlsxFont.Italic));
                    Table(sheet, ChartTable.Of(c), styles);
                    break;
                case ReportPageBreak:
                    break;
            }
        }
    }

    private static void Table(SheetWriter sheet, ReportTable table, XlsxStyles styles)
    {
        sheet.Skip();
        sheet.Text(table.Caption, styles.Of(XlsxFont.Bold));
        sheet.Row([.. table.Columns.Select(c => (c.Header, styles.Of(XlsxFont.Bold, XlsxStyles.HeaderFill, border: true, right: Figure(c.Kind), wrap: true)))]);
        var text = styles.Of(XlsxFont.Regular, border: true);
        var dash = styles.Of(XlsxFont.Regular, border: true, right: true);
        foreach (var row in table.Rows)
        {
            sheet.StartRow();
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = c < row.Count ? row[c] : ReportCell.Empty;
                var kind = table.Columns[c].Kind;
                if (Figure(kind) && cell.Number is { } number)
                {
                    sheet.Number(number, styles.Number(kind, cell.Decimals, Unit(cell, kind)));
                }
                else if (cell.Status is { } status)
                {
                    sheet.Cell(status.Text, styles.Status(status, border: true));
                }
                else
                {
                    sheet.Cell(cell.Text, Figure(kind) ? dash : text);
                }
            }

            sheet.EndRow();
        }
    }

    private static bool Figure(CellKind kind) => kind is CellKind.Number or CellKind.Percent;

    /// <summary>The unit the text shows after the figure ("86,5 %" → " %"), so Excel shows it too while storing 86.5.</summary>
    private static string Unit(ReportCell cell, CellKind kind)
    {
        if (kind != CellKind.Number || cell.Number is not { } number)
        {
            return "";
        }

        var figure = Domain.SwedishFormat.Number(number, cell.Decimals);
        return cell.Text.Length > figure.Length && cell.Text.StartsWith(figure, StringComparison.Ordinal) ? cell.Text[figure.Length..] : "";
    }

    /// <summary>Each column as wide as the widest table of the section wants it, in characters.</summary>
    private static double[] Widths(ReportSection section)
    {
        var widths = new List<double> { 16 };
        foreach (var block in section.Blocks)
        {
            var columns = block switch
            {
                ReportTable t => t.Columns,
                ReportChart c => ChartTable.Of(c).Columns,
                _ => null,
            };
            for (var c = 0; columns is not null && c < columns.Count; c++)
            {
                var weight = double.IsFinite(columns[c].Width) && columns[c].Width > 0 ? columns[c].Width : 1;
                var width = Math.Clamp(Math.Max(weight * 12, Math.Min(columns[c].Header.Length + 2, 24)), 8, 80);
                if (c < widths.Count)
                {
                    widths[c] = Math.Max(widths[c], width);
                }
                else
                {
                    widths.Add(width);
                }
            }
        }

        return [.. widths];
    }

    /// <summary>One sheet written row by row.</summary>
    private sealed class SheetWriter : IDisposable
    {
        private readonly OpenXmlWriter writer;
        private readonly List<Hyperlink> links = [];
        private uint row;
        private int column;

        public SheetWriter(WorksheetPart part, double[] widths, bool selected)
        {
            writer = OpenXmlWriter.Create(part);
            writer.WriteStartDocument();
            writer.WriteStartElement(new Worksheet());
            writer.WriteElement(new SheetViews(new SheetView { WorkbookViewId = 0, TabSelected = selected ? true : null }));
            writer.WriteElement(new Columns([.. widths.Select((w, i) => new Column
            {
                Min = (uint)(i + 1),
                Max = (uint)(i + 1),
                Width = Math.Round(w, 2),
                CustomWidth = true,
            })]));
            writer.WriteStartElement(new SheetData());
        }

        public void Skip() => row++;

        public void Text(string text, uint style) => Row([(text, style)]);

        public void Row(IEnumerable<(string Text, uint Style)> cells)
        {
            StartRow();
            foreach (var (text, style) in cells)
            {
                Cell(text, style);
            }

            EndRow();
        }

        public void Link(string text, string sheet, uint style)
        {
            StartRow();
            var reference = Reference();
            Cell(text, style);
            EndRow();
            links.Add(new Hyperlink
            {
                Reference = reference,
                Location = $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!A1",
                Display = Fit(OpenXmlText.Clean(text), 255),
            });
        }

        public void StartRow()
        {
            row++;
            column = 0;
            writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", row.ToString(CultureInfo.InvariantCulture))]);
        }

        public void EndRow() => writer.WriteEndElement();

        public void Cell(string text, uint style)
        {
            var clean = Fit(OpenXmlText.Clean(text), MaxCellText);
            var reference = Reference();
            column++;
            if (clean.Length == 0 && style == 0)
            {
                return;
            }

            writer.WriteElement(new Cell(new InlineString(new Text(clean) { Space = clean.Trim().Length == clean.Length ? null : SpaceProcessingModeValues.Preserve }))
            {
                CellReference = reference,
                DataType = CellValues.InlineString,
                StyleIndex = style == 0 ? null : style,
            });
        }

        public void Number(decimal value, uint style)
        {
            var reference = Reference();
            column++;
            writer.WriteElement(new Cell(new CellValue(value.ToString(CultureInfo.InvariantCulture)))
            {
                CellReference = reference,
                DataType = CellValues.Number,
                StyleIndex = style,
            });
        }

        private string Reference() => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

        public void Dispose()
        {
            writer.WriteEndElement();
            if (links.Count > 0)
            {
                writer.WriteElement(new Hyperlinks(links));
            }

            writer.WriteElement(new PageMargins { Left = 0.7, Right = 0.7, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
            writer.WriteEndElement();
            writer.Close();
            writer.Dispose();
        }
    }

    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }
}
