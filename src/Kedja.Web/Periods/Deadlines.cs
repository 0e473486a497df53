using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>One unit's follow-up of one period and the day it is due.</summary>
/// <param name="State">Where the follow-up stands now (open when it has never moved).</param>
/// <param name="MissingForecasts">
/// For a forecast-only period (prognostillfälle), which asks for full-year forecasts and nothing else: how many of the
/// unit's indicators that take a forecast have none at the period yet; null for every other period.
/// </param>
public sealed record DueFollowUp(Guid PeriodId, string PeriodKey, string PeriodName, Guid UnitId, string UnitName, UnitKind UnitKind, DateOnly DueOn, WorkflowState State,
    int? MissingForecasts = null)
{
    /// <summary>Not yet done: open or sent back; in a forecast-only period, a forecast still missing.</summary>
    public bool IsOpen => MissingForecasts is { } missing ? missing > 0 : State == WorkflowState.Open;
}

/// <summary>A member who is reminded of a unit's follow-up.</summary>
/// <param name="Name">The name the municipality gives the person, else their own, else the e-mail address.</param>
/// <param name="RemindersOff">The person has turned reminder mails off; they still see their deadlines on the start page.</param>
public sealed record PersonToRemind(string UserId, string Email, string Name, TenantRole Role, Guid? ScopeUnitId, bool RemindersOff);

/// <summary>
/// Reporting deadlines per level of the organisation (ADR 45): a period's <see cref="PeriodDeadline"/> row for the unit's
/// kind, else the period's own <see cref="FollowUpPeriod.Deadline"/>. Only units that are followed up in the period (active,
/// of a kind the model follows up then: companies once a year) and have something to report (a goal valid in the year or
/// an indicator outside the goals, ADR 29) have a deadline. Works in the tenant the context's scope has entered, for a
/// request or for a job entered as the system.
/// </summary>
public sealed class Deadlines(KedjaDbContext db, TimeProvider clock)
{
    /// <summary>Today's date in Sweden, the day deadlines are counted in whatever the server's zone.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Ui.Language.InSweden(clock.GetUtcNow().UtcDateTime));

    public DateOnly Today() => Today(clock);

    /// <summary>The day a level's follow-up of the period is due: its own row, else the period's deadline; null for none.</summary>
    public static DateOnly? Effective(FollowUpPeriod period, IEnumerable<PeriodDeadline> rows, UnitKind kind) =>
        rows.FirstOrDefault(r => r.PeriodId == period.Id && r.UnitKind == kind)?.DueOn ?? period.Deadline;

    /// <summary>Every level's deadline in the period (the default for kinds without a row of their own).</summary>
    public async Task<Dictionary<UnitKind, DateOnly?>> ForPeriodAsync(FollowUpPeriod period, CancellationToken cancellationToken = default)
    {
        var rows = await db.PeriodDeadlines.AsNoTracking().Where(d => d.PeriodId == period.Id).ToListAsync(cancellationToken);
        return Enum.GetValues<UnitKind>().ToDictionary(k => k, k => Effective(period, rows, k));
    }

    /// <summary>Every follow-up that has a deadline, with where it stands, due between the two days (both included).</summary>
    public Task<List<DueFollowUp>> DueBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        ReadAsync(from, to, period: null, cancellationToken);

    /// <summary>
    /// The follow-ups not yet submitted (open, or sent back) that are due between the two days (both included): whom a
    /// reminder is for. Ordered by due date, period and unit name.
    /// </summary>
    public async Task<List<DueFollowUp>> NotSubmittedDueBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        [.. (await ReadAsync(from, to, period: null, cancellationToken)).Where(d => d.IsOpen)];

