using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>Changing a program, and removing one that holds nothing after a second step that asks; <see cref="ProgramEditing"/> decides.</summary>
[RequireTenant(TenantRole.Editor)]
public sealed class EditProgramModel(TenantContext tenant, KedjaDbContext db, ProgramEditing programs, IStringLocalizer<Texts> text) : ProgramForm(tenant, db, text)
{
    public VersionedProgram? Program { get; private set; }

    public bool Confirming { get; private set; }

    public async Task OnGetAsync(Guid programId, [FromQuery(Name = "ta-bort")] string? confirm)
    {
        if (await LoadAsync(programId))
        {
            Fill(Program!);
            Confirming = confirm is not null;
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid programId)
    {
        if (!await LoadAsync(programId))
        {
            return Page();
        }

        var result = await programs.UpdateAsync(programId, Read(programId), Unreadable, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved($"/k/{Tenant.Slug}/program/{programId}", FormDone.ProgramSaved);
        }

        Show(result.Error);
        if (result.Error.Kind == ServiceErrorKind.Conflict && (await programs.GetAsync(programId, HttpContext.RequestAborted)).Value is { } now)
        {
            ShowTheirs(now);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid programId)
    {
        if (!await LoadAsync(programId))
        {
            return Page();
        }

        var result = await programs.DeleteAsync(programId, Version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved($"/k/{Tenant.Slug}/program", FormDone.ProgramDeleted);
        }

        Fill(Program!);
        Show(result.Error);
        return Page();
    }

    /// <summary>The program as it stands, refused as the service would refuse a change when the person may not edit it.</summary>
    private async Task<bool> LoadAsync(Guid programId)
    {
        var ct = HttpContext.RequestAborted;
        var found = await programs.GetAsync(programId, ct);
        if (found.Error is { } missing)
        {
            (Error, Response.StatusCode) = (missing.Message, missing.StatusCode);
            return false;
        }

        if (!await programs.MayEditAsync(found.Value!.OwnerUnitId, ct))
        {
            (Error, Response.StatusCode) = (ProgramEditing.OutsideUnits, StatusCodes.Status403Forbidden);
            return false;
        }

        Program = found.Value;
        await LoadChoicesAsync(programs, Program.OwnerUnitId);
        return true;
    }
}
