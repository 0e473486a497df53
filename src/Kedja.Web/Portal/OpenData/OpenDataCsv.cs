using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kedja.Web.Portal.OpenData;

/// <summary>One column of the CSV file: its name (stable, ASCII snake_case) and what it holds, in Swedish for the page.</summary>
public sealed record OpenDataColumn(string Name, string Description, Func<OpenDataCsv.Row, string?> Value);

/// <summary>
/// The open data as CSV (docs/open-data.md): RFC 4180 with a header row, comma-separated, UTF-8 without a byte order mark,
/// lines ending CRLF, a field in double quotes when it holds a comma, a quote or a line break. One row per indicator and
/// period with a value. Numbers with a decimal point and without thousands separators, for programs rather than for a
/// spreadsheet's Swedish settings.
/// </summary>
public static class OpenDataCsv
{
    public sealed record Row(OpenDataOutcome Outcome, OpenDataIndicator Indicator, OpenDataUnit? Owner);

    public static IReadOnlyList<OpenDataColumn> Columns { get; } =
    [
        new("follow_up_period", "Den publicerade uppföljningsperiod som värdet hör till, till exempel 2026-T1.", r => r.Outcome.FollowUpPeriod),
        new("period", "Värdets egen period: 2026-T1 (tertial), 2026-Q1 (kvartal), 2026-H1 (halvår), 2026-D (delår), 2026 (helår) eller 2026-03 (månad).", r => r.Outcome.Period),
        new("period_start", "Periodens första dag, som ÅÅÅÅ-MM-DD.", r => Date(r.Outcome.PeriodStart)),
        new("period_end", "Periodens sista dag, som ÅÅÅÅ-MM-DD.", r => Date(r.Outcome.PeriodEnd)),
        new("indicator_id", "Indikatorns id. Samma id som i JSON-filen.", r => Id(r.Indicator.Id)),
        new("indicator_name", "Indikatorns namn.", r => Text(r.Indicator.Name)),
        new("unit_of_measure", "Enheten som värdet anges i, till exempel % eller antal.", r => Text(r.Indicator.UnitOfMeasure)),
        new("direction", "Vad som är bra: higherIsBetter (högre värde), lowerIsBetter (lägre värde), targetRange (inom målvärdets gränser) eller neutral (följs utan bedömning).",
            r => Token(r.Indicator.Direction)),
        new("goal_id", "Id för målet som indikatorn mäter. Tomt för indikatorer på ett program eller grunduppdraget.", r => r.Indicator.GoalId is { } goal ? Id(goal) : null),
        new("owner_unit_id", "Id för enheten som ägde indikatorn när värdets period slutade (efter en omorganisation står äldre värden kvar på den enhet som hade dem då).",
            r => Id(r.Outcome.OwnerUnitId)),
        new("owner_unit_name", "Den enhetens namn när värdets period slutade.", r => Text(r.Outcome.OwnerUnitName ?? r.Owner?.Name)),
        new("value", "Värdet. Tomt om det bara finns värden för kvinnor och män.", r => Number(r.Outcome.Value)),
        new("value_women", "Värdet för kvinnor, om indikatorn delas upp på kön.", r => Number(r.Outcome.ValueWomen)),
        new("value_men", "Värdet för män, om indikatorn delas upp på kön.", r => Number(r.Outcome.ValueMen)),
        new("target", "Målvärdet för perioden, eller för året om perioden inte har något eget.", r => Number(r.Outcome.Target)),
        new("target_min", "Målvärdets nedre gräns, när målet är ett intervall.", r => Number(r.Outcome.TargetMin)),
        new("target_max", "Målvärdets övre gräns, när målet är ett intervall.", r => Number(r.Outcome.TargetMax)),
        new("source", "Hur värdet kom in: manual (skrivet för hand), import (från en fil) eller kolada (hämtat från Kolada).", r => Token(r.Outcome.Source)),
        new("attribution", "\"Källa: Kolada\" för värden från Kolada. Tomt för kommunens egna värden.", r => r.Outcome.Attribution),
        new("source_reference", "Vilket nyckeltal och vilken kommun i Kolada värdet kommer från. Tomt för kommunens egna värden.", r => Text(r.Outcome.SourceReference)),
    ];

    public static IEnumerable<Row> Rows(OpenDataDocument document)
    {
        var indicators = document.Indicators.ToDictionary(i => i.Id);
        var units = document.Units.ToDictionary(u => u.Id);
        return document.Outcomes.Select(o => new Row(o, indicators[o.IndicatorId], units.GetValueOrDefault(o.OwnerUnitId)));
    }

    public static string Write(OpenDataDocument document)
    {
        var text = new StringBuilder();
        Line(text, Columns.Select(c => c.Name));
        foreach (var row in Rows(document))
        {
            Line(text, Columns.Select(c => c.Value(row)));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string?> fields)
    {
        text.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }

    private static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>
    /// Text as a spreadsheet will show it, not run it: one that begins like a formula gets an apostrophe in front (OWASP,
    /// CSV injection), since anyone who may name an indicator or a unit would otherwise choose what a resident's Excel does.
    /// </summary>
    public static string? Text(string? value) => value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Id(Guid id) => id.ToString("D");

    /// <summary>As the JSON file writes the value (camelCase), so that both files use one vocabulary.</summary>
    private static string Token<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value with no trailing zeros ("12.5", not "12.5000" as one database keeps it), for both files.</summary>
    public static decimal? Plain(decimal? value) =>
        value is { } v ? decimal.Parse(v.ToString("0.############################", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;
}
