using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Documents;

/// <summary>Governing documents in the document's shape (<see cref="VersionedDocument"/>); administrators change them.</summary>
public static class DocumentEndpoints
{
    public static void MapDocuments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/documents").WithTags("Styrdokument");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Admin);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Admin);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<VersionedDocument>>> List(DocumentEditing documents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await documents.ListAsync(cancellationToken));

    private static async Task<Results<Ok<VersionedDocument>, ValidationProblem, ProblemHttpResult>> Get(Guid id, DocumentEditing documents, CancellationToken cancellationToken) =>
        (await documents.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Created<VersionedDocument>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedDocument input, DocumentEditing documents,
        CancellationToken cancellationToken) =>
        (await documents.CreateAsync(input, cancellationToken: cancellationToken)).ToCreated(d => $"/api/v1/tenants/{slug}/documents/{d.Id}");

    /// <summary>Changes a document as a whole, the goals it bears on included: send back what GET gave, changed where it should change.</summary>
    private static async Task<Results<Ok<VersionedDocument>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedDocument input, DocumentEditing documents,
        CancellationToken cancellationToken) =>
        (await documents.UpdateAsync(id, input, cancellationToken: cancellationToken)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, DocumentEditing documents, CancellationToken cancellationToken) =>
        (await documents.DeleteAsync(id, QueryValue.Int(version), cancellationToken)).ToNoContent();
}
