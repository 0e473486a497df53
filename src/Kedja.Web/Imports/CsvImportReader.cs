using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace Kedja.Web.Imports;

/// <summary>
/// CSV as Excel and other systems write it in Sweden: UTF-8 with or without BOM, else Windows-1252 (what Excel's
/// "CSV (semikolonavgränsad)" writes); UTF-16 with a BOM ("Unicode-text"); separator ';', ',' or tab as the header
/// line shows outside quotes, or as an Excel "sep=" line says. Fields are split by Sep (RFC 4180 quoting); see ADR 37.
/// </summary>
internal static class CsvImportReader
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Windows-1252 is not available.");

    public static ImportReadResult Read(string fileName, byte[] content, string hash)
    {
        var (text, encoding) = Decode(content);
        if (text is null)
        {
            return ImportReadResult.Failed(ImportMessages.Binary);
        }

        var start = 0;
        var line = 1;
        SkipBlankLines(text, ref start, ref line);
        if (start == text.Length)
        {
            return ImportReadResult.Failed(ImportMessages.Empty);
        }

        if (text[start] == '<')
        {
            return ImportReadResult.Failed(ImportMessages.Markup);
        }

        if (UnterminatedQuote(text, start, line) is { } open)
        {
            return ImportReadResult.Failed(ImportMessages.UnterminatedQuote(open));
        }

        var separator = ExcelSeparatorLine(text, ref start, ref line) ?? Separator(text, start);
        var rows = new ImportRows();
        var cells = new List<ImportCell>();
        using (var reader = Sep.New(separator)
            .Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All })
            .FromText(start == 0 ? text : text[start..]))
        {
            foreach (var row in reader)
            {
                // Sep gives the first row's end line as its start line; every row after it starts where the one
                // before it ended, so the first row is the only one to correct.
                var first = (row.RowIndex == 0 ? 1 : row.LineNumberFrom) + line - 1;
                cells.Clear();
                for (var c = 0; c < row.ColCount; c++)
                {
                    var span = row[c].Span.Trim();
                    cells.Add(span.IsEmpty ? ImportCell.Empty : new ImportCell(Cell(span), null));
                }

                rows.Add(first, cells);
                if (rows.TooMany)
                {
                    break;
                }
            }
        }

        return ImportMessages.Result(rows, r => new ImportTable(fileName, ImportTable.Csv, hash, r.HeaderRow, r.Header!, r.Lines, encoding, separator));
    }

    // A line break inside a quoted value is kept as one "\n", whichever the file used.
    private static string Cell(ReadOnlySpan<char> span) =>
        span.Contains('\r') ? span.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : span.ToString();

    /// <summary>The text and the name of its encoding, or no text when the bytes are not text at all.</summary>
    internal static (string? Text, string Encoding) Decode(byte[] content)
    {
        var bytes = content.AsSpan();
        string text;
        string name;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            (text, name) = Utf8.IsValid(bytes[3..]) ? (Encoding.UTF8.GetString(bytes[3..]), "UTF-8") : (Windows1252.GetString(bytes[3..]), "Windows-1252");
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            (text, name) = (Encoding.Unicode.GetString(bytes[2..]), "UTF-16");
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            (text, name) = (Encoding.BigEndianUnicode.GetString(bytes[2..]), "UTF-16");
        }
        else if (Utf8.IsValid(bytes))
        {
            (text, name) = (Encoding.UTF8.GetString(bytes), "UTF-8");
        }
        else
        {
            (text, name) = (Windows1252.GetString(bytes), "Windows-1252");
        }

        return (LooksLikeText(text) ? text : null, name);
    }

    // Text files hold no NUL and hardly any other control characters; a picture, a PDF or random bytes hold many.
    private static bool LooksLikeText(string text)
    {
        if (text.Contains('\0'))
        {
            return false;
        }

        var control = 0;
        foreach (var c in text)
        {
            if (c < ' ' && c is not ('\t' or '\n' or '\r') || c is >= '\u007F' and < '\u00A0' || c == '\uFFFD')
            {
                control++;
            }
        }

        return control <= text.Length / 100;
    }

    private static void SkipBlankLines(string text, ref int start, ref int line)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                start = i + 1;
            }
            else if (!char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                break;
            }

            i++;
        }

        if (i == text.Length)
        {
            start = text.Length;
        }
    }

    /// <summary>
    /// The line of a quote that opens a value and is never closed, or null. Sep, like Excel, counts every quote in a
    /// line, so the quotes of the whole file pair up exactly when none is left open.
    /// </summary>
    private static int? UnterminatedQuote(string text, int start, int line)
    {
        var open = false;
        var openLine = 0;
        var span = text.AsSpan(start);
        var lineAtPosition = line;
        var position = 0;
        while (true)
        {
            var next = span[position..].IndexOf('"');
            if (next < 0)
            {
                break;
            }

            lineAtPosition += span.Slice(position, next).Count('\n');
            position += next + 1;
            open = !open;
            if (open)
            {
                openLine = lineAtPosition;
            }
        }

        return open ? openLine : null;
    }

    // Excel reads and writes a first line "sep=;" that names the separator; it is not the header.
    private static char? ExcelSeparatorLine(string text, ref int start, ref int line)
    {
        var end = text.IndexOf('\n', start);
        var first = text.AsSpan(start, (end < 0 ? text.Length : end) - start).Trim();
        if (first.Length == 5 && first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase))
        {
            start = end < 0 ? text.Length : end + 1;
            line++;
            return first[4];
        }

        return null;
    }

    // The separator the header line uses most outside quotes; ';' when a tie or none (Swedish Excel's choice).
    private static char Separator(string text, int start)
    {
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                if (c == '\n')
                {
                    break;
                }

                switch (c)
                {
                    case ';': semicolons++; break;
                    case ',': commas++; break;
                    case '\t': tabs++; break;
                }
            }
        }

        return tabs > semicolons && tabs > commas ? '\t'
            : commas > semicolons ? ','
            : ';';
    }
}
