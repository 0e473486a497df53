using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Imports.Pages;

/// <summary>
/// Where an editor brings figures in from a file: the template to download for a unit and year, the upload, and their
/// earlier imports (an administrator sees everyone's). The check and the import happen on the import's own page.
/// </summary>
[RequireTenant(TenantRole.Editor)]
[ImportBodyLimit]
public sealed class ImportsModel(TenantContext tenant, ImportJobs imports, ImportTemplates templates, UnitEditing units, KedjaDbContext db, TimeProvider clock,
    IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    [BindProperty(SupportsGet = true, Name = "enhet")]
    public Guid? UnitId { get; set; }

    [BindProperty(SupportsGet = true, Name = "ar")]
    public int? Year { get; set; }

    public List<(VersionedUnit Unit, int Depth)> Units { get; private set; } = [];

    public List<int> Years { get; private set; } = [];

    public List<ImportDto> Imports { get; private set; } = [];

    public bool IsAdmin => tenant.IsSystemAdmin || tenant.Role >= TenantRole.Admin;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnGetTemplateAsync()
    {
        var file = await templates.BuildAsync(UnitId, Year, HttpContext.RequestAborted);
        if (file.Value is { } found)
        {
            return new TemplateResult(found);
        }

        await LoadAsync();
        Show(file.Error!, text["Imports.NoTemplate"]);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? fil)
    {
        byte[] content = [];
        if (fil is not null)
        {
            using var buffer = new MemoryStream();
            await fil.CopyToAsync(buffer, HttpContext.RequestAborted);
            content = buffer.ToArray();
        }

        var started = await imports.StartAsync(fil?.FileName, content, HttpContext.RequestAborted);
        if (started.Error is { } error)
        {
            await LoadAsync();
            Show(error, text["Imports.NotStarted"]);
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/import/{started.Value!.Id}");
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var allowed = await UnitScope.AllowsManyAsync(tenant, db, ct);
        Units = Organisation.Pages.UnitForm.Tree([.. (await units.ListAsync(ct)).Where(u => u.IsActive && allowed(u.Id))]);
        Years = [.. (await db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync(ct)).Select(k => PeriodRef.TryParse(k, out var p) ? p.Year : 0)
            .Where(y => y > 0).Distinct().OrderDescending()];
        Year ??= Years.Contains(clock.GetLocalNow().Year) ? clock.GetLocalNow().Year : Years.FirstOrDefault();
        UnitId ??= tenant.UnitScope ?? Units.FirstOrDefault().Unit?.Id;
        Imports = await imports.ListAsync(ct);
    }

    public static string When(DateTime? utc) => Reports.Pages.ReportsModel.When(utc);

    private sealed class TemplateResult(ImportTemplateFile file) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => ImportEndpoints.Download(file).ExecuteAsync(context.HttpContext);
    }
}
