using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Goals.Pages;

/// <summary>A goal's own page: where it stands, the chain above and below, its indicators' history and its assessments.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class GoalModel(TenantContext tenant, GoalOverview overview, Organisation.AuditTrail audit, GoalEditing goals, Indicators.IndicatorEditing indicators,
    Data.KedjaDbContext db) : PageModel
{
    /// <summary>Where the goal's unit's follow-up of the period stands when it takes no more assessments.</summary>
    public Domain.Periods.WorkflowState? Closed { get; private set; }

    /// <summary>Whether the person may change the goal and add indicators to it (the editing services decide).</summary>
    public bool CanEdit { get; private set; }

    /// <summary>The goal's indicators the person may change.</summary>
    public HashSet<Guid> EditableIndicators { get; private set; } = [];

    /// <summary>The goal's indicators linked to a Kolada key figure, which can be compared with other municipalities.</summary>
    public HashSet<Guid> KoladaIndicators { get; private set; } = [];

    /// <summary>Who changed the goal and when, newest first; for administrators, who read the audit trail in the API too.</summary>
    public List<(DateTime At, string Who, string Action, List<string> Fields)> History { get; private set; } = [];

    public TenantContext Tenant => tenant;

    public GoalView? View { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(Guid goalId, [FromQuery(Name = "period")] string? periodKey)
    {
        var result = await overview.ForAsync(goalId, periodKey, HttpContext.RequestAborted);
        View = result.Value;
        if (View is not null && (tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin))
        {
            History = [.. (await audit.ListAsync(nameof(Domain.Goals.Goal), goalId.ToString(), 20, HttpContext.RequestAborted))
                .Select(e => (e.At, e.UserName, e.Action, ChangedFields(e.Before, e.After)))];
        }
        if (View is not null)
        {
            var ct = HttpContext.RequestAborted;
            CanEdit = await goals.MayEditAsync([View.UnitId], ct);
            if (View.PeriodKey is { } shown && await Periods.WorkflowGuard.StateAsync(db, View.UnitId, shown, ct) is var state && !Domain.Periods.PeriodWorkflow.AllowsChanges(state))
            {
                Closed = state;
            }

            var listed = await indicators.ListAsync(goalId, null, ct);
            KoladaIndicators = [.. listed.Where(i => i.KoladaKpiId is { Length: > 0 }).Select(i => i.Id)];
            foreach (var owned in listed.GroupBy(i => i.OwnerUnitId))
            {
                if (await indicators.MayEditAsync([owned.Key], ct))
                {
                    EditableIndicators.UnionWith(owned.Select(i => i.Id));
                }
            }
        }

        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
    }

    /// <summary>The fields whose values differ between the entry's before and after (every field of an addition).</summary>
    private static List<string> ChangedFields(string? before, string? after)
    {
        static Dictionary<string, string> Read(string? json) => string.IsNullOrEmpty(json)
            ? []
            : System.Text.Json.JsonDocument.Parse(json).RootElement is { ValueKind: System.Text.Json.JsonValueKind.Object } o
                ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText())
                : [];
        var (b, a) = (Read(before), Read(after));
        // References and bookkeeping (ids, tenant, version) are not what a person changed; the history page shows values.
        return [.. b.Keys.Union(a.Keys).Where(k => b.GetValueOrDefault(k) != a.GetValueOrDefault(k) && !k.EndsWith("Id", StringComparison.Ordinal) && k != "Version").Order()];
    }
}
