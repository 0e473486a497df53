using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Organisation.Pages;

/// <summary>The tenant's reorganisations, planned and done; the administrator's, as in the API (<see cref="Reorganisations"/>).</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class ReorganisationsModel(TenantContext tenant, Reorganisations reorganisations) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<ReorganisationView> Ahead { get; private set; } = [];

    public List<ReorganisationView> Done { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var all = await reorganisations.ListAsync(HttpContext.RequestAborted);
        Ahead = [.. all.Where(r => r.State is ReorganisationState.Planned or ReorganisationState.Confirmed).OrderBy(r => r.EffectiveDate)];
        Done = [.. all.Where(r => r.State is ReorganisationState.Applied or ReorganisationState.Cancelled)];
    }
}

/// <summary>Planning a reorganisation of one step (the API takes several); saved by <see cref="Reorganisations.PlanAsync"/>.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class NewReorganisationModel(TenantContext tenant, Reorganisations reorganisations, UnitEditing units, Microsoft.Extensions.Localization.IStringLocalizer<Ui.Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<(VersionedUnit Unit, int Depth)> Tree { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? EffectiveDate { get; set; }

    [BindProperty]
    public ReorganisationKind Kind { get; set; } = ReorganisationKind.Merge;

    [BindProperty]
    public List<Guid> Units { get; set; } = [];

    [BindProperty]
    public Guid? NewParentId { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewNames { get; set; }

    public async Task OnGetAsync()
    {
        EffectiveDate = new DateOnly(reorganisations.Today().Year + 1, 1, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        DateOnly? date = null;
        if (DateOnly.TryParseExact(EffectiveDate?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
        {
            date = parsed;
        }
        else if (!string.IsNullOrWhiteSpace(EffectiveDate))
        {
            Errors["effectiveDate"] = text["Reorg.DateFormat"];
        }

        var names = (NewNames ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var result = await reorganisations.PlanAsync(new ReorganisationInput(Name, date, [new ReorganisationStepInput(Kind, Units, NewParentId, NewName, names)]), HttpContext.RequestAborted);
        if (result.Value is { } planned && Errors.Count == 0)
        {
            return LocalRedirect($"/k/{tenant.Slug}/organisation/omorganisationer/{planned.Id}");
        }

        if (result.Error is { } error)
        {
            Response.StatusCode = error.StatusCode;
            foreach (var (field, messages) in Ui.Html.FieldMessages(error))
            {
                var key = field.StartsWith("steps[0].", StringComparison.Ordinal) ? field["steps[0].".Length..] : field;
                Errors[key] = Errors.TryGetValue(key, out var before) ? $"{before} {string.Join(" ", messages)}" : string.Join(" ", messages);
            }
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() =>
        Tree = UnitForm.Tree([.. (await units.ListAsync(HttpContext.RequestAborted)).Where(u => u.IsActive)]);
}

/// <summary>One reorganisation: its summary, the mapping to confirm (or change while planned), confirming and cancelling.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class ReorganisationModel(TenantContext tenant, Reorganisations reorganisations) : PageModel
{
    public TenantContext Tenant => tenant;

    public ReorganisationView? Reorganisation { get; private set; }

    public string? Error { get; private set; }

    public List<string> Problems { get; } = [];

    [FromRoute(Name = "reorganisationId")]
    public Guid Id { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public Dictionary<Guid, Guid?> To { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "klart")]
    public string? DoneWhat { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public Task<IActionResult> OnPostMapAsync() =>
        SubmitAsync(() => reorganisations.MapAsync(Id, new MappingInput([.. To.Select(t => new MappingChoice(t.Key, t.Value))], Version), HttpContext.RequestAborted), "koppling");

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        // What the form shows is what is confirmed: the choices are saved first, in the same version.
        if (To.Count > 0)
        {
            var mapped = await reorganisations.MapAsync(Id, new MappingInput([.. To.Select(t => new MappingChoice(t.Key, t.Value))], Version), HttpContext.RequestAborted);
            if (mapped.Error is not null)
            {
                return await ShowAsync(mapped.Error);
            }

            Version = mapped.Value!.Version;
        }

        return await SubmitAsync(() => reorganisations.ConfirmAsync(Id, new ReorganisationVersionInput(Version), HttpContext.RequestAborted), "bekraftad");
    }

    public Task<IActionResult> OnPostCancelAsync() =>
        SubmitAsync(() => reorganisations.CancelAsync(Id, new ReorganisationVersionInput(Version), HttpContext.RequestAborted), "avbruten");

    private async Task<IActionResult> SubmitAsync(Func<Task<ServiceResult<ReorganisationView>>> action, string done)
    {
        var result = await action();
        return result.Error is { } error ? await ShowAsync(error) : LocalRedirect($"/k/{tenant.Slug}/organisation/omorganisationer/{Id}?klart={done}");
    }

    private async Task<IActionResult> ShowAsync(ServiceError error)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        Response.StatusCode = error.StatusCode;
        Error = error.Message;
        Problems.AddRange(Ui.Html.FieldMessages(error).SelectMany(f => f.Value).Distinct());
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        Reorganisation = (await reorganisations.GetAsync(Id, HttpContext.RequestAborted)).Value;
        return Reorganisation is not null;
    }
}
