using System.Globalization;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>
/// The fields of an activity's plan as the new and the edit page show them (<c>_ActivityFields.cshtml</c>): what was
/// typed, the service's errors beside their fields, and after a conflict the other person's values beside one's own.
/// The choices offered are the units the person plans for and their goals, but the service decides (a form is never trusted).
/// </summary>
public abstract class ActivityForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    protected KedjaDbContext Db => db;

    protected IStringLocalizer<Texts> Text => text;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>"m:{goal}" or "p:{program}": an activity belongs to one or the other.</summary>
    [BindProperty]
    public string? BelongsTo { get; set; }

    [BindProperty]
    public Guid? ResponsibleUnitId { get; set; }

    [BindProperty]
    public string? StartDate { get; set; }

    [BindProperty]
    public string? EndDate { get; set; }

    [BindProperty]
    public ActivityStatus Status { get; set; }

    [BindProperty]
    public string? Progress { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public List<(string Unit, List<(string Value, string Name)> Goals)> GoalChoices { get; private set; } = [];

    public List<(string Value, string Name)> ProgramChoices { get; private set; } = [];

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    public static string GoalValue(Guid id) => "m:" + id;

    public static string ProgramValue(Guid id) => "p:" + id;

    protected override string TheirsId(string field) => $"theirs-{field}";

    protected void Fill(VersionedActivity a)
    {
        (Title, Description, ResponsibleUnitId, Status, Version) = (a.Title, a.Description, a.ResponsibleUnitId, a.Status, a.Version);
        BelongsTo = a.GoalId is { } g ? GoalValue(g) : a.ProgramId is { } p ? ProgramValue(p) : null;
        StartDate = a.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        EndDate = a.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Progress = a.Progress.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What was typed as the service takes it; what cannot be read goes to the service as unreadable.</summary>
    protected VersionedActivity Read(Guid id)
    {
        DateOnly? Date(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Unreadable.Unreadable(field, text["ActivityEdit.BadDate"]);
            return null;
        }

        var start = Date("startDate", StartDate);
        var end = Date("endDate", EndDate);
        var progress = 0;
        if (!string.IsNullOrWhiteSpace(Progress) && !int.TryParse(Progress.Trim().TrimEnd('%').Trim(), NumberStyles.Integer, Language.Formats, out progress))
        {
            Unreadable.Unreadable("progress", text["ActivityEdit.BadProgress"]);
        }

        Guid? goal = null, program = null;
        if (BelongsTo is { Length: > 2 } belongs && Guid.TryParse(belongs[2..], out var target))
        {
            if (belongs.StartsWith("p:", StringComparison.Ordinal))
            {
                program = target;
            }
            else
            {
                goal = target;
            }
        }

        return new VersionedActivity
        {
            Id = id, Title = Title?.Trim() ?? "", Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), GoalId = goal, ProgramId = program,
            ResponsibleUnitId = ResponsibleUnitId ?? Guid.Empty, StartDate = start, EndDate = end, Status = Status, Progress = progress, Version = Version,
        };
    }

    /// <summary>The service's refusal beside the fields it concerns; a goal's and a program's error both belong to the one choice.</summary>
    protected void Show(ServiceError error) =>
        Show(error, error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Errors is { Count: > 1 } ? text["ActivityEdit.Fix"] : error.Message,
            field => field.Equals("programId", StringComparison.OrdinalIgnoreCase) ? "goalId" : field);

    /// <summary>The other person's values beside what was typed; the version becomes theirs, so saving again overrides knowingly.</summary>
    protected void ShowTheirs(VersionedActivity now)
    {
        var units = UnitChoices.ToDictionary(u => u.Id, u => u.Name.Trim());
        var targets = GoalChoices.SelectMany(g => g.Goals).Concat(ProgramChoices).ToDictionary(x => x.Value, x => x.Name);
        var belongs = now.GoalId is { } g ? GoalValue(g) : now.ProgramId is { } p ? ProgramValue(p) : "";
        Differs("title", Title, now.Title);
        Differs("description", Description, now.Description);
        Differs("goalId", BelongsTo, belongs);
        if (Theirs.ContainsKey("goalId"))
        {
            Theirs["goalId"] = targets.GetValueOrDefault(belongs, belongs);
        }

        if (ResponsibleUnitId != now.ResponsibleUnitId)
        {
            Theirs["responsibleUnitId"] = units.GetValueOrDefault(now.ResponsibleUnitId, now.ResponsibleUnitId.ToString());
        }

        Differs("startDate", StartDate, now.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Differs("endDate", EndDate, now.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (Status != now.Status)
        {
            Theirs["status"] = text["ActivityEdit.Status." + now.Status];
        }

        Differs("progress", Progress, now.Progress.ToString(CultureInfo.InvariantCulture));
        Version = now.Version;
    }

    /// <summary>The units the person plans for and their goals (an administrator: all), every program, and whatever the activity names now.</summary>
    protected async Task LoadChoicesAsync(Guid? keepGoal, Guid? keepUnit)
    {
        var ct = HttpContext.RequestAborted;
        var allows = await UnitScope.AllowsManyAsync(tenant, db, ct);
        var comparer = StringComparer.Create(Language.Formats, ignoreCase: true);
        var all = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive, u.ParentId, u.SortOrder }).ToListAsync(ct);
        var offered = UnitTree.Order([.. all.Where(u => (u.IsActive && allows(u.Id)) || u.Id == keepUnit)], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name);
        UnitChoices = [.. offered.Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        var unitNames = all.ToDictionary(u => u.Id, u => u.Name);
        var place = UnitTree.Order(all, u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name).Select((x, i) => (x.Unit.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var goals = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId }).ToListAsync(ct);
        // A goal above the person's units (an activity of a school under the förvaltning's goal) stays offered once chosen.
        var chosen = BelongsTo is { Length: > 2 } b && b.StartsWith("m:", StringComparison.Ordinal) && Guid.TryParse(b[2..], out var g0) ? g0 : (Guid?)null;
        GoalChoices = [.. goals.Where(g => allows(g.OwnerUnitId) || g.Id == keepGoal || g.Id == chosen)
            .GroupBy(g => g.OwnerUnitId)
            .OrderBy(x => place.GetValueOrDefault(x.Key, int.MaxValue))
            .Select(x => (unitNames.GetValueOrDefault(x.Key, ""), x.OrderBy(g => g.Code, comparer).ThenBy(g => g.Title, comparer).Select(g => (GoalValue(g.Id), (g.Code is null ? "" : g.Code + " ") + g.Title)).ToList()))];
        ProgramChoices = [.. (await db.Programs.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(ct)).OrderBy(p => p.Name, comparer).Select(p => (ProgramValue(p.Id), p.Name))];
    }

    /// <summary>Where the activity is seen: its goal's page or its program's.</summary>
    protected string HomeOf(Guid? goalId, Guid? programId) =>
        goalId is { } g ? $"/k/{tenant.Slug}/mal/{g}" : programId is { } p ? $"/k/{tenant.Slug}/program/{p}" : $"/k/{tenant.Slug}";
}
