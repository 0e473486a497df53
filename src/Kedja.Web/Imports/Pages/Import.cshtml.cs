using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Imports.Pages;

/// <summary>
/// One import: the check's progress (the page reloads itself while a worker checks or imports, no script), then the
/// preview with every problem by row and column and each row's result, and the button that imports a file without
/// problems.
/// </summary>
[RequireTenant(TenantRole.Editor)]
public sealed class ImportModel(TenantContext tenant, ImportJobs imports, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    public ImportDto? Import { get; private set; }

    public bool Mine => Import is not null && Import.RequestedBy == User.Identity?.Name;

    public async Task<IActionResult> OnGetAsync(Guid importId) => await LoadAsync(importId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid importId)
    {
        var started = await imports.ImportAsync(importId, HttpContext.RequestAborted);
        if (started.Error is { } error)
        {
            if (!await LoadAsync(importId))
            {
                return NotFound();
            }

            Show(error, $"{text["Imports.NotImported"]} {error.Message}");
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/import/{importId}");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        Import = (await imports.GetAsync(id, HttpContext.RequestAborted)).Value;
        return Import is not null;
    }

    /// <summary>"12,5 → 13" for a change, "13" for a new value, "12,5" when it stays.</summary>
    public static string Change(decimal? before, decimal? after)
    {
        static string F(decimal? v) => v is { } n ? n.ToString("#,0.############", Language.Formats) : "";
        return (before, after) switch
        {
            (null, null) => "",
            (null, _) => F(after),
            _ when before == after => F(before),
            _ => $"{F(before)} → {F(after)}",
        };
    }
}
