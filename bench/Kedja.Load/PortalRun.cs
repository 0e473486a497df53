using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Organisation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kedja.Load;

/// <summary>
/// Issue 13's measurement: wrk (Debian's package) against a minimal Kestrel app answering a fixed 21 KB page, the
/// ceiling of this machine, and then against a published page of the portal, in one run; then the portal again while
/// a signed-in reader reads a scorecard and outcomes are written at a steady rate; then the first portal request after
/// a period is withdrawn and published again. Kedja must run with a portal limit above wrk's rate
/// (Kedja__Portal__PerSecondPerAddress and BurstPerAddress), since every request comes from 127.0.0.1.
/// </summary>
public static class PortalRun
{
    public const int PageBytes = 21 * 1024;

    public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, string Raw)
    {
        public string Line(string what) =>
            $"{what,-22} {Figures.Number(RequestsPerSecond, "0")} req/s · p50 {Figures.Ms(P50Ms)} ms · p99 {Figures.Ms(P99Ms)} ms · {Figures.Count(Requests)} requests · errors {Errors}";
    }

    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, string? path, int connections, TimeSpan duration, int writesPerSecond, TextWriter output,
        CancellationToken ct)
    {
        path ??= $"/p/{api.Slug}";
        var portal = new Uri(api.BaseAddress, path);
        await output.WriteLineAsync(Header.Line("portal", api, tenant, $"wrk -t2 -c{connections} -d{duration.TotalSeconds:0}s {path}"));

        // The first rendering after a start computes the period's statuses: measured apart, at the end, not by wrk. And
        // a node serves for days: five seconds of load first, so that the figures are of compiled code, not of the JIT's
        // first tiers (a fresh process's first ten seconds had a p99 of 29 ms, the next ten 4 ms).
        using (var warm = new HttpClient { Timeout = TimeSpan.FromMinutes(2) })
        {
            (await warm.GetAsync(portal, ct)).EnsureSuccessStatusCode();
        }

        await WrkAsync(portal, connections, TimeSpan.FromSeconds(5), ct);

        await using var baseline = await StartStaticPageAsync(ct);
        var ceiling = await WrkAsync(baseline.Address, connections, duration, ct);
        await output.WriteLineAsync(ceiling.Line($"static {PageBytes / 1024} KB page"));
        var published = await WrkAsync(portal, connections, duration, ct);
        await output.WriteLineAsync(published.Line("portal page"));
        await output.WriteLineAsync($"  portal / static: {Figures.Number(published.RequestsPerSecond / ceiling.RequestsPerSecond, "0.00")} (target at least 0.25, p99 at most 25 ms, no errors)");

        if (writesPerSecond > 0)
        {
            var (unit, _) = ReadersAndWriters.Pick(tenant, null, UnitKind.Committee);
            var targets = await tenant.WriteTargetsAsync(api, unit.Id, Math.Clamp(writesPerSecond * 4, 10, 100), ct);
            try
            {
                var signedIn = ReadersAndWriters.PhaseAsync(api, tenant, unit, readers: 2, duration, writesPerSecond, targets, ct);
                var mixed = await WrkAsync(portal, connections, duration, ct);
                var phase = await signedIn;
                await output.WriteLineAsync(mixed.Line($"portal, {writesPerSecond} writes/s"));
                await output.WriteLineAsync("  signed-in " + ReadersAndWriters.Line($"{unit.Name}", phase) + " (target: server ≤ 50 ms)");
                await output.WriteLineAsync(await RenderAfterWriteAsync(api, targets[0], portal, ct));
            }
            finally
            {
                await OutcomeWriter.RestoreAsync(api, targets);
            }
        }

        await output.WriteLineAsync(await FirstAfterPublishingAsync(api, tenant, portal, ct));
        return ceiling.Errors + published.Errors == 0 ? 0 : 1;
    }

    /// <summary>
    /// What one rendering of the portal page costs after an outcome write in its period, on a quiet server: the request
    /// that finds the page out of date waits for it (the others are served the page before, ADR 41). Waits out the
    /// refresh window (one second by default) before each read.
    /// </summary>
    private static async Task<string> RenderAfterWriteAsync(KedjaApi api, WriteTarget target, Uri portal, CancellationToken ct)
    {
        using var anonymous = new HttpClient();
        var server = new List<double>();
        var database = new List<double>();
        for (var round = 0; round < 6; round++)
        {
            var written = await OutcomeWriter.WriteAsync(api, target, ct);
            if (!written.Ok)
            {
                throw new LoadException($"Could not write {target.Indicator.Name}: {KedjaApi.Describe(written)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1100), ct);
            using var page = await anonymous.GetAsync(portal, ct);
            await page.Content.ReadAsByteArrayAsync(ct);
            server.Add(KedjaApi.ServerTiming(page) ?? double.NaN);
            database.Add(KedjaApi.ServerTiming(page, "db") ?? double.NaN);
        }

        return $"portal page rendered after a write (server / of it database, ms): {string.Join(" · ", server.Zip(database, (s, d) => $"{Figures.Ms(s)} / {Figures.Ms(d)}"))}";
    }

    /// <summary>Withdraws the period and publishes it again, then times the first portal request and the one after it.</summary>
    private static async Task<string> FirstAfterPublishingAsync(KedjaApi api, TenantPicture tenant, Uri portal, CancellationToken ct)
    {
        var key = tenant.Period.Key;
        using var anonymous = new HttpClient();
        var times = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var publish in new[] { false, true })
            {
                var periods = await api.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{api.Slug}/periods", null, ct);
                var version = JsonDocument.Parse(periods.Body).RootElement.EnumerateArray().Single(p => p.GetProperty("key").GetString() == key).GetProperty("version").GetInt32();
                var answer = await api.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{api.Slug}/periods/{key}/publication", new { isPublished = publish, version }, ct);
                if (!answer.Ok)
                {
                    throw new LoadException($"Could not {(publish ? "publish" : "withdraw")} {key}: {KedjaApi.Describe(answer)}");
                }
            }

            var started = Stopwatch.GetTimestamp();
            using var first = await anonymous.GetAsync(portal, ct);
            await first.Content.ReadAsByteArrayAsync(ct);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return $"first portal request after publishing {key} again: {string.Join(" / ", times.Select(Figures.Ms))} ms (target at most 200 ms)";
    }

    private static async Task<WrkResult> WrkAsync(Uri url, int connections, TimeSpan duration, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", url.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var wrk = Process.Start(start) ?? throw new LoadException("wrk did not start: apt-get install wrk.");
        var text = await wrk.StandardOutput.ReadToEndAsync(ct);
        await wrk.WaitForExitAsync(ct);
        if (wrk.ExitCode != 0)
        {
            throw new LoadException($"wrk failed: {await wrk.StandardError.ReadToEndAsync(ct)}");
        }

        return Parse(text);
    }

    public static WrkResult Parse(string text)
    {
        double Latency(string percentile)
        {
            var m = Regex.Match(text, $@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success)
            {
                return double.NaN;
            }

            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }

        long Number(string pattern) => Regex.Match(text, pattern) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var rate = Regex.Match(text, @"Requests/sec:\s+([\d.]+)");
        var socket = Regex.Match(text, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var errors = Number(@"Non-2xx or 3xx responses: (\d+)") + (socket.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture)) : 0);
        return new WrkResult(rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : 0, Latency("50"), Latency("99"),
            Number(@"(\d+) requests in"), errors, text);
    }

    /// <summary>The ceiling: Kestrel answering one fixed page of <see cref="PageBytes"/> from memory, nothing else.</summary>
    private static async Task<StaticPage> StartStaticPageAsync(CancellationToken ct)
    {
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Statisk sida</title></head><body>");
        for (var i = 0; page.Length < PageBytes - 20; i++)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>Rad {i}: mal och resultat, en fast text som tar plats.</p>");
        }

        var bytes = Encoding.UTF8.GetBytes(page.Append("</body></html>").ToString()[..(PageBytes - 14)] + "</body></html>");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", (HttpContext http) =>
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.ContentLength = bytes.Length;
            return http.Response.Body.WriteAsync(bytes).AsTask();
        });
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaticPage(app, new Uri(address + "/"));
    }

    private sealed class StaticPage(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
