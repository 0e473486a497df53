namespace Kedja.Web.Observability;

public static class ObservabilityHosting
{
    /// <summary>Telemetry, the slow-request samples and the operations page's reading (issue 18, ADR 51).</summary>
    public static IServiceCollection AddKedjaObservability(this IServiceCollection services)
    {
        services.AddSingleton<SlowRequests>().AddOptions<SlowRequestOptions>().BindConfiguration(SlowRequestOptions.Section);
        services.AddSingleton<SlowRequestWriter>().AddHostedService(sp => sp.GetRequiredService<SlowRequestWriter>());
        services.AddScoped<Operations>();
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<LoggerFilterOptions>, QuietRequestLines>();
        return services;
    }
}
