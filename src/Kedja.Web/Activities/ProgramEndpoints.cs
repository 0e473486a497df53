using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Activities;

/// <summary>Programs in the document's shape (<see cref="VersionedProgram"/>); their activities and indicators have endpoints of their own.</summary>
public static class ProgramEndpoints
{
    public static void MapPrograms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/programs").WithTags("Program");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<VersionedProgram>>> List(ProgramEditing programs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await programs.ListAsync(cancellationToken));

    private static async Task<Results<Ok<VersionedProgram>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ProgramEditing programs, CancellationToken cancellationToken) =>
        (await programs.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Created<VersionedProgram>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedProgram input, ProgramEditing programs,
        CancellationToken cancellationToken) =>
        (await programs.CreateAsync(input, cancellationToken: cancellationToken)).ToCreated(p => $"/api/v1/tenants/{slug}/programs/{p.Id}");

    /// <summary>Send back what GET gave, changed where it should change.</summary>
    private static async Task<Results<Ok<VersionedProgram>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedProgram input, ProgramEditing programs,
        CancellationToken cancellationToken) =>
        (await programs.UpdateAsync(id, input, cancellationToken: cancellationToken)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, ProgramEditing programs, CancellationToken cancellationToken) =>
        (await programs.DeleteAsync(id, QueryValue.Int(version), cancellationToken)).ToNoContent();
}
