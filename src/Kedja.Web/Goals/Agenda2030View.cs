using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Goals;

public sealed record Agenda2030Goal(Guid Id, string Title, Guid UnitId, string Unit, StatusDto? Status);

public sealed record Agenda2030Line(int Number, string Title, List<Agenda2030Goal> Goals);

/// <summary>The municipality's goals under each of the 17 global goals, with their status in the period followed up now.</summary>
public sealed class Agenda2030View(KedjaDbContext db, StatusService statuses, TimeProvider clock)
{
    public async Task<ServiceResult<(string PeriodKey, string PeriodName, List<Agenda2030Line> Lines)>> ForAsync(string? periodKey, CancellationToken cancellationToken = default)
    {
        var found = FollowUpCalendar.FindOrCurrent(await db.Periods.AsNoTracking().ToListAsync(cancellationToken), periodKey, clock);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        // The list of global goals is a column of its own per goal; a municipality has a few thousand goals at most.
        var goals = (await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.OwnerUnitId, g.Agenda2030, g.ValidFromYear, g.ValidToYear, g.SortOrder }).ToListAsync(cancellationToken))
            .Where(g => g.Agenda2030.Count > 0 && (g.ValidFromYear ?? int.MinValue) <= period.Year && period.Year <= (g.ValidToYear ?? int.MaxValue)).ToList();
        var results = goals.Count == 0 ? null : await statuses.ForPeriodAsync(period, cancellationToken);
        var unitIds = goals.Select(g => g.OwnerUnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        StatusDto? Status(Guid goal)
        {
            if (results is null || !results.Goals.TryGetValue(goal, out var r) || !results.ModelOfGoal.TryGetValue(goal, out var model))
            {
                return null;
            }

            return results.Level(r.Status, model) is { } level ? new StatusDto(level.Key, level.Label, level.Colour, level.Symbol) : null;
        }

        var lines = Agenda2030.Goals.Select(global => new Agenda2030Line(global.Number, global.Title,
            [.. goals.Where(g => g.Agenda2030.Contains(global.Number)).OrderBy(g => units.GetValueOrDefault(g.OwnerUnitId)).ThenBy(g => g.SortOrder)
                .Select(g => new Agenda2030Goal(g.Id, g.Title, g.OwnerUnitId, units.GetValueOrDefault(g.OwnerUnitId, ""), Status(g.Id)))])).ToList();
        return (period.Key, period.Name, lines);
    }
}
