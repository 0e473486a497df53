using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kedja.Domain.Periods;

/// <summary>How often something is measured or followed up.</summary>
public enum PeriodKind
{
    Month,
    Quarter,
    Tertial,
    HalfYear,

    /// <summary>Delårsrapport, January to August.</summary>
    Interim,
    Year,
}

/// <summary>
/// A calendar period with a stable text key: "2025" (year), "2025-T2", "2025-Q3", "2025-H1", "2025-D" (delår, Jan-Aug)
/// and "2025-03" (month). Outcomes, targets and follow-up periods are all addressed by this key.
/// </summary>
public readonly record struct PeriodRef(int Year, PeriodKind Kind, int Number) : IComparable<PeriodRef>
{
    public static PeriodRef ForYear(int year) => new(year, PeriodKind.Year, 1);

    public string Key => Kind switch
    {
        PeriodKind.Year => Year.ToString("D4", CultureInfo.InvariantCulture),
        PeriodKind.Month => $"{Year:D4}-{Number:D2}",
        PeriodKind.Quarter => $"{Year:D4}-Q{Number}",
        PeriodKind.Tertial => $"{Year:D4}-T{Number}",
        PeriodKind.HalfYear => $"{Year:D4}-H{Number}",
        PeriodKind.Interim => $"{Year:D4}-D",
        _ => throw new InvalidOperationException(),
    };

    public DateOnly Start => Kind switch
    {
        PeriodKind.Month => new DateOnly(Year, Number, 1),
        PeriodKind.Quarter => new DateOnly(Year, ((Number - 1) * 3) + 1, 1),
        PeriodKind.Tertial => new DateOnly(Year, ((Number - 1) * 4) + 1, 1),
        PeriodKind.HalfYear => new DateOnly(Year, ((Number - 1) * 6) + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    public DateOnly End => Kind switch
    {
        PeriodKind.Month => Start.AddMonths(1).AddDays(-1),
        PeriodKind.Quarter => Start.AddMonths(3).AddDays(-1),
        PeriodKind.Tertial => Start.AddMonths(4).AddDays(-1),
        PeriodKind.HalfYear => Start.AddMonths(6).AddDays(-1),
        PeriodKind.Interim => new DateOnly(Year, 8, 31),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>
    /// The periods of every kind that end within this one: the outcomes its follow-up reads (the year's value in the
    /// tertial that closes the year, the months of a tertial).
    /// </summary>
    public IEnumerable<PeriodRef> PeriodsEndingWithin()
    {
        var (start, end) = (Start, End);
        return Enum.GetValues<PeriodKind>().SelectMany(kind => EndingWithin(kind, start, end));
    }

    /// <summary>The period of the same kind just before this one (T1 2026 → T3 2025; a delår → the year before's).</summary>
    public PeriodRef Previous()
    {
        var perYear = Kind switch { PeriodKind.Month => 12, PeriodKind.Quarter => 4, PeriodKind.Tertial => 3, PeriodKind.HalfYear => 2, _ => 1 };
        return Number > 1 ? this with { Number = Number - 1 } : this with { Year = Year - 1, Number = perYear };
    }

    /// <summary>True when the period closes the year (T3, Q4, H2, December, the year itself): the annual report.</summary>
    public bool ClosesYear => End.Month == 12 && End.Day == 31;

    /// <summary>Swedish label for people: "T2 2025", "Delår 2025", "Helår 2025", "mars 2025".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Year => $"Helår {Year}",
        PeriodKind.Month => $"{CultureInfo.GetCultureInfo("sv-SE").DateTimeFormat.GetMonthName(Number)} {Year}",
        PeriodKind.Quarter => $"Kvartal {Number} {Year}",
        PeriodKind.Tertial => $"T{Number} {Year}",
        PeriodKind.HalfYear => $"Halvår {Number} {Year}",
        PeriodKind.Interim => $"Delår {Year}",
        _ => Key,
    };

    /// <summary>English label: "T2 2025", "Interim 2025", "Full year 2025", "March 2025".</summary>
    public string EnglishLabel => Kind switch
    {
        PeriodKind.Year => $"Full year {Year}",
        PeriodKind.Month => $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Number)} {Year}",
        PeriodKind.Quarter => $"Quarter {Number} {Year}",
        PeriodKind.Tertial => $"T{Number} {Year}",
        PeriodKind.HalfYear => $"Half-year {Number} {Year}",
        PeriodKind.Interim => $"Interim {Year}",
        _ => Key,
    };

    /// <summary>The label in the culture's language (English for "en", else Swedish).</summary>
    public string LabelIn(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? EnglishLabel : Label;

    public override string ToString() => Key;

    public int CompareTo(PeriodRef other)
    {
        var byEnd = End.CompareTo(other.End);
        return byEnd != 0 ? byEnd : other.Start.CompareTo(Start);
    }

    public static bool operator <(PeriodRef left, PeriodRef right) => left.CompareTo(right) < 0;

    public static bool operator <=(PeriodRef left, PeriodRef right) => left.CompareTo(right) <= 0;

    public static bool operator >(PeriodRef left, PeriodRef right) => left.CompareTo(right) > 0;

    public static bool operator >=(PeriodRef left, PeriodRef right) => left.CompareTo(right) >= 0;

    public static PeriodRef Parse(string key) =>
        TryParse(key, out var period) ? period : throw new FormatException($"Ogiltig period: '{key}'. Ange t.ex. 2025, 2025-T2, 2025-Q3, 2025-H1, 2025-D eller 2025-03.");

    public static bool TryParse([NotNullWhen(true)] string? key, out PeriodRef period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(key) || key.Length < 4 || !int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !Years.Contains(year))
        {
            return false;
        }

        if (key.Length == 4)
        {
            period = ForYear(year);
            return true;
        }

        if (key[4] != '-' || key.Length < 6)
        {
            return false;
        }

        var rest = key.AsSpan(5);
        if (rest.Length == 1 && rest[0] == 'D')
        {
            period = new PeriodRef(year, PeriodKind.Interim, 1);
            return true;
        }

        if (rest.Length == 2 && char.IsAsciiDigit(rest[0]) && char.IsAsciiDigit(rest[1]))
        {
            var month = int.Parse(rest, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
            {
                return false;
            }

            period = new PeriodRef(year, PeriodKind.Month, month);
            return true;
        }

        if (rest.Length != 2 || !char.IsAsciiDigit(rest[1]))
        {
            return false;
        }

        var number = rest[1] - '0';
        (PeriodKind kind, int max) = rest[0] switch
        {
            'T' => (PeriodKind.Tertial, 3),
            'Q' => (PeriodKind.Quarter, 4),
            'H' => (PeriodKind.HalfYear, 2),
            _ => ((PeriodKind)(-1), 0),
        };
        if (max == 0 || number < 1 || number > max)
        {
            return false;
        }

        period = new PeriodRef(year, kind, number);
        return true;
    }

    /// <summary>The periods a follow-up calendar of this kind holds in one year, in order.</summary>
    public static IReadOnlyList<PeriodRef> CalendarFor(FollowUpCadence cadence, int year) => cadence switch
    {
        FollowUpCadence.Tertial => [new(year, PeriodKind.Tertial, 1), new(year, PeriodKind.Tertial, 2), new(year, PeriodKind.Tertial, 3)],
        FollowUpCadence.InterimAndAnnual => [new(year, PeriodKind.Interim, 1), ForYear(year)],
        FollowUpCadence.Quarter => [.. Enumerable.Range(1, 4).Select(q => new PeriodRef(year, PeriodKind.Quarter, q))],
        FollowUpCadence.Month => [.. Enumerable.Range(1, 12).Select(m => new PeriodRef(year, PeriodKind.Month, m))],
        FollowUpCadence.Year => [ForYear(year)],
        _ => [],
    };

    /// <summary>The periods of the given kind that end within [from, to], latest last.</summary>
    public static IEnumerable<PeriodRef> EndingWithin(PeriodKind kind, DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            var count = kind switch
            {
                PeriodKind.Month => 12,
                PeriodKind.Quarter => 4,
                PeriodKind.Tertial => 3,
                PeriodKind.HalfYear => 2,
                _ => 1,
            };
            for (var n = 1; n <= count; n++)
            {
                var p = new PeriodRef(year, kind, n);
                if (p.End >= from && p.End <= to)
                {
                    yield return p;
                }
            }
        }
    }
}

/// <summary>The follow-up calendar of a governance model.</summary>
public enum FollowUpCadence
{
    Tertial,
    InterimAndAnnual,
    Quarter,
    Month,
    Year,
}
