using Kedja.Web.Infrastructure;
using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// A municipality's public start page (issue 13, ADR 41): its vision and the council's goals per perspective with their
/// status in a published period, the latest by default. Reads only through <see cref="PublicReader"/>, the anonymous
/// published-only path (ADR 17): an unknown municipality, one that has published nothing and an unpublished period are
/// all the same 404.
/// </summary>
[AllowAnonymous]
public sealed class StartModel(PublicReader reader) : PageModel
{
    public PublicTenantDto? Tenant { get; private set; }

    public List<PublicPeriodDto> Periods { get; private set; } = [];

    public PublicScorecardDto? Card { get; private set; }

    /// <summary>The units directly under the council that are active (the executive board, committees, companies): where the drill-down starts.</summary>
    public List<PublicUnitDto> Committees { get; private set; } = [];

    /// <summary>What the municipality publishes of issue 15, linked from the start page only then.</summary>
    public (bool Assignments, bool ControlPlans) Publishes => reader.Publishes;

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "period")] string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PublicTenantDto Tenant, List<PublicPeriodDto> Periods, PublicScorecardDto? Card, List<PublicUnitDto> Committees)>(slug, async t =>
        {
            var portal = await PortalPeriod.ReadAsync(t, periodKey, ct);
            var units = await t.UnitsAsync(ct);
            if (portal.Value is not { } found || units.Value is not { } all)
            {
                return portal.Error ?? units.Error!;
            }

            // The council: the top of the organisation.
            var top = all.FirstOrDefault(u => u.ParentId is null && u.IsActive) ?? all.FirstOrDefault(u => u.ParentId is null);
            PublicScorecardDto? card = null;
            if (top is not null)
            {
                var scorecard = await t.ScorecardAsync(found.Period.Key, top.Id, ct);
                card = scorecard.Value;
            }

            return (found.Tenant, found.Periods, card, top is null ? [] : [.. all.Where(u => u.ParentId == top.Id && u.IsActive)]);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Tenant, Periods, Card, Committees) = read.Value;
        ViewData["Municipality"] = Tenant.Name;
        return Page();
    }
}
