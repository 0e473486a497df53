using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Periods;

/// <summary>Corrections of locked follow-ups over HTTP (issue 16): listed to the organisation, started and finished by the administrator.</summary>
public static class CorrectionEndpoints
{
    public static void MapCorrections(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/corrections").WithTags("Perioder och arbetsflöde");
        group.MapGet("", List).RequireTenant();
        group.MapPost("", Start).RequireTenant(TenantRole.Admin);
        group.MapPost("/finish", Finish).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<List<CorrectionDto>>, ValidationProblem, ProblemHttpResult>> List(string? periodKey, string? unitId, PeriodCorrections corrections,
        CancellationToken cancellationToken) =>
        (await corrections.ListAsync(periodKey, QueryValue.Guid(unitId), cancellationToken)).ToHttp();

    private static async Task<Results<Ok<UnitWorkflowDto>, ValidationProblem, ProblemHttpResult>> Start(CorrectionStartInput input, PeriodCorrections corrections,
        CancellationToken cancellationToken) =>
        (await corrections.StartAsync(input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<UnitWorkflowDto>, ValidationProblem, ProblemHttpResult>> Finish(CorrectionFinishInput input, PeriodCorrections corrections,
        CancellationToken cancellationToken) =>
        (await corrections.FinishAsync(input, cancellationToken)).ToHttp();
}
