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
public abstract class ActivityForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : PageModel
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

    public string? Error { get; protected set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>After a conflict: the other person's saved value of each field that differs from what was typed.</summary>
    public Dictionary<string, string> Theirs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(string Unit, List<(string Value, string Name)> Goals)> GoalChoices { get; private set; } = [];

    public List<(string Value, string Name)> ProgramChoices { get; private set; } = [];

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    public static string GoalValue(Guid id) => "m:" + id;

    public static string ProgramValue(Guid id) => "p:" + id;

    /// <summary>The ids of both fields' space: aria-describedby of a field with its error and the other person's value.</summary>
    public string? DescribedBy(string field, string? hint = null)
    {
        var ids = new[] { hint, Html.DescribedBy(FieldErrors, field), Theirs.ContainsKey(field) ? $"theirs-{field}" : null }.Where(x => x is not null).ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public string? Invalid(string field) => FieldErrors.ContainsKey(field) ? "true" : null;

    protected void Fill(VersionedActivity a)
    {
        (Title, Description, ResponsibleUnitId, Status, Version) = (a.Title, a.Description, a.ResponsibleUnitId, a.Status, a.Version);
        BelongsTo = a.GoalId is { } g ? GoalValue(g) : a.ProgramId is { } p ? ProgramValue(p) : null;
        StartDate = a.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        EndDate = a.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Progress = a.Progress.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What was typed as the service takes it, or null with the fields' errors when it cannot be read.</summary>
    protected VersionedActivity? Read(Guid id)
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

            FieldErrors[field] = text["ActivityEdit.BadDate"];
            return null;
        }

        var start = Date("startDate", StartDate);
        var end = Date("endDate", EndDate);
        var progress = 0;
        if (!string.IsNullOrWhiteSpace(Progress) && !int.TryParse(Progress.Trim().TrimEnd('%').Trim(), NumberStyles.Integer, Language.Formats, out progress))
        {
            FieldErrors["progress"] = text["ActivityEdit.BadProgress"];
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

        if (FieldErrors.Count > 0)
        {
            Error = text["ActivityEdit.Fix"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return new VersionedActivity
        {
            Id = id, Title = Title?.Trim() ?? "", Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), GoalId = goal, ProgramId = program,
            ResponsibleUnitId = ResponsibleUnitId ?? Guid.Empty, StartDate = start, EndDate = end, Status = Status, Progress = progress, Version = Version,
        };
    }

    /// <summary>The service's refusal beside the fields it concerns; a goal's and a program's error both belong to the one choice.</summary>
    protected void Show(ServiceError error)
    {
        Error = error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Ui.Html.CopyFieldErrors(error, FieldErrors, Key);

        if (error.Field is { } one)
        {
            FieldErrors[Key(one)] = error.Message;
        }

        static string Key(string field) => field.Equals("programId", StringComparison.OrdinalIgnoreCase) ? "goalId" : field;
    }

    /// <summary>The other person's values beside what was typed; the version becomes theirs, so saving again overrides knowingly.</summary>
    protected void ShowTheirs(VersionedActivity now)
    {
        void Differs(string field, string? mine, string? theirs)
        {
            if (!string.Equals(mine?.Trim() ?? "", theirs ?? "", StringComparison.Ordinal))
            {
                Theirs[field] = string.IsNullOrEmpty(theirs) ? "–" : theirs;
            }
        }

        var units = UnitChoices.ToDictionary(u => u.Id, u => u.Name);
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
        var all = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive }).ToListAsync(ct);
        UnitChoices = [.. all.Where(u => (u.IsActive && allows(u.Id)) || u.Id == keepUnit).OrderBy(u => u.Name, comparer).Select(u => (u.Id, u.Name))];
        var unitNames = all.ToDictionary(u => u.Id, u => u.Name);
        var goals = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId }).ToListAsync(ct);
        // A goal above the person's units (an activity of a school under the förvaltning's goal) stays offered once chosen.
        var chosen = BelongsTo is { Length: > 2 } b && b.StartsWith("m:", StringComparison.Ordinal) && Guid.TryParse(b[2..], out var g0) ? g0 : (Guid?)null;
        GoalChoices = [.. goals.Where(g => allows(g.OwnerUnitId) || g.Id == keepGoal || g.Id == chosen)
            .GroupBy(g => unitNames.GetValueOrDefault(g.OwnerUnitId, ""))
            .OrderBy(x => x.Key, comparer)
            .Select(x => (x.Key, x.OrderBy(g => g.Code, comparer).ThenBy(g => g.Title, comparer).Select(g => (GoalValue(g.Id), (g.Code is null ? "" : g.Code + " ") + g.Title)).ToList()))];
        ProgramChoices = [.. (await db.Programs.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(ct)).OrderBy(p => p.Name, comparer).Select(p => (ProgramValue(p.Id), p.Name))];
    }

    /// <summary>Where the activity is seen: its goal's page or its program's.</summary>
    protected string HomeOf(Guid? goalId, Guid? programId) =>
        goalId is { } g ? $"/k/{tenant.Slug}/mal/{g}" : programId is { } p ? $"/k/{tenant.Slug}/program/{p}" : $"/k/{tenant.Slug}";
}
