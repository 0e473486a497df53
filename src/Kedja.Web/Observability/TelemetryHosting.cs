using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kedja.Web.Observability;

/// <summary>Whether and where traces, metrics and logs go (issue 18, ADR 51).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Kedja:Telemetry";

    /// <summary>
    /// Collect traces and metrics even without an OTLP endpoint (tests read them with an in-memory exporter). With an
    /// endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) they are collected and exported unless this is set to false.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The standard variable that the OTLP exporter reads itself (with OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, …).</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
}

public static class TelemetryHosting
{
    /// <summary>
    /// OpenTelemetry for Kedja's own source and meter, ASP.NET Core and Npgsql, exported over OTLP when the standard
    /// endpoint variable is set; nothing at all is registered when neither it nor <see cref="TelemetryOptions.Enabled"/>
    /// asks for it, so an installation without a collector pays nothing.
    /// </summary>
    public static IServiceCollection AddKedjaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var export = !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.EndpointVariable]);
        var enabled = configuration.GetSection(TelemetryOptions.Section).GetValue<bool?>(nameof(TelemetryOptions.Enabled));
        if (!(enabled ?? export))
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("kedja", serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}"))
            .WithTracing(t =>
            {
                t.AddSource(KedjaTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        // Probes every few seconds from a load balancer are noise, not traces.
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/health");
                        // The query string may hold a one-time code (a password link): it never leaves the node.
                        o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    })
                    .AddNpgsql();
                if (export)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(KedjaTelemetry.Name).AddMeter("Npgsql").AddAspNetCoreInstrumentation();
                if (export)
                {
                    m.AddOtlpExporter();
                }
            });
        if (export)
        {
            // Log records carry the trace and span ids themselves; the scopes add the tenant (TenantLog).
            telemetry.WithLogging(l => l.AddOtlpExporter(), o => o.IncludeScopes = true);
        }

        return services;
    }
}
