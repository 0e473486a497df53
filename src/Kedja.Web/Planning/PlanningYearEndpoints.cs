using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Planning;

/// <summary>Next year's planning (issue 16, ADR 47 §3): administrators only, as the pages.</summary>
public static class PlanningYearEndpoints
{
    public static IServiceCollection AddPlanningYears(this IServiceCollection services) => services.AddScoped<PlanningYears>();

    public static void MapPlanningYears(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/planning-years/{year:int}").WithTags("Planeringsår").RequireTenant(TenantRole.Admin);
        group.MapGet("", Get);
        group.MapPost("", Open);
        group.MapPut("/choices", Choices);
        group.MapPost("/activate", Activate);
        group.MapPost("/undo", Undo);
    }

    /// <summary>The year's planning with its choices and everything to choose from (proposed targets included); 404 until opened.</summary>
    private static async Task<Results<Ok<PlanningYearView>, ValidationProblem, ProblemHttpResult>> Get(int year, PlanningYears planning) =>
        (await planning.GetAsync(year)).ToHttp();

    /// <summary>Opens the planning of the year; 409 when it is open already.</summary>
    private static async Task<Results<Created<PlanningYearView>, ValidationProblem, ProblemHttpResult>> Open(string slug, int year, PlanningYears planning) =>
        (await planning.OpenAsync(year)).ToCreated(_ => $"/api/v1/tenants/{slug}/planning-years/{year}");

    /// <summary>Replaces the choices of a draft year: send back <c>choices</c> as GET gave them, changed, with the year's version.</summary>
    private static async Task<Results<Ok<PlanningYearView>, ValidationProblem, ProblemHttpResult>> Choices(int year, PlanningChoicesDto input, PlanningYears planning) =>
        (await planning.SaveChoicesAsync(year, input)).ToHttp();

    private static async Task<Results<Ok<PlanningYearView>, ValidationProblem, ProblemHttpResult>> Activate(int year, VersionInput input, PlanningYears planning) =>
        (await planning.ActivateAsync(year, input.Version)).ToHttp();

    private static async Task<Results<Ok<PlanningYearView>, ValidationProblem, ProblemHttpResult>> Undo(int year, VersionInput input, PlanningYears planning) =>
        (await planning.UndoAsync(year, input.Version)).ToHttp();
}

/// <summary>The version of the planning year the client read.</summary>
public sealed record VersionInput(int? Version);
