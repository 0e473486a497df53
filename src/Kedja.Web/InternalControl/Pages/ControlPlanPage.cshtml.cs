using System.Globalization;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// A unit's internal control plan for a year: made from the proposal, its risks and control actions changed, decided
/// with date and §, and after the decision changed only with a reason. <see cref="ControlPlans"/> decides, as for the API.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ControlPlanPageModel(TenantContext tenant, KedjaDbContext db, ControlPlans plans, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public Guid UnitId { get; private set; }

    public int Year { get; private set; }

    public string UnitName { get; private set; } = "";

    public VersionedControlPlan? Plan { get; private set; }

    public bool MayEdit { get; private set; }

    /// <summary>The risks the plan may choose, proposed ones first.</summary>
    public List<ProposedRisk> Register { get; private set; } = [];

    public int Threshold { get; private set; }

    /// <summary>The plan's unit and the units below it, for the responsible unit of a control action.</summary>
    public Dictionary<Guid, string> Units { get; private set; } = [];

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    public string? Error { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which form the errors belong to ("plan", "action", "decide", "create"), so they are shown beside it.</summary>
    public string? FailedForm { get; private set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<Guid> RiskIds { get; set; } = [];

    [BindProperty]
    public string? ChangeReason { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "moment")]
    public Guid? ActionId { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? Scope { get; set; }

    [BindProperty]
    public Guid ResponsibleUnitId { get; set; }

    [BindProperty]
    public string? ResponsiblePerson { get; set; }

    [BindProperty]
    public string? PeriodKey { get; set; }

    [BindProperty]
    public string? ReportTo { get; set; }

    [BindProperty]
    public Guid? RiskId { get; set; }

    [BindProperty]
    public string? DecidedOn { get; set; }

    [BindProperty]
    public string? Paragraph { get; set; }

    public bool Saved => Request.Query.ContainsKey("sparat");

    public async Task OnGetAsync(Guid unitId, int year)
    {
        if (await LoadAsync(unitId, year) && Plan is { } plan)
        {
            (Description, RiskIds, Version) = (plan.Description, plan.RiskIds, plan.Version);
            if (plan.Actions.SingleOrDefault(a => a.Id == ActionId) is { } editing)
            {
                (Title, Method, Scope, ResponsibleUnitId, ResponsiblePerson, PeriodKey, ReportTo, RiskId) =
                    (editing.Title, editing.Method, editing.Scope, editing.ResponsibleUnitId, editing.ResponsiblePerson, editing.PeriodKey, editing.ReportTo, editing.RiskId);
            }
            else
            {
                (ActionId, ResponsibleUnitId) = (null, unitId);
            }
        }
        else
        {
            RiskIds = [.. Register.Where(r => r.Proposed).Select(r => r.Id)];
        }
    }

    public async Task<IActionResult> OnPostCreateAsync(Guid unitId, int year)
    {
        if (!await LoadAsync(unitId, year))
        {
            return Page();
        }

        var result = await plans.CreateAsync(new ControlPlanDoc { UnitId = unitId, Year = year, Description = Description, RiskIds = RiskIds }, HttpContext.RequestAborted);
        return Done(result.Error, "create");
    }

    public async Task<IActionResult> OnPostPlanAsync(Guid unitId, int year)
    {
        if (!await LoadAsync(unitId, year) || Plan is not { } plan)
        {
            return Page();
        }

        var result = await plans.UpdateAsync(plan.Id, new VersionedControlPlan(plan, Version ?? 0) { Version = Version, Description = Description, RiskIds = RiskIds, ChangeReason = ChangeReason },
            HttpContext.RequestAborted);
        return Done(result.Error, "plan");
    }

    public async Task<IActionResult> OnPostActionAsync(Guid unitId, int year)
    {
        if (!await LoadAsync(unitId, year) || Plan is not { } plan)
        {
            return Page();
        }

        var action = new ControlActionDoc
        {
            Id = ActionId ?? Guid.Empty, RiskId = RiskId, Title = Title ?? "", Method = Method ?? "", Scope = Scope, ResponsibleUnitId = ResponsibleUnitId,
            ResponsiblePerson = ResponsiblePerson, PeriodKey = PeriodKey ?? "", ReportTo = ReportTo,
            SortOrder = plan.Actions.SingleOrDefault(a => a.Id == ActionId)?.SortOrder ?? plan.Actions.Select(a => a.SortOrder).DefaultIfEmpty(0).Max() + 1,
        };
        var known = plan.Actions.Any(a => a.Id == ActionId);
        var actions = known ? plan.Actions.Select(a => a.Id == ActionId ? action : a).ToList() : [.. plan.Actions, action with { Id = Guid.Empty }];
        var result = await plans.UpdateAsync(plan.Id, new VersionedControlPlan(plan, Version ?? 0) { Version = Version, Actions = actions, ChangeReason = ChangeReason },
            HttpContext.RequestAborted);
        return Done(result.Error, "action", field => field.StartsWith("actions[", StringComparison.Ordinal) && field.IndexOf("].", StringComparison.Ordinal) is var at and > 0 ? field[(at + 2)..] : field);
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid unitId, int year)
    {
        if (!await LoadAsync(unitId, year) || Plan is not { } plan)
        {
            return Page();
        }

        var result = await plans.UpdateAsync(plan.Id, new VersionedControlPlan(plan, Version ?? 0) { Version = Version, Actions = [.. plan.Actions.Where(a => a.Id != ActionId)], ChangeReason = ChangeReason },
            HttpContext.RequestAborted);
        return Done(result.Error, "remove");
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid unitId, int year)
    {
        if (!await LoadAsync(unitId, year) || Plan is not { } plan)
        {
            return Page();
        }

        DateOnly? day = DateOnly.TryParseExact((DecidedOn ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var result = await plans.DecideAsync(plan.Id, new ControlPlanDecision(day, Paragraph, Version), HttpContext.RequestAborted);
        var page = Done(result.Error, "decide");
        if (result.Error is not null && day is null && !string.IsNullOrWhiteSpace(DecidedOn))
        {
            FieldErrors["decidedOn"] = text["ControlPlan.BadDate"];
        }

        return page;
    }

    private IActionResult Done(ServiceError? error, string form, Func<string, string>? key = null)
    {
        if (error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/intern-kontroll/planer/{UnitId}/{Year}?sparat=1");
        }

        FailedForm = form;
        if (form != "plan" && Plan is { } plan)
        {
            (Description, RiskIds) = (plan.Description, plan.RiskIds);
        }

        if (form != "action" && Plan?.Actions.SingleOrDefault(a => a.Id == ActionId) is { } editing)
        {
            (Title, Method, Scope, ResponsibleUnitId, ResponsiblePerson, PeriodKey, ReportTo, RiskId) =
                (editing.Title, editing.Method, editing.Scope, editing.ResponsibleUnitId, editing.ResponsiblePerson, editing.PeriodKey, editing.ReportTo, editing.RiskId);
        }

        Error = error.Kind == ServiceErrorKind.Conflict && error.Message == ServiceError.ConflictMessage ? text["ControlPlan.Conflict"] : error.Errors is { Count: > 1 } ? text["ControlPlan.Fix"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Html.CopyFieldErrors(error, FieldErrors, key);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid unitId, int year)
    {
        var ct = HttpContext.RequestAborted;
        (UnitId, Year) = (unitId, year);
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => u.Name).SingleOrDefaultAsync(ct);
        if (unit is null || !await UnitScope.SeesAsync(tenant, db, unitId, ct) || year is < 1900 or > 2200)
        {
            (Error, Response.StatusCode) = (text["ControlPlan.NoUnit"], StatusCodes.Status404NotFound);
            return false;
        }

        UnitName = unit;
        Plan = await plans.ForAsync(unitId, year, ct);
        MayEdit = await plans.MayEditAsync(unitId, ct);
        Register = await plans.ProposalAsync(unitId, year, ct);
        Threshold = (await plans.SettingsAsync(ct)).PlanThreshold;
        Units = await plans.SubtreeAsync(unitId, ct);
        Periods = [.. (await db.Periods.AsNoTracking().Where(p => p.Year == year).ToListAsync(ct)).OrderBy(p => p.Ref).Select(p => (p.Key, p.Name))];
        if (Request.Method == "POST" && !MayEdit)
        {
            (Error, Response.StatusCode) = (text["ControlPlan.OutsideUnits"], StatusCodes.Status403Forbidden);
            return false;
        }

        return true;
    }
}
