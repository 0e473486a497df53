using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>
/// Scorecards as reported (issue 16, ADR 47 section 4): taken when a unit's follow-up is locked and again when a
/// correction is finished, and read instead of the engine's card while the follow-up stays locked. The engine keeps
/// computing from today's model, thresholds, targets and organisation; what was reported does not move with them.
/// </summary>
public sealed class LockedScorecards(KedjaDbContext db, Scorecards scorecards, JsonSerializerOptionsProvider json, IAuditActor actor, TimeProvider clock,
    Budget.BudgetEditing budget)
{
    /// <summary>
    /// Adds to the context (saved with the step that locks or finishes) the unit's card as it reads now. Null when the
    /// unit has no card for the period (it is not followed up then).
    /// </summary>
    public Task<LockedScorecard?> TakeAsync(Guid unitId, FollowUpPeriod period, int correctionNumber, CancellationToken cancellationToken = default) =>
        TakeAsync(unitId, period, correctionNumber, null, cancellationToken);

    /// <inheritdoc cref="TakeAsync(Guid, FollowUpPeriod, int, CancellationToken)"/>
    /// <param name="lockedBy">Who it is recorded as taken by; the actor unless said (a card taken afterwards says so).</param>
    public async Task<LockedScorecard?> TakeAsync(Guid unitId, FollowUpPeriod period, int correctionNumber, string? lockedBy, CancellationToken cancellationToken)
    {
        var card = await scorecards.ForUnitAsync(unitId, period, cancellationToken);
        if (card.Value is not { } value)
        {
            return null;
        }

        var text = JsonSerializer.Serialize(value, json.Options);
        // The budget card of the year as it reads now, kept with the card (review 16, finding 9).
        var budgetCard = (await budget.LiveCardAsync(unitId, period, cancellationToken)).Value;
        var row = new LockedScorecard
        {
            PeriodId = period.Id, UnitId = unitId, CorrectionNumber = correctionNumber, Json = text, Hash = HashOf(text),
            LockedBy = lockedBy ?? actor.Name, LockedAt = clock.GetUtcNow().UtcDateTime,
            Budget = budgetCard is null ? null : JsonSerializer.Serialize(budgetCard, BudgetJson),
        };
        db.LockedScorecards.Add(row);
        return row;
    }

    /// <summary>The budget card as kept: the card's own fields, camelCase, nothing the API's options add or leave out.</summary>
    private static readonly JsonSerializerOptions BudgetJson = new(JsonSerializerDefaults.Web);

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The card as reported, for <see cref="Scorecards"/> to serve instead of computing one: null while the unit's
    /// follow-up is not locked, when it was locked before cards were kept, and (inside the organisation) while a
    /// correction is open, so that the administrator sees what they change. The public sees what was reported until
    /// the correction is finished. On the published view the card's history (last year, trend) keeps only published
    /// periods, as the engine would read them there.
    /// </summary>
    public static async Task<HeldScorecard?> ReportedAsync(KedjaDbContext db, Guid unitId, FollowUpPeriod period, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var published = db as PublishedKedjaDbContext;
        var found = await db.LockedScorecards.AsNoTracking().Where(s => s.UnitId == unitId && s.PeriodId == period.Id)
            .Where(s => db.UnitPeriodStatuses.Any(u => u.UnitId == unitId && u.PeriodId == period.Id && u.State == WorkflowState.Locked))
            .OrderByDescending(s => s.CorrectionNumber).ThenByDescending(s => s.LockedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Json, Correcting = published == null && db.Corrections.Any(c => c.UnitId == unitId && c.PeriodId == period.Id && c.ClosedAt == null) })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.Correcting || JsonSerializer.Deserialize<ScorecardDto>(found.Json, options) is not { } card)
        {
            return null;
        }

        return new HeldScorecard(published is null ? card : Published(card, published.PublishedResultKeys.ToHashSet(StringComparer.Ordinal)), options);
    }

    /// <summary>
    /// The unit's budget card of the period as reported with its locked card (review 16, finding 9), on the same terms as
    /// <see cref="ReportedAsync"/>: null while not locked, while a correction is open (inside), or when none was kept.
    /// </summary>
    public static async Task<Budget.BudgetCard?> ReportedBudgetAsync(KedjaDbContext db, Guid unitId, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var published = db is PublishedKedjaDbContext;
        var found = await db.LockedScorecards.AsNoTracking().Where(s => s.UnitId == unitId && s.PeriodId == period.Id)
            .Where(s => db.UnitPeriodStatuses.Any(u => u.UnitId == unitId && u.PeriodId == period.Id && u.State == WorkflowState.Locked))
            .OrderByDescending(s => s.CorrectionNumber).ThenByDescending(s => s.LockedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Budget, Correcting = !published && db.Corrections.Any(c => c.UnitId == unitId && c.PeriodId == period.Id && c.ClosedAt == null) })
            .FirstOrDefaultAsync(cancellationToken);
        return found is { Correcting: false, Budget: { } text } ? JsonSerializer.Deserialize<Budget.BudgetCard>(text, BudgetJson) : null;
    }

    private static ScorecardDto Published(ScorecardDto card, HashSet<string> keys)
    {
        ScorecardIndicatorDto Indicator(ScorecardIndicatorDto i)
        {
            var shown = i.OutcomePeriod ?? card.PeriodKey;
            var lastYear = shown.Length > 4 && int.TryParse(shown[..4], System.Globalization.CultureInfo.InvariantCulture, out var year)
                ? (year - 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + shown[4..] : null;
            // The public card shows no forecasts (they are not in the published view, and name who made them): nor does a kept one.
            return i with
            {
                Forecast = null,
                LastYear = lastYear is not null && keys.Contains(lastYear) ? i.LastYear : null,
                Trend = i.Trend?.Where(t => keys.Contains(t.PeriodKey)).ToList(),
            };
        }

        return card with
        {
            Groups = [.. card.Groups.Select(g => g with { Goals = [.. g.Goals.Select(x => x with { Indicators = [.. x.Indicators.Select(Indicator)] })] })],
            BasicMission = [.. card.BasicMission.Select(Indicator)],
            Programs = [.. card.Programs.Select(p => p with { Indicators = [.. p.Indicators.Select(Indicator)] })],
        };
    }

    /// <summary>What changed on the card between two takes, line by line, as a person reads a scorecard.</summary>
    public static List<CorrectedItem> Differences(ScorecardDto before, ScorecardDto after)
    {
        var changes = new List<CorrectedItem>();
        static string? Figure(decimal? value) => value?.ToString("0.############", Kedja.Domain.SwedishFormat.Culture);
        void Compare(string kind, Guid id, string name, string field, string? b, string? a)
        {
            if (b != a)
            {
                changes.Add(new CorrectedItem(kind, id, name, field, b, a));
            }
        }

        var goalsBefore = before.Groups.SelectMany(g => g.Goals).ToDictionary(g => g.Id);
        foreach (var goal in after.Groups.SelectMany(g => g.Goals))
        {
            var old = goalsBefore.GetValueOrDefault(goal.Id);
            Compare("goal", goal.Id, goal.Title, "Status", old?.Status.Label, goal.Status.Label);
            Compare("goal", goal.Id, goal.Title, "Bedömning", old?.Assessment?.Motivation, goal.Assessment?.Motivation);
            Compare("goal", goal.Id, goal.Title, "Analys", old?.Assessment?.Analysis, goal.Assessment?.Analysis);
            Compare("goal", goal.Id, goal.Title, "Åtgärder", old?.Assessment?.Actions, goal.Assessment?.Actions);
        }

        static IEnumerable<ScorecardIndicatorDto> Indicators(ScorecardDto card) =>
            card.Groups.SelectMany(g => g.Goals).SelectMany(g => g.Indicators).Concat(card.BasicMission).Concat(card.Programs.SelectMany(p => p.Indicators)).DistinctBy(i => i.Id);
        var indicatorsBefore = Indicators(before).ToDictionary(i => i.Id);
        foreach (var indicator in Indicators(after))
        {
            var old = indicatorsBefore.GetValueOrDefault(indicator.Id);
            Compare("indicator", indicator.Id, indicator.Name, "Utfall", Figure(old?.Outcome), Figure(indicator.Outcome));
            // A correction takes the card as the engine computes it now: a target changed since the lock shows here too.
            Compare("indicator", indicator.Id, indicator.Name, "Mål", Figure(old?.Target), Figure(indicator.Target));
            Compare("indicator", indicator.Id, indicator.Name, "Status", old?.Status.Label, indicator.Status.Label);
        }

        return changes;
    }
}
