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

    /// <summary>Delårsrapport, from January to the month the municipality chooses (<see cref="PeriodRef.Number"/>; August unless chosen).</summary>
    Interim,
    Year,

    /// <summary>
    /// Prognostillfälle: a follow-up that asks for full-year forecasts only, from January to its month (<see cref="PeriodRef.Number"/>).
    /// No outcome is keyed to it, so it is never among the periods another one reads (<see cref="PeriodRef.PeriodsEndingWithin"/>).
    /// Appended last: kinds are stored by name, and the order of the others is their meaning in old data.
    /// </summary>
    Forecast,
}

/// <summary>
/// A calendar period with a stable text key: "2025" (year), "2025-T2", "2025-Q3", "2025-H1", "2025-D" (delår, Jan-Aug),
/// "2025-D04" (delår Jan-Apr; any end month from March to November but August), "2025-P10" (forecast in October) and
/// "2025-03" (month). Outcomes, targets and follow-up periods are all addressed by this key. For a delår and a forecast
/// <see cref="Number"/> is the month the period ends with.
/// </summary>
public readonly record struct PeriodRef(int Year, PeriodKind Kind, int Number) : IComparable<PeriodRef>
{
    /// <summary>The delår's end month when the municipality has not chosen one; its key is "YYYY-D", as before months could be chosen.</summary>
    public const int DefaultInterimEndMonth = 8;

    /// <summary>The earliest end month of a delår: a delår of January to February would be hardly more than a month.</summary>
    public const int FirstInterimEndMonth = 3;

    /// <summary>The latest end month of a delår: one ending in December is the annual report.</summary>
    public const int LastInterimEndMonth = 11;

    /// <summary>A forecast can be asked for in January to November; December's is the annual report.</summary>
    public const int LastForecastMonth = 11;

    private static readonly string[] ShortMonths = ["jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"];

    private static readonly string[] EnglishShortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static PeriodRef ForYear(int year) => new(year, PeriodKind.Year, 1);

    /// <summary>The delår of the year ending with the month (3–11); throws for another month.</summary>
    public static PeriodRef Interim(int year, int endMonth = DefaultInterimEndMonth) => IsInterimEndMonth(endMonth)
        ? new(year, PeriodKind.Interim, endMonth)
        : throw new ArgumentOutOfRangeException(nameof(endMonth), endMonth, $"Delåret ska sluta med en månad från mars till november ({FirstInterimEndMonth}–{LastInterimEndMonth}).");

    /// <summary>The forecast-only period of the year in the month (1–11); throws for another month.</summary>
    public static PeriodRef Forecast(int year, int month) => month is >= 1 and <= LastForecastMonth
        ? new(year, PeriodKind.Forecast, month)
        : throw new ArgumentOutOfRangeException(nameof(month), month, $"Ett prognostillfälle ska ligga i januari till november (1–{LastForecastMonth}).");

    public static bool IsInterimEndMonth(int month) => month is >= FirstInterimEndMonth and <= LastInterimEndMonth;

    public string Key => Kind switch
    {
        PeriodKind.Year => Year.ToString("D4", CultureInfo.InvariantCulture),
        PeriodKind.Month => $"{Year:D4}-{Number:D2}",
        PeriodKind.Quarter => $"{Year:D4}-Q{Number}",
        PeriodKind.Tertial => $"{Year:D4}-T{Number}",
        PeriodKind.HalfYear => $"{Year:D4}-H{Number}",
        PeriodKind.Interim => Number == DefaultInterimEndMonth ? $"{Year:D4}-D" : $"{Year:D4}-D{Number:D2}",
        PeriodKind.Forecast => $"{Year:D4}-P{Number:D2}",
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
        PeriodKind.Interim or PeriodKind.Forecast => new DateOnly(Year, Number, 1).AddMonths(1).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>
    /// The periods of every kind that end within this one: the outcomes its follow-up reads (the year's value in the
    /// tertial that closes the year, the months of a tertial). Never a forecast period: no outcome is keyed to one.
    /// </summary>
    public IEnumerable<PeriodRef> PeriodsEndingWithin()
    {
        var (start, end) = (Start, End);
        return Enum.GetValues<PeriodKind>().SelectMany(kind => EndingWithin(kind, start, end));
    }

    /// <summary>
    /// The period of the same kind just before this one (T1 2026 → T3 2025; a delår or a forecast → the year before's,
    /// ending with the same month).
    /// </summary>
    public PeriodRef Previous()
    {
        if (Kind is PeriodKind.Interim or PeriodKind.Forecast or PeriodKind.Year)
        {
            return this with { Year = Year - 1 };
        }

        var perYear = Kind switch { PeriodKind.Month => 12, PeriodKind.Quarter => 4, PeriodKind.Tertial => 3, PeriodKind.HalfYear => 2, _ => 1 };
        return Number > 1 ? this with { Number = Number - 1 } : this with { Year = Year - 1, Number = perYear };
    }

    /// <summary>True when the period closes the year (T3, Q4, H2, December, the year itself): the annual report.</summary>
    public bool ClosesYear => End.Month == 12 && End.Day == 31;

    /// <summary>Swedish label for people: "T2 2025", "Delår 2025" (August), "Delår jan–apr 2025", "Prognos oktober 2025", "Helår 2025", "mars 2025".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Year => $"Helår {Year}",
        PeriodKind.Month => $"{CultureInfo.GetCultureInfo("sv-SE").DateTimeFormat.GetMonthName(Number)} {Year}",
        PeriodKind.Quarter => $"Kvartal {Number} {Year}",
        PeriodKind.Tertial => $"T{Number} {Year}",
        PeriodKind.HalfYear => $"Halvår {Number} {Year}",
        PeriodKind.Interim => Number == DefaultInterimEndMonth ? $"Delår {Year}" : $"Delår jan–{ShortMonths[Number - 1]} {Year}",
        PeriodKind.Forecast => $"Prognos {CultureInfo.GetCultureInfo("sv-SE").DateTimeFormat.GetMonthName(Number)} {Year}",
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
        PeriodKind.Interim => Number == DefaultInterimEndMonth ? $"Interim {Year}" : $"Interim Jan–{EnglishShortMonths[Number - 1]} {Year}",
        PeriodKind.Forecast => $"Forecast {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Number)} {Year}",
        _ => Key,
    };

    /// <summary>The label in the culture's language (English for "en", else Swedish).</summary>
    public string LabelIn(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? EnglishLabel : Label;

    public override string ToString() => Key;

    /// <summary>
    /// By end, then the shorter first; periods with the same dates (August, a forecast in August and the delår of
    /// January to August all end on 31 August; January and a forecast in January are the same month; T1 and the delår
    /// of January to April) in the order month, forecast, the cadence's periods, delår: the delår, which reports on
    /// them all, comes last.
    /// </summary>
    public int CompareTo(PeriodRef other)
    {
        var byEnd = End.CompareTo(other.End);
        if (byEnd != 0)
        {
            return byEnd;
        }

        var byStart = other.Start.CompareTo(Start);
        return byStart != 0 ? byStart : Rank(Kind).CompareTo(Rank(other.Kind));
    }

    private static int Rank(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => 0,
        PeriodKind.Forecast => 1,
        PeriodKind.Interim => int.MaxValue,
        _ => 2 + (int)kind,
    };

    public static bool operator <(PeriodRef left, PeriodRef right) => left.CompareTo(right) < 0;

    public static bool operator <=(PeriodRef left, PeriodRef right) => left.CompareTo(right) <= 0;

    public static bool operator >(PeriodRef left, PeriodRef right) => left.CompareTo(right) > 0;

    public static bool operator >=(PeriodRef left, PeriodRef right) => left.CompareTo(right) >= 0;

    public static PeriodRef Parse(string key) =>
        TryParse(key, out var period) ? period : throw new FormatException($"Ogiltig period: '{key}'. Ange t.ex. 2025, 2025-T2, 2025-Q3, 2025-H1, 2025-D, 2025-D04, 2025-P10 eller 2025-03.");

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
            period = Interim(year);
            return true;
        }

        // "2025-D04", "2025-P10": a delår ending with another month than August (whose key stays "2025-D", so "D08" is
        // refused and every period has one key), a forecast in a month.
        if (rest.Length == 3 && rest[0] is 'D' or 'P' && char.IsAsciiDigit(rest[1]) && char.IsAsciiDigit(rest[2]))
        {
            var month = int.Parse(rest[1..], CultureInfo.InvariantCulture);
            var fits = rest[0] == 'D' ? IsInterimEndMonth(month) && month != DefaultInterimEndMonth : month is >= 1 and <= LastForecastMonth;
            if (!fits)
            {
                return false;
            }

            period = new PeriodRef(year, rest[0] == 'D' ? PeriodKind.Interim : PeriodKind.Forecast, month);
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

    /// <summary>
    /// The periods a follow-up calendar of this kind holds in one year, in order; the delår ends with
    /// <paramref name="interimEndMonth"/> (3–11, August unless the municipality has chosen another).
    /// </summary>
    public static IReadOnlyList<PeriodRef> CalendarFor(FollowUpCadence cadence, int year, int interimEndMonth = DefaultInterimEndMonth) => cadence switch
    {
        FollowUpCadence.Tertial => [new(year, PeriodKind.Tertial, 1), new(year, PeriodKind.Tertial, 2), new(year, PeriodKind.Tertial, 3)],
        FollowUpCadence.InterimAndAnnual => [Interim(year, interimEndMonth), ForYear(year)],
        FollowUpCadence.Quarter => [.. Enumerable.Range(1, 4).Select(q => new PeriodRef(year, PeriodKind.Quarter, q))],
        FollowUpCadence.Month => [.. Enumerable.Range(1, 12).Select(m => new PeriodRef(year, PeriodKind.Month, m))],
        FollowUpCadence.Year => [ForYear(year)],
        _ => [],
    };

    /// <summary>
    /// The periods of the given kind that end within [from, to], latest last. For a delår, that of every end month (a
    /// municipality may have moved its delår between years); never a forecast period, to which no outcome is keyed.
    /// </summary>
    public static IEnumerable<PeriodRef> EndingWithin(PeriodKind kind, DateOnly from, DateOnly to)
    {
        if (kind == PeriodKind.Forecast)
        {
            yield break;
        }

        for (var year = from.Year; year <= to.Year; year++)
        {
            var (first, last) = kind switch
            {
                PeriodKind.Month => (1, 12),
                PeriodKind.Quarter => (1, 4),
                PeriodKind.Tertial => (1, 3),
                PeriodKind.HalfYear => (1, 2),
                PeriodKind.Interim => (FirstInterimEndMonth, LastInterimEndMonth),
                _ => (1, 1),
            };
            for (var n = first; n <= last; n++)
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
