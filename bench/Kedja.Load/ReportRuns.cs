using System.Diagnostics;
using System.Text.Json;
using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode "reports" (issue 10): orders reports through the API as a person would and waits for each: the council's
/// annual report covering its committees, and an enhet's tertial report, in Word and PDF (and Excel and HTML beside).
/// Prints the time from ordering to done, the job's own time, the file's size, and how far the server's resident
/// memory rose above where it stood before the order (sampled every 20 ms from /proc/PID/status).
/// </summary>
public static class ReportRuns
{
    internal sealed record Case(string Name, UnitItem Unit, string PeriodKey, string Template, string Scope);

    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, int pid, int rounds, string[] formats, TextWriter output, CancellationToken ct)
    {
        MemoryRun.Status(pid);
        var (enhet, _) = ReadersAndWriters.Pick(tenant, null, UnitKind.Unit);
        Case[] cases =
        [
            await AnnualReportAsync(api, tenant, ct),
            new($"enhet tertial report ({enhet.Name})", enhet, tenant.Period.Key, "tertialrapport", "unit"),
        ];
        await output.WriteLineAsync(Header.Line("reports", api, tenant, $"{rounds} rounds per report and format, ordered through the API and waited for · server pid {pid}"));
        var failed = 0;
        foreach (var c in cases)
        {
            foreach (var format in formats)
            {
                var times = new List<double>();
                var jobTimes = new List<double>();
                var rises = new List<double>();
                long size = 0;
                for (var round = 0; round < rounds; round++)
                {
                    var run = await OneAsync(api, pid, c, format, ct);
                    if (run.Error is not null)
                    {
                        await output.WriteLineAsync($"{c.Name} {format}: {run.Error}");
                        failed++;
                        break;
                    }

                    times.Add(run.Ms);
                    if (run.JobMs is { } jobMs)
                    {
                        jobTimes.Add(jobMs);
                    }

                    rises.Add(run.RiseMb);
                    size = run.Bytes;
                }

                if (times.Count > 0)
                {
                    await output.WriteLineAsync($"{c.Name,-58} {format,-4} ordered→done {Figures.Spread(times)} · job {Figures.Spread(jobTimes)} · " +
                        $"memory rise max {Figures.Number(rises.Max())} MB · file {Figures.Number(size / 1024.0)} KB · period {c.PeriodKey}");
                }
            }
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>The council's annual report, council and committees, of the last period that closes a year and has ended.</summary>
    internal static async Task<Case> AnnualReportAsync(KedjaApi api, TenantPicture tenant, CancellationToken ct)
    {
        var council = tenant.Units.FirstOrDefault(u => u.Kind == UnitKind.Council) ?? throw new LoadException("The tenant has no council.");
        var periods = await api.PeriodsAsync(ct);
        var yearEnd = periods.Where(p => p.EndDate.Month == 12 && p.EndDate.Day == 31 && p.EndDate <= tenant.Period.EndDate).OrderBy(p => p.EndDate).LastOrDefault()
            ?? throw new LoadException("The calendar has no period that closes a year before the one followed up now.");
        return new("council annual report, council and committees", council, yearEnd.Key, "arsredovisning", "children");
    }

    internal sealed record Run(double Ms, double? JobMs, double RiseMb, long Bytes, string? Error);

    internal static async Task<Run> OneAsync(KedjaApi api, int pid, Case c, string format, CancellationToken ct)
    {
        var before = MemoryRun.Status(pid).Rss;
        long peak = before;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, MemoryRun.Status(pid).Rss);
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, ct);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var ordered = await api.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{api.Slug}/reports",
                new { unitId = c.Unit.Id, periodKey = c.PeriodKey, templateKey = c.Template, scope = c.Scope, format }, ct);
            if (!ordered.Ok)
            {
                return new Run(0, null, 0, 0, $"ordering answered {ordered.Status}: {KedjaApi.Describe(ordered)}");
            }

            var id = JsonDocument.Parse(ordered.Body).RootElement.GetProperty("id").GetGuid();
            while (true)
            {
                var status = await api.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{api.Slug}/reports/{id}", null, ct);
                using var job = JsonDocument.Parse(status.Body);
                var state = job.RootElement.GetProperty("state").GetString();
                if (state == "done")
                {
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    double? jobMs = job.RootElement.TryGetProperty("startedAt", out var s) && job.RootElement.TryGetProperty("finishedAt", out var f)
                        && s.ValueKind == JsonValueKind.String && f.ValueKind == JsonValueKind.String
                        ? (f.GetDateTimeOffset() - s.GetDateTimeOffset()).TotalMilliseconds : null;
                    var file = await api.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{api.Slug}/reports/{id}/file", null, ct, keepBody: false);
                    await sampling.CancelAsync();
                    await sampler;
                    return file.Ok
                        ? new Run(ms, jobMs, (peak - before) / 1024.0, file.Bytes, null)
                        : new Run(0, null, 0, 0, $"the file answered {file.Status}");
                }

                if (state == "failed")
                {
                    return new Run(0, null, 0, 0, $"the job failed: {job.RootElement.GetProperty("message").GetString()}");
                }

                await Task.Delay(20, ct);
            }
        }
        finally
        {
            await sampling.CancelAsync();
        }
    }
}
