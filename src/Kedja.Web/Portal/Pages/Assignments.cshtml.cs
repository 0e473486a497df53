using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The assignments the council gave (issue 15, ADR 46), only while the municipality publishes them (a 404 otherwise, as
/// for anything the portal does not hold): each with its decision, the unit responsible, when it is due, and its status
/// as of the latest report the unit made ready in a published follow-up, or as the council closed it.
/// </summary>
[AllowAnonymous]
public sealed class AssignmentsModel(PublicReader reader) : PageModel
{
    public PublicTenantDto Tenant { get; private set; } = null!;

    public List<PublicAssignmentDto> Open { get; private set; } = [];

    public List<PublicAssignmentDto> Closed { get; private set; } = [];

    /// <summary>The goals the assignments bear on that the portal shows, by id.</summary>
    public Dictionary<Guid, PublicGoalDto> Goals { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PublicTenantDto, List<PublicAssignmentDto>, List<PublicGoalDto>)>(slug, async t =>
        {
            var published = await PortalPeriod.PublishedAsync(t, ct);
            var assignments = await t.AssignmentsAsync(ct);
            if ((published.Error ?? assignments.Error) is { } error)
            {
                return error;
            }

            var goals = await t.GoalsByIdAsync([.. assignments.Value!.SelectMany(a => a.GoalIds).Distinct()], ct);
            return goals.Error is { } missing ? missing : (published.Value!.Tenant, assignments.Value!, goals.Value!);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Tenant, var assignments, var goals) = read.Value;
        Open = [.. assignments.Where(a => !a.IsClosed)];
        Closed = [.. assignments.Where(a => a.IsClosed)];
        Goals = goals.ToDictionary(g => g.Id);
        ViewData["Municipality"] = Tenant.Name;
        ViewData["Slug"] = Tenant.Slug;
        ViewData["PortalPage"] = "uppdrag";
        return Page();
    }
}
