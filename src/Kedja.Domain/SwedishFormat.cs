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

    /// <summary>
    /// A figure as a person types it in Sweden: decimal comma, spaces (ordinary, non-breaking, thin) between thousands, a
    /// point taken as a decimal point too, the minus sign as well as the hyphen. Blank is no figure; Bad when unreadable.
    /// One reader for every form (the outcome grid, targets, weights, budget, scale scores, shares).
    /// </summary>
    public static (decimal? Number, bool Bad) Read(string? typed)
    {
        var clean = (typed ?? "").Replace(" ", "").Replace("\u00a0", "").Replace("\u202f", "").Trim().Replace('.', ',').Replace('\u2212', '-');
        if (clean.Length == 0)
        {
            return (null, false);
        }

        return decimal.TryParse(clean, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, Culture, out var number) ? (number, false) : (null, true);
    }

    private static CultureInfo CreateCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
        culture.NumberFormat.NegativeSign = "-";
        return CultureInfo.ReadOnly(culture);
    }
}
