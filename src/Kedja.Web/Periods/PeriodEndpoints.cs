using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

public sealed record PeriodDto(Guid Id, string Key, string Name, DateOnly StartDate, DateOnly EndDate, DateOnly? Deadline, bool IsPublished,
    DateTime? PublishedAt, string? PublishedBy, int Version);

public sealed record PublicationInput(bool IsPublished, int? Version);

/// <param name="Version">0 for a unit whose follow-up has never moved (it is open without a row of its own).</param>
public sealed record UnitWorkflowDto(Guid UnitId, string UnitName, UnitKind UnitKind, WorkflowState State, string StateName, string? ChangedBy, DateTime? ChangedAt,
    string? ReopenReason, int Version);

public sealed record WorkflowInput(WorkflowAction Action, string? Reason, int? Version);

public sealed record LockResult(int Locked, int AlreadyLocked);

public static class PeriodEndpoints
{
    public static void MapPeriods(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Perioder och arbetsflöde");
        group.MapGet("/periods", List).RequireTenant();
        group.MapPut("/periods/{key}/publication", Publish).RequireTenant(TenantRole.Admin);
        group.MapGet("/periods/{key}/workflow", Workflow).RequireTenant();
        group.MapPost("/periods/{key}/lock", LockAll).RequireTenant(TenantRole.Admin);
        group.MapPost("/units/{unitId:guid}/periods/{key}/workflow", Transition).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<PeriodDto>>> List(KedjaDbContext db) =>
        TypedResults.Ok((await db.Periods.AsNoTracking().ToListAsync()).OrderBy(p => p.Ref).Select(ToDto).ToList());

    /// <summary>Publishes a period to the public portal, or withdraws it. Nothing of an unpublished period is ever public.</summary>
    private static async Task<Results<Ok<PeriodDto>, ValidationProblem, ProblemHttpResult>> Publish(string key, PublicationInput input, KedjaDbContext db, IAuditActor actor, TimeProvider clock)
    {
        var period = await db.Periods.SingleOrDefaultAsync(p => p.Key == key);
        if (period is null)
        {
            return Problems.NotFound("Perioden finns inte i uppföljningskalendern.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        db.ExpectVersion(period, input.Version.Value);
        period.IsPublished = input.IsPublished;
        period.PublishedAt = input.IsPublished ? clock.GetUtcNow().UtcDateTime : null;
        period.PublishedBy = input.IsPublished ? actor.Name : null;
        return await db.TrySaveAsync() ? TypedResults.Ok(ToDto(period)) : Problems.Conflict();
    }

    private static async Task<Results<Ok<List<UnitWorkflowDto>>, ValidationProblem, ProblemHttpResult>> Workflow(string key, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.ListAsync(key, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<UnitWorkflowDto>, ValidationProblem, ProblemHttpResult>> Transition(Guid unitId, string key, WorkflowInput input, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.TransitionAsync(unitId, key, input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<LockResult>, ValidationProblem, ProblemHttpResult>> LockAll(string key, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.LockAllAsync(key, cancellationToken)).ToHttp();

    private static PeriodDto ToDto(FollowUpPeriod p) =>
        new(p.Id, p.Key, p.Name, p.StartDate, p.EndDate, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy, p.Version);
}
