using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The frozen reports of the published periods, newest period first, each to download exactly as it was frozen
/// (<see cref="PortalEndpoints"/>). A report of a period not published is not listed: the published view hides it.
/// </summary>
[AllowAnonymous]
public sealed class ReportsModel(PublicReader reader) : PageModel
{
    public PublicTenantDto Tenant { get; private set; } = null!;

    public List<IGrouping<string, PublicFrozenReportDto>> Periods { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PublicTenantDto, List<PublicFrozenReportDto>)>(slug, async t =>
        {
            var summary = await t.SummaryAsync(ct);
            var reports = await t.FrozenReportsAsync(ct);
            return (summary.Error ?? reports.Error) is { } error ? error : (summary.Value!, reports.Value!);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Tenant, var reports) = read.Value;
        // Already in the published periods' order, newest first.
        Periods = [.. reports.GroupBy(r => r.PeriodKey)];
        ViewData["Municipality"] = Tenant.Name;
        ViewData["Slug"] = Tenant.Slug;
        ViewData["PortalPage"] = "rapporter";
        return Page();
    }

    public static string FormatName(string format) => format switch
    {
        "docx" => "Word",
        "pdf" => "PDF",
        "xlsx" => "Excel",
        _ => "webbsida",
    };

    /// <summary>A file's size as a reader says it: "820 byte", "245 kB", "1,2 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} byte",
        < 1_000_000 => $"{Math.Max(1, Math.Round(bytes / 1000m)).ToString("N0", Domain.SwedishFormat.Culture)} kB",
        _ => $"{Math.Round(bytes / 1_000_000m, 1).ToString("N1", Domain.SwedishFormat.Culture)} MB",
    };
}
