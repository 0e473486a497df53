using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.FollowUp;

public sealed record StatusDto(string Key, string Label, string Colour, string Symbol);

public sealed record TraceDto(string Kind, Guid Id, string Name, StatusDto Status, bool Counted, Explanation Text);

/// <param name="Target">The target value for the outcome's period, also when the outcome is missing; for a range, <see cref="TargetMin"/> and <see cref="TargetMax"/>.</param>
/// <param name="LastYear">The outcome of the same period a year before <paramref name="OutcomePeriod"/> (or the card's period).</param>
/// <param name="Trend">The outcomes of the indicator's last periods up to that one, oldest first, for a small chart.</param>
/// <param name="Forecast">The full-year forecast made at the card's period, with its own status against the year's target (issue 16); never part of <paramref name="Status"/>.</param>
public sealed record ScorecardIndicatorDto(Guid Id, string Name, string UnitOfMeasure, string? OutcomePeriod, decimal? Outcome, decimal? Target, decimal? TargetMin, decimal? TargetMax,
    StatusDto Status, Explanation Explanation, decimal? LastYear = null, List<TrendValueDto>? Trend = null, Forecasts.ForecastDto? Forecast = null);

public sealed record TrendValueDto(string PeriodKey, decimal? Value);

/// <param name="Status">As reported for the period when the unit wrote a comment for it, else as the activity stands now.</param>
/// <param name="Comment">What the unit reported on the activity for the period, if anything.</param>
public sealed record ScorecardActivityDto(Guid Id, string Title, Guid ResponsibleUnitId, string ResponsibleUnit, DateOnly? StartDate, DateOnly? EndDate,
    ActivityStatus Status, string StatusName, int Progress, string? Comment);

/// <summary>A contributing goal below that is not met or only partly met, with what its unit reported on it (analysis, actions).</summary>
/// <param name="ActionsClosedAt">Null while the actions are open.</param>
public sealed record DeviationDto(Guid GoalId, string Title, string? Code, Guid UnitId, string Unit, StatusDto Status, string? Analysis, string? Actions, DateTime? ActionsClosedAt);

public sealed record ScorecardGoalDto(Guid Id, string Title, string? Code, Guid LevelId, Guid? DimensionId, StatusDto Status, StatusDto Suggested, bool IsManual,
    Explanation Explanation, List<TraceDto> Trace, List<ScorecardIndicatorDto> Indicators, List<ScorecardActivityDto> Activities, VersionedAssessment? Assessment,
    List<DeviationDto> Deviations);

/// <summary>The goals of one dimension, or the last group of goals without one.</summary>
/// <param name="DimensionLabel">What the model calls its dimensions: "Perspektiv", "Strategiskt område" ...</param>
/// <param name="Name">The dimension's name ("Ekonomi"), or for the last group "Mål utan perspektiv".</param>
public sealed record ScorecardGroupDto(Guid? DimensionId, string DimensionLabel, string Name, string? Colour, List<ScorecardGoalDto> Goals);

/// <summary>What the unit follows and does within a program. Never part of goal fulfilment.</summary>
public sealed record ScorecardProgramDto(Guid Id, string Name, List<ScorecardIndicatorDto> Indicators, List<ScorecardActivityDto> Activities);

/// <param name="Groups">The unit's goals by dimension, in the dimension's order; goals without a dimension last.</param>
/// <param name="BasicMission">Grunduppdrag: the unit's indicators that belong to no goal and no program. Never part of goal fulfilment.</param>
/// <param name="UnitKindName">The unit's kind in Swedish, beside its key <paramref name="UnitKind"/>.</param>
/// <param name="Scale">The steps of the period's scale, best first and "ej bedömt" last: the order a summary counts in.</param>
/// <param name="Reorganisations">Reorganisations of the unit within the year up to the period's end: a comparison with last year crosses them (h146).</param>
public sealed record ScorecardDto(Guid UnitId, string UnitName, UnitKind UnitKind, string UnitKindName, string PeriodKey, string PeriodName, List<ScorecardGroupDto> Groups,
    List<ScorecardIndicatorDto> BasicMission, List<ScorecardProgramDto> Programs, List<StatusDto> Scale, List<Organisation.ReorganisationNote>? Reorganisations = null);

