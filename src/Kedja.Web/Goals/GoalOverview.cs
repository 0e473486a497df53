using Kedja.Data;
using Kedja.Domain.Charts;
using Kedja.Domain.Goals;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Goals;

public sealed record LinkedGoal(Guid Id, string Title, string? Code, Guid UnitId, string Unit);

/// <param name="Chart">Every period of the indicator's kind with an outcome or a target, oldest first.</param>
public sealed record IndicatorHistory(Guid Id, string Name, string UnitOfMeasure, TrendChart Chart);

public sealed record AssessmentLine(string PeriodKey, string PeriodName, StatusDto Status, string? Motivation, string? Analysis, string? Actions, string AssessedBy);

/// <summary>Everything about one goal for its page: the card's view of it in the period, and its history around it.</summary>
public sealed record GoalView(Goal Goal, string Level, Guid UnitId, string Unit, ScorecardGoalDto? InPeriod, string PeriodKey, string PeriodName,
    List<LinkedGoal> Above, List<LinkedGoal> Below, List<IndicatorHistory> Indicators, List<AssessmentLine> Assessments,
    List<string> Strategies, List<(string Title, string? Url)> Documents, List<(int Number, string Title)> Agenda2030);

/// <summary>
/// A goal with the chain above and below it (den röda tråden), its indicators' whole history, every period's
/// assessment, strategies, governing documents and Agenda 2030 goals. The status in the period is the scorecard's.
/// </summary>
public sealed class GoalOverview(KedjaDbContext db, Scorecards scorecards)
{
    public async Task<ServiceResult<GoalView>> ForAsync(Guid goalId, string? periodKey, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound(AssessmentRecording.GoalMissing);
        }

        var card = await scorecards.ForUnitAsync(goal.OwnerUnitId, periodKey, cancellationToken);
        if (card.Error is { Kind: ServiceErrorKind.Invalid } malformed)
        {
            return malformed;
        }

        var level = await db.GoalLevels.AsNoTracking().Where(l => l.Id == goal.LevelId).Select(l => l.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        var links = await db.GoalLinks.AsNoTracking().Where(l => l.ChildGoalId == goalId || l.ParentGoalId == goalId).ToListAsync(cancellationToken);
        var linkedIds = links.Select(l => l.ChildGoalId == goalId ? l.ParentGoalId : l.ChildGoalId).Distinct().ToList();
        var linked = await db.Goals.AsNoTracking().Where(g => linkedIds.Contains(g.Id)).Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId, g.SortOrder }).ToListAsync(cancellationToken);
        var unitIds = linked.Select(g => g.OwnerUnitId).Append(goal.OwnerUnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        List<LinkedGoal> Linked(Func<GoalLink, bool> side, Func<GoalLink, Guid> other) =>
            [.. linked.Where(g => links.Any(l => side(l) && other(l) == g.Id)).OrderBy(g => units.GetValueOrDefault(g.OwnerUnitId)).ThenBy(g => g.SortOrder)
                .Select(g => new LinkedGoal(g.Id, g.Title, g.Code, g.OwnerUnitId, units.GetValueOrDefault(g.OwnerUnitId, "")))];

        var periods = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var indicators = await db.Indicators.AsNoTracking().Where(i => i.GoalId == goalId).OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToListAsync(cancellationToken);
        var ids = indicators.Select(i => i.Id).ToList();
        var outcomes = (ids.Count == 0 ? [] : await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.IndicatorId)).Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken))
            .ToLookup(o => o.IndicatorId);
        var targets = (ids.Count == 0 ? [] : await db.Targets.AsNoTracking().Where(t => ids.Contains(t.IndicatorId)).Select(t => new { t.IndicatorId, t.PeriodKey, t.Value }).ToListAsync(cancellationToken))
            .ToLookup(t => t.IndicatorId);
        var histories = indicators.Select(i => new IndicatorHistory(i.Id, i.Name, i.UnitOfMeasure, TrendChart.ForIndicator(i.Name, i.UnitOfMeasure, i.Periodicity,
            outcomes[i.Id].ToDictionary(o => o.PeriodKey, o => o.Value), targets[i.Id].ToDictionary(t => t.PeriodKey, t => t.Value),
            System.Globalization.CultureInfo.CurrentUICulture))).ToList();

        var assessments = await db.Assessments.AsNoTracking().Where(a => a.GoalId == goalId).ToListAsync(cancellationToken);
        var scale = await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).ToListAsync(cancellationToken);
        StatusDto Status(string key) => scale.FirstOrDefault(s => s.Key == key) is { } s ? new StatusDto(s.Key, s.Label, s.Colour, s.Symbol) : new StatusDto(key, key, "#5f6368", "");
        var periodOf = periods.ToDictionary(p => p.Id);
        var lines = assessments.Where(a => periodOf.ContainsKey(a.PeriodId)).OrderByDescending(a => periodOf[a.PeriodId].Ref)
            .Select(a => new AssessmentLine(periodOf[a.PeriodId].Key, periodOf[a.PeriodId].Name, Status(a.StatusKey), a.Motivation, a.Analysis, a.Actions, a.AssessedBy)).ToList();

        var strategies = await db.Strategies.AsNoTracking().Where(s => s.GoalId == goalId).OrderBy(s => s.SortOrder).Select(s => s.Title).ToListAsync(cancellationToken);
        var documentIds = db.DocumentGoals.Where(l => l.GoalId == goalId).Select(l => l.DocumentId);
        var documents = (await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id)).OrderBy(d => d.Title).Select(d => new { d.Title, d.Url }).ToListAsync(cancellationToken))
            .Select(d => (d.Title, d.Url)).ToList();
        var inPeriod = card.Value?.Groups.SelectMany(g => g.Goals).SingleOrDefault(g => g.Id == goalId);
        return new GoalView(goal, level, goal.OwnerUnitId, units.GetValueOrDefault(goal.OwnerUnitId, ""), inPeriod, card.Value?.PeriodKey ?? "", card.Value?.PeriodName ?? "",
            Linked(l => l.ChildGoalId == goalId, l => l.ParentGoalId), Linked(l => l.ParentGoalId == goalId, l => l.ChildGoalId), histories, lines, strategies, documents,
            [.. Agenda2030.Goals.Where(g => goal.Agenda2030.Contains(g.Number))]);
    }
}
