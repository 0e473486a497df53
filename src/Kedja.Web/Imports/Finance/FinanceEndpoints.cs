using Kedja.Domain.Imports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Imports.Finance;

/// <summary>
/// Budget and outcome from the finance system through the API (administrators): the mapping, and the imports of SIE
/// or CSV files through the import log as outcome files go (upload, poll the check, import); the rules are
/// <see cref="FinanceMappings"/>', <see cref="ImportJobs"/>' and <see cref="FinanceImports"/>'.
/// </summary>
public static class FinanceEndpoints
{
    public static void MapFinance(this IEndpointRouteBuilder app)
    {
        var mappings = app.MapGroup("/api/v1/tenants/{slug}/finance-mappings").WithTags("Finance");
        mappings.MapGet("/", GetMapping).RequireTenant(TenantRole.Admin);
        mappings.MapPut("/", PutMapping).RequireTenant(TenantRole.Admin);

        var imports = app.MapGroup("/api/v1/tenants/{slug}/finance-imports").WithTags("Finance");
        imports.MapGet("/", List).RequireTenant(TenantRole.Admin);
        imports.MapPost("/", Upload).RequireTenant(TenantRole.Admin).DisableAntiforgery().WithMetadata(ImportBodyLimit.Instance);
        imports.MapGet("/{id:guid}", Get).RequireTenant(TenantRole.Admin);
        imports.MapPost("/{id:guid}/import", Import).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<FinanceMappingDto>, ValidationProblem, ProblemHttpResult>> GetMapping(FinanceMappings mappings, CancellationToken cancellationToken) =>
        (await mappings.GetAsync(cancellationToken)).ToHttp();

    /// <summary>Sets the mapping whole: without a version the first time, then with the version read.</summary>
    private static async Task<Results<Ok<FinanceMappingDto>, ValidationProblem, ProblemHttpResult>> PutMapping(FinanceMappingDto input, FinanceMappings mappings,
        CancellationToken cancellationToken) =>
        (await mappings.SetAsync(input, cancellationToken: cancellationToken)).ToHttp();

    private static async Task<Ok<List<ImportDto>>> List(ImportJobs imports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await imports.ListAsync(OutcomeImportKind.Finance, cancellationToken));

    /// <summary>Takes the SIE or CSV file as a form field named <c>file</c>, or as the raw body with <c>?fileName=</c>; answers 202 with where the check is read.</summary>
    private static async Task<Results<Accepted<ImportDto>, ValidationProblem, ProblemHttpResult>> Upload(string slug, HttpRequest request, [FromQuery] string? fileName,
        ImportJobs imports, CancellationToken cancellationToken)
    {
        string? name;
        (byte[] Content, bool TooLarge) read;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.Files.GetFile("file") is not { } file)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["file"] = ["Skicka filen i fältet file."] });
            }

            name = file.FileName;
            await using var stream = file.OpenReadStream();
            read = await FinanceUpload.ReadAsync(stream, file.Length, cancellationToken);
        }
        else
        {
            name = fileName;
            read = await FinanceUpload.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        }

        if (read.TooLarge)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [ImportJobs.TooLarge(FinanceImports.MaxBytes)] });
        }

        return (await imports.StartAsync(name, read.Content, OutcomeImportKind.Finance, cancellationToken))
            .ToHttp(i => TypedResults.Accepted($"/api/v1/tenants/{slug}/finance-imports/{i.Id}", i));
    }

    private static async Task<Results<Ok<ImportDto>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ImportJobs imports, CancellationToken cancellationToken) =>
        (await imports.GetAsync(id, OutcomeImportKind.Finance, cancellationToken)).ToHttp();

    private static async Task<Results<Accepted<ImportDto>, ValidationProblem, ProblemHttpResult>> Import(string slug, Guid id, ImportJobs imports, CancellationToken cancellationToken)
    {
        if ((await imports.GetAsync(id, OutcomeImportKind.Finance, cancellationToken)).Error is { } missing)
        {
            return ((ServiceResult<ImportDto>)missing).ToHttp(i => TypedResults.Accepted("", i));
        }

        return (await imports.ImportAsync(id, OutcomeImportKind.Finance, cancellationToken)).ToHttp(i => TypedResults.Accepted($"/api/v1/tenants/{slug}/finance-imports/{i.Id}", i));
    }
}
