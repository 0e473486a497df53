using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp;

/// <summary>
/// A goal's assessment for a period as the tenant document describes it, with its version: what GET and the scorecard
/// give. PUT takes it back as it is and uses what a person decides (<see cref="AssessmentInput"/>); the suggestion,
/// whether it deviates, and who assessed it when follow.
/// </summary>
public sealed record VersionedAssessment(Guid GoalId, string PeriodKey, string Status, string? SuggestedStatus, bool DeviatesFromRule, string? Motivation, string? Analysis,
    string? Actions, string AssessedBy, DateTime AssessedAt, DateTime? ActionsClosedAt, string? ActionsClosedBy, int Version)
    : AssessmentDoc(GoalId, PeriodKey, Status, SuggestedStatus, DeviatesFromRule, Motivation, Analysis, Actions, AssessedBy, AssessedAt, ActionsClosedAt, ActionsClosedBy)
{
    public static VersionedAssessment From(Assessment a, string periodKey) => new(a.GoalId, periodKey, a.StatusKey, a.SuggestedStatusKey, a.DeviatesFromRule,
        a.Motivation, a.Analysis, a.Actions, a.AssessedBy, a.AssessedAt, a.ActionsClosedAt, a.ActionsClosedBy, a.Version) { BasedOnForecast = a.BasedOnForecast };
}

/// <summary>What a person decides in an assessment: the status and the texts, from the version read (none for a new one).</summary>
/// <param name="BasedOnForecast">The assessment rests on the full-year forecasts; null keeps what was said before.</param>
public sealed record AssessmentInput(string Status, string? Motivation, string? Analysis, string? Actions, int? Version, bool? BasedOnForecast = null);

public static class AssessmentMapping
{
    public static AssessmentDoc ToDoc(Assessment a, string periodKey) => new(a.GoalId, periodKey, a.StatusKey, a.SuggestedStatusKey, a.DeviatesFromRule,
        a.Motivation, a.Analysis, a.Actions, a.AssessedBy, a.AssessedAt, a.ActionsClosedAt, a.ActionsClosedBy) { BasedOnForecast = a.BasedOnForecast };
}

/// <summary>
/// Assessing a goal for a follow-up period by the rules the document importer uses too (<see cref="AssessmentRules"/>):
/// a status that differs from the engine's suggestion is a deviation from the rule and must be motivated; only the
/// editor's units; nothing while the unit's follow-up is submitted or locked.
/// </summary>
public sealed class AssessmentRecording(KedjaDbContext db, StatusService statuses, IAuditActor actor, TimeProvider clock, PeriodWriteGuard guard)
{
    public const string GoalMissing = "Målet finns inte.";

    public async Task<ServiceResult<VersionedAssessment>> GetAsync(Guid goalId, string periodKey, CancellationToken cancellationToken = default)
    {
        if (!await db.Goals.AnyAsync(g => g.Id == goalId, cancellationToken))
        {
            return ServiceError.NotFound(GoalMissing);
        }

        var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (period.Error is { } error)
        {
            return error;
        }

        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.GoalId == goalId && a.PeriodId == period.Value!.Id, cancellationToken);
        return assessment is null ? ServiceError.NotFound($"Målet har ingen bedömning för {period.Value!.Name}.") : VersionedAssessment.From(assessment, period.Value!.Key);
    }

    /// <summary>Saves the goal's assessment for the period. Actions written anew are open, whatever became of the ones they replace.</summary>
    public async Task<ServiceResult<VersionedAssessment>> RecordAsync(Guid goalId, string periodKey, AssessmentInput input, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound(GoalMissing);
        }

        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        // The goal is assessed for the period by the unit that owned it at the period's end, in that unit's follow-up.
        var period = found.Value!;
        var writes = await guard.LoadAsync([(goal.Id, goal.OwnerUnitId, (Guid?)null)], cancellationToken);
        if (writes.Scope(goal.Id, goal.OwnerUnitId, period.EndDate, "Du får bara bedöma mål för din egen enhet och enheterna under den.") is { } outside)
        {
            return outside;
        }

        var owner = writes.OwnerAt(goal.Id, goal.OwnerUnitId, period.EndDate);
        var scale = await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).OrderBy(s => s.SortOrder).ToListAsync(cancellationToken);
        var suggestion = (await statuses.ForUnitAsync(period, owner, [goalId], cancellationToken)).Goals.GetValueOrDefault(goalId)?.SuggestedStatus;
        var deviates = suggestion is not null && suggestion != input.Status && scale.Any(s => s.Key == suggestion && !s.IsNotAssessed);
        var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.GoalId == goalId && a.PeriodId == period.Id, cancellationToken);
        var (closedAt, closedBy) = assessment is not null && assessment.Actions == input.Actions ? (assessment.ActionsClosedAt, assessment.ActionsClosedBy) : (null, null);
        var recorded = new AssessmentDoc(goalId, period.Key, input.Status, suggestion, deviates, input.Motivation, input.Analysis, input.Actions,
            actor.Name, clock.GetUtcNow().UtcDateTime, closedAt, closedBy);

        var errors = new ValidationErrors();
        AssessmentRules.Check(errors, "", recorded, new AssessmentReferences(GoalExists: true, [.. scale.Select(s => (s.Key, s.Label))], PeriodInCalendar: true));
        var basedOnForecast = input.BasedOnForecast ?? assessment?.BasedOnForecast ?? false;
        if (input.BasedOnForecast == true && assessment?.BasedOnForecast != true
            && !await db.IndicatorForecasts.AnyAsync(f => f.PeriodId == period.Id && db.Indicators.Any(i => i.Id == f.IndicatorId && i.GoalId == goalId && i.ProgramId == null), cancellationToken))
        {
            errors.Add("basedOnForecast", $"Målets indikatorer har ingen helårsprognos från {period.Name}. Lämna prognoserna i utfallsrutan först.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (writes.Closed(goal.Id, goal.OwnerUnitId, period) is { } closed)
        {
            return closed;
        }

        if (assessment is null)
        {
            assessment = new Assessment { GoalId = goalId, PeriodId = period.Id, StatusKey = recorded.Status, AssessedBy = recorded.AssessedBy };
            db.Assessments.Add(assessment);
        }
        else if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Målet är redan bedömt. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
        }
        else
        {
            db.ExpectVersion(assessment, input.Version.Value);
        }

        // Sending back what was read changes nothing but the version: who assessed and when stay as they were.
        if (assessment.AssessedAt == default || assessment.StatusKey != recorded.Status || assessment.SuggestedStatusKey != recorded.SuggestedStatus
            || assessment.DeviatesFromRule != recorded.DeviatesFromRule || assessment.Motivation != recorded.Motivation || assessment.Analysis != recorded.Analysis
            || assessment.Actions != recorded.Actions || assessment.BasedOnForecast != basedOnForecast)
        {
            assessment.AssessedBy = recorded.AssessedBy;
            assessment.AssessedAt = recorded.AssessedAt;
        }

        assessment.StatusKey = recorded.Status;
        assessment.SuggestedStatusKey = recorded.SuggestedStatus;
        assessment.DeviatesFromRule = recorded.DeviatesFromRule;
        assessment.Motivation = recorded.Motivation;
        assessment.Analysis = recorded.Analysis;
        assessment.Actions = recorded.Actions;
        assessment.BasedOnForecast = basedOnForecast;
        (assessment.ActionsClosedAt, assessment.ActionsClosedBy) = (recorded.ActionsClosedAt, recorded.ActionsClosedBy);
        return await db.TrySaveAsync() ? VersionedAssessment.From(assessment, period.Key) : ServiceError.Conflict();
    }
}
