using System.Globalization;
using System.Text;

namespace Kedja.Reports;

/// <summary>What the Word and Excel writers share: text XML can hold, colours as Office writes them, the report's language tag.</summary>
internal static class OpenXmlText
{
    /// <summary>
    /// A package is a zip that is read back while written; an HTTP response or a write-only file cannot be. For such a
    /// stream the package is written to a buffer by <paramref name="write"/> and copied over: true when that was done.
    /// </summary>
    public static bool WroteThroughBuffer(Stream output, Action<Stream> write)
    {
        if (output.CanSeek && output.CanRead && output.CanWrite)
        {
            return false;
        }

        using var buffer = new MemoryStream();
        write(buffer);
        buffer.Position = 0;
        buffer.CopyTo(output);
        return true;
    }

    /// <summary>
    /// The text without the control characters XML 1.0 cannot hold: a tenant's text pasted from elsewhere may carry
    /// one, and the whole file would fail to write for it.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = true;
        foreach (var c in text)
        {
            if (!Allowed(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (Allowed(c) && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool Allowed(char c) => c >= ' ' ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';

    /// <summary>Running text split as the HTML writer splits it: each line a paragraph, empty lines left out.</summary>
    public static IEnumerable<string> Lines(string? text) =>
        Clean(text).Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0);

    /// <summary>"#1a7f37" → "1A7F37"; null for anything that is not a colour, so nothing unchecked reaches the file.</summary>
    public static string? Hex(string? colour)
    {
        if (!Colours.IsColour(colour))
        {
            return null;
        }

        var (r, g, b) = Colours.Rgb(colour);
        return string.Create(CultureInfo.InvariantCulture, $"{r:X2}{g:X2}{b:X2}");
    }

    /// <summary>The colour mixed with white so that black text on it stays readable: a fill beside the words.</summary>
    public static string? LightHex(string? colour, double white = 0.8)
    {
        if (!Colours.IsColour(colour))
        {
            return null;
        }

        var (r, g, b) = Colours.Rgb(colour);
        byte Mix(byte c) => (byte)Math.Round(c + ((255 - c) * white));
        return string.Create(CultureInfo.InvariantCulture, $"{Mix(r):X2}{Mix(g):X2}{Mix(b):X2}");
    }

    /// <summary>"sv" → "sv-SE": Office wants a region with the language.</summary>
    public static string LanguageTag(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sv" => "sv-SE",
        "en" => "en-GB",
        var other => other.Contains('-', StringComparison.Ordinal) ? language!.Trim() : other,
    };
}
