using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Goals;
using Kedja.Domain.Model;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Indicators.Pages;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Goals.Pages;

/// <summary>
/// A new goal for a unit (<c>/mal/ny?enhet=</c>) and a goal's changes (<c>/mal/{id}/andra</c>), one form for both: the
/// levels the model allows the unit's kind, the goals of the level above to contribute to with their weights, strategies
/// as rows (a few empty ones, more by a post-back, no script). Saved and removed by <see cref="GoalEditing"/>, as the
/// API does; a stale version keeps what was typed and shows what the other person saved beside it.
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed partial class GoalEditModel(TenantContext tenant, KedjaDbContext db, GoalEditing goals, TenantExporter exporter, IStringLocalizer<Texts> text) : FormPage
{
    /// <summary>How many empty rows the form offers for strategies and goals above, and adds per "more rows".</summary>
    public const int EmptyRows = 2;

    public sealed class LinkRow
    {
        public Guid? GoalId { get; set; }

        public string? Weight { get; set; }
    }

    public sealed class StrategyRow
    {
        public Guid? Id { get; set; }

        public string? Title { get; set; }

        public string? Description { get; set; }

        public bool Remove { get; set; }
    }

    public sealed record Choice(Guid Id, string Name);

    public sealed record ParentGroup(string Level, List<Choice> Goals);

    public TenantContext Tenant => tenant;

    /// <summary>The goal being changed; null for a new goal.</summary>
    public Guid? GoalId { get; private set; }

    public string UnitName { get; private set; } = "";

    public bool ConfirmDelete { get; private set; }

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public Guid LevelId { get; set; }

    [BindProperty]
    public Guid? DimensionId { get; set; }

    [BindProperty]
    public Guid OwnerUnitId { get; set; }

    [BindProperty]
    public string? ValidFrom { get; set; }

    [BindProperty]
    public string? ValidTo { get; set; }

    [BindProperty]
    public List<int> Agenda { get; set; } = [];

    [BindProperty]
    public string? SortOrder { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public List<LinkRow> Links { get; set; } = [];

    [BindProperty]
    public List<StrategyRow> Strategies { get; set; } = [];

    public List<(string Model, List<Choice> Levels)> Levels { get; private set; } = [];

    public List<Choice> Dimensions { get; private set; } = [];

    public string DimensionLabel { get; private set; } = "";

    public List<Choice> Owners { get; private set; } = [];

    public List<ParentGroup> Parents { get; private set; } = [];

    /// <summary>Whether the chosen level has strategies (Kil's critical success factors); the rows are shown only then.</summary>
    public bool HasStrategies { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? goalId, [FromQuery(Name = "enhet")] Guid? unitId, [FromQuery(Name = "steg")] string? step)
    {
        if (!await LoadAsync(goalId, unitId, fill: true))
        {
            return Page();
        }

        if (!await goals.MayEditAsync([OwnerUnitId], HttpContext.RequestAborted))
        {
            return Refuse(StatusCodes.Status403Forbidden, GoalEditing.OutsideUnits);
        }

        ConfirmDelete = goalId is not null && step == "ta-bort";
        return Page();
    }

    /// <summary>Saves the goal as typed: a new one is created, a changed one needs the version it was read with.</summary>
    public async Task<IActionResult> OnPostAsync(Guid? goalId, [FromQuery(Name = "enhet")] Guid? unitId)
    {
        if (!await LoadAsync(goalId, unitId, fill: false))
        {
            return Page();
        }

        var (input, strategyRows, linkRows) = Input();
        var ct = HttpContext.RequestAborted;
        var result = goalId is { } id ? await goals.UpdateAsync(id, input, Unreadable, ct) : await goals.CreateAsync(input, Unreadable, ct);
        if (result.Error is null)
        {
            return Saved($"/k/{tenant.Slug}/mal/{result.Value!.Id}", goalId is null ? FormDone.GoalCreated : FormDone.GoalSaved);
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        Show(result.Error, text["GoalEdit.NotSaved"], field => FormField(field, strategyRows, linkRows));
        if (result.Error.Kind == ServiceErrorKind.Conflict && goalId is { } changed && (await goals.GetAsync(changed, ct)).Value is { } now)
        {
            // Nothing typed is lost: their values go beside the fields, and saving again overwrites them knowingly.
            Error = text["GoalEdit.Conflict"];
            Messages.Clear();
            await ShowTheirsAsync(now);
            Version = now.Version;
        }

        return Page();
    }

    /// <summary>More empty rows for strategies and goals above; nothing is saved, and everything typed stays.</summary>
    public async Task<IActionResult> OnPostRowsAsync(Guid? goalId, [FromQuery(Name = "enhet")] Guid? unitId)
    {
        if (!await LoadAsync(goalId, unitId, fill: false))
        {
            return Page();
        }

        if (!await goals.MayEditAsync([.. StoredOwner(), OwnerUnitId], HttpContext.RequestAborted))
        {
            return Refuse(StatusCodes.Status403Forbidden, GoalEditing.OutsideUnits);
        }

        Strategies.AddRange(Enumerable.Range(0, EmptyRows).Select(_ => new StrategyRow()));
        Links.AddRange(Enumerable.Range(0, EmptyRows).Select(_ => new LinkRow()));
        return Page();
    }

    /// <summary>Removes the goal after the confirmation step, with the version it was read with.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid goalId)
    {
        // The version is the one the confirmation was read with, not the one stored now.
        var version = Version;
        if (!await LoadAsync(goalId, null, fill: true))
        {
            return Page();
        }

        var result = await goals.DeleteAsync(goalId, version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved($"/k/{tenant.Slug}/malkort/{OwnerUnitId}", FormDone.GoalDeleted);
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        ConfirmDelete = true;
        Response.StatusCode = result.Error.StatusCode;
        Error = result.Error.Kind == ServiceErrorKind.Conflict ? text["GoalEdit.DeleteConflict"] : result.Error.Message;
        return Page();
    }

    /// <summary>The owner as stored, for a form that is shown again: the form's own choice is not the person's right.</summary>
    private Guid? storedOwner;

    private IEnumerable<Guid> StoredOwner() => storedOwner is { } owner ? [owner] : [];

    /// <summary>The goal or unit, and the choices the form offers; with <paramref name="fill"/> the fields as stored.</summary>
    private async Task<bool> LoadAsync(Guid? goalId, Guid? unitId, bool fill)
    {
        var ct = HttpContext.RequestAborted;
        VersionedGoal? stored = null;
        if (goalId is { } id)
        {
            var found = await goals.GetAsync(id, ct);
            if (found.Error is { } missing)
            {
                Refuse(missing.StatusCode, missing.Message);
                return false;
            }

            stored = found.Value!;
            GoalId = id;
            storedOwner = stored.OwnerUnitId;
        }

        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.Kind, u.ParentId, u.IsActive, u.SortOrder }).ToListAsync(ct);
        var ownerId = stored?.OwnerUnitId ?? unitId;
        var unit = units.SingleOrDefault(u => u.Id == ownerId);
        if (unit is null)
        {
            Refuse(StatusCodes.Status404NotFound, text["GoalEdit.NoUnit"]);
            return false;
        }

        UnitName = unit.Name;
        if (fill)
        {
            OwnerUnitId = unit.Id;
            if (stored is not null)
            {
                (Title, Code, Description, LevelId, DimensionId, Version) = (stored.Title, stored.Code, stored.Description, stored.LevelId, stored.DimensionId, stored.Version);
                (ValidFrom, ValidTo, SortOrder, Agenda) = (stored.ValidFromYear?.ToString(CultureInfo.InvariantCulture), stored.ValidToYear?.ToString(CultureInfo.InvariantCulture),
                    stored.SortOrder.ToString(CultureInfo.InvariantCulture), [.. stored.Agenda2030]);
                Links = [.. stored.Contributes.Select(l => new LinkRow { GoalId = l.GoalId, Weight = OutcomesModel.Figure(l.Weight, "") })];
                Strategies = [.. stored.Strategies.Select(s => new StrategyRow { Id = s.Id, Title = s.Title, Description = s.Description })];
            }
        }
        else if (stored is null)
        {
            // A new goal belongs to the unit in the address; the owner can be changed once it exists.
            OwnerUnitId = unit.Id;
        }

        var models = await exporter.ExportModelsAsync(ct);
        var kind = units.SingleOrDefault(u => u.Id == OwnerUnitId)?.Kind ?? unit.Kind;
        var allowed = models.Where(m => m.Status == ModelStatus.Active || m.Id == stored?.ModelId)
            .SelectMany(m => m.Levels.Where(l => GoalRules.LevelAllows(l, kind) || l.Id == stored?.LevelId).Select(l => (Model: m, Level: l))).ToList();
        Levels = [.. allowed.GroupBy(x => x.Model).Select(g => (g.Key.Name, g.Select(x => new Choice(x.Level.Id, x.Level.Name)).ToList()))];
        if (fill && stored is null && allowed.Count > 0)
        {
            LevelId = allowed[0].Level.Id;
        }

        var (model, level) = allowed.FirstOrDefault(x => x.Level.Id == LevelId);
        model ??= allowed.FirstOrDefault().Model ?? models.FirstOrDefault();
        HasStrategies = level?.HasStrategies == true || Strategies.Any(s => !string.IsNullOrWhiteSpace(s.Title));
        DimensionLabel = model?.DimensionLabel ?? "";
        Dimensions = [.. (model?.Dimensions ?? []).Where(d => GoalRules.DimensionAllows(d, kind) || d.Id == DimensionId).Select(d => new Choice(d.Id, d.Name))];

        var reaches = await UnitScope.AllowsManyAsync(tenant, db, ct);
        Owners = [.. UnitTree.Order([.. units.Where(u => (u.IsActive && reaches(u.Id)) || u.Id == OwnerUnitId)], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name)
            .Select(x => new Choice(x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];

        // The goals of the level directly above each level offered, those of the unit's own chain first.
        var above = allowed.Select(x => x.Model.Levels.Where(l => GoalRules.IsAbove(l.Depth, x.Level.Depth)).MaxBy(l => l.Depth)).OfType<LevelDoc>().DistinctBy(l => l.Id).ToList();
        var aboveIds = above.Select(l => l.Id).ToList();
        var linked = Links.Where(l => l.GoalId is not null).Select(l => l.GoalId!.Value).ToList();
        var candidates = await db.Goals.AsNoTracking().Where(g => (aboveIds.Contains(g.LevelId) || linked.Contains(g.Id)) && g.Id != GoalId)
            .Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId, g.LevelId, g.SortOrder }).ToListAsync(ct);
        var chain = new HashSet<Guid>();
        for (Guid? at = OwnerUnitId; at is { } u && chain.Add(u);)
        {
            at = units.SingleOrDefault(x => x.Id == u)?.ParentId;
        }

        var unitNames = units.ToDictionary(u => u.Id, u => u.Name);
        var levelNames = models.SelectMany(m => m.Levels).ToDictionary(l => l.Id, l => l.Name);
        Parents = [.. candidates.GroupBy(g => g.LevelId).Select(g => new ParentGroup(levelNames.GetValueOrDefault(g.Key, ""),
            [.. g.OrderBy(x => chain.Contains(x.OwnerUnitId) ? 0 : 1).ThenBy(x => unitNames.GetValueOrDefault(x.OwnerUnitId), StringComparer.Create(Language.Formats, false))
                .ThenBy(x => x.SortOrder).ThenBy(x => x.Title)
                .Select(x => new Choice(x.Id, $"{(x.Code is null ? "" : x.Code + " ")}{x.Title} ({unitNames.GetValueOrDefault(x.OwnerUnitId)})"))]))];

        if (fill)
        {
            Strategies.AddRange(Enumerable.Range(0, EmptyRows).Select(_ => new StrategyRow()));
            Links.AddRange(Enumerable.Range(0, Links.Count == 0 ? EmptyRows : 1).Select(_ => new LinkRow()));
        }

        Ready = true;
        return true;
    }

    /// <summary>
    /// The goal as typed, in the API's shape; what cannot be read (a year, a weight) goes to the service as unreadable, by
    /// the service's names. Empty rows are left out, so the service's row numbers are mapped back to the form's.
    /// </summary>
    private (VersionedGoal Input, List<int> StrategyRows, List<int> LinkRows) Input()
    {
        int? Year(string field, string? typed)
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                return null;
            }

            if (int.TryParse(typed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                return year;
            }

            Unreadable.Unreadable(field, text["GoalEdit.NotAYear"]);
            return null;
        }

        var from = Year("validFromYear", ValidFrom);
        var to = Year("validToYear", ValidTo);
        var sort = 0;
        if (!string.IsNullOrWhiteSpace(SortOrder) && !int.TryParse(SortOrder.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sort))
        {
            Unreadable.Unreadable("sortOrder", text["GoalEdit.NotAWholeNumber"]);
        }

        var links = new List<ParentLinkDoc>();
        var linkRows = new List<int>();
        for (var i = 0; i < Links.Count; i++)
        {
            if (Links[i].GoalId is not { } parent)
            {
                continue;
            }

            var (weight, bad) = SwedishFormat.Read(Links[i].Weight);
            if (bad)
            {
                Unreadable.Unreadable($"contributes[{links.Count}].weight", text["GoalEdit.NotANumber"]);
            }

            links.Add(new ParentLinkDoc(parent, weight ?? 1m));
            linkRows.Add(i);
        }

        var strategies = new List<StrategyDoc>();
        var strategyRows = new List<int>();
        for (var i = 0; i < Strategies.Count; i++)
        {
            var row = Strategies[i];
            if (row.Remove || (string.IsNullOrWhiteSpace(row.Title) && string.IsNullOrWhiteSpace(row.Description)))
            {
                continue;
            }

            strategies.Add(new StrategyDoc(row.Id ?? Guid.Empty, row.Title?.Trim() ?? "", Clean(row.Description), strategies.Count));
            strategyRows.Add(i);
        }

        var input = new VersionedGoal
        {
            Id = GoalId ?? Guid.Empty, LevelId = LevelId, OwnerUnitId = OwnerUnitId, DimensionId = DimensionId, Title = Title?.Trim() ?? "", Code = Clean(Code),
            Description = Clean(Description), ValidFromYear = from, ValidToYear = to, Agenda2030 = [.. Agenda.Distinct().Order()], SortOrder = sort,
            Contributes = links, Strategies = strategies, Version = Version,
        };
        return (input, strategyRows, linkRows);
    }

    private static string? Clean(string? typed) => string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();

    /// <summary>The form's name for a field the service named: its rows are the form's, and the model follows from the level.</summary>
    private static string FormField(string field, List<int> strategyRows, List<int> linkRows) =>
        field == "modelId" ? "levelId"
        : RowField().Replace(field, m => $"{m.Groups[1].Value}[{(m.Groups[1].Value == "strategies" ? strategyRows : linkRows).ElementAtOrDefault(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))}]");

    [GeneratedRegex(@"^(strategies|contributes)\[(\d+)\]")]
    private static partial Regex RowField();

    /// <summary>What the other person saved, field by field where it differs from what was typed.</summary>
    private async Task ShowTheirsAsync(VersionedGoal now)
    {
        var (typed, _, _) = Input();
        FieldErrors.Clear();
        void Differs(string field, string? theirs, string? mine) => this.Differs(field, mine, theirs, saved => text["GoalEdit.Theirs", saved]);

        var ids = now.Contributes.Concat(typed.Contributes).Select(l => l.GoalId).Distinct().ToList();
        var names = await db.Goals.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Title);
        string LinkText(IEnumerable<ParentLinkDoc> links) => string.Join("; ", links.Select(l => $"{names.GetValueOrDefault(l.GoalId, l.GoalId.ToString())} ({OutcomesModel.Figure(l.Weight)})"));
        Differs("title", now.Title, typed.Title);
        Differs("code", now.Code, typed.Code);
        Differs("description", now.Description, typed.Description);
        Differs("levelId", Levels.SelectMany(l => l.Levels).FirstOrDefault(l => l.Id == now.LevelId)?.Name, Levels.SelectMany(l => l.Levels).FirstOrDefault(l => l.Id == typed.LevelId)?.Name);
        Differs("dimensionId", Dimensions.FirstOrDefault(d => d.Id == now.DimensionId)?.Name, Dimensions.FirstOrDefault(d => d.Id == typed.DimensionId)?.Name);
        Differs("ownerUnitId", Owners.FirstOrDefault(o => o.Id == now.OwnerUnitId)?.Name.Trim(), Owners.FirstOrDefault(o => o.Id == typed.OwnerUnitId)?.Name.Trim());
        Differs("validFromYear", now.ValidFromYear?.ToString(CultureInfo.InvariantCulture), typed.ValidFromYear?.ToString(CultureInfo.InvariantCulture));
        Differs("validToYear", now.ValidToYear?.ToString(CultureInfo.InvariantCulture), typed.ValidToYear?.ToString(CultureInfo.InvariantCulture));
        Differs("agenda2030", string.Join(", ", now.Agenda2030), string.Join(", ", typed.Agenda2030));
        Differs("sortOrder", now.SortOrder.ToString(CultureInfo.InvariantCulture), typed.SortOrder.ToString(CultureInfo.InvariantCulture));
        Differs("contributes", LinkText(now.Contributes), LinkText(typed.Contributes));
        Differs("strategies", string.Join("; ", now.Strategies.Select(s => s.Title)), string.Join("; ", typed.Strategies.Select(s => s.Title)));
    }
}
