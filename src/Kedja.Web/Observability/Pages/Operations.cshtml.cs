using Kedja.Web.Tenants;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Observability.Pages;

/// <summary>
/// The installation's operations for system administrators (issue 18, ADR 51): jobs and their failures, the mail queue,
/// Kolada per tenant, reminders and the slowest requests of the last hour, from <see cref="Operations"/>. Everyone else
/// gets the 403 page; an anonymous visitor is sent to sign in.
/// </summary>
public sealed class OperationsModel(Operations operations, Data.KedjaDbContext db) : PageModel
{
    /// <summary>The newest security events of the installation, access refusals among them (ASVS 7.1.3 / 7.2.2, ADR 54).</summary>
    public List<Auth.SecurityEventRow> SecurityEvents { get; private set; } = [];

    public const string SystemAdminsOnly = "Endast systemadministratörer ser driftsidan.";

    public OperationsView View { get; private set; } = null!;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!TenantCreation.IsSystemAdmin(User))
        {
            await ErrorPage.WriteAsync(HttpContext, StatusCodes.Status403Forbidden, SystemAdminsOnly);
            context.Result = new EmptyResult();
            return;
        }

        await next();
    }

    public async Task OnGetAsync()
    {
        View = await operations.ReadAsync(HttpContext.RequestAborted);
        SecurityEvents = await Auth.AccessRefusals.RecentAsync(db, 50, HttpContext.RequestAborted);
    }
}
