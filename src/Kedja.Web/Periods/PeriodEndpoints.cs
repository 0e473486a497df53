using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Periods;

/// <param name="UnitKindName">The unit's kind in Swedish, beside its key <paramref name="UnitKind"/>; likewise <paramref name="StateName"/>.</param>
/// <param name="Version">0 for a unit whose follow-up has never moved (it is open without a row of its own).</param>
public sealed record UnitWorkflowDto(Guid UnitId, string UnitName, UnitKind UnitKind, string UnitKindName, WorkflowState State, string StateName, string? ChangedBy,
    DateTime? ChangedAt, string? ReopenReason, int Version);

public sealed record WorkflowInput(WorkflowAction Action, string? Reason, int? Version);

public sealed record LockResult(int Locked, int AlreadyLocked);

/// <summary>The follow-up calendar and the workflow over HTTP; every period in a route is <c>{periodKey}</c>.</summary>
public static class PeriodEndpoints
{
    public static void MapPeriods(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Perioder och arbetsflöde");
        group.MapGet("/periods", List).RequireTenant();
        group.MapPut("/periods/{periodKey}/publication", Publish).RequireTenant(TenantRole.Admin);
        group.MapPut("/periods/{periodKey}/deadline", SetDeadline).RequireTenant(TenantRole.Admin);

        // The calendar editor (issue 16): months and forecast periods added and removed, the delår's month chosen.
        group.MapPost("/periods", Add).RequireTenant(TenantRole.Admin);
        group.MapDelete("/periods/{periodKey}", Remove).RequireTenant(TenantRole.Admin);
        group.MapPut("/model/{modelId:guid}/interim-end-month", SetInterimMonth).RequireTenant(TenantRole.Admin);
        group.MapGet("/periods/{periodKey}/workflow", Workflow).RequireTenant();
        group.MapPost("/periods/{periodKey}/lock", LockAll).RequireTenant(TenantRole.Admin);
        group.MapPost("/units/{unitId:guid}/periods/{periodKey}/workflow", Transition).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<PeriodDto>>> List(PeriodPublishing periods, CancellationToken cancellationToken) =>
        TypedResults.Ok(await periods.ListAsync(cancellationToken));

    private static async Task<Results<Ok<PeriodDto>, ValidationProblem, ProblemHttpResult>> Publish(string periodKey, PublicationInput input, PeriodPublishing periods,
        CancellationToken cancellationToken) =>
        (await periods.SetAsync(periodKey, input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<PeriodDto>, ValidationProblem, ProblemHttpResult>> SetDeadline(string periodKey, DeadlineInput input, PeriodPublishing periods,
        CancellationToken cancellationToken) =>
        (await periods.SetDeadlineAsync(periodKey, input, cancellationToken)).ToHttp();

    /// <summary>Adds a month (<c>kind: "month"</c>) or a forecast-only period (<c>kind: "forecast"</c>) to a year.</summary>
    private static async Task<Results<Created<PeriodDto>, ValidationProblem, ProblemHttpResult>> Add(string slug, NewPeriodInput input, CalendarEditing calendar,
        CancellationToken cancellationToken) =>
        (await calendar.AddAsync(input, cancellationToken)).ToCreated(p => $"/api/v1/tenants/{slug}/periods/{p.Key}/deadlines");

    /// <summary>Removes a month or forecast period that holds nothing; <c>?version=</c> as read.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Remove(string periodKey, string? version, CalendarEditing calendar,
        CancellationToken cancellationToken) =>
        (await calendar.RemoveAsync(periodKey, QueryValue.Int(version), cancellationToken)).ToNoContent();

    private static async Task<Results<Ok<InterimMonthResult>, ValidationProblem, ProblemHttpResult>> SetInterimMonth(Guid modelId, InterimMonthInput input, CalendarEditing calendar,
        CancellationToken cancellationToken) =>
        (await calendar.SetInterimMonthAsync(modelId, input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<List<UnitWorkflowDto>>, ValidationProblem, ProblemHttpResult>> Workflow(string periodKey, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.ListAsync(periodKey, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<UnitWorkflowDto>, ValidationProblem, ProblemHttpResult>> Transition(Guid unitId, string periodKey, WorkflowInput input, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.TransitionAsync(unitId, periodKey, input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<LockResult>, ValidationProblem, ProblemHttpResult>> LockAll(string periodKey, FollowUpWorkflow workflow, CancellationToken cancellationToken) =>
        (await workflow.LockAllAsync(periodKey, cancellationToken)).ToHttp();
}
