using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode "neighbour" (issue 17): one municipality's heavy work must not push another's scorecard past its targets in
/// a shared installation. Readers of the tenant's nämnd (the one with the largest chain) read for a fixed time, first
/// alone, then while another tenant (the L one) has its council's annual report, council and committees, ordered,
/// built and downloaded over and over, one after the other, as a controller at the year end would.
/// </summary>
public static class Neighbour
{
    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, Uri baseUri, string heavySlug, int pid, string format, int readers, TimeSpan duration, TimeSpan warmUp,
        TextWriter output, CancellationToken ct)
    {
        var (unit, chain) = ReadersAndWriters.Pick(tenant, null, UnitKind.Committee);
        using var heavyApi = new KedjaApi(baseUri, heavySlug, connections: 4);
        try
        {
            await heavyApi.SignInAsync(Environment.GetEnvironmentVariable(Program.EmailVariable)!, Environment.GetEnvironmentVariable(Program.PasswordVariable)!, ct);
            var heavy = await TenantPicture.ReadAsync(heavyApi, null, ct);
            var report = await ReportRuns.AnnualReportAsync(heavyApi, heavy, ct);
            await output.WriteLineAsync(Header.Line("neighbour", api, tenant,
                $"{readers} readers of {unit.Name} (chain {Figures.Count(chain)} goals) · {duration.TotalSeconds:0} s per phase after {warmUp.TotalSeconds:0} s warm-up · heavy: {heavySlug}'s annual report of {report.PeriodKey} ({format}) ordered one after the other"));
            if (warmUp > TimeSpan.Zero)
            {
                await ReadersAndWriters.PhaseAsync(api, tenant, unit, readers, warmUp, 0, [], ct);
            }

            var alone = await ReadersAndWriters.PhaseAsync(api, tenant, unit, readers, duration, 0, [], ct);
            await output.WriteLineAsync(ReadersAndWriters.Line("alone", alone));

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reports = new List<double>();
            var jobs = new List<double>();
            var failures = new List<string>();
            var building = Task.Run(async () =>
            {
                // Bounded: at most as many reports as fit in the phase, and never more than 1,000.
                for (var n = 0; n < 1_000 && !stop.IsCancellationRequested; n++)
                {
                    var run = await ReportRuns.OneAsync(heavyApi, pid, report, format, stop.Token);
                    if (run.Error is not null)
                    {
                        failures.Add(run.Error);
                        return;
                    }

                    reports.Add(run.Ms);
                    if (run.JobMs is { } job)
                    {
                        jobs.Add(job);
                    }
                }
            }, ct);

            // The heavy work starts first, so the measured phase is under it from its first read.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var beside = await ReadersAndWriters.PhaseAsync(api, tenant, unit, readers, duration, 0, [], ct);
            await stop.CancelAsync();
            try
            {
                await building;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The report in flight when the phase ended is not counted.
            }

            await output.WriteLineAsync(ReadersAndWriters.Line("beside heavy", beside));
            await output.WriteLineAsync($"  heavy    {reports.Count} annual reports of {heavySlug} done during the phase · ordered→done {Figures.Spread(reports)} · job {Figures.Spread(jobs)} · failures {failures.Count}{(failures.Count > 0 ? $" ({failures[0]})" : "")}");
            await output.WriteLineAsync($"  beside heavy / alone: throughput {Figures.Number(beside.Reads.Client.Count / beside.Seconds / (alone.Reads.Client.Count / alone.Seconds), "0.00")} · server p95 {Figures.Number(Figures.Percentile(beside.Reads.Server, 0.95) / Figures.Percentile(alone.Reads.Server, 0.95), "0.00")} · server p99 {Figures.Number(Figures.Percentile(beside.Reads.Server, 0.99) / Figures.Percentile(alone.Reads.Server, 0.99), "0.00")}");
            return alone.Errors.Count + beside.Errors.Count + failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            await heavyApi.SignOutAsync();
        }
    }
}
