using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.FollowUp.Pages;

/// <summary>
/// A unit's scorecard (målkort) for a period: the card the API gives (<see cref="Scorecards"/>, the same rules and the
/// same held result), with the way up and down the organisation and a choice of period that keeps the unit.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ScorecardModel(TenantContext tenant, Scorecards scorecards, KedjaDbContext db, Periods.FollowUpWorkflow workflow, Goals.GoalEditing goals,
    Microsoft.Extensions.Localization.IStringLocalizer<Ui.Texts> text) : PageModel
{
    /// <summary>Whether the person may add goals to the unit (the goal service decides).</summary>
    public bool CanAddGoal { get; private set; }

    /// <summary>Where the unit's follow-up of the period stands; null for a unit the model does not follow up then.</summary>
    public Periods.UnitWorkflowDto? Workflow { get; private set; }

    /// <summary>The units whose follow-up of the period is closed: their goals are not offered for assessment, their activities not for reporting.</summary>
    public IReadOnlyDictionary<Guid, Domain.Periods.WorkflowState> Closed { get; private set; } = new Dictionary<Guid, Domain.Periods.WorkflowState>();

    /// <summary>The steps the state allows (the service decides whether this person may take them).</summary>
    public List<Domain.Periods.WorkflowAction> Steps { get; private set; } = [];

    public string? WorkflowError { get; private set; }

    /// <summary>The corrections of the unit's locked follow-up of the period, marked on the card (closed years, h145).</summary>
    public List<Kedja.Web.Periods.CorrectionDto> Corrections { get; private set; } = [];

    /// <summary>Takes a step in the unit's follow-up (klarmarkera, godkänn, lås, återöppna) by the workflow's rules.</summary>
    public async Task<IActionResult> OnPostWorkflowAsync(Guid unitId, [FromQuery(Name = "period")] string? periodKey,
        [FromForm(Name = "steg")] Domain.Periods.WorkflowAction action, [FromForm(Name = "version")] int? version, [FromForm(Name = "skal")] string? reason)
    {
        if (tenant.Role < TenantRole.Editor)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            WorkflowError = text["Scorecard.ReaderMayNotMove"];
            return await OnGetAsync(unitId, periodKey);
        }

        var card = await scorecards.ForUnitAsync(unitId, periodKey, HttpContext.RequestAborted);
        if (card.Error is null)
        {
            var moved = await workflow.TransitionAsync(unitId, card.Value!.PeriodKey, new Periods.WorkflowInput(action, reason, version), HttpContext.RequestAborted);
            if (moved.Error is null)
            {
                return LocalRedirect($"/k/{tenant.Slug}/malkort/{unitId}?period={card.Value.PeriodKey}#uppfoljning");
            }

            WorkflowError = moved.Error.Message;
            Response.StatusCode = moved.Error.StatusCode;
        }

        // The card is shown again with the refusal; a status the card itself gives (404 for no such unit) stands.
        var status = Response.StatusCode;
        var page = await OnGetAsync(unitId, periodKey);
        if (Response.StatusCode == StatusCodes.Status200OK)
        {
            Response.StatusCode = status;
        }

        return page;
    }

    public TenantContext Tenant => tenant;

    public ScorecardDto? Card { get; private set; }

    public string? Error { get; private set; }

    public OrgUnit? Parent { get; private set; }

    public List<OrgUnit> Children { get; private set; } = [];

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    /// <summary>For each goal of the card, the goals above it that it contributes to (den röda tråden, upwards).</summary>
    public ILookup<Guid, (Guid Id, string Title, string Unit)> Above { get; private set; } = Array.Empty<(Guid, (Guid, string, string))>().ToLookup(x => x.Item1, x => x.Item2);

    public async Task<IActionResult> OnGetAsync(Guid unitId, [FromQuery(Name = "period")] string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var result = await scorecards.ForUnitAsync(unitId, periodKey, ct);
        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
            return Page();
        }

        var card = Card = result.Value!;
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == unitId, ct);
        Parent = unit.ParentId is { } parentId ? await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == parentId, ct) : null;
        Children = await db.Units.AsNoTracking().Where(u => u.ParentId == unitId && u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(ct);
        var calendar = await db.Periods.AsNoTracking().ToListAsync(ct);
        if (await workflow.ForUnitAsync(unit, calendar.Single(p => p.Key == card.PeriodKey), ct) is { } state)
        {
            Workflow = state;
            // Only the steps the person may take: the others would be refused (the service checks again on the post).
            // A correction is started and finished on its own page, with its reason (closed years, h145).
            foreach (var action in Enum.GetValues<Domain.Periods.WorkflowAction>().Where(a => a is not (Domain.Periods.WorkflowAction.Correct or Domain.Periods.WorkflowAction.FinishCorrection)))
            {
                if (Domain.Periods.PeriodWorkflow.Plan(state.State, action, "skäl finns").Step is { } step && await workflow.MayAsync(step.Authority, unitId, ct))
                {
                    Steps.Add(action);
                }
            }
        }

        Closed = await Kedja.Web.Periods.WorkflowGuard.ClosedAsync(db, card.PeriodKey, ct);
        Corrections = await Kedja.Web.Periods.PeriodCorrections.OfAsync(db, [unitId], calendar.Single(p => p.Key == card.PeriodKey).Id, ct);
        var cardGoals = card.Groups.SelectMany(g => g.Goals).Select(g => g.Id).ToList();
        Above = cardGoals.Count == 0 ? Above : (await (
                from link in db.GoalLinks.AsNoTracking()
                where cardGoals.Contains(link.ChildGoalId)
                join goal in db.Goals.AsNoTracking() on link.ParentGoalId equals goal.Id
                join owner in db.Units.AsNoTracking() on goal.OwnerUnitId equals owner.Id
                select new { link.ChildGoalId, goal.Id, goal.Title, owner.Name }).ToListAsync(ct))
            .ToLookup(x => x.ChildGoalId, x => (x.Id, x.Title, x.Name));
        Periods = [.. calendar.OrderByDescending(p => p.StartDate).Select(p => (p.Key, p.Name))];
        CanAddGoal = await goals.MayEditAsync([unitId], ct);
        return Page();
    }

    /// <summary>
    /// The indicator's last periods as a small chart; its text alternative names every figure, so nothing in it is
    /// only seen.
    /// </summary>
    public static string Sparkline(ScorecardIndicatorDto indicator, string title)
    {
        var trend = indicator.Trend ?? [];
        if (trend.All(t => t.Value is null))
        {
            return "–";
        }

        var points = trend.Select(t => new Domain.Charts.TrendPoint(Domain.Periods.PeriodRef.Parse(t.PeriodKey).LabelIn(System.Globalization.CultureInfo.CurrentUICulture), t.Value, null)).ToList();
        var said = string.Join(", ", points.Select(p => $"{p.Label}: {Figure(p.Value)}"));
        return Domain.Charts.SvgChart.Render(new Domain.Charts.TrendChart(title, indicator.UnitOfMeasure, points), said, Ui.Language.Formats, 96, 28, labels: false);
    }

    /// <summary>
    /// How many goals below (contributing, or falling short) a goal lists on the card before it links to the goal's own
    /// page: a nämnd's goal on the largest tenant has some 50, which no reader takes in on a card (nor renders fast).
    /// </summary>
    public const int ListedBelow = 10;

    /// <summary>A figure as Kedja writes figures: Swedish, decimal comma, no needless decimals.</summary>
    public static string Figure(decimal? value) => value is { } v ? v.ToString("#,0.##", Ui.Language.Formats) : "–";
}
