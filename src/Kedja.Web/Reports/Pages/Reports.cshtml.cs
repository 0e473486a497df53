using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Reports.Pages;

/// <summary>
/// Orders a report (any member, any unit: reports are internal), lists one's recent reports (every report for
/// administrators) and the frozen reports per period. Ordering goes through <see cref="ReportOrdering"/>, as in the API.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ReportsModel(TenantContext tenant, ReportOrdering reports, UnitEditing units, KedjaDbContext db, TimeProvider clock, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    [BindProperty(SupportsGet = true, Name = "enhet")]
    public Guid? UnitId { get; set; }

    [BindProperty(SupportsGet = true, Name = "period")]
    public string? PeriodKey { get; set; }

    [BindProperty(Name = "mall")]
    public string TemplateKey { get; set; } = "tertialrapport";

    [BindProperty(Name = "omfattning")]
    public string Scope { get; set; } = "unit";

    [BindProperty(Name = "format")]
    public string Format { get; set; } = "docx";

    public List<(VersionedUnit Unit, int Depth)> Units { get; private set; } = [];

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    public List<ReportTemplate> Templates { get; private set; } = [];

    public List<ReportJobDto> Jobs { get; private set; } = [];

    public List<IGrouping<string, FrozenReportDto>> Frozen { get; private set; } = [];

    public bool IsAdmin => tenant.Role >= TenantRole.Admin;

    /// <summary>A moment as Swedish local time, "2026-12-01 09:30", in both languages (dates are always sv-SE).</summary>
    public static string When(DateTime? utc) =>
        utc is { } at ? (at + Kedja.Reports.SwedishTime.Offset(new DateTimeOffset(at, TimeSpan.Zero))).ToString("yyyy-MM-dd HH:mm", Kedja.Domain.SwedishFormat.Culture) : "–";

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (PeriodKey is null)
        {
            PeriodKey = FollowUpCalendar.FindOrCurrent(await db.Periods.AsNoTracking().ToListAsync(HttpContext.RequestAborted), null, clock).Value?.Key;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ordered = await reports.OrderAsync(new ReportOrder(UnitId, PeriodKey, TemplateKey, Scope, Format), HttpContext.RequestAborted);
        if (ordered.Error is { } error)
        {
            await LoadAsync();
            Show(error, text["Reports.NotOrdered"]);
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/rapporter/{ordered.Value!.Id}");
    }

    /// <summary>A frozen report's file, byte for byte as it was frozen.</summary>
    public async Task<IActionResult> OnGetFrozenAsync(Guid id)
    {
        var file = await reports.FrozenFileAsync(id, HttpContext.RequestAborted);
        return file.Value is { } found ? new ReportFileResult(found) : NotFound();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Units = Organisation.Pages.UnitForm.Tree([.. (await units.ListAsync(ct)).Where(u => u.IsActive || u.Id == UnitId)]);
        Periods = [.. (await db.Periods.AsNoTracking().OrderByDescending(p => p.StartDate).Select(p => new { p.Key, p.Name }).ToListAsync(ct)).Select(p => (p.Key, p.Name))];
        Templates = await reports.TemplatesAsync(ct);
        Jobs = await reports.ListAsync(ct);
        Frozen = [.. (await reports.FrozenAsync(null, ct)).Value!.GroupBy(r => r.PeriodName ?? "–")];
    }
}
