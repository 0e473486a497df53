using System.Globalization;

namespace Kedja.Web.Imports;

/// <summary>
/// Numbers as people type them in Sweden and elsewhere, whatever the server's culture: "1 234,5", "1.234,5",
/// "1,234.5", "−3", "12 %". When both comma and point appear, the last is the decimal separator and the other groups
/// thousands; alone, either is the decimal separator and may appear once. Thousands separators (space, no-break space,
/// narrow no-break space, or the other mark) stand between groups of three digits before the decimal separator, so
/// "1 5" or "1.2,3" is taken as a mistake rather than guessed at. A trailing "%" is allowed and ignored (the value is
/// the figure as written).
/// </summary>
public static class ImportNumbers
{
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        if (s.Length > 0 && s[^1] == '%')
        {
            s = s[..^1].TrimEnd();
        }

        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-' or '\u2212')
        {
            negative = s[0] != '+';
            s = s[1..];
        }

        if (s.IsEmpty || !char.IsAsciiDigit(s[0]) && s[0] is not (',' or '.'))
        {
            return false;
        }

        var decimalMark = DecimalMark(s);
        if (decimalMark == '\0' && (s.Contains(',') || s.Contains('.')))
        {
            return false;
        }

        Span<char> digits = stackalloc char[Math.Min(s.Length + 2, 256)];
        if (s.Length + 2 > digits.Length)
        {
            return false;
        }

        var length = 0;
        if (negative)
        {
            digits[length++] = '-';
        }

        var seenDecimal = false;
        var groupDigits = -1; // digits since the last thousands separator; -1 before the first one
        var anyDigit = false;
        var lastWasSeparator = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                digits[length++] = c;
                anyDigit = true;
                lastWasSeparator = false;
                if (!seenDecimal && groupDigits >= 0)
                {
                    groupDigits++;
                }

                continue;
            }

            if (c == decimalMark)
            {
                if (seenDecimal || groupDigits is >= 0 and not 3 || lastWasSeparator)
                {
                    return false;
                }

                seenDecimal = true;
                digits[length++] = '.';
                continue;
            }

            if (c is ' ' or '\u00A0' or '\u202F' or ',' or '.')
            {
                // A thousands separator: only between digits, before the decimal mark, after a full group.
                if (seenDecimal || !anyDigit || lastWasSeparator || groupDigits is >= 0 and not 3 || (groupDigits < 0 && length - (negative ? 1 : 0) > 3))
                {
                    return false;
                }

                groupDigits = 0;
                lastWasSeparator = true;
                continue;
            }

            return false;
        }

        if (!anyDigit || lastWasSeparator || (!seenDecimal && groupDigits is >= 0 and not 3))
        {
            return false;
        }

        return decimal.TryParse(digits[..length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    // The last of comma and point when both appear; the only one when one appears once; none when one appears twice
    // (then it cannot be a decimal mark, and as a thousands separator on its own it is too ambiguous to accept).
    private static char DecimalMark(ReadOnlySpan<char> s)
    {
        var lastComma = s.LastIndexOf(',');
        var lastPoint = s.LastIndexOf('.');
        if (lastComma >= 0 && lastPoint >= 0)
        {
            var mark = lastComma > lastPoint ? ',' : '.';
            return s.Count(mark) == 1 ? mark : '\0';
        }

        if (lastComma >= 0)
        {
            return s.Count(',') == 1 ? ',' : '\0';
        }

        if (lastPoint >= 0)
        {
            return s.Count('.') == 1 ? '.' : '\0';
        }

        return '\0';
    }
}
