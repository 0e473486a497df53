using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Reports.Pages;

/// <summary>The municipality's report templates with their sections; administrators change them from here.</summary>
[RequireTenant]
public sealed class TemplatesModel(TenantContext tenant, ReportTemplates templates) : PageModel
{
    public TenantContext Tenant => tenant;

    public bool IsAdmin => tenant.Role >= TenantRole.Admin;

    public List<ReportTemplate> Templates { get; private set; } = [];

    /// <summary>"sparad" or "aterstalld" after a change, for the message at the top.</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "klart")] string? done)
    {
        Templates = await templates.ListAsync(HttpContext.RequestAborted);
        Done = done is "sparad" or "aterstalld" ? done : null;
    }
}
