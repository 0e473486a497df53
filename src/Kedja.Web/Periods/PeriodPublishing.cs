using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

public sealed record PeriodDto(Guid Id, string Key, string Name, DateOnly StartDate, DateOnly EndDate, DateOnly? Deadline, bool IsPublished,
    DateTime? PublishedAt, string? PublishedBy, int Version);

public sealed record PublicationInput(bool IsPublished, int? Version);

/// <summary>The follow-up calendar, and publishing a period to the public portal or withdrawing it.</summary>
public sealed class PeriodPublishing(KedjaDbContext db, IAuditActor actor, TimeProvider clock)
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
        return await db.TrySaveAsync() ? ToDto(period) : ServiceError.Conflict();
    }

    private static PeriodDto ToDto(FollowUpPeriod p) =>
        new(p.Id, p.Key, p.Name, p.StartDate, p.EndDate, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy, p.Version);
}
