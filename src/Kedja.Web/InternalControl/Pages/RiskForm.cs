using System.Globalization;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>
/// The fields of a risk as the new and the risk page show them (<c>_RiskFields.cshtml</c>): what was typed stays, the
/// service's errors stand beside their fields. The units offered are those the person may change risks for, and the
/// categories the municipality's; <see cref="RiskRegister"/> decides all the same.
/// </summary>
public abstract class RiskForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    protected KedjaDbContext Db => db;

    protected IStringLocalizer<Texts> Text => text;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Process { get; set; }

    [BindProperty]
    public string? Owner { get; set; }

    [BindProperty]
    public Guid? UnitId { get; set; }

    [BindProperty]
    public string? FirstYear { get; set; }

    [BindProperty]
    public string? LastYear { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public RiskSettings Scale { get; private set; } = RiskScale.Default();

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    /// <summary>The municipality's categories, and the risk's own when it was renamed since.</summary>
    public List<string> CategoryChoices { get; private set; } = [];

    public string Home => $"/k/{tenant.Slug}/intern-kontroll/risker";

    /// <summary>The year in Sweden today: the year a new risk enters the register and is assessed by default.</summary>
    protected static int ThisYear(TimeProvider clock) => Periods.Deadlines.Today(clock).Year;

    protected void Fill(VersionedRisk r)
    {
        (Title, Description, Category, Process, Owner, UnitId, Version) = (r.Title, r.Description, r.Category, r.Process, r.Owner, r.UnitId, r.Version);
        FirstYear = r.FirstYear.ToString(CultureInfo.InvariantCulture);
        LastYear = r.LastYear?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What was typed as the service takes it; a year that cannot be read goes to the service as unreadable.</summary>
    protected VersionedRisk Read(Guid id, int number)
    {
        int? Year(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var year))
            {
                return year;
            }

            Unreadable.Unreadable(field, text["Risk.BadYear"]);
            return null;
        }

        var first = Year("firstYear", FirstYear);
        if (first is null && string.IsNullOrWhiteSpace(FirstYear))
        {
            Unreadable.Unreadable("firstYear", text["Risk.FirstYearMissing"]);
        }

        return new VersionedRisk
        {
            Id = id, Number = number, UnitId = UnitId ?? Guid.Empty, Title = Title?.Trim() ?? "", Description = Description, Category = Category, Process = Process, Owner = Owner,
            FirstYear = first ?? 0, LastYear = Year("lastYear", LastYear), Version = Version,
        };
    }

    /// <summary>The choices of the form: the units the person may change risks for (and the risk's own), the categories.</summary>
    protected async Task LoadChoicesAsync(Guid? current, string? currentCategory)
    {
        var ct = HttpContext.RequestAborted;
        Scale = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, ct);
        var allows = await UnitScope.AllowsManyAsync(tenant, db, ct);
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        UnitChoices = [.. UnitTree.Order([.. units.Where(u => (u.IsActive && allows(u.Id)) || u.Id == current)], u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name)
            .Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        CategoryChoices = [.. Scale.Categories];
        if (!string.IsNullOrEmpty(currentCategory) && !CategoryChoices.Contains(currentCategory, StringComparer.Ordinal))
        {
            CategoryChoices.Add(currentCategory);
        }
    }
}