/// <summary>A tenant's follow-up calendar (each view's) as held for a data version; periods are few, so is this.</summary>
public sealed class CalendarCache() : VersionedCache<List<FollowUpPeriod>>(100_000, periods => periods.Count);

/// <summary>A built scorecard as held for its readers, with its JSON written the first time the API asks for it.</summary>
public sealed class HeldScorecard(ScorecardDto card, JsonSerializerOptions options)
{
    private readonly Lazy<byte[]> json = new(() => JsonSerializer.SerializeToUtf8Bytes(card, options));

    public ScorecardDto Card => card;

    public byte[] Json => json.Value;
}

/// <summary>
/// The built scorecards one app node holds, per tenant, unit, period and view under the data version they were built
/// for (<see cref="VersionedCache{T}"/>): a card is built once per version however many read it. Held cards are shared
/// between readers and never changed.
/// </summary>
public sealed class ScorecardCache(IOptions<StatusOptions> options)
    : VersionedCache<HeldScorecard>(options.Value.CachedScorecardLines, held => Lines(held.Card))
{
    private static long Lines(ScorecardDto card) =>
        1 + card.BasicMission.Count + card.Programs.Sum(p => 1 + p.Indicators.Count + p.Activities.Count)
        + card.Groups.Sum(g => g.Goals.Sum(x => 1 + x.Trace.Count + x.Indicators.Count + x.Activities.Count + x.Deviations.Count));
}

