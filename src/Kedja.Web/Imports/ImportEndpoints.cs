using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Kedja.Web.Imports;

/// <summary>Imports of outcome files through the API (ADR 36): upload, poll the check, import; the rules are <see cref="ImportJobs"/>'s and <see cref="OutcomeImports"/>'.</summary>
public static class ImportEndpoints
{
    public static void MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/imports").WithTags("Imports");
        group.MapGet("/", List).RequireTenant(TenantRole.Editor);
        group.MapPost("/", Upload).RequireTenant(TenantRole.Editor).DisableAntiforgery().WithMetadata(ImportBodyLimit.Instance);
        group.MapGet("/template", Template).RequireTenant(TenantRole.Editor);
        group.MapGet("/{id:guid}", Get).RequireTenant(TenantRole.Editor);
        group.MapPost("/{id:guid}/import", Import).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<ImportDto>>> List(ImportJobs imports, CancellationToken cancellationToken) => TypedResults.Ok(await imports.ListAsync(cancellationToken));

    /// <summary>
    /// Takes the file as a form field named <c>file</c>, or as the raw body with <c>?fileName=</c>; answers 202 with
    /// where the check is read. Nothing is written to the tenant's data until <c>…/import</c>.
    /// </summary>
    private static async Task<Results<Accepted<ImportDto>, ValidationProblem, ProblemHttpResult>> Upload(string slug, HttpRequest request, [FromQuery] string? fileName,
        ImportJobs imports, CancellationToken cancellationToken)
    {
        string? name;
        byte[] content;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.Files.GetFile("file") is not { } file)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["file"] = ["Skicka filen i fältet file."] });
            }

            name = file.FileName;
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else
        {
            name = fileName;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }

        return (await imports.StartAsync(name, content, cancellationToken)).ToHttp(i => TypedResults.Accepted($"/api/v1/tenants/{slug}/imports/{i.Id}", i));
    }

    private static async Task<Results<Ok<ImportDto>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ImportJobs imports, CancellationToken cancellationToken) =>
        (await imports.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Accepted<ImportDto>, ValidationProblem, ProblemHttpResult>> Import(string slug, Guid id, ImportJobs imports, CancellationToken cancellationToken) =>
        (await imports.ImportAsync(id, cancellationToken)).ToHttp(i => TypedResults.Accepted($"/api/v1/tenants/{slug}/imports/{i.Id}", i));

    private static async Task<IResult> Template([FromQuery] string? unitId, [FromQuery] string? year, ImportTemplates templates, CancellationToken cancellationToken) =>
        (await templates.BuildAsync(QueryValue.Guid(unitId), QueryValue.Int(year), cancellationToken)).ToHttp(file => Download(file));

    public static IResult Download(ImportTemplateFile file)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.FileName);
        return new TemplateDownload(file, disposition.ToString());
    }

    private sealed class TemplateDownload(ImportTemplateFile file, string disposition) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentDisposition = disposition;
            http.Response.Headers.CacheControl = "private, no-store";
            return TypedResults.Bytes(file.Content, ImportTemplates.ContentType).ExecuteAsync(http);
        }
    }
}
