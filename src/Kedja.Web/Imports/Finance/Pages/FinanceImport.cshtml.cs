using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Imports.Finance.Pages;

/// <summary>
/// One finance import: the check's progress (the page reloads itself while the worker works), the preview with every
/// problem by line, the figures that would change, the button that imports a file without problems, and once
/// imported the budget lines the import wrote per unit, with a link to each unit's budget page.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class FinanceImportModel(TenantContext tenant, ImportJobs imports, KedjaDbContext db) : FormPage
{
    public sealed record UnitLines(Guid UnitId, string Unit, int Year, List<(string Line, decimal Budget, decimal Actual)> Lines);

    public TenantContext Tenant => tenant;

    public ImportDto? Import { get; private set; }

    public bool Mine => Import is not null && Import.RequestedBy == User.Identity?.Name;

    public List<UnitLines> Written { get; private set; } = [];

    /// <summary>An outcome file's import is shown on its own page: the address of one kind leads to the other's.</summary>
    public async Task<IActionResult> OnGetAsync(Guid importId) =>
        await LoadAsync(importId) ? Page()
        : (await imports.GetAsync(importId, OutcomeImportKind.Outcomes, HttpContext.RequestAborted)).Value is { } other ? LocalRedirect($"/k/{tenant.Slug}/import/{other.Id}")
        : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid importId)
    {
        if (!await LoadAsync(importId))
        {
            return NotFound();
        }

        var started = await imports.ImportAsync(importId, OutcomeImportKind.Finance, HttpContext.RequestAborted);
        if (started.Error is { } error)
        {
            Show(error, $"Filen importerades inte. {error.Message}");
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/ekonomi/import/{importId}");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        Import = (await imports.GetAsync(id, OutcomeImportKind.Finance, HttpContext.RequestAborted)).Value;
        if (Import?.State == "imported")
        {
            var ct = HttpContext.RequestAborted;
            var rows = await db.BudgetLineMonths.AsNoTracking().Where(l => l.ImportId == id).ToListAsync(ct);
            var units = rows.Select(r => r.UnitId).Distinct().ToList();
            var names = await db.Units.AsNoTracking().Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
            Written = [.. rows.GroupBy(r => (r.UnitId, r.Year)).Select(g => new UnitLines(g.Key.UnitId, names.GetValueOrDefault(g.Key.UnitId) ?? "", g.Key.Year,
                    [.. g.GroupBy(r => r.Line).Select(l => (l.Key, l.Sum(r => r.Budget), l.Sum(r => r.Actual)))]))
                .OrderBy(u => u.Unit, StringComparer.CurrentCulture)];
        }

        return Import is not null;
    }

    /// <summary>"1 234,5 → 1 300" for a change, "1 300" for a new figure.</summary>
    public static string Change(decimal? before, decimal? after)
    {
        static string F(decimal? v) => v is { } n ? n.ToString("#,0.###", Kedja.Domain.SwedishFormat.Culture) : "";
        return (before, after) switch
        {
            (null, null) => "",
            (null, _) => F(after),
            _ when before == after => F(before),
            _ => $"{F(before)} → {F(after)}",
        };
    }
}
