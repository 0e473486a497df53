using System.Globalization;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>The fields of a program as the new and the edit page show them (<c>_ProgramFields.cshtml</c>); <see cref="ProgramEditing"/> decides.</summary>
public abstract class ProgramForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    protected KedjaDbContext Db => db;

    protected IStringLocalizer<Texts> Text => text;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public Guid? OwnerUnitId { get; set; }

    [BindProperty]
    public string? ValidFromYear { get; set; }

    [BindProperty]
    public string? ValidToYear { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    /// <summary>Whether "no owner" may be chosen: only by whoever reaches every unit.</summary>
    public bool MayLeaveUnowned { get; private set; }

    protected override string TheirsId(string field) => $"theirs-{field}";

    protected void Fill(VersionedProgram p) =>
        (Name, Description, OwnerUnitId, ValidFromYear, ValidToYear, Version) = (p.Name, p.Description, p.OwnerUnitId, Year(p.ValidFromYear), Year(p.ValidToYear), p.Version);

    private static string? Year(int? year) => year?.ToString(CultureInfo.InvariantCulture);

    /// <summary>What was typed as the service takes it; a year that cannot be read goes to the service as unreadable.</summary>
    protected VersionedProgram Read(Guid id)
    {
        int? Parse(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                return year;
            }

            Unreadable.Unreadable(field, text["Program.BadYear"]);
            return null;
        }

        var from = Parse("validFromYear", ValidFromYear);
        var to = Parse("validToYear", ValidToYear);
        return new VersionedProgram(id, Name?.Trim() ?? "", string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), OwnerUnitId, from, to, Version);
    }

    protected void Show(ServiceError error) =>
        Show(error, error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Errors is { Count: > 1 } ? text["ActivityEdit.Fix"] : error.Message);

    protected void ShowTheirs(VersionedProgram now)
    {
        Differs("name", Name, now.Name);
        Differs("description", Description, now.Description);
        if (OwnerUnitId != now.OwnerUnitId)
        {
            Theirs["ownerUnitId"] = now.OwnerUnitId is { } owner ? UnitChoices.FirstOrDefault(u => u.Id == owner).Name?.Trim() ?? owner.ToString() : text["Program.NoOwner"];
        }

        Differs("validFromYear", ValidFromYear, Year(now.ValidFromYear));
        Differs("validToYear", ValidToYear, Year(now.ValidToYear));
        Version = now.Version;
    }

    /// <summary>The units the person may give a program to (an administrator: all), and the one it has now.</summary>
    protected async Task LoadChoicesAsync(ProgramEditing programs, Guid? keep)
    {
        var ct = HttpContext.RequestAborted;
        var allows = await UnitScope.AllowsManyAsync(tenant, db, ct);
        var offered = (await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive, u.ParentId, u.SortOrder }).ToListAsync(ct))
            .Where(u => (u.IsActive && allows(u.Id)) || u.Id == keep).ToList();
        UnitChoices = [.. UnitTree.Order(offered, u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name).Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        MayLeaveUnowned = await programs.MayEditAsync(null, ct);
    }
}
