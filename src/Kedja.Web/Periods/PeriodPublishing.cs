using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

public sealed record PeriodDto(Guid Id, string Key, string Name, DateOnly StartDate, DateOnly EndDate, DateOnly? Deadline, bool IsPublished,
    DateTime? PublishedAt, string? PublishedBy, int Version);

public sealed record PublicationInput(bool IsPublished, int? Version);

/// <param name="Deadline">The last day to report the period; null for none.</param>
public sealed record DeadlineInput(DateOnly? Deadline, int? Version);

/// <summary>The follow-up calendar, and publishing a period to the public portal or withdrawing it.</summary>
public sealed class PeriodPublishing(KedjaDbContext db, IAuditActor actor, TimeProvider clock, Portal.PortalPreparation portal)
{
    public async Task<List<PeriodDto>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(p => p.Ref).Select(ToDto)];

    /// <summary>Publishes a period, or withdraws it. Nothing of an unpublished period is ever public.</summary>
    public async Task<ServiceResult<PeriodDto>> SetAsync(string periodKey, PublicationInput input, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods, periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        db.ExpectVersion(period, input.Version.Value);
        period.IsPublished = input.IsPublished;
        period.PublishedAt = input.IsPublished ? clock.GetUtcNow().UtcDateTime : null;
        period.PublishedBy = input.IsPublished ? actor.Name : null;
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        await portal.PrepareAsync(db.Scope.Slug!, cancellationToken);
        return ToDto(period);
    }

    /// <summary>Sets the last day to report a period, or takes it away; the document importer checks a deadline with the same rule.</summary>
    public async Task<ServiceResult<PeriodDto>> SetDeadlineAsync(string periodKey, DeadlineInput input, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods, periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        if (DeadlineError(period.Ref, input.Deadline) is { } wrong)
        {
            return ServiceError.Invalid("deadline", wrong);
        }

        db.ExpectVersion(period, input.Version.Value);
        period.Deadline = input.Deadline;
        return await db.TrySaveAsync() ? ToDto(period) : ServiceError.Conflict();
    }

    /// <summary>
    /// A deadline lies after the period has ended (a report needs the period's figures) and within the year after it,
    /// so that a mistyped year is caught; null when it is right.
    /// </summary>
    public static string? DeadlineError(PeriodRef period, DateOnly? deadline) => deadline switch
    {
        null => null,
        { } d when d < period.End => $"Sista dagen att rapportera kan inte vara före periodens slut ({period.End:yyyy-MM-dd}).",
        { } d when d > period.End.AddYears(1) => $"Sista dagen att rapportera ska ligga inom ett år efter periodens slut ({period.End:yyyy-MM-dd}).",
        _ => null,
    };

    private static PeriodDto ToDto(FollowUpPeriod p) =>
        new(p.Id, p.Key, p.Name, p.StartDate, p.EndDate, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy, p.Version);
}
