using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Reports;

/// <summary>
/// The tenant's report templates (<see cref="ReportTemplate"/>): every member reads them, administrators change a
/// default (PUT with its key), add one of their own (PUT with a new key, no version) or remove their version (DELETE:
/// a default comes back as Kedja ships it).
/// </summary>
public static class ReportTemplateEndpoints
{
    public static void MapReportTemplates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/report-templates").WithTags("Reports");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{key}", Get).RequireTenant();
        group.MapPut("/{key}", Put).RequireTenant(TenantRole.Admin);
        group.MapDelete("/{key}", Delete).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<ReportTemplate>>> List(ReportTemplates templates, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.ListAsync(cancellationToken));

    private static async Task<Results<Ok<ReportTemplate>, ValidationProblem, ProblemHttpResult>> Get(string key, ReportTemplates templates, CancellationToken cancellationToken) =>
        (await templates.GetAsync(key, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<ReportTemplate>, ValidationProblem, ProblemHttpResult>> Put(string key, ReportTemplate input, ReportTemplates templates,
        CancellationToken cancellationToken) =>
        (await templates.SaveAsync(key, input, cancellationToken)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(string key, string? version, ReportTemplates templates, CancellationToken cancellationToken) =>
        (await templates.ResetAsync(key, QueryValue.Int(version), cancellationToken)).ToNoContent();
}
