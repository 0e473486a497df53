using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Budget.Pages;

/// <summary>
/// A unit's budget for a year: the frame (set by administrators), each follow-up period's outcome so far and full-year
/// forecast with the deviation from the frame, reported by the unit's editors while the period is open, and the units
/// below with their frames and a total. Saved through <see cref="BudgetEditing"/>, as the API saves it; a refused save
/// keeps what was typed, each error beside its field, another person's newer figures beside one's own.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class BudgetModel(TenantContext tenant, KedjaDbContext db, BudgetEditing budget, TimeProvider clock, IStringLocalizer<Texts> text) : PageModel
{
    public sealed record PeriodRow(string Key, string Name, WorkflowState State, VersionedBudgetOutcome? Outcome);

    /// <param name="Outcome">The unit's latest report of the year, with the name of its period.</param>
    public sealed record ChildRow(Guid UnitId, string Name, decimal Amount, VersionedBudgetOutcome? Outcome, string? PeriodName);

    /// <summary>A period's report as typed.</summary>
    public sealed class Report
    {
        public string PeriodKey { get; set; } = "";

        public string? Actual { get; set; }

        public string? Forecast { get; set; }

        public string? ForecastComment { get; set; }

        public int? Version { get; set; }
    }

    /// <summary>A period's explanation of its deviation as typed.</summary>
    public sealed class Explanation
    {
        public string PeriodKey { get; set; } = "";

        public string? Text { get; set; }

        public int? Version { get; set; }
    }

    public TenantContext Tenant => tenant;

    public OrgUnit? Unit { get; private set; }

    public OrgUnit? Parent { get; private set; }

    public int Year { get; private set; }

    public List<int> Years { get; private set; } = [];

    public VersionedBudget? Frame { get; private set; }

    /// <summary>The frame's id, for its history.</summary>
    public Guid? FrameId { get; private set; }

    public List<PeriodRow> Periods { get; private set; } = [];

    public List<ChildRow> Children { get; private set; } = [];

    public bool IsAdmin => tenant.Role >= TenantRole.Admin;

    public bool CanReport { get; private set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public int? FrameVersion { get; set; }

    /// <summary>The reports of the open periods as shown (or as typed, for the one posted).</summary>
    public Dictionary<string, Report> Reports { get; } = new(StringComparer.Ordinal);

    [BindProperty]
    public Report Posted { get; set; } = new();

    [BindProperty]
    public Explanation Explained { get; set; } = new();

    /// <summary>The explanations of the open periods with a deviation, as shown (or as typed, for the one posted).</summary>
    public Dictionary<string, Explanation> Explanations { get; } = new(StringComparer.Ordinal);

    /// <summary>The period whose explanation was refused, with its message and field errors.</summary>
    public string? ExplainPeriod { get; private set; }

    public string? ExplainError { get; private set; }

    public Dictionary<string, string> ExplainErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public Dictionary<string, string> FrameErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? FrameTheirs { get; private set; }

    /// <summary>The period whose report was refused, with its message, field errors and the other person's figures.</summary>
    public string? ReportPeriod { get; private set; }

    public string? ReportError { get; private set; }

    public Dictionary<string, string> ReportErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? ReportTheirs { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid unitId, [FromQuery(Name = "ar")] int? year, [FromQuery(Name = "klart")] string? done)
    {
        if (await LoadAsync(unitId, year))
        {
            Done = done switch
            {
                "ram" => text["Budget.FrameSaved"].Value,
                "utfall" => text["Budget.ReportSaved"].Value,
                "forklaring" => text["Budget.ExplanationSaved"].Value,
                _ => null,
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostFrameAsync(Guid unitId, [FromQuery(Name = "ar")] int? year)
    {
        var (typedAmount, typedNote, version) = (Amount, Note, FrameVersion);
        if (!await LoadAsync(unitId, year))
        {
            return Page();
        }

        (Amount, Note, FrameVersion) = (typedAmount, typedNote, version);
        // The frame cannot be sent without an amount: one that cannot be read goes to the service as unreadable, with the rest.
        var (amount, bad) = SwedishFormat.Read(Amount);
        var unreadable = new ValidationErrors();
        if (bad || amount is null)
        {
            unreadable.Unreadable("amount", bad ? text["Budget.NotANumber"] : text["Budget.AmountRequired"]);
        }

        var result = await budget.SetFrameAsync(unitId, Year, new VersionedBudget(unitId, Year, amount ?? 0m, Note, [], FrameVersion), unreadable, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/budget/{unitId}?ar={Year}&klart=ram");
        }

        var error = result.Error;
        Response.StatusCode = error.StatusCode;
        Error = error.Message == Infrastructure.ServiceError.ConflictMessage ? text["Budget.Conflict"] : error.Message;
        Ui.Html.CopyFieldErrors(error, FrameErrors);

        if (error.Message == Infrastructure.ServiceError.ConflictMessage && Frame is { } now)
        {
            FrameTheirs = text["Budget.TheirFrame", BudgetFigures.Tkr(now.Amount), now.Note ?? "–"];
            FrameVersion = now.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostReportAsync(Guid unitId, [FromQuery(Name = "ar")] int? year)
    {
        var posted = Posted;
        if (!await LoadAsync(unitId, year))
        {
            return Page();
        }

        ReportPeriod = posted.PeriodKey;
        Reports[posted.PeriodKey] = posted;
        var (actual, actualBad) = SwedishFormat.Read(posted.Actual);
        var (forecast, forecastBad) = SwedishFormat.Read(posted.Forecast);
        var unreadable = new ValidationErrors();
        foreach (var (field, unread) in new[] { ("actual", actualBad), ("forecast", forecastBad) }.Where(x => x.Item2))
        {
            unreadable.Unreadable(field, text["Budget.NotANumber"]);
        }

        var result = await budget.RecordOutcomeAsync(unitId, Year, posted.PeriodKey, new BudgetOutcomeInput(actual, forecast, posted.Version, posted.ForecastComment), unreadable,
            HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/budget/{unitId}?ar={Year}&klart=utfall");
        }

        var error = result.Error;
        Response.StatusCode = error.StatusCode;
        var stale = error.Message == Infrastructure.ServiceError.ConflictMessage;
        ReportError = stale ? text["Budget.Conflict"] : error.Message;
        Ui.Html.CopyFieldErrors(error, ReportErrors);

        if (stale && Periods.SingleOrDefault(p => p.Key == posted.PeriodKey)?.Outcome is { } now)
        {
            // What was typed stays; the other person's figures beside it, and their version, so saving again overrides knowingly.
            ReportTheirs = text["Budget.TheirReport", BudgetFigures.Tkr(now.Actual), BudgetFigures.Tkr(now.Forecast)];
            posted.Version = now.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostExplainAsync(Guid unitId, [FromQuery(Name = "ar")] int? year)
    {
        var posted = Explained;
        if (!await LoadAsync(unitId, year))
        {
            return Page();
        }

        var result = await budget.ExplainDeviationAsync(unitId, Year, posted.PeriodKey, new DeviationExplanationInput(posted.Text, posted.Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/budget/{unitId}?ar={Year}&klart=forklaring");
        }

        var error = result.Error;
        Response.StatusCode = error.StatusCode;
        ExplainPeriod = posted.PeriodKey;
        ExplainError = error.Message == Infrastructure.ServiceError.ConflictMessage ? text["Budget.Conflict"] : error.Message;
        Ui.Html.CopyFieldErrors(error, ExplainErrors);
        if (Explanations.TryGetValue(posted.PeriodKey, out var now))
        {
            // What was typed stays; the version becomes the one now saved, so saving again overrides knowingly.
            (now.Text, now.Version) = (posted.Text, now.Version);
        }

        return Page();
    }

    /// <summary>The unit, the year, its frame and periods, and the units below, as the database has them; false (with the error) when there is no such page.</summary>
    private async Task<bool> LoadAsync(Guid unitId, int? year)
    {
        var ct = HttpContext.RequestAborted;
        Unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == unitId, ct);
        if (Unit is null)
        {
            Error = BudgetEditing.UnitMissing;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        Parent = Unit.ParentId is { } parentId ? await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == parentId, ct) : null;
        var modelYears = await budget.ModelYearsAsync(ct);
        var frames = await budget.ListAsync(unitId, null, ct);
        Years = [.. modelYears.SelectMany(m => Enumerable.Range(m.First, m.Last - m.First + 1)).Concat(frames.Select(f => f.Year)).Distinct().Order()];
        var thisYear = clock.GetLocalNow().Year;
        Year = year ?? (Years.Contains(thisYear) ? thisYear : Years.LastOrDefault(thisYear));
        if (!Domain.Years.Contains(Year))
        {
            Error = Domain.Years.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }

        if (!Years.Contains(Year))
        {
            Years = [.. Years.Append(Year).Order()];
        }

        Frame = frames.SingleOrDefault(f => f.Year == Year);
        FrameId = Frame is null ? null : await db.RealBudgetFrames().AsNoTracking().Where(f => f.UnitId == unitId && f.Year == Year).Select(f => (Guid?)f.Id).SingleOrDefaultAsync(ct);
        (Amount, Note, FrameVersion) = (BudgetFigures.Field(Frame?.Amount), Frame?.Note, Frame?.Version);

        var calendar = (await db.Periods.AsNoTracking().Where(p => p.Year == Year).ToListAsync(ct)).OrderBy(p => p.Ref).ToList();
        var periodIds = calendar.Select(p => p.Id).ToList();
        var states = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.UnitId == unitId && periodIds.Contains(s.PeriodId)).ToDictionaryAsync(s => s.PeriodId, s => s.State, ct);
        Periods = [.. calendar.Select(p => new PeriodRow(p.Key, p.Name, states.GetValueOrDefault(p.Id, WorkflowState.Open), Frame?.Outcomes.SingleOrDefault(o => o.PeriodKey == p.Key)))];
        CanReport = Frame is not null && tenant.Role >= TenantRole.Editor && await UnitScope.AllowsAsync(tenant, db, unitId, ct);
        foreach (var period in Periods.Where(p => PeriodWorkflow.AllowsChanges(p.State)))
        {
            Reports[period.Key] = new Report
            {
                PeriodKey = period.Key, Actual = BudgetFigures.Field(period.Outcome?.Actual), Forecast = BudgetFigures.Field(period.Outcome?.Forecast),
                ForecastComment = period.Outcome?.ForecastComment, Version = period.Outcome?.Version,
            };
            if (period.Outcome is { Forecast: { } f } outcome && Frame is { } shown && f != shown.Amount)
            {
                Explanations[period.Key] = new Explanation { PeriodKey = period.Key, Text = outcome.DeviationExplanation, Version = outcome.Version };
            }
        }

        var children = await db.Units.AsNoTracking().Where(u => u.ParentId == unitId).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(ct);
        var childIds = children.Select(c => c.Id).ToHashSet();
        var childFrames = (await budget.ListAsync(null, Year, ct)).Where(f => childIds.Contains(f.UnitId)).ToDictionary(f => f.UnitId);
        // Each unit's latest report of the year: units report at their own pace, and the total is of what is known now.
        VersionedBudgetOutcome? Latest(VersionedBudget frame) => frame.Outcomes.MaxBy(o => PeriodRef.Parse(o.PeriodKey));
        string? Name(VersionedBudgetOutcome? outcome) => outcome is null ? null : calendar.SingleOrDefault(p => p.Key == outcome.PeriodKey)?.Name ?? PeriodRef.Parse(outcome.PeriodKey).Label;
        Children = [.. children.Where(c => childFrames.ContainsKey(c.Id))
            .Select(c => (Unit: c, Frame: childFrames[c.Id], Latest: Latest(childFrames[c.Id])))
            .Select(x => new ChildRow(x.Unit.Id, x.Unit.Name, x.Frame.Amount, x.Latest, Name(x.Latest)))];
        return true;
    }
}
