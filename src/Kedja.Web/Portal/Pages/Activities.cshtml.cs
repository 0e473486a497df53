using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

public sealed record PortalActivityGoal(PublicGoalDto Goal, string? UnitName, List<PublicActivityDto> Activities);

/// <param name="Label">The model's word for its dimensions ("Perspektiv", "Målområde").</param>
public sealed record PortalActivityGroup(string Label, string Name, List<PortalActivityGoal> Goals);

public sealed record PortalActivityProgram(PublicProgramDto Program, List<PublicActivityDto> Activities);

/// <summary>
/// What the municipality does for its goals: the activities of published goals and programmes in a published period's
/// year, under the goal they serve, grouped by perspective as the start page groups the goals (a resident follows a goal,
/// not an organisation chart), each with what its unit reported for that period only.
/// </summary>
[AllowAnonymous]
public sealed class ActivitiesModel(PublicReader reader) : PageModel
{
    public PortalPeriod Portal { get; private set; } = null!;

    public List<PortalActivityGroup> Groups { get; private set; } = [];

    public List<PortalActivityProgram> Programs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "period")] string? periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PortalPeriod, PublicActivitiesDto, List<PublicGoalDto>, List<PublicUnitDto>)>(slug, async t =>
        {
            var portal = await PortalPeriod.ReadAsync(t, periodKey, ct);
            if (portal.Value is not { } found)
            {
                return portal.Error!;
            }

            var activities = await t.ActivitiesAsync(found.Period.Key, ct);
            var goals = await t.GoalsAsync(null, ct);
            var units = await t.UnitsAsync(ct);
            return (activities.Error ?? goals.Error ?? units.Error) is { } error ? error : (found, activities.Value!, goals.Value!, units.Value!);
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Portal, var activities, var goals, var units) = read.Value;
        var unitNames = units.ToDictionary(u => u.Id, u => u.Name);
        var byGoal = activities.Activities.Where(a => a.GoalId is not null).ToLookup(a => a.GoalId!.Value, a => a.Activity);
        var levels = Portal.Tenant.Models.SelectMany(m => m.Levels).ToDictionary(l => l.Id, l => l.Depth);
        // The council's goals first, then the committees' and so on down, each level in its own order.
        var served = goals.Where(g => byGoal.Contains(g.Id)).OrderBy(g => levels.GetValueOrDefault(g.LevelId, int.MaxValue)).ToList();
        foreach (var model in Portal.Tenant.Models)
        {
            foreach (var dimension in model.Dimensions)
            {
                Add(model.DimensionLabel, dimension.Name, served.Where(g => g.ModelId == model.Id && g.DimensionId == dimension.Id));
            }

            Add(model.DimensionLabel, Portal.Tenant.Models.Count > 1 ? $"Övriga mål i {model.Name}" : "Övriga mål",
                served.Where(g => g.ModelId == model.Id && (g.DimensionId is null || model.Dimensions.All(d => d.Id != g.DimensionId))));
        }

        void Add(string label, string name, IEnumerable<PublicGoalDto> members)
        {
            var list = members.Select(g => new PortalActivityGoal(g, unitNames.GetValueOrDefault(g.OwnerUnitId), [.. byGoal[g.Id]])).ToList();
            if (list.Count > 0)
            {
                Groups.Add(new PortalActivityGroup(label, name, list));
            }
        }

        var byProgram = activities.Activities.Where(a => a.ProgramId is not null).ToLookup(a => a.ProgramId!.Value, a => a.Activity);
        Programs = [.. activities.Programs.Select(p => new PortalActivityProgram(p, [.. byProgram[p.Id]]))];
        ViewData["Municipality"] = Portal.Tenant.Name;
        ViewData["Slug"] = Portal.Tenant.Slug;
        ViewData["PortalPage"] = "aktiviteter";
        return Page();
    }
}
