using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Web.Imports;

/// <summary>One row of the template: an indicator in a period, with what is recorded for it now.</summary>
public sealed record TemplateRow(
    string Unit,
    string Indicator,
    Guid IndicatorId,
    string PeriodKey,
    string UnitOfMeasure,
    int Decimals,
    decimal? Value,
    decimal? ValueWomen,
    decimal? ValueMen,
    decimal? Target,
    string? Comment,
    string State);

/// <summary>
/// The Excel template a redaktör downloads, fills and imports: sheet "Utfall" with the columns of
/// <see cref="ImportColumns.Template"/> (bold frozen header, filter), one row per indicator and period with the values
/// recorded now as numbers, and a sheet "Anvisningar" saying how to fill it. Rows are written one at a time
/// (OpenXmlWriter), so a template of every indicator of a large municipality never stands in memory as a tree.
/// </summary>
public static class ImportTemplate
{
    public const string DataSheet = "Utfall";
    public const string InstructionsSheet = "Anvisningar";

    /// <summary>The state text that marks a period closed for changes; its row is shaded.</summary>
    public const string Locked = "Låst";

    private const int MaxCellText = 32_767;

    private static readonly double[] MinWidths = [18, 24, 38, 10, 12, 15, 12, 12, 30, 12, 13];
    private static readonly double[] MaxWidths = [40, 60, 38, 16, 12, 15, 12, 12, 60, 20, 16];

    public static void Write(Stream output, string title, IReadOnlyList<TemplateRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);

