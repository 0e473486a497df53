using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Web.Imports;

/// <summary>
/// The sheet "Utfall" (the template's) or else the first sheet, read row by row with XmlReader so a sheet of
/// 100,000 rows never stands in memory as a tree. A cell gives what Excel shows: shared and inline strings, numbers
/// (kept as numbers), booleans, a formula's cached value, and dates as "yyyy-MM-dd".
/// </summary>
internal static class XlsxImportReader
{
    public const string PreferredSheet = "Utfall";

    // A number's text as a Swede writes it (decimal comma, no grouping), with an ASCII minus whatever ICU says.
    private static readonly NumberFormatInfo Swedish = new() { NumberDecimalSeparator = ",", NegativeSign = "-" };

    // The characters a part may hold, whatever its zip entry declares (ImportReader checks the declared sizes): the sheet
    // is streamed, so its limit bounds the time; the shared strings are all kept, so theirs bounds the memory. Past
    // either, XmlReader throws and the file is told as damaged.
    private const long MaxSheetCharacters = ImportReader.MaxUnpackedBytes;
    private const long MaxSharedStringCharacters = 64L * 1024 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = MaxSheetCharacters,
    };

    private static readonly XmlReaderSettings SharedStringSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = MaxSharedStringCharacters,
    };

    public static ImportReadResult Read(string fileName, byte[] content, string hash)
    {
        // The workbook and styles are read as trees by the SDK: bounded as the parts read by XmlReader are.
        using var document = SpreadsheetDocument.Open(new MemoryStream(content, writable: false), false, new OpenSettings { MaxCharactersInPart = MaxSharedStringCharacters });
        var workbook = document.WorkbookPart;
        var sheets = workbook?.Workbook?.Sheets?.Elements<Sheet>().ToList() ?? [];
        if (workbook is null || sheets.Count == 0)
        {
            return ImportReadResult.Failed(ImportMessages.NoSheets);
        }

        var sheet = sheets.FirstOrDefault(s => string.Equals(s.Name?.Value?.Trim(), PreferredSheet, StringComparison.OrdinalIgnoreCase)) ?? sheets[0];
        if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
        {
            // The first sheet may be a chart sheet, which holds no cells.
            return ImportReadResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Bladet \"{sheet.Name}\" innehåller inga celler. Lägg värdena på ett blad som heter \"{PreferredSheet}\" eller som första blad."));
        }

        var strings = SharedStrings(workbook.SharedStringTablePart);
        var dates = DateStyles(workbook.WorkbookStylesPart);
        var rows = ReadSheet(part, strings, dates);
        var name = sheet.Name?.Value ?? "";
        if (!rows.TooMany && rows.Header is null)
        {
            return ImportReadResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Bladet \"{name}\" är tomt."));
        }

        return ImportMessages.Result(rows, r => new ImportTable(fileName, ImportTable.Xlsx, hash, r.HeaderRow, r.Header!, r.Lines, null, null) { Sheet = name });
    }

    // The sheet's XML read with XmlReader, by local name (namespaces aside): OpenXmlReader makes an element
    // object per node and took 1.5 s for 100,000 rows of 11 cells where this takes a fraction of it (ADR 37).
    private static ImportRows ReadSheet(WorksheetPart part, List<string> strings, bool[] dates)
    {
        var rows = new ImportRows();
        using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
        using var reader = XmlReader.Create(stream, Settings);
        var names = reader.NameTable;
        var rowName = names.Add("row");
        var cellName = names.Add("c");
        var valueName = names.Add("v");
        var inlineName = names.Add("is");
        var textName = names.Add("t");
        var phoneticName = names.Add("rPh");
        var sheetDataName = names.Add("sheetData");

        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && ReferenceEquals(reader.LocalName, sheetDataName))
            {
                break;
            }
        }

        if (reader.EOF || reader.IsEmptyElement)
        {
            return rows;
        }

        var rowNumber = 0;
        var cells = new List<ImportCell>();
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType != XmlNodeType.Element || !ReferenceEquals(reader.LocalName, rowName))
            {
                continue;
            }

            rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : rowNumber + 1;
            cells.Clear();
            if (!reader.IsEmptyElement)
            {
                var rowDepth = reader.Depth;
                var column = 0;
                while (reader.Read() && reader.Depth > rowDepth)
                {
                    if (reader.NodeType != XmlNodeType.Element || !ReferenceEquals(reader.LocalName, cellName))
                    {
                        continue;
                    }

                    var reference = reader.GetAttribute("r");
                    var type = reader.GetAttribute("t");
                    var style = reader.GetAttribute("s");
                    column = reference is null ? column : ColumnIndex(reference);
                    if (column >= MaxColumns)
                    {
                        // Excel writes no cell past XFD. Padding the row out to such a column cost a millisecond per
                        // cell at ZZZZ and gigabytes at ZZZZZZ (a file of a few kB could take a node's memory); the
                        // reader refuses it as the damaged file it is (ImportReader tells the user so).
                        throw new FormatException($"The cell {reference ?? $"#{column + 1}"} is past Excel's last column.");
                    }

                    string? value = null;
                    string? inline = null;
                    if (!reader.IsEmptyElement)
                    {
                        var cellDepth = reader.Depth;
                        var phoneticDepth = -1;
                        reader.Read();
                        while (!reader.EOF && reader.Depth > cellDepth)
                        {
                            if (reader.NodeType == XmlNodeType.Element)
                            {
                                var local = reader.LocalName;
                                if (phoneticDepth < 0 && ReferenceEquals(local, valueName) && reader.Depth == cellDepth + 1)
                                {
                                    value = reader.ReadElementContentAsString();
                                    continue;
                                }

                                if (ReferenceEquals(local, phoneticName) && !reader.IsEmptyElement)
                                {
                                    phoneticDepth = reader.Depth;
                                }
                                else if (phoneticDepth < 0 && ReferenceEquals(local, textName))
                                {
                                    // Rich inline text comes in runs; most cells have one.
                                    var run = reader.ReadElementContentAsString();
                                    inline = inline is null ? run : inline + run;
                                    continue;
                                }
                            }
                            else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == phoneticDepth)
                            {
                                phoneticDepth = -1;
                            }

                            reader.Read();
                        }
                    }

                    var cell = Value(type, value, inline, style, strings, dates);
                    while (cells.Count < column)
                    {
                        cells.Add(ImportCell.Empty);
                    }

                    if (cells.Count == column)
                    {
                        cells.Add(cell);
                    }
                    else
                    {
                        cells[column] = cell;
                    }

                    column++;
                }
            }

            rows.Add(rowNumber, cells);
            if (rows.TooMany)
            {
                break;
            }
        }

        return rows;
    }

    private static ImportCell Value(string? type, string? value, string? inline, string? style, List<string> strings, bool[] dates)
    {
        switch (type)
        {
            case "inlineStr":
                return Text(inline);
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? Text(strings[index]) : ImportCell.Empty;
            case "str":
            case "e":
                return Text(value);
            case "b":
                return value is null ? ImportCell.Empty : new ImportCell(value.Trim() == "1" ? "SANT" : "FALSKT", null);
            case "d":
                // An ISO 8601 date (Strict Open XML); the date is what an import reads.
                return value is null ? ImportCell.Empty
                    : DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso) ? new ImportCell(iso.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                    : Text(value);
            default:
                return Number(value, IsDate(style, dates));
        }
    }

    private static ImportCell Text(string? text)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? ImportCell.Empty : new ImportCell(trimmed.Contains('\r') ? trimmed.Replace("\r\n", "\n", StringComparison.Ordinal) : trimmed, null);
    }

    private static ImportCell Number(string? value, bool date)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ImportCell.Empty;
        }

        // Most values are short and exact; only a long one may carry a binary fraction's tail.
        if (!date && value.Length <= 15 && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var exact))
        {
            return new ImportCell(exact.ToString(Swedish), exact);
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            return Text(value);
        }

        if (date)
        {
            return number is >= 0 and < 2_958_466
                ? new ImportCell(DateTime.FromOADate(number).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                : Text(value);
        }

        // Excel keeps 17 digits and shows 15: 0.1 + 0.2 is stored as 0.30000000000000004 and shown as 0.3.
        if (!decimal.TryParse(number.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var shown))
        {
            return Text(value);
        }

        return new ImportCell(shown.ToString(Swedish), shown);
    }

    private static bool IsDate(string? style, bool[] dates) =>
        style is not null && int.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < dates.Length && dates[index];

    /// <summary>Excel's columns, A to XFD.</summary>
    internal const int MaxColumns = 16_384;

    /// <summary>"C5" → 2; any column past XFD → <see cref="MaxColumns"/> (never an overflow, however many letters).</summary>
    internal static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z')
            {
                break;
            }

            index = (index * 26) + (upper - 'A' + 1);
            if (index > MaxColumns)
            {
                return MaxColumns;
            }
        }

        return Math.Max(index - 1, 0);
    }

    // Rich text is in runs, each with its text; phonetic guides (rPh) are not part of the shown text.
    private static List<string> SharedStrings(SharedStringTablePart? part)
    {
        var strings = new List<string>();
        if (part is null)
        {
            return strings;
        }

        using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
        using var reader = XmlReader.Create(stream, SharedStringSettings);
        var itemName = reader.NameTable.Add("si");
        var textName = reader.NameTable.Add("t");
        var phoneticName = reader.NameTable.Add("rPh");
        var text = new StringBuilder();
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || !ReferenceEquals(reader.LocalName, itemName))
            {
                reader.Read();
                continue;
            }

            text.Clear();
            if (!reader.IsEmptyElement)
            {
                var depth = reader.Depth;
                reader.Read();
                while (!reader.EOF && reader.Depth > depth)
                {
                    if (reader.NodeType == XmlNodeType.Element && ReferenceEquals(reader.LocalName, phoneticName))
                    {
                        reader.Skip();
                        continue;
                    }

                    if (reader.NodeType == XmlNodeType.Element && ReferenceEquals(reader.LocalName, textName))
                    {
                        text.Append(reader.ReadElementContentAsString());
                        continue;
                    }

                    reader.Read();
                }
            }

            strings.Add(text.ToString());
            reader.Read();
        }

        return strings;
    }

    // Per cell style (cellXfs index): whether its number format shows a date.
    private static bool[] DateStyles(WorkbookStylesPart? part)
    {
        var stylesheet = part?.Stylesheet;
        var formats = stylesheet?.CellFormats?.Elements<CellFormat>().ToList();
        if (stylesheet is null || formats is null)
        {
            return [];
        }

        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .GroupBy(f => f.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.First().FormatCode?.Value ?? "") ?? [];
        return [.. formats.Select(f => f.NumberFormatId?.Value is { } id && IsDateFormat(id, custom.GetValueOrDefault(id)))];
    }

    internal static bool IsDateFormat(uint id, string? code)
    {
        // Excel's built-in date formats; 18-21 and 45-47 are times of day, which an outcome file has no use for.
        if (id is (>= 14 and <= 17) or 22 or (>= 27 and <= 36) or (>= 50 and <= 58))
        {
            return true;
        }

        if (string.IsNullOrEmpty(code) || id < 164)
        {
            return false;
        }

        // A custom code is a date when it holds a day or year outside quoted text, escapes and [colour] sections.
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (quoted)
            {
                continue;
            }
            else if (c == '\\' || c == '_' || c == '*')
            {
                i++;
            }
            else if (c == '[')
            {
                bracket = true;
            }
            else if (c == ']')
            {
                bracket = false;
            }
            else if (!bracket && c is 'd' or 'D' or 'y' or 'Y' or 'å' or 'Å')
            {
                return true;
            }
        }

        return false;
    }
}
