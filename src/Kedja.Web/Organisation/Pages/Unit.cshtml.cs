using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Organisation.Pages;

/// <summary>
/// One unit for an administrator: rename, retype, move, deactivate, which nämnder a förvaltning serves, and removal
/// with confirmation when nothing refers to it. <see cref="UnitEditing"/> holds the rules, as for the API.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class UnitModel(TenantContext tenant, UnitEditing units, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    /// <summary>The unit as it stands now (after a conflict: as the other person left it).</summary>
    public VersionedUnit? Current { get; private set; }

    public List<(VersionedUnit Unit, int Depth)> Tree { get; private set; } = [];

    [BindProperty]
    public UnitInput Unit { get; set; } = new();

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "taBort")]
    public bool Remove { get; set; }

    [BindProperty(SupportsGet = true, Name = "klart")]
    public bool Saved { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    public bool Conflicted { get; private set; }

    public async Task OnGetAsync(Guid unitId)
    {
        if (await LoadAsync(unitId))
        {
            Unit = UnitInput.Of(Current!);
            Version = Current!.Version;
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid unitId)
    {
        if (!await LoadAsync(unitId))
        {
            return Page();
        }

        var result = await units.UpdateAsync(unitId, Unit.ToUnit(unitId, Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/organisation/{unitId}?klart=true");
        }

        await ShowAsync(unitId, result.Error);
        if (Conflicted)
        {
            // Saving again now overrides the other person's change knowingly.
            Version = Current?.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid unitId)
    {
        if (!await LoadAsync(unitId))
        {
            return Page();
        }

        var result = await units.DeleteAsync(unitId, Version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(FormDone.Url($"/k/{tenant.Slug}/organisation", FormDone.UnitDeleted));
        }

        Unit = UnitInput.Of(Current!);
        await ShowAsync(unitId, result.Error);
        Version = Current?.Version;
        return Page();
    }

    /// <summary>The other person's value beside one's own, after a conflict, when they differ.</summary>
    public string? Theirs(object? typed, object? theirs, string? shown = null) =>
        Conflicted && Current is not null && !Equals(typed, theirs) ? text["UnitAdmin.TheirValue", shown ?? theirs?.ToString() ?? "–"].Value : null;

    /// <summary>The nämnder and the kommunstyrelse: whom a förvaltning may serve.</summary>
    public IEnumerable<VersionedUnit> Servable => Tree.Select(t => t.Unit).Where(u => UnitRules.CanBeServed(u.Kind) && u.Id != Current?.Id);

    private async Task ShowAsync(Guid unitId, ServiceError error)
    {
        Conflicted = error.Kind == ServiceErrorKind.Conflict;
        Error = Conflicted ? text["UnitAdmin.Conflict"] : error.Field == "id" ? error.Message : text["UnitAdmin.NotSaved"];
        Response.StatusCode = error.StatusCode;
        UnitForm.Show(error, Errors);
        Errors.Remove("id");
        await LoadAsync(unitId);
    }

    private async Task<bool> LoadAsync(Guid unitId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await units.GetAsync(unitId, ct);
        if (found.Error is { } missing)
        {
            Error = missing.Message;
            Response.StatusCode = missing.StatusCode;
            return false;
        }

        Current = found.Value;
        Tree = UnitForm.Tree(await units.ListAsync(ct));
        return true;
    }
}
