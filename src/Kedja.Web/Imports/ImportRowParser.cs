using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Domain.Periods;
using static Kedja.Web.Imports.ImportColumns;

namespace Kedja.Web.Imports;

/// <summary>One problem of an import, where the person finds it: the file's row (0 for the file as a whole) and column.</summary>
public sealed record ImportProblem(int Row, string? Column, string Message);

/// <summary>
/// A data row as the file says it, before anything is looked up: which indicator (by id, or by name and unit), which
/// period, and the figures. Empty cells are null: they change nothing.
/// </summary>
public sealed record ImportRow(int Row, Guid? IndicatorId, string? IndicatorName, string? UnitName, string PeriodText, PeriodRef? Period,
    decimal? Value, decimal? ValueWomen, decimal? ValueMen, decimal? Target, string? Comment)
{
    public bool ChangesNothing => Value is null && ValueWomen is null && ValueMen is null && Target is null && Comment is null;
}

/// <summary>Reads the rows of an import table: finds the columns by their headers, and each cell's value or what is wrong with it.</summary>
public static partial class ImportRowParser
{
    private static readonly string[] Figures = [Value, ValueWomen, ValueMen, Target];

    /// <summary>The rows, with every problem a row has on its own (the lookups come later); or the file's problems when its columns are wrong.</summary>
    public static (List<ImportRow> Rows, List<ImportProblem> Problems) Read(ImportTable table)
    {
        var problems = new List<ImportProblem>();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < table.Header.Count; c++)
        {
            if (ImportColumns.Canonical(table.Header[c]) is { } name && !columns.TryAdd(name, c))
            {
                problems.Add(new ImportProblem(table.HeaderRow, table.Header[c], $"Kolumnen {name} finns två gånger. Ta bort den ena."));
            }
        }

        if (!columns.ContainsKey(IndicatorId) && !columns.ContainsKey(Indicator))
        {
            problems.Add(new ImportProblem(table.HeaderRow, null, $"Filen saknar kolumnen {IndicatorId} eller {Indicator}. Första raden ska vara rubrikerna, som i mallen."));
        }

        if (!columns.ContainsKey(Period))
        {
            problems.Add(new ImportProblem(table.HeaderRow, null, $"Filen saknar kolumnen {Period}. Första raden ska vara rubrikerna, som i mallen."));
        }

        if (!Figures.Any(columns.ContainsKey))
        {
            problems.Add(new ImportProblem(table.HeaderRow, null, $"Filen saknar kolumner med värden: ange minst en av {Value}, {ValueWomen}, {ValueMen} och {Target}."));
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        var rows = new List<ImportRow>(table.Lines.Count);
        foreach (var line in table.Lines)
        {
            string? Text(string column) =>
                columns.TryGetValue(column, out var c) && c < line.Cells.Count && line.Cells[c].Text is { Length: > 0 } text ? text : null;

            decimal? Figure(string column)
            {
                if (!columns.TryGetValue(column, out var c) || c >= line.Cells.Count)
                {
                    return null;
                }

                var cell = line.Cells[c];
                if (cell.Number is { } number)
                {
                    return number;
                }

                if (cell.Text.Length == 0)
                {
                    return null;
                }

                if (ImportNumbers.TryParse(cell.Text, out var parsed))
                {
                    return parsed;
                }

                problems.Add(new ImportProblem(line.Row, table.Header[c], $"”{Short(cell.Text)}” är inte ett tal. Skriv t.ex. 12,5 eller 12.5."));
                return null;
            }

            Guid? id = null;
            if (Text(IndicatorId) is { } idText)
            {
                if (Guid.TryParse(idText, out var parsedId))
                {
                    id = parsedId;
                }
                else
                {
                    problems.Add(new ImportProblem(line.Row, table.Header[columns[IndicatorId]], $"”{Short(idText)}” är inget indikator-id. Hämta mallen för att få indikatorernas id, eller lämna cellen tom och ange indikatorns namn."));
                }
            }

            var name = Text(Indicator);
            if (Text(IndicatorId) is null && name is null)
            {
                problems.Add(new ImportProblem(line.Row, null, "Raden anger ingen indikator. Fyll i indikatorns namn eller id."));
            }

            var periodText = Text(Period) ?? PeriodFromNumber(line, columns) ?? "";
            PeriodRef? period = null;
            if (periodText.Length == 0)
            {
                problems.Add(new ImportProblem(line.Row, table.Header[columns[Period]], "Perioden saknas. Ange t.ex. 2025-T2, 2025-03 eller 2025."));
            }
            else if (ParsePeriod(periodText) is { } parsedPeriod)
            {
                period = parsedPeriod;
            }
            else
            {
                problems.Add(new ImportProblem(line.Row, table.Header[columns[Period]], $"”{Short(periodText)}” är ingen period. Ange t.ex. 2025-T2, 2025-03 eller 2025."));
            }

            var comment = Text(Comment);
            if (comment is { Length: > Domain.TextLimits.Text })
            {
                problems.Add(new ImportProblem(line.Row, table.Header[columns[Comment]], $"Kommentaren får vara högst {Domain.TextLimits.Text} tecken."));
            }

            rows.Add(new ImportRow(line.Row, id, name, Text(Unit), periodText, period, Figure(Value), Figure(ValueWomen), Figure(ValueMen), Figure(Target), comment));
        }

        return (rows, problems);
    }

