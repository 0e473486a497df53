using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Activities;

/// <summary>Activities in the document's shape (<see cref="VersionedActivity"/>), and their progress reports per period.</summary>
public static class ActivityEndpoints
{
    public static void MapActivities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/activities").WithTags("Aktiviteter");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}/progress", PutProgress).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<VersionedActivity>>> List(string? goalId, string? programId, string? unitId, ActivityEditing activities) =>
        TypedResults.Ok(await activities.ListAsync(QueryValue.Guid(goalId), QueryValue.Guid(programId), QueryValue.Guid(unitId)));

    private static async Task<Results<Ok<VersionedActivity>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ActivityEditing activities) =>
        (await activities.GetAsync(id)).ToHttp();

    private static async Task<Results<Created<VersionedActivity>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedActivity input, ActivityEditing activities) =>
        (await activities.CreateAsync(input)).ToCreated(x => $"/api/v1/tenants/{slug}/activities/{x.Id}");

    /// <summary>Changes the plan of an activity: send back what GET gave, changed where it should change. Reports are left as they are.</summary>
    private static async Task<Results<Ok<VersionedActivity>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedActivity input, ActivityEditing activities) =>
        (await activities.UpdateAsync(id, input)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, ActivityEditing activities) =>
        (await activities.DeleteAsync(id, QueryValue.Int(version))).ToNoContent();

    /// <summary>Reports status and progress, and optionally the period's comment. Needs the version read with the activity.</summary>
    private static async Task<Results<Ok<VersionedActivity>, ValidationProblem, ProblemHttpResult>> PutProgress(Guid id, ActivityProgressInput input, ActivityEditing activities) =>
        (await activities.ReportAsync(id, input)).ToHttp();
}
