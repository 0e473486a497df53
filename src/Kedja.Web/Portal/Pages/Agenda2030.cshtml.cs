using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The UN's 17 global goals and the published goals of the municipality that support each, with their status in a
/// published period: the signed-in Agenda 2030 view run on the published view (<see cref="PublishedTenant.Agenda2030Async"/>).
/// </summary>
[AllowAnonymous]
public sealed class Agenda2030Model(PublicReader reader) : PageModel
{
    public PortalPeriod Portal { get; private set; } = null!;

    public List<Goals.Agenda2030Line> Lines { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "period")] string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PortalPeriod, PublicAgenda2030Dto)>(slug, async t =>
        {
            var portal = await PortalPeriod.ReadAsync(t, periodKey, ct);
            if (portal.Value is not { } found)
            {
                return portal.Error!;
            }

            var agenda = await t.Agenda2030Async(found.Period.Key, ct);
            return agenda.Error is { } error ? error : (found, agenda.Value!);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Portal, var agenda) = read.Value;
        Lines = agenda.Lines;
        ViewData["Municipality"] = Portal.Tenant.Name;
        ViewData["Slug"] = Portal.Tenant.Slug;
        ViewData["PortalPage"] = "agenda-2030";
        return Page();
    }
}
