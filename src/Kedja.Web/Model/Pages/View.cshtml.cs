using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>The governance model for every member to read: vision, dimensions, levels and their rules, scale, calendar.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class ViewModel(TenantContext tenant, ModelEditing models, PeriodPublishing periods, IStringLocalizer<Texts> text) : ModelPageBase(tenant, models, text)
{
    public List<PeriodDto> Periods { get; private set; } = [];

    public bool IsAdmin => Tenant.Role == TenantRole.Admin || Tenant.IsSystemAdmin;

    public IStringLocalizer<Texts> TextFor => Text;

    public async Task OnGetAsync()
    {
        if (await LoadAsync())
        {
            Periods = await periods.ListAsync(HttpContext.RequestAborted);
        }
    }
}
