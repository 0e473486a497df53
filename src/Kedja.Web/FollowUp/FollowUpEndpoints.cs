using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

public sealed record StatusDto(string Key, string Label, string Colour, string Symbol);

public sealed record TraceDto(string Kind, Guid Id, string Name, StatusDto Status, bool Counted, string Text);

public sealed record ScorecardIndicatorDto(Guid Id, string Name, string UnitOfMeasure, string? OutcomePeriod, decimal? Outcome, decimal? Target, StatusDto Status, string Explanation);

public sealed record AssessmentDto(string Status, string? SuggestedStatus, bool DeviatesFromRule, string? Motivation, string? Analysis, string? Actions, string AssessedBy, DateTime AssessedAt, int Version);

public sealed record ScorecardGoalDto(Guid Id, string Title, string? Code, Guid LevelId, Guid? DimensionId, StatusDto Status, StatusDto Suggested, bool IsManual,
    string Explanation, List<TraceDto> Trace, List<ScorecardIndicatorDto> Indicators, AssessmentDto? Assessment);

public sealed record ScorecardDto(Guid UnitId, string UnitName, string UnitKind, string PeriodKey, string PeriodName, List<ScorecardGoalDto> Goals, List<ScorecardIndicatorDto> BasicMission);

public sealed record AssessmentInput(string Status, string? Motivation, string? Analysis, string? Actions, int? Version);

public static class FollowUpEndpoints
{
    public static void MapFollowUp(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Uppföljning");
        group.MapGet("/units/{unitId:guid}/scorecard", Scorecard).RequireTenant();
        group.MapPut("/goals/{goalId:guid}/assessments/{periodKey}", PutAssessment).RequireTenant(TenantRole.Editor);
    }

    /// <summary>A unit's goals for a period with computed status and the explanation behind it.</summary>
    private static async Task<Results<Ok<ScorecardDto>, ProblemHttpResult, ValidationProblem>> Scorecard(
        Guid unitId, string? period, KedjaDbContext db, StatusService statuses, TimeProvider clock)
    {
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == unitId);
        if (unit is null)
        {
            return Problems.NotFound("Enheten finns inte.");
        }

        var followUp = await FindPeriodAsync(db, period, clock);
        if (followUp is null)
        {
            return Problems.Invalid("period", "Perioden finns inte i kommunens uppföljningskalender.");
        }

