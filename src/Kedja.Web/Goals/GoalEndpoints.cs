using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Goals;

/// <summary>Goals over HTTP: each route reads the request, calls <see cref="GoalEditing"/> and answers what it says.</summary>
public static class GoalEndpoints
{
    public static void MapGoals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/goals").WithTags("Mål");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<VersionedGoal>>> List(string? unitId, string? levelId, GoalEditing goals, CancellationToken cancellationToken) =>
        TypedResults.Ok(await goals.ListAsync(QueryValue.Guid(unitId), QueryValue.Guid(levelId), cancellationToken));

    private static async Task<Results<Ok<VersionedGoal>, ValidationProblem, ProblemHttpResult>> Get(Guid id, GoalEditing goals, CancellationToken cancellationToken) =>
        (await goals.GetAsync(id, cancellationToken)).ToHttp();

    private static async Task<Results<Created<VersionedGoal>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedGoal input, GoalEditing goals,
        CancellationToken cancellationToken) =>
        (await goals.CreateAsync(input, cancellationToken: cancellationToken)).ToCreated(g => $"/api/v1/tenants/{slug}/goals/{g.Id}");

    private static async Task<Results<Ok<VersionedGoal>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedGoal input, GoalEditing goals,
        CancellationToken cancellationToken) =>
        (await goals.UpdateAsync(id, input, cancellationToken: cancellationToken)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, GoalEditing goals, CancellationToken cancellationToken) =>
        (await goals.DeleteAsync(id, QueryValue.Int(version), cancellationToken)).ToNoContent();
}
