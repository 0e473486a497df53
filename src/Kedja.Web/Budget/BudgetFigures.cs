using System.Globalization;
using Kedja.Domain;

namespace Kedja.Web.Budget;

/// <summary>Budget figures as a Swedish reader writes and reads them: tkr with a decimal comma and spaces between thousands.</summary>
public static class BudgetFigures
{
    /// <summary>"12 345,5"; "–" for nothing.</summary>
    public static string Tkr(decimal? value) => value is { } v ? v.ToString("#,0.##", SwedishFormat.Culture) : "–";

    /// <summary>As typed back into a field: no thousands separator to trip over.</summary>
    public static string Field(decimal? value) => value is { } v ? v.ToString("0.##", SwedishFormat.Culture) : "";

    /// <summary>A deviation with its sign: "+1 200", "-350,5", "0".</summary>
    public static string Signed(decimal value) => value.ToString("+#,0.##;-#,0.##;0", SwedishFormat.Culture);

    /// <summary>The deviation's share of the frame in per cent with one decimal and its sign: "+0,4 %"; "–" without a frame.</summary>
    public static string Percent(decimal deviation, decimal frame) =>
        frame == 0 ? "–" : (deviation / frame * 100m).ToString("+0.0;-0.0;0.0", SwedishFormat.Culture) + "\u00a0%";
}
