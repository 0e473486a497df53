using System.Globalization;

namespace Kedja.Domain;

/// <summary>
/// Numbers as Swedish readers expect them: decimal comma, non-breaking space between thousands and before "%".
/// The hyphen-minus is used for negatives (ICU's sv-SE gives U+2212, which breaks copy to Excel and search).
/// </summary>
public static class SwedishFormat
{
    public static CultureInfo Culture { get; } = CreateCulture();

    public static string Number(decimal value, int decimals) => value.ToString("N" + Math.Clamp(decimals, 0, 6), Culture);

    /// <summary>0.87 → "87 %".</summary>
    public static string Percent(decimal share) => Math.Round(share * 100m, 0, MidpointRounding.AwayFromZero).ToString("N0", Culture) + "\u00a0%";

    private static CultureInfo CreateCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
        culture.NumberFormat.NegativeSign = "-";
        return CultureInfo.ReadOnly(culture);
    }
}
