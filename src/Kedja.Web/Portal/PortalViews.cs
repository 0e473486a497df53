using Kedja.Domain;
using Kedja.Domain.Charts;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>What every view of a portal page carries: the municipality, with the sites that may frame its embeds.</summary>
public interface IPortalView
{
    PortalTenant Tenant { get; }
}

/// <summary>The municipality as every portal page names it, its published periods (oldest first) and the one shown.</summary>
/// <param name="EmbedOrigins">The sites that may frame an embed; read only for embeds, empty otherwise.</param>
public sealed record PortalTenant(string Slug, string Name, List<PublicPeriodDto> Periods, PublicPeriodDto Period, IReadOnlyList<string> EmbedOrigins);

/// <summary>A goal linked to another one ("den röda tråden"), with its status in the period when it has one.</summary>
public sealed record LinkedGoalLine(Guid Id, string Title, string? Code, Guid UnitId, string Unit, PublicGoalStatusDto? Status);

/// <param name="InPeriod">The goal as its unit's scorecard shows it in the period; null when it is not followed up then.</param>
/// <param name="Earlier">Its status in each published period before the one shown, newest first.</param>
/// <param name="FollowedIn">The published periods in which it has a status: those the period choice offers.</param>
public sealed record GoalPageView(PortalTenant Tenant, PublicGoalDto Goal, string Level, string? Dimension, string DimensionLabel, PublicUnitDto Unit,
    PublicScorecardGoalDto? InPeriod, List<(PublicPeriodDto Period, PublicGoalStatusDto Status)> Earlier, List<PublicPeriodDto> FollowedIn,
    List<LinkedGoalLine> Above, List<LinkedGoalLine> Below, List<(int Number, string Title)> Agenda2030) : IPortalView;

/// <param name="Children">The units directly below that are active: the organisation as it stands.</param>
/// <param name="FormerChildren">Units below that are no longer active; their published results stay readable.</param>
public sealed record UnitPageView(PortalTenant Tenant, PublicUnitDto Unit, PublicUnitDto? Parent, PublicScorecardDto Card, List<PublicUnitDto> Children,
    List<PublicUnitDto> FormerChildren) : IPortalView;

/// <param name="Target">As written: a value, or a range "min–max"; "–" for none.</param>
public sealed record IndicatorRow(string PeriodKey, string Label, decimal? Value, decimal? Women, decimal? Men, string Target, bool FromKolada);

/// <param name="Goal">The goal it measures, if it measures one.</param>
/// <param name="Rows">The chart's numbers, period by period, oldest first: the same periods as the chart's points.</param>
public sealed record IndicatorPageView(PortalTenant Tenant, PublicIndicatorDto Indicator, PublicUnitDto Unit, PublicGoalDto? Goal, TrendChart Chart, string ChartDescription,
    List<IndicatorRow> Rows) : IPortalView;

/// <summary>
/// What the portal's pages and embeds show (issue 13, ADR 41), read through <see cref="PublicReader"/> only: the
/// published view, in which an unpublished period, another tenant's goal and an unknown id are all simply not there.
/// A page and its embed read the same view, so that they cannot tell different stories.
/// </summary>
public sealed class PortalViews(PublicReader reader)
{
    private sealed record Entered(PublishedTenant Data, PublicTenantDto Summary, List<PublicPeriodDto> Periods, List<PublicUnitDto> Units, IReadOnlyList<string> Origins);

    private async Task<ServiceResult<Entered>> EnterAsync(string slug, bool embed, CancellationToken ct)
    {
        var tenant = await reader.EnterAsync(slug, ct);
        if (tenant.Value is not { } data)
        {
            return tenant.Error!;
        }

        var published = await PortalPeriod.PublishedAsync(data, ct);
        var units = await data.UnitsAsync(ct);
        if (published.Value is not { } found || units.Value is not { } all)
        {
            return published.Error ?? units.Error!;
        }

        return new Entered(data, found.Tenant, found.Periods, all, embed ? await data.EmbedOriginsAsync(ct) : []);
    }

    private static PortalTenant Tenant(Entered e, PublicPeriodDto period) => new(e.Summary.Slug, e.Summary.Name, e.Periods, period, e.Origins);

    /// <summary>A goal in a published period: the latest in which it has a status unless one is asked for.</summary>
    public async Task<ServiceResult<GoalPageView>> GoalAsync(string slug, Guid goalId, string? periodKey, bool embed = false, CancellationToken ct = default)
    {
        var entered = await EnterAsync(slug, embed, ct);
        if (entered.Value is not { } e)
        {
            return entered.Error!;
        }

        var found = await e.Data.GoalAsync(goalId, ct);
        if (found.Value is not { } goal || e.Units.FirstOrDefault(u => u.Id == goal.OwnerUnitId) is not { } unit)
        {
            return found.Error ?? ServiceError.NotFound(PublishedTenant.GoalMissing);
        }

        var history = (await e.Data.GoalHistoryAsync(goal.Id, goal.OwnerUnitId, ct)).Value ?? [];
        var chosen = PortalPeriod.Choose(e.Periods, periodKey, history.Count > 0 ? history[^1].Period : e.Periods[^1]);
        if (chosen.Value is not { } period)
        {
            return chosen.Error!;
        }

        var card = await e.Data.ScorecardAsync(period.Key, goal.OwnerUnitId, ct);
        if (card.Error is { } error)
        {
            return error;
        }

        var inPeriod = card.Value!.Groups.SelectMany(g => g.Goals).SingleOrDefault(g => g.Id == goal.Id);
        var above = (await e.Data.GoalsByIdAsync(goal.ContributesTo, ct)).Value ?? [];
        var below = (await e.Data.ContributingGoalsAsync(goal.Id, ct)).Value ?? [];
        var statuses = (await e.Data.GoalStatusesAsync(period.Key, goal.OwnerUnitId, [.. above.Concat(below).Select(g => g.Id)], ct)).Value ?? [];
        var units = e.Units.ToDictionary(u => u.Id);
        List<LinkedGoalLine> Lines(List<PublicGoalDto> goals) =>
            [.. goals.Select(g => new LinkedGoalLine(g.Id, g.Title, g.Code, g.OwnerUnitId, units.TryGetValue(g.OwnerUnitId, out var u) ? u.Name : "", statuses.GetValueOrDefault(g.Id)))
                .OrderBy(l => l.Unit, StringComparer.Create(SwedishFormat.Culture, false))];

        var model = e.Summary.Models.FirstOrDefault(m => m.Id == goal.ModelId);
        return new GoalPageView(Tenant(e, period), goal, model?.Levels.FirstOrDefault(l => l.Id == goal.LevelId)?.Name ?? "",
            model?.Dimensions.FirstOrDefault(d => d.Id == goal.DimensionId)?.Name, model?.DimensionLabel ?? "Perspektiv", unit, inPeriod,
            [.. history.Where(h => h.Period.EndDate < period.EndDate).Reverse()], [.. history.Select(h => h.Period)], Lines(above), Lines(below),
            [.. Domain.Goals.Agenda2030.Goals.Where(g => goal.Agenda2030.Contains(g.Number))]);
    }