        var goals = await db.Goals.AsNoTracking().Where(g => g.OwnerUnitId == unitId).OrderBy(g => g.SortOrder).ThenBy(g => g.Title).ToListAsync();
        var goalIds = goals.Select(g => g.Id).ToList();
        var result = await statuses.ForUnitAsync(followUp, unitId, goalIds);
        // Two index seeks (by goal, by owner) rather than one OR that SQLite answers with a scan; a unit has few goals,
        // so their ids go in as constants. Targets come from the engine's result.
        var goalIndicators = await db.Indicators.AsNoTracking().Where(i => i.GoalId != null && EF.Constant(goalIds).Contains(i.GoalId.Value)).ToListAsync();
        var unitIndicators = await db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == unitId && i.GoalId == null).ToListAsync();
        var indicators = goalIndicators.Concat(unitIndicators).OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToList();
        var assessments = await db.Assessments.AsNoTracking().Where(a => a.PeriodId == followUp.Id && EF.Constant(goalIds).Contains(a.GoalId)).ToDictionaryAsync(a => a.GoalId);
        var fallbackScale = result.Scales.Values.FirstOrDefault() ?? FulfilmentScale.Standard;
        var scaleLevels = await db.ScaleLevels.AsNoTracking().ToListAsync();

        StatusDto Status(string key, Guid? modelId)
        {
            var level = scaleLevels.FirstOrDefault(s => s.Key == key && (modelId == null || s.ModelId == modelId));
            return level is null ? new StatusDto(key, fallbackScale.Label(key), "#5f6368", "") : new StatusDto(level.Key, level.Label, level.Colour, level.Symbol);
        }

        ScorecardIndicatorDto Indicator(Domain.Indicators.Indicator i, Guid? modelId)
        {
            var r = result.Indicators.GetValueOrDefault(i.Id);
            return new ScorecardIndicatorDto(i.Id, i.Name, i.UnitOfMeasure, r?.OutcomePeriod, r?.Outcome, r?.Target?.Value,
                Status(r?.StatusKey ?? fallbackScale.NotAssessed.Key, modelId), r?.Explanation ?? "Ingår inte i periodens styrmodell.");
        }

        var dto = new ScorecardDto(unit.Id, unit.Name, UnitKindNames.Swedish(unit.Kind), followUp.Key, followUp.Name,
            [.. goals.Where(g => result.Goals.ContainsKey(g.Id)).Select(g =>
            {
                var r = result.Goals[g.Id];
                var a = assessments.GetValueOrDefault(g.Id);
                return new ScorecardGoalDto(g.Id, g.Title, g.Code, g.LevelId, g.DimensionId, Status(r.Status, g.ModelId), Status(r.SuggestedStatus, g.ModelId), r.IsManual,
                    r.Explanation,
                    [.. r.Trace.Select(t => new TraceDto(t.Kind == InputKind.Goal ? "goal" : "indicator", t.Id, t.Name, Status(t.StatusKey, g.ModelId), t.Counted, t.Text))],
                    [.. indicators.Where(i => i.GoalId == g.Id).Select(i => Indicator(i, g.ModelId))],
                    a is null ? null : new AssessmentDto(a.StatusKey, a.SuggestedStatusKey, a.DeviatesFromRule, a.Motivation, a.Analysis, a.Actions, a.AssessedBy, a.AssessedAt, a.Version));
            })],
            [.. indicators.Where(i => i.GoalId == null).Select(i => Indicator(i, null))]);
        return TypedResults.Ok(dto);
    }

    /// <summary>
    /// Saves a goal's assessment. A status that differs from the engine's suggestion is a deviation from the rule and
    /// must be motivated; it is recorded as such.
    /// </summary>
    private static async Task<Results<Ok<AssessmentDto>, ValidationProblem, ProblemHttpResult>> PutAssessment(
        Guid goalId, string periodKey, AssessmentInput input, KedjaDbContext db, StatusService statuses, TenantContext tenant, IAuditActor actor)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId);
        if (goal is null)
        {
            return Problems.NotFound("Målet finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, goal.OwnerUnitId))
        {
            return Problems.Forbidden("Du får bara bedöma mål för din egen enhet och enheterna under den.");
        }

        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == periodKey);
        if (period is null)
        {
            return Problems.Invalid("periodKey", $"Perioden '{periodKey}' finns inte i uppföljningskalendern.");
        }

        if (await WorkflowGuard.EnsureOpenAsync(db, goal.OwnerUnitId, period) is { } closed)
        {
            return closed;
        }

        var texts = new ValidationErrors();
        texts.Text("motivation", input.Motivation, "Motiveringen", Domain.TextLimits.Long);
        texts.Text("analysis", input.Analysis, "Analysen", Domain.TextLimits.Long);
        texts.Text("actions", input.Actions, "Åtgärderna", Domain.TextLimits.Long);
        if (texts.Count > 0)
        {
            return Problems.Invalid(texts.ToDictionary());
        }

        var scale = await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).ToListAsync();
        if (scale.All(s => s.Key != input.Status))
        {
            return Problems.Invalid("status", $"Statusen finns inte i skalan. Välj en av: {string.Join(", ", scale.OrderBy(s => s.SortOrder).Select(s => s.Key))}.");
        }

        var suggestion = (await statuses.ForUnitAsync(period, goal.OwnerUnitId, [goalId])).Goals.GetValueOrDefault(goalId)?.SuggestedStatus;
        var deviates = suggestion is not null && suggestion != input.Status && scale.Any(s => s.Key == suggestion && !s.IsNotAssessed);
        if (deviates && string.IsNullOrWhiteSpace(input.Motivation))
        {
            return Problems.Invalid("motivation", $"Bedömningen avviker från regelns förslag ({scale.First(s => s.Key == suggestion).Label}) och måste motiveras.");
        }

        var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.GoalId == goalId && a.PeriodId == period.Id);
        if (assessment is null)
        {
            assessment = new Assessment { GoalId = goalId, PeriodId = period.Id, StatusKey = input.Status, AssessedBy = actor.Name };
            db.Assessments.Add(assessment);
        }
        else if (input.Version is null)
        {
            return Problems.Invalid("version", "Målet är redan bedömt. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }
        else
        {
            db.ExpectVersion(assessment, input.Version.Value);
        }

        assessment.StatusKey = input.Status;
        assessment.SuggestedStatusKey = suggestion;
        assessment.DeviatesFromRule = deviates;
        assessment.Motivation = input.Motivation;
        assessment.Analysis = input.Analysis;
        assessment.Actions = input.Actions;
        assessment.AssessedBy = actor.Name;
        assessment.AssessedAt = DateTime.UtcNow;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(new AssessmentDto(assessment.StatusKey, assessment.SuggestedStatusKey, assessment.DeviatesFromRule, assessment.Motivation,
            assessment.Analysis, assessment.Actions, assessment.AssessedBy, assessment.AssessedAt, assessment.Version));
    }

    /// <summary>The named period, or else the latest period that has ended (the one being followed up now).</summary>
    private static async Task<FollowUpPeriod?> FindPeriodAsync(KedjaDbContext db, string? key, TimeProvider clock)
    {
        if (!string.IsNullOrEmpty(key))
        {
            return await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key);
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var all = await db.Periods.AsNoTracking().ToListAsync();
        return all.Where(p => p.EndDate <= today).OrderBy(p => p.Ref).LastOrDefault() ?? all.OrderBy(p => p.Ref).FirstOrDefault();
    }
}
