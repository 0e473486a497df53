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
public abstract class ProgramForm(TenantContext tenant, KedjaDbContext db, IStringLocalizer<Texts> text) : PageModel
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

    public string? Error { get; protected set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>After a conflict: the other person's saved value of each field that differs from what was typed.</summary>
    public Dictionary<string, string> Theirs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(Guid Id, string Name)> UnitChoices { get; private set; } = [];

    /// <summary>Whether "no owner" may be chosen: only by whoever reaches every unit.</summary>
    public bool MayLeaveUnowned { get; private set; }

    public string? DescribedBy(string field, string? hint = null)
    {
        var ids = new[] { hint, Html.DescribedBy(FieldErrors, field), Theirs.ContainsKey(field) ? $"theirs-{field}" : null }.Where(x => x is not null).ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public string? Invalid(string field) => FieldErrors.ContainsKey(field) ? "true" : null;

    protected void Fill(VersionedProgram p) =>
        (Name, Description, OwnerUnitId, ValidFromYear, ValidToYear, Version) = (p.Name, p.Description, p.OwnerUnitId, Year(p.ValidFromYear), Year(p.ValidToYear), p.Version);

    private static string? Year(int? year) => year?.ToString(CultureInfo.InvariantCulture);

    protected VersionedProgram? Read(Guid id)
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

            FieldErrors[field] = text["Program.BadYear"];
            return null;
        }

        var from = Parse("validFromYear", ValidFromYear);
        var to = Parse("validToYear", ValidToYear);
        if (FieldErrors.Count > 0)
        {
            Error = text["ActivityEdit.Fix"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return new VersionedProgram(id, Name?.Trim() ?? "", string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), OwnerUnitId, from, to, Version);
    }

    protected void Show(ServiceError error)
    {
        Error = error.Kind == ServiceErrorKind.Conflict ? text["ActivityEdit.Conflict"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Ui.Html.CopyFieldErrors(error, FieldErrors);

        if (error.Field is { } one)
        {
            FieldErrors[one] = error.Message;
        }
    }

    protected void ShowTheirs(VersionedProgram now)
    {
        void Differs(string field, string? mine, string? theirs)
        {
            if (!string.Equals(mine?.Trim() ?? "", theirs ?? "", StringComparison.Ordinal))
            {
                Theirs[field] = string.IsNullOrEmpty(theirs) ? "–" : theirs;
            }
        }

        Differs("name", Name, now.Name);
        Differs("description", Description, now.Description);
        if (OwnerUnitId != now.OwnerUnitId)
        {
            Theirs["ownerUnitId"] = now.OwnerUnitId is { } owner ? UnitChoices.FirstOrDefault(u => u.Id == owner).Name ?? owner.ToString() : text["Program.NoOwner"];
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
        UnitChoices = [.. (await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.IsActive }).ToListAsync(ct))
            .Where(u => (u.IsActive && allows(u.Id)) || u.Id == keep)
            .OrderBy(u => u.Name, StringComparer.Create(Language.Formats, ignoreCase: true)).Select(u => (u.Id, u.Name))];
        MayLeaveUnowned = await programs.MayEditAsync(null, ct);
    }
}