    /// <summary>
    /// Who is late: follow-ups not submitted whose deadline has passed (before today), counting only deadlines on or after
    /// the day the municipality came into Kedja (ADR 29: a deadline before that could not be met here).
    /// </summary>
    public async Task<List<DueFollowUp>> LateAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Kommunen är inte vald.");
        var created = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.CreatedAt).SingleAsync(cancellationToken);
        var yesterday = Today().AddDays(-1);
        var since = DateOnly.FromDateTime(created);
        return since > yesterday ? [] : await NotSubmittedDueBetweenAsync(since, yesterday, cancellationToken);
    }

    /// <summary>Every unit's follow-up of one period that has a deadline, with where it stands.</summary>
    public Task<List<DueFollowUp>> InPeriodAsync(FollowUpPeriod period, CancellationToken cancellationToken = default) =>
        ReadAsync(DateOnly.MinValue, DateOnly.MaxValue, period, cancellationToken);

    /// <summary>
    /// The people reminded of a unit's follow-up: members with the role of editor or administrator whose membership names
    /// the unit or a unit above it. Members of the whole municipality (no unit: the controllers) are reminded only of units
    /// nobody nearer is named for, so that a controller is not mailed of every unit while the unit's own people are; they
    /// see who is late on the start page. Readers are never reminded; system administrators are not members.
    /// </summary>
    public async Task<List<PersonToRemind>> PeopleToRemindAsync(Guid unitId, CancellationToken cancellationToken = default) =>
        (await PeopleToRemindAsync([unitId], cancellationToken)).GetValueOrDefault(unitId) ?? [];

    /// <summary>As <see cref="PeopleToRemindAsync(Guid, CancellationToken)"/> for many units at once, with the organisation and members read once.</summary>
    public async Task<Dictionary<Guid, List<PersonToRemind>>> PeopleToRemindAsync(IReadOnlyCollection<Guid> unitIds, CancellationToken cancellationToken = default)
    {
        var parents = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        var members = await (from m in db.Memberships.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where u.Email != null
                             select new { m.UserId, u.Email, MemberName = m.DisplayName, OwnName = u.DisplayName, m.Role, m.UnitId, u.RemindersOff })
            .ToListAsync(cancellationToken);

        // Roles are stored by name, so the order of roles is compared here, not in SQL.
        var people = members.Where(m => m.Role >= TenantRole.Editor).Select(m => new PersonToRemind(m.UserId, m.Email!, m.MemberName ?? m.OwnName ?? m.Email!, m.Role, m.UnitId, m.RemindersOff))
            .OrderBy(p => p.Name, StringComparer.Create(Ui.Language.Formats, false)).ThenBy(p => p.UserId, StringComparer.Ordinal).ToList();
        var scoped = people.Where(p => p.ScopeUnitId is not null).ToList();
        var wide = people.Where(p => p.ScopeUnitId is null).ToList();
        var result = new Dictionary<Guid, List<PersonToRemind>>();
        foreach (var unitId in unitIds.Distinct())
        {
            if (!parents.ContainsKey(unitId))
            {
                continue;
            }

            var above = new HashSet<Guid>();
            for (Guid? current = unitId; current is { } id && above.Add(id); current = parents.GetValueOrDefault(id))
            {
            }

            var near = scoped.Where(p => above.Contains(p.ScopeUnitId!.Value)).ToList();
            result[unitId] = near.Count > 0 ? near : wide;
        }

        return result;
    }

    /// <summary>
    /// What decides which units report, read once per request (the start page asks for upcoming and late deadlines):
    /// active units, the models' cadences, and the units that own a goal (per validity) or an indicator of their own.
    /// Goals are read as distinct (unit, years), which on a large municipality is a few thousand rows instead of 25,000.
    /// </summary>
    private async Task<Organisation> ReadOrganisationAsync(CancellationToken cancellationToken) => new(
        await db.Units.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(cancellationToken),
        await db.Models.AsNoTracking().Select(m => new ModelYears(m.FirstYear, m.LastYear, m.CadenceOverrides)).ToListAsync(cancellationToken),
        [.. (await db.Goals.AsNoTracking().Select(g => new { g.OwnerUnitId, g.ValidFromYear, g.ValidToYear }).Distinct().ToListAsync(cancellationToken))
            .Select(g => new GoalOwner(g.OwnerUnitId, g.ValidFromYear, g.ValidToYear))],
        (await db.Indicators.AsNoTracking().Where(i => i.GoalId == null).Select(i => i.OwnerUnitId).Distinct().ToListAsync(cancellationToken)).ToHashSet());

    private Organisation? organisation;

    private sealed record ModelYears(int FirstYear, int LastYear, List<CadenceOverride> CadenceOverrides);

    private sealed record GoalOwner(Guid OwnerUnitId, int? ValidFromYear, int? ValidToYear);

    private sealed record Organisation(List<OrgUnit> Units, List<ModelYears> Models, List<GoalOwner> Goals, HashSet<Guid> OwnIndicators);

    /// <summary>
    /// Per forecast-only period, the units with indicators that take a forecast in its year (ForecastReading.Takes: a
    /// model of the year allows them, not fetched from Kolada; of a goal valid in the year or of no goal), and how many of
    /// those have no forecast at the period. Nothing is read when no such period is due.
    /// </summary>
    private async Task<Dictionary<Guid, Dictionary<Guid, int>>> ForecastsAsync(List<FollowUpPeriod> periods, CancellationToken cancellationToken)
    {
        if (periods.Count == 0)
        {
            return [];
        }

        var models = await db.Models.AsNoTracking().ToListAsync(cancellationToken);
        var indicators = await (from i in db.Indicators.AsNoTracking()
                                join g in db.Goals.AsNoTracking() on i.GoalId equals g.Id into goalsOf
                                from g in goalsOf.DefaultIfEmpty()
                                select new { Indicator = i, From = g == null ? null : g.ValidFromYear, To = g == null ? null : g.ValidToYear })
            .ToListAsync(cancellationToken);
        var ids = periods.Select(p => p.Id).ToList();
        var given = (await db.IndicatorForecasts.AsNoTracking().Where(f => ids.Contains(f.PeriodId)).Select(f => new { f.PeriodId, f.IndicatorId }).ToListAsync(cancellationToken))
            .Select(f => (f.PeriodId, f.IndicatorId)).ToHashSet();
        var result = new Dictionary<Guid, Dictionary<Guid, int>>();
        foreach (var period in periods)
        {
            var year = period.Year;
            result[period.Id] = indicators
                .Where(x => (x.From == null || x.From <= year) && (x.To == null || x.To >= year) && Forecasts.ForecastReading.Takes(x.Indicator, models, year))
                .GroupBy(x => x.Indicator.OwnerUnitId)
                .ToDictionary(g => g.Key, g => g.Count(x => !given.Contains((period.Id, x.Indicator.Id))));
        }

        return result;
    }

    /// <summary>The follow-ups with a deadline in [from, to], of one period or all.</summary>
    private async Task<List<DueFollowUp>> ReadAsync(DateOnly from, DateOnly to, FollowUpPeriod? period, CancellationToken cancellationToken)
    {
        var periods = period is not null ? [period] : await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var periodIds = periods.Select(p => p.Id).ToList();
        var rows = await db.PeriodDeadlines.AsNoTracking().Where(d => periodIds.Contains(d.PeriodId)).ToListAsync(cancellationToken);
        var kinds = Enum.GetValues<UnitKind>();

        // Only periods with some level due in the window are read further: a reminder run asks about a few days.
        var due = periods.Select(p => (Period: p, Due: kinds.ToDictionary(k => k, k => Effective(p, rows, k))))
            .Where(p => p.Due.Values.Any(d => d is { } day && day >= from && day <= to))
            .OrderBy(p => p.Period.Ref).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var dueIds = due.Select(p => p.Period.Id).ToList();
        var states = await db.UnitPeriodStatuses.AsNoTracking().Where(s => dueIds.Contains(s.PeriodId))
            .Select(s => new { s.PeriodId, s.UnitId, s.State }).ToListAsync(cancellationToken);
        var stateOf = states.ToDictionary(s => (s.PeriodId, s.UnitId), s => s.State);
        var (units, models, goals, ownIndicators) = organisation ??= await ReadOrganisationAsync(cancellationToken);
        var forecasts = await ForecastsAsync([.. due.Select(d => d.Period).Where(p => p.Kind == PeriodKind.Forecast)], cancellationToken);

        var result = new List<DueFollowUp>();
        foreach (var (p, dueOf) in due)
        {
            var year = p.Year;
            var overrides = models.Where(m => m.FirstYear <= year && m.LastYear >= year).SelectMany(m => m.CadenceOverrides).ToList();
            var reporting = goals.Where(g => (g.ValidFromYear == null || g.ValidFromYear <= year) && (g.ValidToYear == null || g.ValidToYear >= year))
                .Select(g => g.OwnerUnitId).ToHashSet();
            reporting.UnionWith(ownIndicators);

            // A forecast-only period is due for the units whose indicators take a forecast, and done when each has one.
            var forecast = p.Kind == PeriodKind.Forecast ? forecasts.GetValueOrDefault(p.Id) ?? [] : null;
            foreach (var unit in units)
            {
                if (dueOf[unit.Kind] is not { } day || day < from || day > to || !(forecast?.ContainsKey(unit.Id) ?? reporting.Contains(unit.Id))
                    || !CadenceOverride.FollowsUp(overrides, unit.Kind, p.Ref))
                {
                    continue;
                }

                result.Add(new DueFollowUp(p.Id, p.Key, p.Name, unit.Id, unit.Name, unit.Kind, day, stateOf.GetValueOrDefault((p.Id, unit.Id), WorkflowState.Open),
                    forecast?[unit.Id]));
            }
        }

        return [.. result.OrderBy(d => d.DueOn).ThenBy(d => PeriodRef.Parse(d.PeriodKey)).ThenBy(d => d.UnitName, StringComparer.Create(Ui.Language.Formats, false))];
    }
}
