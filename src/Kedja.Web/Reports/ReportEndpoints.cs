using Kedja.Domain.Tenancy;
using Kedja.Reports;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Kedja.Web.Reports;

/// <summary>Reports ordered as background jobs, their files, and frozen reports (ADR 35); the rules are <see cref="ReportOrdering"/>'s.</summary>
public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Reports");
        group.MapGet("/reports", List).RequireTenant();
        group.MapPost("/reports", Order).RequireTenant();
        group.MapGet("/reports/{id:guid}", Get).RequireTenant();
        group.MapGet("/reports/{id:guid}/file", File).RequireTenant();
        group.MapPost("/reports/{id:guid}/freeze", Freeze).RequireTenant(TenantRole.Admin);
        group.MapGet("/frozen-reports", Frozen).RequireTenant();
        group.MapGet("/frozen-reports/{id:guid}/file", FrozenFile).RequireTenant();
    }

    private static async Task<Ok<List<ReportJobDto>>> List(ReportOrdering reports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.ListAsync(cancellationToken));

    /// <summary>Queues the report: 202 with where its state is read; the file follows at …/file when it is done.</summary>
    private static async Task<Results<Accepted<ReportJobDto>, ValidationProblem, ProblemHttpResult>> Order(string slug, ReportOrder order, ReportOrdering reports,
        CancellationToken cancellationToken) =>
        (await reports.OrderAsync(order, cancellationToken)).ToHttp(job => TypedResults.Accepted($"/api/v1/tenants/{slug}/reports/{job.Id}", job));

    private static async Task<Results<Ok<ReportJobDto>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ReportOrdering reports, CancellationToken cancellationToken) =>
        (await reports.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<IResult> File(Guid id, ReportOrdering reports, CancellationToken cancellationToken) =>
        (await reports.FileAsync(id, cancellationToken)).ToHttp(ReportDownload.Result);

    private static async Task<Results<Created<FrozenReportDto>, ValidationProblem, ProblemHttpResult>> Freeze(string slug, Guid id, ReportOrdering reports,
        CancellationToken cancellationToken) =>
        (await reports.FreezeAsync(id, cancellationToken)).ToCreated(r => $"/api/v1/tenants/{slug}/frozen-reports/{r.Id}/file");

    private static async Task<Results<Ok<List<FrozenReportDto>>, ValidationProblem, ProblemHttpResult>> Frozen([FromQuery] string? period, ReportOrdering reports,
        CancellationToken cancellationToken) =>
        (await reports.FrozenAsync(period, cancellationToken)).ToHttp();

    private static async Task<IResult> FrozenFile(Guid id, ReportOrdering reports, CancellationToken cancellationToken) =>
        (await reports.FrozenFileAsync(id, cancellationToken)).ToHttp(ReportDownload.Result);
}

/// <summary>How a report's file is served, by the API and the pages alike.</summary>
public static class ReportDownload
{
    /// <summary>An HTML report may style itself but never run anything, nor load anything from elsewhere.</summary>
    public const string HtmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    public static IResult Result(ReportFile file) => new Download(file);

    private sealed class Download(ReportFile file) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            // HTML is read in the browser; Word, PDF and Excel are saved and opened in their programs.
            var disposition = new ContentDispositionHeaderValue(file.Format == ReportFormat.Html ? "inline" : "attachment");
            disposition.SetHttpFileName(file.FileName);
            headers.ContentDisposition = disposition.ToString();
            headers.ContentSecurityPolicy = HtmlPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["X-Content-SHA256"] = file.Sha256;
            headers.CacheControl = "private, no-store";
            return TypedResults.Bytes(file.Content, file.ContentType).ExecuteAsync(http);
        }
    }
}

/// <summary>A report's file as a page handler's answer.</summary>
public sealed class ReportFileResult(ReportFile file) : Microsoft.AspNetCore.Mvc.IActionResult
{
    public Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context) => ReportDownload.Result(file).ExecuteAsync(context.HttpContext);
}
