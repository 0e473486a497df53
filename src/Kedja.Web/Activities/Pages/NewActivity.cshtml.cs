using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Activities.Pages;

/// <summary>Planning a new activity under a goal (<c>?mal=</c>) or in a program (<c>?program=</c>); saved by <see cref="ActivityEditing"/>, as the API saves it.</summary>
[RequireTenant(TenantRole.Editor)]
public sealed class NewActivityModel(TenantContext tenant, KedjaDbContext db, ActivityEditing activities, IStringLocalizer<Texts> text) : ActivityForm(tenant, db, text)
{
    public async Task OnGetAsync([FromQuery(Name = "mal")] Guid? goalId, [FromQuery(Name = "program")] Guid? programId)
    {
        var ct = HttpContext.RequestAborted;
        Progress = "0";
        if (goalId is { } g && await Db.Goals.AsNoTracking().Where(x => x.Id == g).Select(x => (Guid?)x.OwnerUnitId).SingleOrDefaultAsync(ct) is { } owner)
        {
            BelongsTo = GoalValue(g);
            ResponsibleUnitId = await UnitScope.AllowsAsync(Tenant, Db, owner, ct) ? owner : Tenant.UnitScope;
        }
        else if (programId is { } p && await Db.Programs.AsNoTracking().Where(x => x.Id == p).Select(x => new { x.OwnerUnitId }).SingleOrDefaultAsync(ct) is { } program)
        {
            BelongsTo = ProgramValue(p);
            ResponsibleUnitId = Tenant.UnitScope ?? program.OwnerUnitId;
        }
        else
        {
            ResponsibleUnitId = Tenant.UnitScope;
        }

        await LoadChoicesAsync(goalId, ResponsibleUnitId);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await activities.CreateAsync(Read(Guid.Empty) with { Version = null }, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } created)
        {
            return Saved(HomeOf(created.GoalId, created.ProgramId), FormDone.ActivityCreated);
        }

        Show(result.Error!);

        await LoadChoicesAsync(null, ResponsibleUnitId);
        return Page();
    }
}
