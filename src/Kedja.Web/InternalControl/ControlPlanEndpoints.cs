using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.InternalControl;

/// <summary>
/// The committees' internal control plans, the follow-up of their control actions and the executive board's summary
/// (ADR 46). Reading needs membership; the services decide who sees which unit and who may change it.
/// </summary>
public static class ControlPlanEndpoints
{
    public static IServiceCollection AddControlPlans(this IServiceCollection services) =>
        services.AddScoped<ControlPlans>().AddScoped<ControlFollowUp>().AddScoped<ControlSummary>();

    public static void MapControlPlans(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Intern kontroll");
        group.MapGet("/control-plans", List).RequireTenant();
        group.MapPost("/control-plans", Create).RequireTenant(TenantRole.Editor);
        group.MapGet("/control-plans/{id:guid}", Get).RequireTenant();
        group.MapPut("/control-plans/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapPost("/control-plans/{id:guid}/decision", Decide).RequireTenant(TenantRole.Editor);
        group.MapGet("/control-actions/{id:guid}", GetAction).RequireTenant();
        group.MapPut("/control-actions/{id:guid}/results/{periodKey}", PutResult).RequireTenant(TenantRole.Editor);
        group.MapPost("/control-actions/{id:guid}/measures", AddMeasure).RequireTenant(TenantRole.Editor);
        group.MapPut("/control-actions/{id:guid}/measures/{measureId:guid}", UpdateMeasure).RequireTenant(TenantRole.Editor);
        group.MapDelete("/control-actions/{id:guid}/measures/{measureId:guid}", DeleteMeasure).RequireTenant(TenantRole.Editor);
        group.MapGet("/internal-control/summary", Summary).RequireTenant();
    }

    /// <summary>The plans the person sees, of one unit and/or one year when given.</summary>
    private static async Task<Ok<List<VersionedControlPlan>>> List(string? unitId, string? year, ControlPlans plans) =>
        TypedResults.Ok(await plans.ListAsync(QueryValue.Guid(unitId), QueryValue.Int(year)));

    /// <summary>Makes a plan in status förslag; status and decision in the body are ignored.</summary>
    private static async Task<Results<Created<VersionedControlPlan>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedControlPlan input, ControlPlans plans) =>
        (await plans.CreateAsync(input)).ToCreated(x => $"/api/v1/tenants/{slug}/control-plans/{x.Id}");

    private static async Task<Results<Ok<VersionedControlPlan>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ControlPlans plans) =>
        (await plans.GetAsync(id)).ToHttp();

    /// <summary>Changes description, risks and control actions: send back what GET gave, with <c>changeReason</c> once the plan is decided.</summary>
    private static async Task<Results<Ok<VersionedControlPlan>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedControlPlan input, ControlPlans plans) =>
        (await plans.UpdateAsync(id, input)).ToHttp();

    private static async Task<Results<Ok<VersionedControlPlan>, ValidationProblem, ProblemHttpResult>> Decide(Guid id, ControlPlanDecision input, ControlPlans plans) =>
        (await plans.DecideAsync(id, input)).ToHttp();

    private static async Task<Results<Ok<VersionedControlAction>, ValidationProblem, ProblemHttpResult>> GetAction(Guid id, ControlFollowUp followUp) =>
        (await followUp.GetAsync(id)).ToHttp();

    private static async Task<Results<Ok<VersionedControlAction>, ValidationProblem, ProblemHttpResult>> PutResult(Guid id, string periodKey, ControlResultInput input, ControlFollowUp followUp) =>
        (await followUp.RecordResultAsync(id, periodKey, input)).ToHttp();

    private static async Task<Results<Created<VersionedControlMeasure>, ValidationProblem, ProblemHttpResult>> AddMeasure(string slug, Guid id, VersionedControlMeasure input, ControlFollowUp followUp) =>
        (await followUp.AddMeasureAsync(id, input)).ToCreated(x => $"/api/v1/tenants/{slug}/control-actions/{id}/measures/{x.Id}");

    private static async Task<Results<Ok<VersionedControlMeasure>, ValidationProblem, ProblemHttpResult>> UpdateMeasure(Guid id, Guid measureId, VersionedControlMeasure input, ControlFollowUp followUp) =>
        (await followUp.UpdateMeasureAsync(id, measureId, input)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteMeasure(Guid id, Guid measureId, string? version, ControlFollowUp followUp) =>
        (await followUp.DeleteMeasureAsync(id, measureId, QueryValue.Int(version))).ToNoContent();

    /// <summary>Each committee's internal control in the year (default: this year), as far as the person sees.</summary>
    private static async Task<Ok<List<CommitteeControlSummary>>> Summary(string? year, ControlSummary summary, TimeProvider clock) =>
        TypedResults.Ok(await summary.ForYearAsync(QueryValue.Int(year) ?? Periods.Deadlines.Today(clock).Year));
}
