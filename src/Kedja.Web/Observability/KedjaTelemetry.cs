using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kedja.Web.Observability;

/// <summary>
/// Kedja's own spans and metrics (issue 18, ADR 51): one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named "Kedja". Each piece of work named in <see cref="Work"/> is a span and a duration histogram
/// ("kedja.{work}.duration", seconds), tagged with the tenant's slug (never a person) and how it ended. Without a
/// listener (no OpenTelemetry configured) a span is not created and a histogram records nothing: the cost is a check.
/// </summary>
public static class KedjaTelemetry
{
    public const string Name = "Kedja";

    public const string TenantTag = "kedja.tenant";

    public const string OutcomeTag = "kedja.outcome";

    public const string CacheTag = "kedja.cache";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    private static readonly Dictionary<string, Histogram<double>> Durations = new[]
        {
            Work.Recompute, Work.Scorecard, Work.Report, Work.Import, Work.KoladaFetch, Work.MailSend,
        }
        .ToDictionary(w => w, w => Meter.CreateHistogram<double>($"kedja.{w}.duration", "s", $"How long one {w} took."), StringComparer.Ordinal);

    /// <summary>The kinds of work measured; each is its span's name after "kedja." and its histogram's.</summary>
    public static class Work
    {
        public const string Recompute = "recompute";
        public const string Scorecard = "scorecard";
        public const string Report = "report";
        public const string Import = "import";
        public const string KoladaFetch = "kolada.fetch";
        public const string MailSend = "mail.send";
    }

    /// <summary>Starts a span and a stopwatch for one piece of work of a tenant (its slug; null for installation-wide work).</summary>
    public static Measured Start(string work, string? tenant, ActivityKind kind = ActivityKind.Internal) =>
        new(work, tenant, Source.StartActivity("kedja." + work, kind), Durations[work]);

    /// <summary>
    /// One piece of work being measured: its tags go on the span and the histogram alike. Disposing ends the span and
    /// records the duration with the outcome ("ok" unless <see cref="Fail"/> was called).
    /// </summary>
    public sealed class Measured : IDisposable
    {
        private readonly Activity? activity;
        private readonly Histogram<double> histogram;
        private readonly long started = Stopwatch.GetTimestamp();
        private TagList tags;
        private string outcome = "ok";

        internal Measured(string work, string? tenant, Activity? activity, Histogram<double> histogram)
        {
            this.activity = activity;
            this.histogram = histogram;
            if (tenant is not null)
            {
                Tag(TenantTag, tenant);
            }
        }

        public Measured Tag(string key, object? value)
        {
            tags.Add(key, value);
            activity?.SetTag(key, value);
            return this;
        }

        /// <summary>The work did not succeed; <paramref name="outcome"/> is a short fixed word ("failed", "refused"), never a message.</summary>
        public void Fail(string outcome = "failed", Exception? exception = null)
        {
            this.outcome = outcome;
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
            if (exception is not null)
            {
                // The type only: an exception's message may carry what a person typed.
                activity?.SetTag("exception.type", exception.GetType().FullName);
            }
        }

        public void Dispose()
        {
            activity?.SetTag(OutcomeTag, outcome);
            activity?.Dispose();
            if (histogram.Enabled)
            {
                var all = tags;
                all.Add(OutcomeTag, outcome);
                histogram.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, all);
            }
        }
    }
}
