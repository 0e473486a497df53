using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>A new program, saved by <see cref="ProgramEditing"/> as the API saves it.</summary>
[RequireTenant(TenantRole.Editor)]
public sealed class NewProgramModel(TenantContext tenant, KedjaDbContext db, ProgramEditing programs, IStringLocalizer<Texts> text) : ProgramForm(tenant, db, text)
{
    public async Task OnGetAsync()
    {
        OwnerUnitId = Tenant.UnitScope;
        await LoadChoicesAsync(programs, null);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await programs.CreateAsync(Read(Guid.Empty) with { Version = null }, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } created)
        {
            return Saved($"/k/{Tenant.Slug}/program/{created.Id}", FormDone.ProgramCreated);
        }

        Show(result.Error!);

        await LoadChoicesAsync(programs, null);
        return Page();
    }
}