    /// <summary>
    /// A period as people write it: the key (2025-T2, 2025-03, 2025), the label Kedja shows (T2 2025, Helår 2025, mars
    /// 2025, Kvartal 3 2025, Delår 2025), or a date, which stands for its month.
    /// </summary>
    public static PeriodRef? ParsePeriod(string text)
    {
        var t = Regex.Replace(text.Trim(), @"\s+", " ");
        if (PeriodRef.TryParse(t.ToUpperInvariant(), out var key))
        {
            return key;
        }

        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new PeriodRef(date.Year, PeriodKind.Month, date.Month);
        }

        // "Delår jan–apr 2026": a delår ending with another month than August, as its label reads.
        if (InterimLabelPattern().Match(t) is { Success: true } interim && Month(interim.Groups["month"].Value.ToLowerInvariant()) is { } end
            && PeriodRef.IsInterimEndMonth(end))
        {
            return PeriodRef.Interim(int.Parse(interim.Groups["year"].Value, CultureInfo.InvariantCulture), end);
        }

        var m = LabelPattern().Match(t);
        if (!m.Success)
        {
            return null;
        }

        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        var number = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
        var word = m.Groups["word"].Value.ToLowerInvariant();
        PeriodRef? found = word switch
        {
            "helår" or "år" or "full year" or "year" => PeriodRef.ForYear(year),
            "t" or "tertial" => new PeriodRef(year, PeriodKind.Tertial, number),
            "q" or "k" or "kvartal" or "quarter" => new PeriodRef(year, PeriodKind.Quarter, number),
            "h" or "halvår" or "half-year" => new PeriodRef(year, PeriodKind.HalfYear, number),
            "delår" or "interim" => PeriodRef.Interim(year),
            _ => Month(word) is { } month ? new PeriodRef(year, PeriodKind.Month, month) : null,
        };

        // Through the key again, so that "T4 2025" or "Kvartal 5" is refused as the key would be.
        return found is { } p && PeriodRef.TryParse(p.Key, out var checkedPeriod) && checkedPeriod == p ? p : null;
    }

    private static int? Month(string word)
    {
        for (var m = 1; m <= 12; m++)
        {
            var name = CultureInfo.GetCultureInfo("sv-SE").DateTimeFormat.GetMonthName(m);
            if (word == name || word == name[..3] || string.Equals(word, CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m), StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>A year typed into a number cell of Excel comes as the number 2025.</summary>
    private static string? PeriodFromNumber(ImportLine line, Dictionary<string, int> columns) =>
        columns.TryGetValue(Period, out var c) && c < line.Cells.Count && line.Cells[c].Number is { } n && n == decimal.Truncate(n)
            ? n.ToString("0", CultureInfo.InvariantCulture)
            : null;

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^(?:delår|interim) jan\.?\s?[-–]\s?(?<month>[a-zåäö]+)\.?,? (?<year>\d{4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InterimLabelPattern();

    [GeneratedRegex(@"^(?<word>[a-zåäö\-]+)\.?\s?(?<n>\d{1,2})?,?\s(?<year>\d{4})$|^(?<year>\d{4})\s(?<word>[a-zåäö\-]+)\s?(?<n>\d{1,2})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
