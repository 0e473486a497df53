using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

/// <summary>
/// One answer for a period key wherever one is given: a malformed key is invalid input (400), a well-formed key that
/// the follow-up calendar does not hold is not found (404). Results (outcomes) need only a well-formed key.
/// </summary>
public static class PeriodKeyChecks
{
    public const string NotInCalendar = "Perioden finns inte i uppföljningskalendern.";

    public static string Malformed(string? key) => $"Ogiltig period '{key}'. Ange t.ex. 2025-T2 eller 2025.";

    public static ServiceResult<PeriodRef> Parse(string? key, string field = "periodKey") =>
        PeriodRef.TryParse(key, out var period) ? period : ServiceError.Invalid(field, Malformed(key));

    /// <summary>The follow-up period of the calendar with the key.</summary>
    public static async Task<ServiceResult<FollowUpPeriod>> InCalendarAsync(KedjaDbContext db, string? key, CancellationToken cancellationToken, string field = "periodKey")
    {
        if (Parse(key, field).Error is { } malformed)
        {
            return malformed;
        }

        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key, cancellationToken);
        return period is null ? ServiceError.NotFound(NotInCalendar) : period;
    }
}