        // A package is read back while it is written; an HTTP response cannot be, so such a stream gets a copy.
        if (!(output.CanSeek && output.CanRead && output.CanWrite))
        {
            using var buffer = new MemoryStream();
            Write(buffer, title, rows);
            buffer.Position = 0;
            buffer.CopyTo(output);
            return;
        }

        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook, autoSave: true);
        document.PackageProperties.Title = Clean(title);
        document.PackageProperties.Creator = "Kedja";
        document.PackageProperties.Language = "sv-SE";

        var workbook = document.AddWorkbookPart();
        var styles = new TemplateStyles();
        var data = workbook.AddNewPart<WorksheetPart>();
        WriteData(data, rows, styles);
        var instructions = workbook.AddNewPart<WorksheetPart>();
        WriteInstructions(instructions, title, styles);

        var lastRow = (rows.Count + 1).ToString(CultureInfo.InvariantCulture);
        workbook.Workbook = new Workbook(
            new BookViews(new WorkbookView { ActiveTab = 0 }),
            new Sheets(
                new Sheet { Name = DataSheet, SheetId = 1, Id = workbook.GetIdOfPart(data) },
                new Sheet { Name = InstructionsSheet, SheetId = 2, Id = workbook.GetIdOfPart(instructions) }),
            // Excel keeps a filter's range in this hidden name; without it some versions drop the filter on save.
            new DefinedNames(new DefinedName($"'{DataSheet}'!$A$1:${ColumnName(ImportColumns.Template.Count - 1)}${lastRow}")
            {
                Name = "_xlnm._FilterDatabase",
                LocalSheetId = 0,
                Hidden = true,
            }));
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = styles.Stylesheet();
    }

    private static void WriteData(WorksheetPart part, IReadOnlyList<TemplateRow> rows, TemplateStyles styles)
    {
        var columns = ImportColumns.Template;
        var widths = Widths(rows);
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartDocument();
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "E2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "E2" } })
        {
            WorkbookViewId = 0,
            TabSelected = true,
        }));
        writer.WriteElement(new Columns([.. widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })]));
        writer.WriteStartElement(new SheetData());

        var header = styles.Header();
        WriteRowStart(writer, 1);
        for (var c = 0; c < columns.Count; c++)
        {
            TextCell(writer, c, 1, columns[c], header);
        }

        writer.WriteEndElement();

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var number = r + 2;
            var locked = string.Equals(row.State?.Trim(), Locked, StringComparison.OrdinalIgnoreCase);
            var text = styles.Text(locked);
            // A stored value with more decimals than the indicator shows keeps them on screen: Excel saves a CSV as shown,
            // and 92,5 shown as 93 would come back as a change nobody made.
            uint Figure(decimal? value) => styles.Number(Math.Max(row.Decimals, Places(value)), locked);
            WriteRowStart(writer, number);
            TextCell(writer, 0, number, row.Unit, text);
            TextCell(writer, 1, number, row.Indicator, text);
            TextCell(writer, 2, number, row.IndicatorId.ToString("D"), text);
            TextCell(writer, 3, number, row.PeriodKey, text);
            NumberCell(writer, 4, number, row.Value, Figure(row.Value));
            NumberCell(writer, 5, number, row.ValueWomen, Figure(row.ValueWomen));
            NumberCell(writer, 6, number, row.ValueMen, Figure(row.ValueMen));
            NumberCell(writer, 7, number, row.Target, Figure(row.Target));
            TextCell(writer, 8, number, row.Comment, text);
            TextCell(writer, 9, number, row.UnitOfMeasure, text);
            TextCell(writer, 10, number, row.State, text);
            writer.WriteEndElement();
        }

        writer.WriteEndElement(); // sheetData
        var last = ColumnName(columns.Count - 1) + (rows.Count + 1).ToString(CultureInfo.InvariantCulture);
        writer.WriteElement(new AutoFilter { Reference = "A1:" + last });
        writer.WriteElement(new PageMargins { Left = 0.7, Right = 0.7, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
        writer.WriteEndElement(); // worksheet
        writer.Close();
    }

    private static void WriteInstructions(WorksheetPart part, string title, TemplateStyles styles)
    {
        string[] lines =
        [
            "Så fyller du i mallen",
            "",
            "1. Skriv utfallet i kolumnen Utfall (och Utfall kvinnor och Utfall män om indikatorn redovisas per kön). Skriv målvärdet i Målvärde om det ska ändras.",
            "2. Skriv talen med decimalkomma eller decimalpunkt, till exempel 12,5 eller 12.5. Mellanslag mellan tusental går bra: 1 250 000.",
            "3. Ändra inte Indikator-id och Period. De talar om vilken indikator och vilken period värdet gäller. Enhet och Indikator är bara till för dig som läser.",
            "4. En rad är en indikator i en period. Lägg inte samma indikator och period på två rader.",
            "5. En tom cell ändrar ingenting: värdet som redan finns i Kedja ligger kvar. Du behöver inte ta bort rader som du inte fyller i.",
            "6. Rader där Uppföljning är Låst (grå) gäller en period som är låst. Värden på de raderna läses inte in; be den som äger uppföljningen att öppna perioden först.",
            "7. Måttenhet och Uppföljning visar bara hur det ser ut nu. De läses inte in.",
            "8. Spara filen som Excel-arbetsbok (.xlsx) eller CSV och läs in den i Kedja. Du får se alla rader och eventuella fel innan något sparas.",
        ];

        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartDocument();
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView { WorkbookViewId = 0 }));
        writer.WriteElement(new Columns(new Column { Min = 1, Max = 1, Width = 110, CustomWidth = true }));
        writer.WriteStartElement(new SheetData());
        var number = 1;
        WriteRowStart(writer, number);
        TextCell(writer, 0, number, title, styles.Title());
        writer.WriteEndElement();
        number++;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            WriteRowStart(writer, number);
            TextCell(writer, 0, number, line, number == 3 ? styles.Bold() : styles.Wrapped());
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteElement(new PageMargins { Left = 0.7, Right = 0.7, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
        writer.WriteEndElement();
        writer.Close();
    }

    private static void WriteRowStart(OpenXmlWriter writer, int row) =>
        writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", row.ToString(CultureInfo.InvariantCulture))]);

    private static void TextCell(OpenXmlWriter writer, int column, int row, string? text, uint style)
    {
        var clean = Clean(text);
        if (clean.Length > MaxCellText)
        {
            clean = clean[..(char.IsHighSurrogate(clean[MaxCellText - 1]) ? MaxCellText - 1 : MaxCellText)];
        }

        var reference = ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);
        if (clean.Length == 0)
        {
            writer.WriteElement(new Cell { CellReference = reference, StyleIndex = style == 0 ? null : style });
            return;
        }

        writer.WriteElement(new Cell(new InlineString(new Text(clean) { Space = clean.Trim().Length == clean.Length ? null : SpaceProcessingModeValues.Preserve }))
        {
            CellReference = reference,
            DataType = CellValues.InlineString,
            StyleIndex = style == 0 ? null : style,
        });
    }

    /// <summary>The decimals a value needs, without trailing zeros (at most 10, as <see cref="TemplateStyles.Number"/>).</summary>
    private static int Places(decimal? value)
    {
        if (value is not { } v)
        {
            return 0;
        }

        var places = 0;
        while (v != decimal.Truncate(v) && places < 10)
        {
            v *= 10;
            places++;
        }

        return places;
    }

    // An empty figure cell still carries the number format, so what the user types there shows with the decimals.
    private static void NumberCell(OpenXmlWriter writer, int column, int row, decimal? value, uint style)
    {
        var reference = ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);
        writer.WriteElement(value is { } v
            ? new Cell(new CellValue(v.ToString(CultureInfo.InvariantCulture))) { CellReference = reference, DataType = CellValues.Number, StyleIndex = style }
            : new Cell { CellReference = reference, StyleIndex = style });
    }

    // Wide enough for the longest text in a column, within limits that keep the sheet on a screen.
    private static double[] Widths(IReadOnlyList<TemplateRow> rows)
    {
        var widths = (double[])MinWidths.Clone();
        static void Fit(double[] widths, int column, string? text)
        {
            if (text is not null)
            {
                widths[column] = Math.Min(Math.Max(widths[column], text.Length + 2), MaxWidths[column]);
            }
        }

        foreach (var row in rows)
        {
            Fit(widths, 0, row.Unit);
            Fit(widths, 1, row.Indicator);
            Fit(widths, 3, row.PeriodKey);
            Fit(widths, 8, row.Comment);
            Fit(widths, 9, row.UnitOfMeasure);
        }

        return widths;
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

    // XML 1.0 cannot hold most control characters; a name pasted from elsewhere may carry one.
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        return text.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF')
            ? new string([.. text.Where(c => !(c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF'))])
            : text;
    }

    /// <summary>The workbook's cell formats, gathered while the sheets are written and set down after them.</summary>
    private sealed class TemplateStyles
    {
        private const uint FirstCustomFormat = 164;
        private const int LockedFill = 2, HeaderFill = 3;

        private readonly record struct Format(uint Font, uint Fill, uint NumberFormat, bool Wrap);

        private readonly List<Format> formats = [new(0, 0, 0, false)];
        private readonly Dictionary<Format, uint> indexes = new() { [new(0, 0, 0, false)] = 0 };
        private readonly SortedDictionary<int, uint> numberFormats = [];

        public uint Header() => Index(new(1, HeaderFill, 0, false));

        public uint Title() => Index(new(2, 0, 0, false));

        public uint Bold() => Index(new(1, 0, 0, false));

        public uint Wrapped() => Index(new(0, 0, 0, true));

        public uint Text(bool locked) => Index(new(locked ? 3u : 0u, locked ? LockedFill : 0u, 0, false));

        public uint Number(int decimals, bool locked)
        {
            var places = Math.Clamp(decimals, 0, 10);
            if (!numberFormats.TryGetValue(places, out var id))
            {
                id = FirstCustomFormat + (uint)places;
                numberFormats[places] = id;
            }

            return Index(new(locked ? 3u : 0u, locked ? LockedFill : 0u, id, false));
        }

        private uint Index(Format format)
        {
            if (!indexes.TryGetValue(format, out var index))
            {
                index = (uint)formats.Count;
                formats.Add(format);
                indexes[format] = index;
            }

            return index;
        }

        public Stylesheet Stylesheet()
        {
            var stylesheet = new Stylesheet();
            if (numberFormats.Count > 0)
            {
                stylesheet.Append(new NumberingFormats([.. numberFormats.Select(f => new NumberingFormat
                {
                    NumberFormatId = f.Value,
                    FormatCode = f.Key == 0 ? "#,##0" : "#,##0." + new string('0', f.Key),
                })])
                { Count = (uint)numberFormats.Count });
            }

            stylesheet.Append(
                new Fonts(
                    Font(bold: false, size: 11, colour: null),
                    Font(bold: true, size: 11, colour: null),
                    Font(bold: true, size: 14, colour: null),
                    Font(bold: false, size: 11, colour: "FF595959"))
                { Count = 4 },
                new Fills(
                    new Fill(new PatternFill { PatternType = PatternValues.None }),
                    new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                    Solid("FFEDEDED"),
                    Solid("FFDCE6F1"))
                { Count = 4 },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                new CellFormats([.. formats.Select(CellFormat)])
                { Count = (uint)formats.Count },
                new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
            return stylesheet;
        }

        private static CellFormat CellFormat(Format f)
        {
            var format = new CellFormat
            {
                NumberFormatId = f.NumberFormat,
                FontId = f.Font,
                FillId = f.Fill,
                BorderId = 0,
                FormatId = 0,
                ApplyNumberFormat = f.NumberFormat != 0 ? true : null,
                ApplyFont = f.Font != 0 ? true : null,
                ApplyFill = f.Fill != 0 ? true : null,
            };
            if (f.Wrap)
            {
                format.ApplyAlignment = true;
                format.Append(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top });
            }

            return format;
        }

        private static Font Font(bool bold, double size, string? colour)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }

            font.Append(new FontSize { Val = size });
            font.Append(colour is null ? new Color { Theme = 1 } : new Color { Rgb = colour });
            font.Append(new FontName { Val = "Calibri" });
            font.Append(new FontFamilyNumbering { Val = 2 });
            return font;
        }

        private static Fill Solid(string colour) =>
            new(new PatternFill(new ForegroundColor { Rgb = colour }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });
    }
}
