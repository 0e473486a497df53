using System.Globalization;
using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Assignments.Pages;

/// <summary>
/// The fields of an assignment's decision as the new page and the assignment's page show them (<c>_AssignmentFields.cshtml</c>):
/// what was typed, the service's errors beside their fields, and after a conflict the other person's values beside one's
/// own. The giving units offered are those the person may act for, but <see cref="AssignmentEditing"/> decides.
/// </summary>
public abstract class AssignmentForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    protected KedjaDbContext Db => db;

    protected IStringLocalizer<Texts> Localizer => text;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public AssignmentGiver Giver { get; set; } = AssignmentGiver.Committee;

    [BindProperty]
    public Guid? GiverUnitId { get; set; }

    [BindProperty]
    public string? DecidedOn { get; set; }

    [BindProperty]
    public string? DecisionParagraph { get; set; }

    [BindProperty]
    public Guid? ResponsibleUnitId { get; set; }

    [BindProperty]
    public string? DueDate { get; set; }

    [BindProperty]
    public string? DuePeriodKey { get; set; }

    [BindProperty]
    public List<Guid> GoalIds { get; set; } = [];

    [BindProperty]
    public int? Version { get; set; }

    public List<(Guid Id, string Name)> GiverChoices { get; private set; } = [];

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    public List<(string Key, string Name)> PeriodChoices { get; private set; } = [];

    public List<(string Unit, List<(Guid Id, string Name)> Goals)> GoalChoices { get; private set; } = [];

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    protected override string TheirsId(string field) => $"theirs-{field}";

    protected void Fill(VersionedAssignment a)
    {
        (Title, Body, Giver, GiverUnitId, DecisionParagraph, ResponsibleUnitId, DuePeriodKey, GoalIds, Version) =
            (a.Title, a.Text, a.Giver, a.GiverUnitId, a.DecisionParagraph, a.ResponsibleUnitId, a.DuePeriodKey, [.. a.GoalIds], a.Version);
        DecidedOn = a.DecidedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        DueDate = a.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>What was typed as the service takes it; what cannot be read goes to the service as unreadable.</summary>
    protected VersionedAssignment Read(Guid id, int number)
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

        var decided = Date("decidedOn", DecidedOn);
        if (decided is null && string.IsNullOrWhiteSpace(DecidedOn))
        {
            Unreadable.Unreadable("decidedOn", text["Assignments.DecidedOnMissing"]);
        }

        return new VersionedAssignment
        {
            Id = id, Number = number, Title = Title?.Trim() ?? "", Text = Body?.Trim() ?? "", Giver = Giver, GiverUnitId = GiverUnitId,
            DecidedOn = decided ?? DateOnly.FromDateTime(DateTime.UnixEpoch), DecisionParagraph = DecisionParagraph, ResponsibleUnitId = ResponsibleUnitId ?? Guid.Empty,
            DueDate = Date("dueDate", DueDate), DuePeriodKey = string.IsNullOrWhiteSpace(DuePeriodKey) ? null : DuePeriodKey, GoalIds = [.. GoalIds.Distinct()], Version = Version,
        };
    }

    protected void Show(ServiceError error) =>
        Show(error, error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Errors is { Count: > 1 } ? text["ActivityEdit.Fix"] : error.Message,
            field => field.StartsWith("goalIds", StringComparison.OrdinalIgnoreCase) ? "goalIds" : field);

    /// <summary>The other person's values beside what was typed; the version becomes theirs, so saving again overrides knowingly.</summary>
    protected void ShowTheirs(VersionedAssignment now)
    {
        Differs("title", Title, now.Title);
        Differs("text", Body, now.Text);
        Differs("decisionParagraph", DecisionParagraph, now.DecisionParagraph);
        Differs("decidedOn", DecidedOn, now.DecidedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Differs("dueDate", DueDate, now.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Differs("duePeriodKey", DuePeriodKey, now.DuePeriodKey);
        if (ResponsibleUnitId != now.ResponsibleUnitId)
        {
            Theirs["responsibleUnitId"] = UnitChoices.FirstOrDefault(u => u.Id == now.ResponsibleUnitId).Name?.Trim() ?? now.ResponsibleUnitId.ToString();
        }

        Version = now.Version;
    }

    /// <summary>The giving units the person may act for (council, board, committees), every active unit, the calendar and the goals.</summary>
    protected async Task LoadChoicesAsync(Guid? keepGiver, Guid? keepUnit)
    {
        var ct = HttpContext.RequestAborted;
        var allows = await UnitScope.AllowsManyAsync(tenant, db, ct);
        var all = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive, u.ParentId, u.SortOrder, u.Kind }).ToListAsync(ct);
        var ordered = UnitTree.Order(all, u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name);
        GiverChoices = [.. ordered.Where(x => (x.Unit.Kind is UnitKind.Council or UnitKind.ExecutiveBoard or UnitKind.Committee && x.Unit.IsActive && allows(x.Unit.Id)) || x.Unit.Id == keepGiver)
            .Select(x => (x.Unit.Id, x.Unit.Name))];
        UnitChoices = [.. ordered.Where(x => x.Unit.IsActive || x.Unit.Id == keepUnit).Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        PeriodChoices = [.. (await db.Periods.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Ref).Select(p => (p.Key, Html.Period(p.Key, p.Name)))];
        var names = all.ToDictionary(u => u.Id, u => u.Name);
        var place = ordered.Select((x, i) => (x.Unit.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var comparer = StringComparer.Create(Language.Formats, ignoreCase: true);
        var goals = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId }).ToListAsync(ct);
        GoalChoices = [.. goals.GroupBy(g => g.OwnerUnitId).OrderBy(x => place.GetValueOrDefault(x.Key, int.MaxValue))
            .Select(x => (names.GetValueOrDefault(x.Key, ""), x.OrderBy(g => g.Code, comparer).ThenBy(g => g.Title, comparer).Select(g => (g.Id, (g.Code is null ? "" : g.Code + " ") + g.Title)).ToList()))];
    }
}
