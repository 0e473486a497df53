using System.Globalization;
using Kedja.Domain;
using Kedja.Domain.Charts;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>The portal's addresses, one place for each, so that pages, embeds and their links agree.</summary>
public static class PortalUrls
{
    public static string Start(string slug, string? period = null) => $"/p/{slug}{Query(period)}";

    public static string Goal(string slug, Guid goalId, string? period = null) => $"/p/{slug}/mal/{goalId}{Query(period)}";

    public static string Unit(string slug, Guid unitId, string? period = null) => $"/p/{slug}/enhet/{unitId}{Query(period)}";

    public static string Indicator(string slug, Guid indicatorId, string? period = null) => $"/p/{slug}/indikator/{indicatorId}{Query(period)}";

    public static string GoalEmbed(string slug, Guid goalId, string? period = null) => $"/p/{slug}/inbaddning/mal/{goalId}{Query(period)}";

    public static string ScorecardEmbed(string slug, Guid unitId, string? period = null) => $"/p/{slug}/inbaddning/malkort/{unitId}{Query(period)}";

    public static string IndicatorEmbed(string slug, Guid indicatorId, string? period = null) => $"/p/{slug}/inbaddning/indikator/{indicatorId}{Query(period)}";

    /// <summary>The council's assignments (issue 15): a page only while the municipality publishes them.</summary>
    public static string Assignments(string slug) => $"/p/{slug}/uppdrag";

    /// <summary>The committees' decided internal control plans of a year (the latest published year without one).</summary>
    public static string ControlPlans(string slug, int? year = null) => $"/p/{slug}/intern-kontroll{(year is null ? "" : $"?ar={year}")}";

    private static string Query(string? period) => string.IsNullOrEmpty(period) ? "" : $"?period={Uri.EscapeDataString(period)}";
}

/// <summary>How the portal writes figures and says in words what the interface shows with symbols: always in Swedish.</summary>
public static class PortalHtml
{
    /// <summary>
    /// A unit's kind to write beside its name, or null when the name says it already ("Socialnämnden" is a nämnd,
    /// "Kommunstyrelsen" a kommunstyrelse).
    /// </summary>
    public static string? KindBeside(string unitName, string kindName) =>
        unitName.Contains(kindName.Trim(), StringComparison.OrdinalIgnoreCase) ? null : kindName;

    /// <summary>A figure as Kedja writes figures: decimal comma, no needless decimals; "–" for none.</summary>
    public static string Figure(decimal? value) => value is { } v ? v.ToString("#,0.##", SwedishFormat.Culture) : "–";

    /// <summary>A figure with its unit of measure ("72 %", "1 234 kr/inv"), or "–".</summary>
    public static string Figure(decimal? value, string unitOfMeasure) => value is null ? "–" : $"{Figure(value)} {unitOfMeasure}".TrimEnd();

    public static string Target(PublicTargetDto? target) => target switch
    {
        null => "–",
        { Value: { } v } => Figure(v),
        { Min: not null } or { Max: not null } => $"{Figure(target.Min)}–{Figure(target.Max)}",
        _ => "–",
    };

    /// <summary>A target from the scorecard: a value or a range.</summary>
    public static string Target(decimal? value, decimal? min, decimal? max) =>
        value is not null ? Figure(value) : min is not null || max is not null ? $"{Figure(min)}–{Figure(max)}" : "–";

    public static string Direction(Direction direction) => direction switch
    {
        Domain.Indicators.Direction.HigherIsBetter => "Högre är bättre",
        Domain.Indicators.Direction.LowerIsBetter => "Lägre är bättre",
        Domain.Indicators.Direction.TargetRange => "Bäst inom målets intervall",
        _ => "Följs utan att bedömas som bättre eller sämre",
    };

    public static string Periodicity(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => "varje månad",
        PeriodKind.Quarter => "varje kvartal",
        PeriodKind.Tertial => "varje tertial (fyra månader)",
        PeriodKind.HalfYear => "varje halvår",
        PeriodKind.Interim => "i delårsrapporten",
        _ => "en gång om året",
    };

    /// <summary>What the trend chart shows, in words: its text alternative for whoever cannot see it.</summary>
    public static string ChartDescription(TrendChart chart)
    {
        var measured = chart.Points.Where(p => p.Value is not null).ToList();
        var unit = chart.UnitOfMeasure;
        if (measured.Count == 0)
        {
            return chart.Points.Any(p => p.Target is not null) ? "Diagrammet visar bara mål: inga utfall är publicerade än." : "Inga utfall eller mål är publicerade än.";
        }

        var latest = measured[^1];
        var said = measured.Count == 1
            ? $"Ett utfall: {Figure(latest.Value, unit)} för {latest.Label}."
            : $"{measured.Count} utfall från {measured[0].Label} till {latest.Label}. Det första var {Figure(measured[0].Value, unit)}, det senaste {Figure(latest.Value, unit)}."
              + $" Lägst {Figure(measured.Min(p => p.Value), unit)}, högst {Figure(measured.Max(p => p.Value), unit)}.";
        return latest.Target is { } target ? $"{said} Målet för {latest.Label} är {Figure(target, unit)}." : said;
    }
}
