using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.InternalControl;

/// <summary>The risk scale (<see cref="VersionedRiskSettings"/>) and the units' risk registers (<see cref="VersionedRisk"/>) with their yearly assessments.</summary>
public static class RiskEndpoints
{
    public static IServiceCollection AddRisks(this IServiceCollection services) => services.AddScoped<RiskSettingsEditing>().AddScoped<RiskRegister>();

    public static void MapRisks(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/tenants/{slug}/risk-settings").WithTags("Intern kontroll");
        settings.MapGet("/", GetSettings).RequireTenant();
        settings.MapPut("/", PutSettings).RequireTenant(TenantRole.Admin);

        var risks = app.MapGroup("/api/v1/tenants/{slug}/risks").WithTags("Intern kontroll");
        risks.MapGet("/", List).RequireTenant();
        risks.MapGet("/{id:guid}", Get).RequireTenant();
        risks.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        risks.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        risks.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Editor);
        risks.MapPut("/{id:guid}/assessments/{year:int}", Assess).RequireTenant(TenantRole.Editor);
    }

    /// <summary>The municipality's scale; Kedja's default 4 × 4 scale at version 0 until it saves its own.</summary>
    private static async Task<Ok<VersionedRiskSettings>> GetSettings(RiskSettingsEditing editing) => TypedResults.Ok(await editing.GetAsync());

    /// <summary>Changes the scale: send back what GET gave, changed where it should change. Administrators only.</summary>
    private static async Task<Results<Ok<VersionedRiskSettings>, ValidationProblem, ProblemHttpResult>> PutSettings(VersionedRiskSettings input, RiskSettingsEditing editing) =>
        (await editing.SaveAsync(input)).ToHttp();

    /// <summary>The register in a year (this year when none is given): of one unit, or of every unit the caller sees.</summary>
    private static async Task<Results<Ok<List<RiskRegisterEntry>>, ValidationProblem, ProblemHttpResult>> List(string? unitId, string? year, RiskRegister register, TimeProvider clock) =>
        (await register.ListAsync(QueryValue.Guid(unitId), QueryValue.Int(year) ?? Periods.Deadlines.Today(clock).Year)).ToHttp();

    private static async Task<Results<Ok<VersionedRisk>, ValidationProblem, ProblemHttpResult>> Get(Guid id, RiskRegister register) =>
        (await register.GetAsync(id)).ToHttp();

    private static async Task<Results<Created<VersionedRisk>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedRisk input, RiskRegister register) =>
        (await register.CreateAsync(input)).ToCreated(x => $"/api/v1/tenants/{slug}/risks/{x.Id}");

    /// <summary>Changes a risk: send back what GET gave. Its number and assessments are left as they are.</summary>
    private static async Task<Results<Ok<VersionedRisk>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedRisk input, RiskRegister register) =>
        (await register.UpdateAsync(id, input)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, string? version, RiskRegister register) =>
        (await register.DeleteAsync(id, QueryValue.Int(version))).ToNoContent();

    /// <summary>Writes (or replaces) the risk's assessment for the year; the other years are kept. Needs the risk's version.</summary>
    private static async Task<Results<Ok<VersionedRisk>, ValidationProblem, ProblemHttpResult>> Assess(Guid id, int year, RiskAssessmentInput input, RiskRegister register) =>
        (await register.AssessAsync(id, year, input)).ToHttp();
}
