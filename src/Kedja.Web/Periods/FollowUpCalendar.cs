using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>
/// A period key as every entry point reads it, one policy everywhere: a key that is not a period answers 400 on the
/// field <c>periodKey</c>; a period that is not in the tenant's follow-up calendar, where one is needed, answers 404.
/// </summary>
public static class FollowUpCalendar
{
    /// <summary>The one name of a period key in routes, queries and error fields.</summary>
    public const string Field = "periodKey";

    public const string NotInCalendar = "Perioden finns inte i uppföljningskalendern.";

    public static string Malformed(string? key) => $"Ogiltig period '{key}'. Ange t.ex. 2025-T2 eller 2025.";

    /// <summary>
    /// Whether a period is one the calendar would be asked about: any period but a delår, and of delår the one the
    /// calendar has in its year (the month the municipality chose), else August's (issue 16). Reading outcomes does not
    /// need this; listing what a unit is to report does, or a delår indicator would be asked for nine delår a year.
    /// </summary>
    public static bool IsItsDelar(PeriodRef period, IReadOnlyCollection<FollowUpPeriod> calendar)
    {
        if (period.Kind != PeriodKind.Interim)
        {
            return true;
        }

        var ofYear = calendar.Where(p => p.Kind == PeriodKind.Interim && p.Year == period.Year).Select(p => p.Key).ToList();
        return ofYear.Count == 0 ? period.Number == PeriodRef.DefaultInterimEndMonth : ofYear.Contains(period.Key);
    }

    public static ServiceResult<PeriodRef> ParseKey(string? key) =>
        PeriodRef.TryParse(key, out var period) ? period : ServiceError.Invalid(Field, Malformed(key));

    /// <summary>
    /// The follow-up period with the key in <paramref name="calendar"/>: the tenant's periods, or only those a reader may
    /// see (the public read path passes its published periods, so that an unpublished one is as unknown as a missing one).
    /// Tracked or not as the query is.
    /// </summary>
    public static async Task<ServiceResult<FollowUpPeriod>> FindAsync(IQueryable<FollowUpPeriod> calendar, string? key, CancellationToken cancellationToken = default)
    {
        var parsed = ParseKey(key);
        if (parsed.Error is { } malformed)
        {
            return malformed;
        }

        var normal = parsed.Value.Key;
        return await calendar.SingleOrDefaultAsync(p => p.Key == normal, cancellationToken) is { } period ? period : ServiceError.NotFound(NotInCalendar);
    }

    /// <summary>
    /// The period with the key in a calendar already read (as <see cref="FindAsync"/>); without a key, the period being
    /// followed up now: the latest result period that has ended, else the first.
    /// </summary>
    public static ServiceResult<FollowUpPeriod> FindOrCurrent(IReadOnlyCollection<FollowUpPeriod> calendar, string? key, TimeProvider clock)
    {
        if (!string.IsNullOrEmpty(key))
        {
            var parsed = ParseKey(key);
            if (parsed.Error is { } malformed)
            {
                return malformed;
            }

            var normal = parsed.Value.Key;
            return calendar.SingleOrDefault(p => p.Key == normal) is { } found ? found : ServiceError.NotFound(NotInCalendar);
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var all = calendar.OrderBy(p => p.Ref).ToList();
        // A forecast-only period (2026-P10) has no outcomes of its own: it never displaces the result period being followed up.
        return (all.LastOrDefault(p => p.EndDate <= today && p.Kind != PeriodKind.Forecast) ?? all.LastOrDefault(p => p.EndDate <= today) ?? all.FirstOrDefault()) is { } period
            ? period : ServiceError.NotFound(NotInCalendar);
    }
}
