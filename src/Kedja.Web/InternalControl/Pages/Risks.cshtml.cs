using Kedja.Data;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// A unit's risk register for a year (<c>?enhet=&amp;ar=</c>): the matrix and the same risks as a table, each linked to
/// its page. The units offered are those whose internal control the person sees (<see cref="UnitScope.SeesManyAsync"/>);
/// those who may change the unit's register get the link to add a risk.
/// </summary>
[RequireTenant]
public sealed class RisksModel(TenantContext tenant, KedjaDbContext db, RiskRegister register, TimeProvider clock, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<(Guid Id, string Name)> Units { get; private set; } = [];

    public Guid? UnitId { get; private set; }

    public string UnitName { get; private set; } = "";

    public int Year { get; private set; }

    public List<int> Years { get; private set; } = [];

    public RiskRegisterView? View { get; private set; }

    public bool MayChange { get; private set; }

    public string? Error { get; private set; }

    public string Home => $"/k/{tenant.Slug}/intern-kontroll/risker";

    public async Task OnGetAsync([FromQuery(Name = "enhet")] Guid? unitId, [FromQuery(Name = "ar")] int? year)
    {
        var ct = HttpContext.RequestAborted;
        var thisYear = Periods.Deadlines.Today(clock).Year;
        Year = year is { } y && y >= thisYear - 50 && y <= thisYear + 10 ? y : thisYear;
        Years = [.. Enumerable.Range(thisYear - 4, 6).Append(Year).Distinct().OrderDescending()];
        var sees = await UnitScope.SeesManyAsync(tenant, db, ct);
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var ordered = UnitTree.Order([.. units.Where(u => (u.IsActive || u.Id == unitId) && sees(u.Id))], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name);
        Units = [.. ordered.Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        // Without a choice: the person's own unit, else the first unit (in the organisation's order) with risks that year.
        var withRisks = await db.Risks.AsNoTracking().Where(r => r.FirstYear <= Year && (r.LastYear == null || r.LastYear >= Year)).Select(r => r.UnitId).Distinct().ToListAsync(ct);
        UnitId = unitId ?? (tenant.UnitScope is { } own && Units.Any(u => u.Id == own) ? own
            : Units.Where(u => withRisks.Contains(u.Id)).Select(u => (Guid?)u.Id).FirstOrDefault() ?? Units.Select(u => (Guid?)u.Id).FirstOrDefault());
        if (UnitId is not { } chosen)
        {
            Error = text["Risk.NoUnitsSeen"];
            return;
        }

        UnitName = ordered.FirstOrDefault(x => x.Unit.Id == chosen).Unit?.Name ?? "";
        var view = await register.ViewAsync(chosen, Year, text["Risk.MatrixTitle", UnitName, Year], ct);
        if (view.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
            return;
        }

        View = view.Value;
        MayChange = await register.MayChangeAsync(chosen, ct);
    }
}