    /// <summary>A unit's scorecard in a published period (the latest unless one is asked for), with the units below it.</summary>
    public async Task<ServiceResult<UnitPageView>> UnitAsync(string slug, Guid unitId, string? periodKey, bool embed = false, CancellationToken ct = default)
    {
        var entered = await EnterAsync(slug, embed, ct);
        if (entered.Value is not { } e)
        {
            return entered.Error!;
        }

        if (e.Units.FirstOrDefault(u => u.Id == unitId) is not { } unit)
        {
            return ServiceError.NotFound("Enheten finns inte.");
        }

        var chosen = PortalPeriod.Choose(e.Periods, periodKey, e.Periods[^1]);
        if (chosen.Value is not { } period)
        {
            return chosen.Error!;
        }

        var card = await e.Data.ScorecardAsync(period.Key, unit.Id, ct);
        if (card.Value is not { } scorecard)
        {
            return card.Error!;
        }

        var below = e.Units.Where(u => u.ParentId == unit.Id).ToList();
        return new UnitPageView(Tenant(e, period), unit, e.Units.FirstOrDefault(u => u.Id == unit.ParentId), scorecard,
            [.. below.Where(u => u.IsActive)], [.. below.Where(u => !u.IsActive)]);
    }

    /// <summary>
    /// An indicator's published outcomes with their targets, up to a published period (the latest unless one is asked
    /// for): as the signed-in goal page draws them (<see cref="TrendChart.ForIndicator"/>), and the same numbers as rows.
    /// </summary>
    public async Task<ServiceResult<IndicatorPageView>> IndicatorAsync(string slug, Guid indicatorId, string? periodKey, bool embed = false, CancellationToken ct = default)
    {
        var entered = await EnterAsync(slug, embed, ct);
        if (entered.Value is not { } e)
        {
            return entered.Error!;
        }

        var found = await e.Data.IndicatorAsync(indicatorId, ct);
        if (found.Value is not { } indicator || e.Units.FirstOrDefault(u => u.Id == indicator.OwnerUnitId) is not { } unit)
        {
            return found.Error ?? ServiceError.NotFound(PublishedTenant.IndicatorMissing);
        }

        var chosen = PortalPeriod.Choose(e.Periods, periodKey, e.Periods[^1]);
        if (chosen.Value is not { } period)
        {
            return chosen.Error!;
        }

        // Up to the period shown: a target set for a later period of the year is a plan, not yet a result to compare.
        bool Shown(string key) => PeriodRef.TryParse(key, out var r) && r.End <= period.EndDate;
        // A year's target stands for each shorter period of its year (TrendChart.ForIndicator), not for a year not yet over.
        bool YearOf(string key) => indicator.Periodicity != PeriodKind.Year && PeriodRef.TryParse(key, out var r) && r.Kind == PeriodKind.Year && r.Year <= period.EndDate.Year;
        var outcomes = indicator.Outcomes.Where(o => Shown(o.PeriodKey)).ToDictionary(o => o.PeriodKey);
        var targets = indicator.Targets.Where(t => Shown(t.PeriodKey) || YearOf(t.PeriodKey)).ToDictionary(t => t.PeriodKey);
        var chart = TrendChart.ForIndicator(indicator.Name, indicator.UnitOfMeasure, indicator.Periodicity, outcomes.ToDictionary(o => o.Key, o => o.Value.Value),
            targets.ToDictionary(t => t.Key, t => t.Value.Value), SwedishFormat.Culture);
        var keys = TrendChart.IndicatorKeys(indicator.Periodicity, outcomes.Keys, targets.Keys);
        PublicTargetDto? TargetOf(string key) => targets.TryGetValue(key, out var t) ? t : targets.GetValueOrDefault(key[..4]);
        var rows = keys.Select((key, i) =>
        {
            var outcome = outcomes.GetValueOrDefault(key);
            return new IndicatorRow(key, chart.Points[i].Label, outcome?.Value, outcome?.ValueWomen, outcome?.ValueMen, PortalHtml.Target(TargetOf(key)),
                outcome?.Source == ValueSource.Kolada);
        }).ToList();

        var goal = indicator.GoalId is { } goalId ? (await e.Data.GoalAsync(goalId, ct)).Value : null;
        return new IndicatorPageView(Tenant(e, period), indicator, unit, goal, chart, PortalHtml.ChartDescription(chart), rows);
    }
}
