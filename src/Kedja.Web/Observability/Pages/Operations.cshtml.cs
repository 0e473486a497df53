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
public sealed class OperationsModel(Operations operations) : PageModel
{
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

    public async Task OnGetAsync() => View = await operations.ReadAsync(HttpContext.RequestAborted);
}
