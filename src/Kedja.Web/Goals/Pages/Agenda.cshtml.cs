using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Goals.Pages;

[RequireTenant(TenantRole.Reader)]
public sealed class AgendaModel(TenantContext tenant, Agenda2030View view) : PageModel
{
    public TenantContext Tenant => tenant;

    public string PeriodKey { get; private set; } = "";

    public string PeriodName { get; private set; } = "";

    public List<Agenda2030Line> Lines { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "period")] string? periodKey)
    {
        var result = await view.ForAsync(periodKey, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            (PeriodKey, PeriodName, Lines) = result.Value;
        }
        else if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
        }
    }
}
