using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Organisation.Pages;

/// <summary>
/// The organisation as a tree for every member; administrators add a unit under another here and reach each unit's
/// own page to change it. <see cref="UnitEditing"/> holds the rules, as for the API.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class OrganisationModel(TenantContext tenant, UnitEditing units, Reorganisations reorganisations, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public bool IsAdmin => tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin;

    public List<(VersionedUnit Unit, int Depth)> Tree { get; private set; } = [];

    public ILookup<Guid?, VersionedUnit> ByParent { get; private set; } = Array.Empty<VersionedUnit>().ToLookup(u => u.ParentId);

    [BindProperty]
    public UnitInput New { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "under")]
    public Guid? Under { get; set; }

    [BindProperty(SupportsGet = true, Name = "ny")]
    public Guid? Added { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    /// <summary>Reorganisations not applied yet: every member sees the confirmed ones, administrators the planned ones too.</summary>
    public List<ReorganisationView> Planned { get; private set; } = [];

    public async Task OnGetAsync()
    {
        New.ParentId = Under;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!IsAdmin)
        {
            // The page is every member's; adding is the administrator's, as in the API.
            Error = TenantAccess.ForbiddenMessage;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await LoadAsync();
            return Page();
        }

        var result = await units.CreateAsync(New.ToUnit(Guid.Empty, null), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/organisation?ny={result.Value!.Id}#e-{result.Value.Id}");
        }

        Error = text["UnitAdmin.NotSaved"];
        Response.StatusCode = result.Error.StatusCode;
        UnitForm.Show(result.Error, Errors);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Planned = await reorganisations.AheadAsync(seePlanned: IsAdmin, HttpContext.RequestAborted);
        var all = await units.ListAsync(HttpContext.RequestAborted);
        Tree = UnitForm.Tree(all);
        var ids = all.Select(u => u.Id).ToHashSet();
        ByParent = all.ToLookup(u => u.ParentId is { } p && ids.Contains(p) ? p : (Guid?)null);
    }
}
