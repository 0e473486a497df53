using Kedja.Domain.FollowUp;
using Kedja.Domain.Periods;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Public;

/// <summary>A goal's status in a published period as the engine computed it, with its explanation.</summary>
public sealed record PublicGoalStatusDto(Guid GoalId, StatusDto Status, Explanation Explanation);

/// <summary>The reads of single goals and indicators, their chain and their history that the portal's pages and embeds need (issue 13).</summary>
public sealed partial class PublishedTenant
{
    public const string GoalMissing = "Målet finns inte eller är inte publicerat.";

    public const string IndicatorMissing = "Indikatorn finns inte eller är inte publicerad.";

    public async Task<ServiceResult<PublicGoalDto>> GoalAsync(Guid goalId, CancellationToken cancellationToken = default) =>
        (await GoalsOfAsync(db.Goals.AsNoTracking().Where(g => g.Id == goalId), cancellationToken)).SingleOrDefault() is { } goal ? goal : ServiceError.NotFound(GoalMissing);

    public async Task<ServiceResult<List<PublicGoalDto>>> GoalsByIdAsync(IReadOnlyCollection<Guid> goalIds, CancellationToken cancellationToken = default) =>
        goalIds.Count == 0 ? [] : await GoalsOfAsync(db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id)), cancellationToken);

    /// <summary>The goals linked below this one, that contribute to it ("den röda tråden" downwards).</summary>
    public async Task<ServiceResult<List<PublicGoalDto>>> ContributingGoalsAsync(Guid goalId, CancellationToken cancellationToken = default)
    {
        var children = db.GoalLinks.AsNoTracking().Where(l => l.ParentGoalId == goalId).Select(l => l.ChildGoalId);
        return await GoalsOfAsync(db.Goals.AsNoTracking().Where(g => children.Contains(g.Id)), cancellationToken);
    }

    public async Task<ServiceResult<PublicIndicatorDto>> IndicatorAsync(Guid indicatorId, CancellationToken cancellationToken = default) =>
        (await IndicatorsOfAsync(db.Indicators.AsNoTracking().Where(i => i.Id == indicatorId), cancellationToken)).SingleOrDefault() is { } indicator
            ? indicator : ServiceError.NotFound(IndicatorMissing);

    /// <summary>The origins whose pages may frame the tenant's embeds (<see cref="Domain.Tenancy.Tenant.EmbedOrigins"/>), as the tenant set them.</summary>
    public async Task<List<string>> EmbedOriginsAsync(CancellationToken cancellationToken = default) =>
        await db.Tenants.AsNoTracking().Select(t => t.EmbedOrigins).SingleAsync(cancellationToken);

    /// <summary>
    /// The engine's status of each goal named in a published period: only the chain below them is computed (the status
    /// of a goal depends only on what is below it), and held like a scorecard's for the data version. A goal that has no
    /// status in the period (its model or its years do not cover it) is left out.
    /// </summary>
    /// <param name="unitId">The unit the goals are read for, whose own indicators come along; the statuses are the same whichever.</param>
    public async Task<ServiceResult<Dictionary<Guid, PublicGoalStatusDto>>> GoalStatusesAsync(string periodKey, Guid unitId, IReadOnlyCollection<Guid> goalIds,
        CancellationToken cancellationToken = default)
    {
        var found = await Periods.FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing.Kind == ServiceErrorKind.NotFound ? ServiceError.NotFound(PeriodMissing) : missing;
        }

        return await StatusesAsync(found.Value!, unitId, goalIds, cancellationToken);
    }

    /// <summary>The goal's status in every published period that has one, oldest first.</summary>
    public async Task<ServiceResult<List<(PublicPeriodDto Period, PublicGoalStatusDto Status)>>> GoalHistoryAsync(Guid goalId, Guid unitId, CancellationToken cancellationToken = default)
    {
        var history = new List<(PublicPeriodDto, PublicGoalStatusDto)>();
        foreach (var period in (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(p => p.Ref))
        {
            if ((await StatusesAsync(period, unitId, [goalId], cancellationToken)).TryGetValue(goalId, out var status))
            {
                history.Add((new PublicPeriodDto(period.Key, period.Name, period.StartDate, period.EndDate, period.PublishedAt), status));
            }
        }

        return history;
    }

    private async Task<Dictionary<Guid, PublicGoalStatusDto>> StatusesAsync(FollowUpPeriod period, Guid unitId, IReadOnlyCollection<Guid> goalIds, CancellationToken cancellationToken)
    {
        if (goalIds.Count == 0)
        {
            return [];
        }

        var statuses = ActivatorUtilities.CreateInstance<StatusService>(services, db);
        var result = await statuses.ForUnitAsync(period, unitId, goalIds, cancellationToken);
        return goalIds.Distinct().Where(result.Goals.ContainsKey).ToDictionary(id => id, id => StatusOf(result, result.Goals[id]));
    }

    /// <summary>A computed goal's status in its model's scale (the standard scale's label when the model has no such level), with its explanation.</summary>
    private static PublicGoalStatusDto StatusOf(PeriodStatuses statuses, Domain.FollowUp.GoalResult result)
    {
        var model = statuses.ModelOfGoal.TryGetValue(result.GoalId, out var found) ? found : (Guid?)null;
        var fallback = statuses.Scales.Values.FirstOrDefault() ?? FulfilmentScale.Standard;
        var status = statuses.Level(result.Status, model) is { } level
            ? new StatusDto(level.Key, level.Label, level.Colour, level.Symbol)
            : new StatusDto(result.Status, fallback.Label(result.Status), "#5f6368", "");
        return new PublicGoalStatusDto(result.GoalId, status, result.Explanation);
    }
}
