using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Kedja.Web.Observability;
using Kedja.Web.Tests.Reports;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Kedja.Web.Tests.Observability;

/// <summary>
/// Kedja's own spans and metrics reach an exporter through the app's OpenTelemetry set-up (issue 18, ADR 51): a
/// scorecard read (built, then held), a report, an import and a mail, each tagged with the tenant, under the request's
/// trace where there is one. Every app in the test process shares the one ActivitySource, so spans are picked by the
/// trace ids this test sent.
/// </summary>
public sealed class TelemetryTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_read_a_report_an_import_and_a_mail_are_spans_and_metrics_tagged_with_the_tenant(string provider)
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true,
            settings: new Dictionary<string, string?> { ["Kedja:Telemetry:Enabled"] = "true", ["Kedja:Imports:RunWorker"] = "false" },
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)).ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)));
        var admin = await app.ClientAsync();
        var unit = await ReportJobTests.UnitAsync(app);

        // The same card twice, each request under a trace of the test's own: built for the first, held for the second.
        var first = ActivityTraceId.CreateRandom();
        var second = ActivityTraceId.CreateRandom();
        foreach (var trace in new[] { first, second })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/units/{unit}/scorecard");
            request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
            (await admin.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var report = await ReportJobTests.OrderAsync(admin, new { unitId = unit, templateKey = "malkortsrapport", format = "html" });
        (await ReportJobTests.WaitAsync(admin, report.GetProperty("id").GetGuid())).GetProperty("state").GetString().ShouldBe("done");

        var indicator = await Imports.OutcomeImportTests.IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var import = await Imports.OutcomeImportTests.UploadAsync(app, admin, "t3.csv", Imports.OutcomeImportTests.Csv("Indikator-id;Period;Utfall", $"{indicator.Id};2026-T3;2,7"));
        import.GetProperty("state").GetString().ShouldBe("checked");

        // A mail: the forgot-password letter, sent by the worker after the answer.
        (await admin.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).IsSuccessStatusCode.ShouldBeTrue();
        await app.WaitForMailsAsync(KedjaApp.AdminEmail);

        var tracer = app.Services.GetRequiredService<TracerProvider>();
        var meter = app.Services.GetRequiredService<MeterProvider>();
        Activity[] Spans()
        {
            tracer.ForceFlush();
            lock (spans)
            {
                return [.. spans];
            }
        }

        Activity[] Named(string work) => [.. Spans().Where(a => a.Source.Name == KedjaTelemetry.Name && a.OperationName == "kedja." + work)];

        var cards = Named(KedjaTelemetry.Work.Scorecard);
        var firstCard = cards.Single(a => a.TraceId == first);
        firstCard.GetTagItem(KedjaTelemetry.CacheTag).ShouldBe("miss");
        firstCard.GetTagItem(KedjaTelemetry.TenantTag).ShouldBe(DemoTenant.Slug);
        firstCard.ParentSpanId.ShouldNotBe(default, "a child of the request's span");
        cards.Single(a => a.TraceId == second).GetTagItem(KedjaTelemetry.CacheTag).ShouldBe("hit");
        Named(KedjaTelemetry.Work.Recompute).ShouldContain(a => a.TraceId == first && (string?)a.GetTagItem(KedjaTelemetry.TenantTag) == DemoTenant.Slug, "the statuses were computed for the first read");
        Spans().ShouldContain(a => a.TraceId == first && a.Kind == ActivityKind.Server, "ASP.NET Core's span of the request");
        if (provider == nameof(Data.DatabaseProvider.Postgres))
        {
            Spans().ShouldContain(a => a.TraceId == first && a.Source.Name == "Npgsql", "Npgsql's spans of the commands");
        }

        await WaitUntilAsync(() => Named(KedjaTelemetry.Work.MailSend).Any(a => (string?)a.GetTagItem("kedja.mail.kind") == "reset-request"));
        foreach (var work in new[] { KedjaTelemetry.Work.Report, KedjaTelemetry.Work.Import })
        {
            Named(work).ShouldContain(a => (string?)a.GetTagItem(KedjaTelemetry.TenantTag) == DemoTenant.Slug && (string?)a.GetTagItem(KedjaTelemetry.OutcomeTag) == "ok", work);
        }

        // Metrics: a duration histogram per kind of work, with the tenant and (for cards) hit and miss.
        meter.ForceFlush();
        List<(string Name, Dictionary<string, object?> Tags)> points;
        lock (metrics)
        {
            points = [.. metrics.SelectMany(m => Points(m).Select(p => (m.Name, p)))];
        }

        foreach (var work in new[] { KedjaTelemetry.Work.Recompute, KedjaTelemetry.Work.Report, KedjaTelemetry.Work.Import })
        {
            points.ShouldContain(p => p.Name == $"kedja.{work}.duration" && (string?)p.Tags.GetValueOrDefault(KedjaTelemetry.TenantTag) == DemoTenant.Slug, work);
        }

        points.ShouldContain(p => p.Name == "kedja.mail.send.duration");
        foreach (var cache in new[] { "hit", "miss" })
        {
            points.ShouldContain(p => p.Name == "kedja.scorecard.duration" && (string?)p.Tags.GetValueOrDefault(KedjaTelemetry.CacheTag) == cache
                && (string?)p.Tags.GetValueOrDefault(KedjaTelemetry.TenantTag) == DemoTenant.Slug, cache);
        }

        points.ShouldContain(p => p.Name == "http.server.request.duration", "ASP.NET Core's metrics");
    }

    private static List<Dictionary<string, object?>> Points(Metric metric)
    {
        var all = new List<Dictionary<string, object?>>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            all.Add(tags);
        }

        return all;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().ShouldBeTrue();
    }
}
