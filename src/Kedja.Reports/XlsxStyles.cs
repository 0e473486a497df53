using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Reports;

internal enum XlsxFont
{
    Regular,
    Bold,
    Italic,
    Heading1,
    Heading2,
    Heading3,
    Title,
    Link,
}

/// <summary>
/// The cell formats one workbook uses, gathered while its sheets are written and set down after them. Number formats
/// are Excel's invariant codes ("#,##0.0", "0%"): Excel shows them with the reader's separators, in a Swedish Excel
/// "1 234,5". One instance per workbook: the writer stays stateless.
/// </summary>
internal sealed class XlsxStyles
{
    public const int HeaderFill = 2;

    // Excel's built-in formats need no definition of their own.
    private const uint Integer = 3, TwoDecimals = 4, WholePercent = 9, PercentTwoDecimals = 10, FirstCustom = 164;

    // Each distinct unit makes a number format; past this many, figures keep their decimals and lose the unit.
    private const int MaxCustomFormats = 200;

    private readonly record struct Format(XlsxFont Font, int Fill, bool Border, uint NumberFormat, bool Right, bool Wrap);

    private readonly Dictionary<Format, uint> indexes = [];
    private readonly List<Format> formats = [];
    private readonly Dictionary<string, uint> numberFormats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> fills = new(StringComparer.Ordinal);
    private readonly List<string> fillColours = ["", "", "E8E8EE"];

    public XlsxStyles() => Index(new Format(XlsxFont.Regular, 0, false, 0, false, false));

    public uint Of(XlsxFont font, int fill = 0, bool border = false, bool right = false, bool wrap = false) =>
        Index(new Format(font, fill, border, 0, right, wrap));

    /// <summary>The status's words in a light tint of its colour: the fill is beside the words, which say it all.</summary>
    public uint Status(ReportStatus status, bool border)
    {
        var fill = 0;
        if (OpenXmlText.LightHex(status.Colour) is { } colour && !fills.TryGetValue(colour, out fill))
        {
            fill = fillColours.Count;
            fillColours.Add(colour);
            fills[colour] = fill;
        }

        return Index(new Format(XlsxFont.Regular, fill, border, 0, false, false));
    }

    /// <summary>A figure's format: its decimals, a share as per cent, and the unit its text shows after it.</summary>
    public uint Number(CellKind kind, int decimals, string unit)
    {
        var places = Math.Clamp(decimals, 0, 10);
        var zeros = places > 0 ? "." + new string('0', places) : "";
        uint id;
        if (kind == CellKind.Percent)
        {
            id = places switch
            {
                0 => WholePercent,
                2 => PercentTwoDecimals,
                _ => Custom("0" + zeros + "%"),
            };
        }
        else
        {
            var literal = unit.Replace("\"", "", StringComparison.Ordinal);
            var code = "#,##0" + zeros;
            id = literal.Length is > 0 and <= 20 && numberFormats.Count < MaxCustomFormats ? Custom(code + "\"" + literal + "\"")
                : places == 0 ? Integer
                : places == 2 ? TwoDecimals
                : Custom(code);
        }

        return Index(new Format(XlsxFont.Regular, 0, true, id, true, false));
    }

    private uint Custom(string code)
    {
        if (!numberFormats.TryGetValue(code, out var id))
        {
            id = FirstCustom + (uint)numberFormats.Count;
            numberFormats[code] = id;
        }

        return id;
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
            stylesheet.Append(new NumberingFormats([.. numberFormats.Select(f => new NumberingFormat { NumberFormatId = f.Value, FormatCode = f.Key })])
            {
                Count = (uint)numberFormats.Count,
            });
        }

        var fonts = Enum.GetValues<XlsxFont>().Select(Font).ToList();
        stylesheet.Append(new Fonts(fonts) { Count = (uint)fonts.Count });
        stylesheet.Append(new Fills([.. fillColours.Select((colour, i) => i switch
        {
            0 => new Fill(new PatternFill { PatternType = PatternValues.None }),
            1 => new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            _ => new Fill(new PatternFill(new ForegroundColor { Rgb = "FF" + colour }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }),
        })])
        { Count = (uint)fillColours.Count });
        stylesheet.Append(new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(Side<LeftBorder>(), Side<RightBorder>(), Side<TopBorder>(), Side<BottomBorder>(), new DiagonalBorder()))
        { Count = 2 });
        stylesheet.Append(new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 });
        stylesheet.Append(new CellFormats([.. formats.Select(CellFormat)]) { Count = (uint)formats.Count });
        stylesheet.Append(new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
        return stylesheet;
    }

    private static T Side<T>() where T : BorderPropertiesType, new() =>
        new() { Style = BorderStyleValues.Thin, Color = new Color { Rgb = "FF8A8A90" } };

    private static CellFormat CellFormat(Format format)
    {
        var cell = new CellFormat
        {
            NumberFormatId = format.NumberFormat,
            FontId = (uint)format.Font,
            FillId = (uint)format.Fill,
            BorderId = format.Border ? 1u : 0u,
            FormatId = 0,
            ApplyNumberFormat = format.NumberFormat != 0 ? true : null,
            ApplyFont = format.Font != XlsxFont.Regular ? true : null,
            ApplyFill = format.Fill != 0 ? true : null,
            ApplyBorder = format.Border ? true : null,
        };
        if (format.Right || format.Wrap)
        {
            cell.ApplyAlignment = true;
            cell.Append(new Alignment
            {
                Horizontal = format.Right ? HorizontalAlignmentValues.Right : null,
                Vertical = format.Wrap ? VerticalAlignmentValues.Top : null,
                WrapText = format.Wrap ? true : null,
            });
        }

        return cell;
    }

    private static Font Font(XlsxFont font)
    {
        var (size, bold, italic) = font switch
        {
            XlsxFont.Bold => (11, true, false),
            XlsxFont.Italic => (11, false, true),
            XlsxFont.Heading1 => (16, true, false),
            XlsxFont.Heading2 => (14, true, false),
            XlsxFont.Heading3 => (12, true, false),
            XlsxFont.Title => (20, true, false),
            _ => (11, false, false),
        };
        var result = new Font();
        if (bold)
        {
            result.Append(new Bold());
        }

        if (italic)
        {
            result.Append(new Italic());
        }

        if (font == XlsxFont.Link)
        {
            result.Append(new Underline());
        }

        result.Append(
            new FontSize { Val = size },
            new Color { Rgb = font == XlsxFont.Link ? "FF0563C1" : "FF1B1B1F" },
            new FontName { Val = "Calibri" },
            new FontFamilyNumbering { Val = 2 });
        return result;
    }
}
