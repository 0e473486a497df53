using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods.Pages;

/// <summary>
/// Corrects a unit's locked follow-up (issue 16): the administrator starts a correction with a reason, changes outcomes
/// and assessments on the ordinary pages, and finishes it here; the card is then taken again and marked "Rättad".
/// Through <see cref="PeriodCorrections"/>, as the API does.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class CorrectionModel(TenantContext tenant, KedjaDbContext db, FollowUpWorkflow workflow, PeriodCorrections corrections, Microsoft.Extensions.Localization.IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    [FromRoute(Name = "periodKey")]
    public string Key { get; set; } = "";

    [FromRoute(Name = "unitId")]
    public Guid UnitId { get; set; }

    [BindProperty(Name = "skal")]
    public string? Reason { get; set; }

    [BindProperty(Name = "version")]
    public int? Version { get; set; }

    public FollowUpPeriod? Period { get; private set; }

    public UnitWorkflowDto? State { get; private set; }

    public List<CorrectionDto> Corrections { get; private set; } = [];

    public CorrectionDto? Open => Corrections.FirstOrDefault(c => c.ClosedAt is null);

    public string Here => $"/k/{tenant.Slug}/perioder/{Uri.EscapeDataString(Key)}/rattelse/{UnitId}";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostStartAsync()
    {
        if (await LoadAsync() is { } refused)
        {
            return refused;
        }

        var started = await corrections.StartAsync(new CorrectionStartInput(UnitId, Key, Reason, Version), HttpContext.RequestAborted);
        if (started.Error is { } error)
        {
            Show(error, text["Correction.NotStarted"], field => field == "reason" ? "skal" : field);
            return Page();
        }

        return LocalRedirect(Here + "#pagar");
    }

    public async Task<IActionResult> OnPostFinishAsync()
    {
        if (await LoadAsync() is { } refused)
        {
            return refused;
        }

        var finished = await corrections.FinishAsync(new CorrectionFinishInput(UnitId, Key, Version), HttpContext.RequestAborted);
        if (finished.Error is { } error)
        {
            Show(error, text["Correction.NotFinished"]);
            return Page();
        }

        return LocalRedirect(Here + "#rattelser");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), Key, ct);
        if (found.Value is not { } period)
        {
            return Refuse(found.Error!.StatusCode, found.Error.Message);
        }

        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == UnitId, ct);
        if (unit is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "Enheten finns inte.");
        }

        Period = period;
        State = await workflow.ForUnitAsync(unit, period, ct);
        if (State is null)
        {
            return Refuse(StatusCodes.Status404NotFound, $"{unit.Name} följs inte upp i {period.Name}.");
        }

        Corrections = await PeriodCorrections.OfAsync(db, [UnitId], period.Id, ct);
        Ready = true;
        return null;
    }
}
