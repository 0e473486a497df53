using System.Security.Cryptography;
using Kedja.Domain.Reports;
using Kedja.Reports;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Reports;

/// <summary>How reports are made in the background (<c>Kedja:Reports</c>); ADR 35.</summary>
public sealed class ReportOptions
{
    public const string Section = "Kedja:Reports";

    /// <summary>Whether this node's worker makes reports; tests drive workers themselves with false.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Reports one node makes at the same time.</summary>
    public int Parallel { get; set; } = 2;

    /// <summary>A tenant's reports made at the same time across all nodes; the rest wait queued (ADR 35, issue 17).</summary>
    public int RunningPerTenant { get; set; } = 2;

    /// <summary>How often a node looks for reports ordered on other nodes.</summary>
    public double PollSeconds { get; set; } = 3;

    /// <summary>How long a claim holds without being renewed; after that another node takes the job over.</summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>Finished files are removed after this many days; frozen reports are kept.</summary>
    public int KeepDays { get; set; } = 7;

    /// <summary>Where the PDF writer finds DejaVu Sans when it is not in the system's font folders (Debian: fonts-dejavu-core).</summary>
    public string? FontFolder { get; set; }
}

/// <summary>"unit", "children" and "all", as the API, the verb and the form name a report's scope.</summary>
public static class ReportScopes
{
    public const string Invalid = "Omfattningen ska vara unit (enheten), children (enheten och enheterna närmast under) eller all (enheten och alla under).";

    public static bool TryParse(string? text, out ReportScope scope)
    {
        scope = ReportScope.Unit;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "unit":
                return true;
            case "children":
                scope = ReportScope.Children;
                return true;
            case "all":
                scope = ReportScope.All;
                return true;
            default:
                return false;
        }
    }

    public static string Key(this ReportScope scope) => scope.ToString().ToLowerInvariant();

    /// <summary>A key stored after it was checked.</summary>
    public static ReportScope Stored(string key) => TryParse(key, out var scope) ? scope : ReportScope.Unit;

    /// <summary>A format key stored after it was checked.</summary>
    public static ReportFormat StoredFormat(string key) => ReportFormats.TryParse(key, out var format) ? format : ReportFormat.Html;
}

/// <summary>A made report's file.</summary>
/// <param name="Sha256">SHA-256 of the bytes, hex, lower case.</param>
public sealed record ReportFile(string FileName, string ContentType, ReportFormat Format, byte[] Content, string Sha256);

/// <summary>Builds a report and writes it in a format: the same for a job's worker and the verb.</summary>
public static class ReportProduction
{
    /// <summary>Reading the data is most of a report's time; the rest of the bar is the writer's.</summary>
    private const double ReadingShare = 0.8;

    /// <param name="services">A scope already entered into the report's tenant.</param>
    public static async Task<ServiceResult<ReportFile>> MakeAsync(IServiceProvider services, ReportRequest request, ReportFormat format, IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        var built = await Infrastructure.ReadReplica.ReportBuilder(services).BuildAsync(request, progress is null ? null : new Progress(p => progress.Report(p * ReadingShare)), cancellationToken);
        if (built.Value is not { } document)
        {
            return built.Error!;
        }

        // Writers are synchronous and CPU-bound: off the request's or the worker's thread, so that the lease is renewed meanwhile.
        var fontFolder = services.GetService<Microsoft.Extensions.Options.IOptions<ReportOptions>>()?.Value.FontFolder;
        var bytes = await Task.Run(() =>
        {
            using var stream = new MemoryStream();
            ReportWriters.For(format, fontFolder).Write(document, stream, progress is null ? null : new Progress(p => progress.Report(ReadingShare + (p * (1 - ReadingShare)))));
            return stream.ToArray();
        }, cancellationToken);
        return new ReportFile(document.FileName + format.Extension(), format.ContentType(), format, bytes, Hash(bytes));
    }

    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Reports synchronously: <see cref="Progress{T}"/> would post to a context and arrive late or out of order.</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

/// <summary>Wakes this node's worker when a report is ordered here; other nodes' orders are found by polling.</summary>
public sealed class ReportQueue : WorkSignal;

public static class ReportJobStates
{
    public static string Key(this ReportJobState state) => state.ToString().ToLowerInvariant();
}
