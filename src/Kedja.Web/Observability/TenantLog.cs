using System.Diagnostics;

namespace Kedja.Web.Observability;

/// <summary>
/// The tenant in every log line written while work of that tenant runs (issue 18, ADR 51): a logging scope holding the
/// tenant's slug (never its name or a person), which the JSON console formatter and the OTLP log exporter write beside
/// the trace id; the slug goes on the current span too.
/// </summary>
public static class TenantLog
{
    public const string Key = "Tenant";

    public static IDisposable? Scope(ILogger logger, string slug)
    {
        Activity.Current?.SetTag(KedjaTelemetry.TenantTag, slug);
        return logger.BeginScope(new Dictionary<string, object> { [Key] = slug });
    }
}
