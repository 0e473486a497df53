using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Domain;
using Kedja.Domain.Charts;

namespace Kedja.Reports;

/// <summary>The few words the writers themselves add (title page, contents, page numbers), in the report's language.</summary>
public static class Labels
{
    public const string Contents = "Innehåll";

    public static string Created(ReportDocument report) =>
        "Skapad " + report.Created.ToOffset(SwedishTime.Offset(report.Created)).ToString("d MMMM yyyy 'kl.' HH:mm", SwedishFormat.Culture);

    /// <summary>"Sida 3 av 12".</summary>
    public static string Page(int page, int pages) => string.Create(CultureInfo.InvariantCulture, $"Sida {page} av {pages}");
}

/// <summary>Swedish local time without the time zone database, which a slim container may lack: CET, CEST from the last Sunday of March to the last Sunday of October (01:00 UTC).</summary>
public static class SwedishTime
{
    public static TimeSpan Offset(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var start = LastSunday(utc.Year, 3).AddHours(1);
        var end = LastSunday(utc.Year, 10).AddHours(1);
        return utc >= start && utc < end ? TimeSpan.FromHours(2) : TimeSpan.FromHours(1);
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}

public static partial class Colours
{
    /// <summary>A CSS hex colour and nothing else: what may be written into a style or a fill.</summary>
    public static bool IsColour(string? text) => text is not null && Hex().IsMatch(text);

    /// <summary>"#1a7f37" → (26, 127, 55); a grey for anything else.</summary>
    public static (byte R, byte G, byte B) Rgb(string? text)
    {
        if (!IsColour(text))
        {
            return (128, 128, 128);
        }

        var hex = text!.TrimStart('#');
        if (hex.Length is 3 or 4)
        {
            hex = string.Concat(hex[..3].Select(c => new string(c, 2)));
        }

        return (Convert.ToByte(hex[..2], 16), Convert.ToByte(hex[2..4], 16), Convert.ToByte(hex[4..6], 16));
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex Hex();
}

/// <summary>The numbers of a fulfilment chart as a table: what every format sets beside the chart.</summary>
public static class ChartTable
{
    public static ReportTable Of(ReportChart chart) => Of(chart.Chart, chart.RowHeader);

    public static ReportTable Of(FulfilmentChart chart, string rowHeader) =>
        new(chart.Title,
            [new ReportColumn(rowHeader, CellKind.Text, 3), .. chart.Steps.Select(s => new ReportColumn($"{s.Symbol} {s.Label}".Trim(), CellKind.Number)),
             new ReportColumn("Totalt", CellKind.Number)],
            [.. chart.Rows.Select(r => (IReadOnlyList<ReportCell>)[new ReportCell(r.Name), .. r.Counts.Select(c => ReportCell.Of(c, 0)), ReportCell.Of(r.Total, 0)])]);
}
