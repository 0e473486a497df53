using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Assignments.Pages;

/// <summary>Giving a new assignment; saved by <see cref="AssignmentEditing.CreateAsync"/>, as the API saves it (the giver's people only).</summary>
[RequireTenant(TenantRole.Editor)]
public sealed class NewAssignmentModel(TenantContext tenant, KedjaDbContext db, AssignmentEditing assignments, IStringLocalizer<Texts> text) : AssignmentForm(tenant, db, text)
{
    public async Task<IActionResult> OnGetAsync()
    {
        await LoadChoicesAsync(null, null);
        if (GiverChoices.Count == 0 && !IsAdmin)
        {
            // Nobody here may act for a giving unit: say so before anyone types, as the service would on saving.
            return Refuse(StatusCodes.Status403Forbidden, AssignmentEditing.NotGiver);
        }

        Ready = true;
        GiverUnitId = GiverChoices.FirstOrDefault(g => g.Id == Tenant.UnitScope).Id is var own && own != Guid.Empty ? own : GiverChoices.FirstOrDefault().Id is var first && first != Guid.Empty ? first : null;
        DecidedOn = assignments.Today().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await assignments.CreateAsync(Read(Guid.Empty, 0) with { Version = null }, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } created)
        {
            return LocalRedirect($"/k/{Tenant.Slug}/uppdrag/{created.Id}?klart=uppdrag-givet");
        }

        Ready = true;
        Show(result.Error!);
        await LoadChoicesAsync(GiverUnitId, ResponsibleUnitId);
        return Page();
    }
}
