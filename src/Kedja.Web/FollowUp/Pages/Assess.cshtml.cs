using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.FollowUp.Pages;

/// <summary>
/// Assessing a goal for a period: the engine's suggestion with its explanation beside the choice, a motivation when the
/// choice deviates from it, analysis and actions. Saved by <see cref="AssessmentRecording"/>, as the API saves it.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class AssessModel(TenantContext tenant, KedjaDbContext db, Scorecards scorecards, AssessmentRecording recording, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public ScorecardGoalDto? Goal { get; private set; }

    public Guid UnitId { get; private set; }

    public string UnitName { get; private set; } = "";

    public string PeriodKey { get; private set; } = "";

    public string PeriodName { get; private set; } = "";

    public List<ScaleLevel> Scale { get; private set; } = [];

    public bool CanEdit { get; private set; }

    /// <summary>The unit's follow-up of the period when it is no longer open (submitted, approved, locked): nothing can be saved then.</summary>
    public Domain.Periods.WorkflowState? Closed { get; private set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Motivation { get; set; }

    [BindProperty]
    public string? Analysis { get; set; }

    [BindProperty]
    public string? Actions { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>The assessment rests on the full-year forecasts (issue 16): offered when the goal's indicators have one, or it was said before.</summary>
    [BindProperty]
    public bool BasedOnForecast { get; set; }

    public bool OffersForecast => Goal is { } goal && (goal.Indicators.Any(i => i.Forecast is not null) || goal.Assessment?.BasedOnForecast == true);

    public string? Error { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Theirs { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        if (await LoadAsync(goalId, periodKey) && Goal!.Assessment is { } a)
        {
            (Status, Motivation, Analysis, Actions, Version, BasedOnForecast) = (a.Status, a.Motivation, a.Analysis, a.Actions, a.Version, a.BasedOnForecast);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        if (!await LoadAsync(goalId, periodKey))
        {
            return Page();
        }

        if (tenant.Role < TenantRole.Editor)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = text["Assess.ReadOnly"];
            return Page();
        }

        static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var result = await recording.RecordAsync(goalId, PeriodKey, new AssessmentInput(Status ?? "", Text(Motivation), Text(Analysis), Text(Actions), Version,
            OffersForecast ? BasedOnForecast : null), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/malkort/{UnitId}?period={PeriodKey}#m-{goalId}");
        }

        // Only a newer version is "someone else saved"; a follow-up closed meanwhile is a conflict too, and says so itself.
        var newer = result.Error.Kind == ServiceErrorKind.Conflict && result.Error.Message == ServiceError.ConflictMessage;
        Error = newer ? text["Assess.Conflict"] : result.Error.Message;
        Response.StatusCode = result.Error.StatusCode;
        Html.CopyFieldErrors(result.Error, FieldErrors);

        if (result.Error.Field is { } one)
        {
            FieldErrors[one] = result.Error.Message;
        }

        if (newer && await recording.GetAsync(goalId, PeriodKey, HttpContext.RequestAborted) is { Value: { } now })
        {
            // What was typed stays; the other person's assessment is shown beside it, and saving again overrides it knowingly.
            Theirs = text["Assess.Theirs", Scale.FirstOrDefault(s => s.Key == now.Status)?.Label ?? now.Status, now.AssessedBy, now.Analysis ?? "–"];
            Version = now.Version;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid goalId, string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var goal = await db.Goals.AsNoTracking().Where(g => g.Id == goalId).Select(g => new { g.OwnerUnitId, g.ModelId }).SingleOrDefaultAsync(ct);
        if (goal is null)
        {
            Error = AssessmentRecording.GoalMissing;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        var card = await scorecards.ForUnitAsync(goal.OwnerUnitId, periodKey, ct);
        if (card.Error is { } error || card.Value!.Groups.SelectMany(g => g.Goals).SingleOrDefault(g => g.Id == goalId) is not { } found)
        {
            Error = card.Error?.Message ?? text["Assess.NotInPeriod"];
            Response.StatusCode = card.Error?.Kind == ServiceErrorKind.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
            return false;
        }

        (Goal, UnitId, UnitName, PeriodKey, PeriodName) = (found, card.Value.UnitId, card.Value.UnitName, card.Value.PeriodKey, card.Value.PeriodName);
        Scale = await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).OrderBy(s => s.SortOrder).ToListAsync(ct);
        CanEdit = tenant.Role >= TenantRole.Editor && await UnitScope.AllowsAsync(tenant, db, goal.OwnerUnitId, ct);
        var state = await Periods.WorkflowGuard.StateAsync(db, goal.OwnerUnitId, PeriodKey, ct);
        if (!Domain.Periods.PeriodWorkflow.AllowsChanges(state))
        {
            (Closed, CanEdit) = (state, false);
        }

        return true;
    }
}
