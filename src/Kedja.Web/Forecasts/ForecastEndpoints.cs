using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Forecasts;

/// <summary>An indicator's full-year forecast made at a follow-up period (issue 16): GET gives what PUT takes.</summary>
public static class ForecastEndpoints
{
    public static void MapForecasts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/indicators").WithTags("Indikatorer och utfall");
        group.MapGet("/{id:guid}/forecasts/{periodKey}", Get).RequireTenant();
        group.MapPut("/{id:guid}/forecasts/{periodKey}", Put).RequireTenant(TenantRole.Editor);

        // Whether a model takes indicator forecasts and how its scale says them; the model pages use the same service.
        var models = app.MapGroup("/api/v1/tenants/{slug}/model").WithTags("Styrmodell");
        models.MapGet("/{id:guid}/forecast-settings", GetSettings).RequireTenant();
        models.MapPut("/{id:guid}/forecast-settings", PutSettings).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<ForecastSettingsDto>, ValidationProblem, ProblemHttpResult>> GetSettings(Guid id, ForecastSettings settings) =>
        (await settings.GetAsync(id)).ToHttp();

    /// <summary>Switches indicator forecasts on or off for the model and sets its scale's forecast phrases, from the model's version.</summary>
    private static async Task<Results<Ok<ForecastSettingsDto>, ValidationProblem, ProblemHttpResult>> PutSettings(Guid id, ForecastSettingsInput input, ForecastSettings settings) =>
        (await settings.UpdateAsync(id, input)).ToHttp();

    private static async Task<Results<Ok<VersionedForecast>, ValidationProblem, ProblemHttpResult>> Get(Guid id, string periodKey, ForecastRecording forecasts) =>
        (await forecasts.GetAsync(id, periodKey)).ToHttp();

    /// <summary>
    /// Records the forecast for the year made at the follow-up period. Changing one needs its version. The body may be
    /// what GET gave: only the values, the comment and the version are read from it.
    /// </summary>
    private static async Task<Results<Ok<VersionedForecast>, ValidationProblem, ProblemHttpResult>> Put(Guid id, string periodKey, ForecastInput input, ForecastRecording forecasts) =>
        (await forecasts.RecordAsync(new ForecastEntry(id, periodKey, input.Value, input.ValueWomen, input.ValueMen, input.Comment, input.Version))).ToHttp();
}
