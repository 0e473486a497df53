using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Model;

/// <summary>The governance model (styrmodell): vision, dimensions, goal levels and their rules, calendar and scale.</summary>
public static class ModelEndpoints
{
    public static void MapModel(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/model").WithTags("Styrmodell");
        group.MapGet("/", List).RequireTenant();
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Ok<List<VersionedModel>>> List(ModelEditing models, CancellationToken cancellationToken) =>
        TypedResults.Ok(await models.ListAsync(cancellationToken));

    private static async Task<Results<Ok<VersionedModel>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedModel input, ModelEditing models,
        CancellationToken cancellationToken) =>
        (await models.UpdateAsync(id, input, cancellationToken)).ToHttp();
}
