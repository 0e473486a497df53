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
public sealed class ScorecardModel(TenantContext tenant, Scorecards scorecards, KedjaDbContext db) : PageModel
{
    public TenantContext Tenant => tenant;

    public ScorecardDto? Card { get; private set; }

    public string? Error { get; private set; }

    public OrgUnit? Parent { get; private set; }

    public List<OrgUnit> Children { get; private set; } = [];

    public List<(string Key, string Name)> Periods { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid unitId, [FromQuery(Name = "period")] string? periodKey)
    {
        ViewData["TenantName"] = tenant.Name;
        ViewData["Slug"] = tenant.Slug;
        var ct = HttpContext.RequestAborted;
        var result = await scorecards.ForUnitAsync(unitId, periodKey, ct);
        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.Kind switch
            {
                ServiceErrorKind.NotFound => StatusCodes.Status404NotFound,
                ServiceErrorKind.Invalid => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            };
            return Page();
        }

        Card = result.Value;
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == unitId, ct);
        Parent = unit.ParentId is { } parentId ? await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == parentId, ct) : null;
        Children = await db.Units.AsNoTracking().Where(u => u.ParentId == unitId && u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(ct);
        Periods = [.. (await db.Periods.AsNoTracking().Select(p => new { p.Key, p.Name, p.StartDate }).ToListAsync(ct))
            .OrderByDescending(p => p.StartDate).Select(p => (p.Key, p.Name))];
        return Page();
    }

    /// <summary>A figure as Kedja writes figures: Swedish, decimal comma, no needless decimals.</summary>
    public static string Figure(decimal? value) => value is { } v ? v.ToString("#,0.##", Ui.Language.Formats) : "–";
}
