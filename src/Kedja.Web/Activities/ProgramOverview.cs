using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities;

/// <param name="Comment">What the unit reported for the period; <paramref name="Status"/> and <paramref name="Progress"/> are as reported then, else as the activity stands.</param>
public sealed record ProgramActivityView(Guid Id, string Title, Guid ResponsibleUnitId, string ResponsibleUnit, DateOnly? StartDate, DateOnly? EndDate,
    ActivityStatus Status, int Progress, string? Comment);

public sealed record ProgramIndicatorView(Guid OwnerUnitId, string OwnerUnit, ScorecardIndicatorDto Indicator);

/// <param name="Periods">The follow-up calendar, to switch period.</param>
public sealed record ProgramView(VersionedProgram Program, string? Owner, string PeriodKey, string PeriodName, List<(string Key, string Name)> Periods,
    List<ProgramActivityView> Activities, List<ProgramIndicatorView> Indicators);

/// <summary>
/// A program's page: its activities with what was reported for a period, and its indicators with their status as each
/// owner's scorecard computes it (the same figures the card shows, never counted toward goal fulfilment).
/// </summary>
public sealed class ProgramOverview(KedjaDbContext db, ProgramEditing programs, Scorecards scorecards, TimeProvider clock)
{
    public async Task<ServiceResult<ProgramView>> ForAsync(Guid programId, string? periodKey, CancellationToken cancellationToken = default)
    {
        var found = await programs.GetAsync(programId, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var current = FollowUpCalendar.FindOrCurrent(calendar, periodKey, clock);
        if (current.Error is { } noPeriod)
        {
            return noPeriod;
        }

        var period = current.Value!;
        var activities = await db.Activities.AsNoTracking().Where(a => a.ProgramId == programId).OrderBy(a => a.StartDate).ThenBy(a => a.Title).ToListAsync(cancellationToken);
        var ids = activities.Select(a => a.Id).ToList();
        var comments = ids.Count == 0 ? [] : await db.ActivityComments.AsNoTracking().Where(c => c.PeriodId == period.Id && ids.Contains(c.ActivityId)).ToDictionaryAsync(c => c.ActivityId, cancellationToken);
        var owners = await db.Indicators.AsNoTracking().Where(i => i.ProgramId == programId).Select(i => i.OwnerUnitId).Distinct().ToListAsync(cancellationToken);
        var unitIds = activities.Select(a => a.ResponsibleUnitId).Concat(owners).Append(found.Value!.OwnerUnitId ?? Guid.Empty).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

        var indicators = new List<ProgramIndicatorView>();
        foreach (var owner in owners.OrderBy(o => units.GetValueOrDefault(o, ""), StringComparer.Create(Ui.Language.Formats, ignoreCase: true)))
        {
            var card = await scorecards.ForUnitAsync(owner, period, cancellationToken);
            indicators.AddRange((card.Value?.Programs.SingleOrDefault(p => p.Id == programId)?.Indicators ?? [])
                .Select(i => new ProgramIndicatorView(owner, units.GetValueOrDefault(owner, ""), i)));
        }

        return new ProgramView(found.Value, found.Value.OwnerUnitId is { } o ? units.GetValueOrDefault(o) : null, period.Key, period.Name,
            [.. calendar.OrderBy(p => p.Ref).Select(p => (p.Key, p.Name))],
            [.. activities.Select(a => comments.GetValueOrDefault(a.Id) is { } c
                ? new ProgramActivityView(a.Id, a.Title, a.ResponsibleUnitId, units.GetValueOrDefault(a.ResponsibleUnitId, ""), a.StartDate, a.EndDate, c.Status, c.Progress, c.Text)
                : new ProgramActivityView(a.Id, a.Title, a.ResponsibleUnitId, units.GetValueOrDefault(a.ResponsibleUnitId, ""), a.StartDate, a.EndDate, a.Status, a.Progress, null))],
            indicators);
    }
}