/// <summary>
/// A unit's scorecard (målkort) for a follow-up period, as the API, the scorecard page and the reports show it: the
/// engine's statuses and explanations, the goals by dimension with their indicators, activities, assessment and what
/// the goals below report as deviations; then the programs and the basic mission, which never count toward fulfilment.
/// See docs/adr/0012-scorecard-shape-and-open-actions.md.
/// </summary>
public sealed class Scorecards(KedjaDbContext db, StatusService statuses, ScorecardCache cache, CalendarCache calendars, JsonSerializerOptionsProvider json, TimeProvider clock,
    Organisation.Reorganisations reorganisations)
{
    /// <param name="periodKey">The period; without one, the latest period that has ended (the one being followed up now).</param>
    public async Task<ServiceResult<ScorecardDto>> ForUnitAsync(Guid unitId, string? periodKey, CancellationToken cancellationToken = default)
    {
        var held = await HeldForUnitAsync(unitId, periodKey, cancellationToken);
        return held.Error is { } error ? error : held.Value!.Card;
    }

    /// <summary>The card as this node holds it, with its JSON for the API.</summary>
    public async Task<ServiceResult<HeldScorecard>> HeldForUnitAsync(Guid unitId, string? periodKey, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(periodKey) && FollowUpCalendar.ParseKey(periodKey).Error is { } malformed)
        {
            return malformed;
        }

        if (await UnitAsync(unitId, cancellationToken) is not var (unit, view))
        {
            return UnitMissing;
        }

        // The calendar as held for the version: a warm read then sends one statement of its own, not two.
        var calendar = await calendars.GetAsync((view.TenantId, view.PublishedOnly), view.Version,
            async (_, _) => await db.Periods.AsNoTracking().ToListAsync(cancellationToken), cancellationToken);
        var found = FollowUpCalendar.FindOrCurrent(calendar, periodKey, clock);
        return found.Value is { } period ? await BuildAsync(unit, period, view, cancellationToken) : found.Error!;
    }

    /// <summary>The unit's scorecard for a period already found (the public read path finds it in its own calendar).</summary>
    public async Task<ServiceResult<ScorecardDto>> ForUnitAsync(Guid unitId, FollowUpPeriod period, CancellationToken cancellationToken = default) =>
        await UnitAsync(unitId, cancellationToken) is var (unit, view)
            ? (await BuildAsync(unit, period, view, cancellationToken)).Card
            : UnitMissing;

    /// <summary>
    /// The unit and the tenant's data version, in one statement: every read pays a round trip per statement before the
    /// held card can be found (about a millisecond on PostgreSQL).
    /// </summary>
    private async Task<(OrgUnit Unit, DataView View)?> UnitAsync(Guid unitId, CancellationToken cancellationToken)
    {
        var found = await db.Units.AsNoTracking().Where(u => u.Id == unitId)
            .Select(u => new { Unit = u, Version = db.Tenants.Where(t => t.Id == u.TenantId).Select(t => t.DataVersion).First() })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Unit, statuses.View(found.Version));
    }

    private static readonly ServiceError UnitMissing = ServiceError.NotFound("Enheten finns inte.");

    /// <summary>The card as built for the data version of <paramref name="view"/> or a newer one, once per version however many read it.</summary>
    private async Task<HeldScorecard> BuildAsync(OrgUnit unit, FollowUpPeriod period, DataView view, CancellationToken cancellationToken)
    {
        // A span and a duration per card read, tagged with whether this node held it (issue 18, ADR 51).
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.Scorecard, db.Scope.Slug ?? view.TenantId.ToString());
        var built = false;
        var card = await cache.GetAsync((view.TenantId, unit.Id, period.Id, view.PublishedOnly), view.Version,
            // Closed years (issue 16, h145): a locked follow-up is read as it was reported, see Periods/LockedScorecards.cs.
            async (_, _) =>
            {
                built = true;
                return await LockedScorecards.ReportedAsync(db, unit.Id, period, json.Options, cancellationToken)
                    ?? new HeldScorecard(await BuildCardAsync(unit, period, view, cancellationToken), json.Options);
            }, cancellationToken);
        measured.Tag(Observability.KedjaTelemetry.CacheTag, built ? "miss" : "hit");
        return card;
    }

    private async Task<ScorecardDto> BuildCardAsync(OrgUnit unit, FollowUpPeriod period, DataView view, CancellationToken cancellationToken)
    {
        // Reorganisations (h146, ADR 47 section 5): the unit's goals, own indicators and name as at the period's end.
        var owned = await Organisation.UnitOwnership.ReadAsync(db, unit.Id, period.EndDate, cancellationToken);
        var goals = await owned.GoalsAsync(db, cancellationToken);
        var goalIds = goals.Select(g => g.Id).ToList();
        var result = await statuses.ForUnitAsync(period, unit.Id, goalIds, view, cancellationToken);
        goals = [.. goals.Where(g => result.Goals.ContainsKey(g.Id))];

        // Two index seeks (by goal, by owner) rather than one OR that SQLite answers with a scan. Only the list of goals
        // goes into SQL: beside "goal_id IS NOT NULL" or "program_id IS NULL", SQLite without statistics seeks by those
        // and reads every indicator of the tenant (QueryPlanTests). Targets come from the engine's result. A program's
        // indicator belongs to the program even when it names a goal.
        // One statement (UNION ALL), each half its own seek.
        var ownGoals = goalIds.ToHashSet();
        var indicatorQuery = db.Indicators.AsNoTracking().Where(i => goalIds.Contains(i.GoalId!.Value))
            .Concat(db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == unit.Id && (i.GoalId == null || i.ProgramId != null)));
        var indicators = (await (owned.ExtraIndicators(db) is { } extra ? indicatorQuery.Concat(extra) : indicatorQuery)
                .ToListAsync(cancellationToken))
            .Where(i => (i.ProgramId == null && i.GoalId is { } goal && ownGoals.Contains(goal)) || (owned.Owns(i.Id, i.OwnerUnitId) && (i.GoalId == null || i.ProgramId != null)))
            .DistinctBy(i => i.Id).OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToList();
        var history = await HistoryAsync(indicators, period, result, cancellationToken);
        var forecasts = await Forecasts.ForecastReading.ForPeriodAsync(db, indicators, period, result.Models,
            i => i.ProgramId == null && i.GoalId is { } g && result.ModelOfGoal.TryGetValue(g, out var model) ? model : null, cancellationToken);
        var falling = await FallingAsync(goalIds, result, cancellationToken);
        // The card's goals' assessments and those of the goals below that fall short, in one statement.
        var assessed = goalIds.Concat(falling.Select(x => x.Child)).Distinct().ToList();
        var assessments = assessed.Count == 0 ? [] : await db.Assessments.AsNoTracking().Where(a => a.PeriodId == period.Id && assessed.Contains(a.GoalId)).ToDictionaryAsync(a => a.GoalId, cancellationToken);
        var activities = await ActivitiesAsync(unit.Id, goalIds, period, cancellationToken);
        var deviations = await DeviationsAsync(falling, result, assessments, cancellationToken);
        var fallbackScale = result.Scales.Values.FirstOrDefault() ?? FulfilmentScale.Standard;

        StatusDto Status(string key, Guid? modelId)
        {
            var level = result.Level(key, modelId);
            return level is null ? new StatusDto(key, fallbackScale.Label(key), "#5f6368", "") : new StatusDto(level.Key, level.Label, level.Colour, level.Symbol);
        }

        ScorecardIndicatorDto Indicator(Indicator i, Guid? modelId)
        {
            var r = result.Indicators.GetValueOrDefault(i.Id);
            var (lastYear, trend) = history.GetValueOrDefault(i.Id);
            return new ScorecardIndicatorDto(i.Id, i.Name, i.UnitOfMeasure, r?.OutcomePeriod, r?.Outcome, r?.Target?.Value, r?.Target?.Min, r?.Target?.Max,
                Status(r?.StatusKey ?? fallbackScale.NotAssessed.Key, modelId), r?.Explanation ?? new NotInPeriodModel(), lastYear, trend ?? [], forecasts.GetValueOrDefault(i.Id));
        }

        var indicatorsOf = indicators.Where(i => i.GoalId != null && i.ProgramId == null).ToLookup(i => i.GoalId!.Value);
        var activitiesOf = activities.Where(x => x.GoalId != null).ToLookup(x => x.GoalId!.Value);
        var deviationsOf = deviations.ToLookup(d => d.ParentId);

        ScorecardGoalDto Goal(Goal g)
        {
            var r = result.Goals[g.Id];
            var a = assessments.GetValueOrDefault(g.Id);
            return new ScorecardGoalDto(g.Id, g.Title, g.Code, g.LevelId, g.DimensionId, Status(r.Status, g.ModelId), Status(r.SuggestedStatus, g.ModelId), r.IsManual,
                r.Explanation,
                [.. r.Trace.Select(t => new TraceDto(t.Kind == InputKind.Goal ? "goal" : "indicator", t.Id, t.Name, Status(t.StatusKey, g.ModelId), t.Counted, t.Text))],
                [.. indicatorsOf[g.Id].Select(i => Indicator(i, g.ModelId))],
                [.. activitiesOf[g.Id].Select(x => x.Dto)],
                a is null ? null : VersionedAssessment.From(a, period.Key),
                [.. deviationsOf[g.Id].Select(d => new DeviationDto(d.ChildId, d.Title, d.Code, d.UnitId, d.Unit,
                    Status(d.StatusKey, d.ModelId), d.Analysis, d.Actions, d.ActionsClosedAt))]);
        }

        var programIds = indicators.Where(i => i.ProgramId != null).Select(i => i.ProgramId!.Value)
            .Concat(activities.Where(x => x.ProgramId != null).Select(x => x.ProgramId!.Value)).Distinct().ToList();
        // Every statement costs a round trip (about a millisecond on PostgreSQL): none is sent for an empty list.
        var programs = programIds.Count == 0 ? [] : await db.Programs.AsNoTracking().Where(p => programIds.Contains(p.Id)).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return new ScorecardDto(unit.Id, owned.Name ?? unit.Name, unit.Kind, UnitKindNames.Swedish(unit.Kind), period.Key, period.Name,
            Groups(goals, result.Models, Goal),
            [.. indicators.Where(i => i.GoalId == null && i.ProgramId == null).Select(i => Indicator(i, null))],
            [.. programs.Select(p => new ScorecardProgramDto(p.Id, p.Name,
                [.. indicators.Where(i => i.ProgramId == p.Id).Select(i => Indicator(i, null))],
                [.. activities.Where(x => x.ProgramId == p.Id).Select(x => x.Dto)]))],
            [.. result.Models.OrderBy(m => m.FirstYear).SelectMany(m => m.Scale.OrderBy(s => s.IsNotAssessed).ThenByDescending(s => s.Score).ThenBy(s => s.SortOrder))
                .DistinctBy(s => s.Key).Select(s => new StatusDto(s.Key, s.Label, s.Colour, s.Symbol))],
            owned.ChangedWithin(period.EndDate.AddYears(-1), period.EndDate)
                ? await reorganisations.CrossingAsync([unit.Id], period.EndDate.AddYears(-1), period.EndDate, cancellationToken) : null);
    }

    /// <summary>The goals by dimension in the dimension's order, each group named as the model names its dimensions; goals without one last.</summary>
    /// <param name="periodModels">The models of the period's year, as the statuses were computed with (a goal is in the card only if it has a status).</param>
    private static List<ScorecardGroupDto> Groups(List<Goal> goals, IReadOnlyList<GovernanceModel> periodModels, Func<Goal, ScorecardGoalDto> goal)
    {
        var models = periodModels.ToDictionary(m => m.Id);
        var dimensions = periodModels.SelectMany(m => m.Dimensions).ToDictionary(d => d.Id);
        var groups = goals.Where(g => g.DimensionId is { } d && dimensions.ContainsKey(d))
            .GroupBy(g => dimensions[g.DimensionId!.Value])
            .OrderBy(x => models[x.Key.ModelId].FirstYear).ThenBy(x => x.Key.SortOrder).ThenBy(x => x.Key.Name)
            .Select(x => new ScorecardGroupDto(x.Key.Id, models[x.Key.ModelId].DimensionLabel, x.Key.Name, x.Key.Colour, [.. x.Select(goal)]))
            .ToList();
        var without = goals.Where(g => g.DimensionId is not { } d || !dimensions.ContainsKey(d)).ToList();
        if (without.Count > 0)
        {
            var label = models[without[0].ModelId].DimensionLabel;
            groups.Add(new ScorecardGroupDto(null, label, $"Mål utan {label.ToLowerInvariant()}", null, [.. without.Select(goal)]));
        }

        return groups;
    }

    private sealed record ActivityRow(Guid? GoalId, Guid? ProgramId, ScorecardActivityDto Dto);

    /// <summary>
    /// Activities under the unit's goals and the unit's activities in programs, those that run some time in the period's
    /// year, with what was reported on them for the period.
    /// </summary>
    private async Task<List<ActivityRow>> ActivitiesAsync(Guid unitId, List<Guid> goalIds, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var yearStart = new DateOnly(period.EndDate.Year, 1, 1);
        var activities = (await db.Activities.AsNoTracking().Where(a => goalIds.Contains(a.GoalId!.Value))
                .Concat(db.Activities.AsNoTracking().Where(a => a.ResponsibleUnitId == unitId && a.ProgramId != null)).ToListAsync(cancellationToken))
            .DistinctBy(a => a.Id)
            .Where(a => (a.StartDate == null || a.StartDate <= period.EndDate) && (a.EndDate == null || a.EndDate >= yearStart))
            .OrderBy(a => a.StartDate).ThenBy(a => a.Title).ToList();
        var ids = activities.Select(a => a.Id).ToList();
        if (activities.Count == 0)
        {
            return [];
        }

        var comments = await db.ActivityComments.AsNoTracking().Where(c => c.PeriodId == period.Id && ids.Contains(c.ActivityId)).ToDictionaryAsync(c => c.ActivityId, cancellationToken);
        var unitIds = activities.Select(a => a.ResponsibleUnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. activities.Select(a =>
        {
            var c = comments.GetValueOrDefault(a.Id);
            var status = c?.Status ?? a.Status;
            return new ActivityRow(a.GoalId, a.ProgramId, new ScorecardActivityDto(a.Id, a.Title, a.ResponsibleUnitId, units.GetValueOrDefault(a.ResponsibleUnitId, ""),
                a.StartDate, a.EndDate, status, ActivityStatusNames.Swedish(status), c?.Progress ?? a.Progress, c?.Text));
        })];
    }

    /// <summary>How many of an indicator's periods the card's small chart shows.</summary>
    private const int TrendLength = 6;

    /// <summary>
    /// Each indicator's last <see cref="TrendLength"/> periods of its own kind up to the period it is followed up in, and
    /// the same period a year before, in one statement (in the published view, only published results are read).
    /// </summary>
    private async Task<Dictionary<Guid, (decimal? LastYear, List<TrendValueDto> Trend)>> HistoryAsync(List<Indicator> indicators, FollowUpPeriod period, PeriodStatuses result,
        CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<Guid, (PeriodRef Latest, List<PeriodRef> Keys)>();
        foreach (var i in indicators)
        {
            var latest = result.Indicators.GetValueOrDefault(i.Id)?.OutcomePeriod is { } key && PeriodRef.TryParse(key, out var parsed) ? parsed
                : period.Ref.PeriodsEndingWithin().Where(p => p.Kind == i.Periodicity).Cast<PeriodRef?>().LastOrDefault();
            if (latest is not { } end)
            {
                continue;
            }

            var keys = new List<PeriodRef> { end };
            while (keys.Count < TrendLength)
            {
                keys.Insert(0, keys[0].Previous());
            }

            wanted[i.Id] = (end, keys);
        }

        if (wanted.Count == 0)
        {
            return [];
        }

        var ids = wanted.Keys.ToList();
        var periodKeys = wanted.Values.SelectMany(w => w.Keys.Append(w.Latest with { Year = w.Latest.Year - 1 })).Select(k => k.Key).Distinct().ToList();
        var values = (await db.OutcomesOf(ids).Where(o => periodKeys.Contains(o.PeriodKey))
            .Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken)).ToDictionary(o => (o.IndicatorId, o.PeriodKey), o => o.Value);
        return wanted.ToDictionary(w => w.Key, w => (
            values.GetValueOrDefault((w.Key, (w.Value.Latest with { Year = w.Value.Latest.Year - 1 }).Key)),
            w.Value.Keys.Select(k => new TrendValueDto(k.Key, values.GetValueOrDefault((w.Key, k.Key)))).ToList()));
    }

    private sealed record DeviationRow(Guid ParentId, Guid ChildId, string Title, string? Code, Guid UnitId, string Unit, int SortOrder, Guid ModelId, string StatusKey,
        string? Analysis, string? Actions, DateTime? ActionsClosedAt);

    /// <summary>
    /// The directly contributing goals that are not met or only partly met in the period (parent, child), so that the
    /// level above sees what the level below will do about it.
    /// </summary>
    /// <remarks>
    /// The goals below are described from what is held with their results: a nämnd's goals have some 1,300 goals below
    /// them on the largest tenant measured, and reading those again cost a join over every goal of the tenant on
    /// PostgreSQL. Only the links (an index-only read), the falling goals' units' names and their assessments are read.
    /// The links, not the engine's trace, say what contributes: a level that rolls up only indicators still shows what
    /// its goals below report.
    /// </remarks>
    private async Task<List<(Guid Parent, Guid Child)>> FallingAsync(List<Guid> goalIds, PeriodStatuses result, CancellationToken cancellationToken)
    {
        if (goalIds.Count == 0)
        {
            return [];
        }

        var links = await db.GoalLinks.AsNoTracking().Where(l => goalIds.Contains(l.ParentGoalId))
            .Select(l => new { Parent = l.ParentGoalId, Child = l.ChildGoalId }).ToListAsync(cancellationToken);
        return [.. links.Select(l => (l.Parent, l.Child))
            .Where(x => result.Goals.TryGetValue(x.Child, out var r) && result.GoalFacts.ContainsKey(x.Child)
                && result.ModelOfGoal.TryGetValue(x.Child, out var model) && result.Scales.TryGetValue(model, out var scale)
                && scale.IsAssessed(r.Status) && r.Status != scale.Top.Key)
            .Distinct()];
    }

    /// <summary>The falling goals below, with their units' analysis and actions.</summary>
    private async Task<List<DeviationRow>> DeviationsAsync(List<(Guid Parent, Guid Child)> falling, PeriodStatuses result, Dictionary<Guid, Assessment> assessments,
        CancellationToken cancellationToken)
    {
        if (falling.Count == 0)
        {
            return [];
        }

        var unitIds = falling.Select(x => result.GoalFacts[x.Child].OwnerUnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. falling
            .Select(x =>
            {
                var goal = result.GoalFacts[x.Child];
                var assessment = assessments.GetValueOrDefault(x.Child);
                return new DeviationRow(x.Parent, x.Child, goal.Title, goal.Code, goal.OwnerUnitId, units.GetValueOrDefault(goal.OwnerUnitId, ""), goal.SortOrder,
                    result.ModelOfGoal[x.Child], result.Goals[x.Child].Status, assessment?.Analysis, assessment?.Actions, assessment?.ActionsClosedAt);
            })
            .OrderBy(d => d.Unit).ThenBy(d => d.SortOrder).ThenBy(d => d.Title)];
    }
}
