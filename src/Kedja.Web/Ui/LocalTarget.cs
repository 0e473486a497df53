using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Ui;

/// <summary>
/// Where a page sends the browser back to (after sign-in, after choosing a language): a path of Kedja's own, else the
/// start. Characters a Location header cannot carry (å, a control character) are percent-encoded, not answered with 500.
/// </summary>
public static class LocalTarget
{
    public static string Of(IUrlHelper url, string? target)
    {
        if (string.IsNullOrEmpty(target) || !url.IsLocalUrl(target))
        {
            return "/";
        }

        var safe = new StringBuilder(target.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in target.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7f)
            {
                safe.Append((char)rune.Value);
            }
            else
            {
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    safe.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return safe.ToString();
    }
}
