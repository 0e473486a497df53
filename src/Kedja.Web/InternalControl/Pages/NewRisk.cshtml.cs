using System.Globalization;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>A new risk in a unit's register (<c>?enhet=</c> chooses the unit); saved by <see cref="RiskRegister"/>, as the API saves it.</summary>
[RequireTenant(TenantRole.Editor)]
public sealed class NewRiskModel(TenantContext tenant, KedjaDbContext db, RiskRegister register, TimeProvider clock, IStringLocalizer<Texts> text) : RiskForm(tenant, db, text)
{
    public async Task OnGetAsync([FromQuery(Name = "enhet")] Guid? unitId)
    {
        await LoadChoicesAsync(null, null);
        UnitId = unitId is { } u && UnitChoices.Any(c => c.Id == u) ? u : Tenant.UnitScope ?? UnitChoices.FirstOrDefault().Id;
        FirstYear = ThisYear(clock).ToString(CultureInfo.InvariantCulture);
        Ready = UnitChoices.Count > 0;
        if (!Ready)
        {
            Error = Text["Risk.NoUnits"];
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await register.CreateAsync(Read(Guid.Empty, 0) with { Version = null }, Unreadable, HttpContext.RequestAborted);
        if (result.Value is { } created)
        {
            return LocalRedirect($"{Home}/{created.Id}?klart=skapad");
        }

        Show(result.Error!, Text["Risk.NotSaved"]);
        await LoadChoicesAsync(null, null);
        Ready = true;
        return Page();
    }
}
