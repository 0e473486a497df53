using System.Globalization;
using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The committees' decided internal control plans of a year (issue 15, ADR 46), only while the municipality publishes
/// them (a 404 otherwise): each plan's decision and its control actions – what is checked, how, how much, by which unit
/// and when. Never the risk register, the risks' values, proposals, or what the controls found.
/// </summary>
[AllowAnonymous]
public sealed class ControlPlansModel(PublicReader reader) : PageModel
{
    public PublicTenantDto Tenant { get; private set; } = null!;

    public int Year { get; private set; }

    /// <summary>The years with a decided plan the portal shows, latest first.</summary>
    public List<int> Years { get; private set; } = [];

    public List<PublicControlPlanDto> Plans { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "ar")] string? year)
    {
        var ct = HttpContext.RequestAborted;
        int? asked = null;
        if (!string.IsNullOrEmpty(year))
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return NotFound();
            }

            asked = parsed;
        }

        var read = await reader.ReadAsync<(PublicTenantDto, List<int>, int, List<PublicControlPlanDto>)>(slug, async t =>
        {
            var published = await PortalPeriod.PublishedAsync(t, ct);
            if (published.Error is { } error)
            {
                return error;
            }

            var years = await t.ControlPlanYearsAsync(ct);
            // The year asked for must have a plan the portal shows; without one, the latest published year, or the latest with a plan.
            var shown = asked ?? (years.Count == 0 || years.Contains(t.Data.LastPublishedYear) ? t.Data.LastPublishedYear : years[0]);
            if (asked is not null && !years.Contains(shown))
            {
                return Infrastructure.ServiceError.NotFound(PublishedTenant.NotPublished);
            }

            var plans = await t.ControlPlansAsync(shown, ct);
            return plans.Error is { } missing ? missing : (published.Value!.Tenant, years, shown, plans.Value!);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Tenant, Years, Year, Plans) = read.Value;
        ViewData["Municipality"] = Tenant.Name;
        ViewData["Slug"] = Tenant.Slug;
        ViewData["PortalPage"] = "intern-kontroll";
        return Page();
    }
}
