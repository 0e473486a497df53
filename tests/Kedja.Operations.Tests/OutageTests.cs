using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Kedja.Operations.Tests;

/// <summary>
/// The database goes away, or the disk fills (issue 18, ADR 52): requests fail with a Swedish 503 (never a 500), nothing
/// half-written remains, and the app recovers by itself, without a restart.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    private void Say(string line)
    {
        output.WriteLine(line);
        Console.WriteLine("[outage] " + line);
    }

    private static int PostgresPort { get; } = int.TryParse(Environment.GetEnvironmentVariable("KEDJA_TEST_OPERATIONS_PG_PORT"), out var port) ? port : 18300;

    /// <summary>Runs a command as the postgres user (initdb and pg_ctl refuse root); its exit code and output.</summary>
    private static async Task<(int Exit, string Output)> AsPostgresAsync(string program, params string[] arguments)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in root ? ["-u", "postgres", "--", program, .. arguments] : arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await text + await errors);
    }

    private static string PostgresBin(string tool) =>
        Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin", tool)).Last(File.Exists);

    [OperationsFact]
    public async Task When_PostgreSQL_is_away_for_10_s_requests_get_a_Swedish_503_nothing_is_half_written_and_the_app_recovers_by_itself()
    {
        Directory.Exists("/usr/lib/postgresql").ShouldBeTrue("PostgreSQL's server binaries (Debian's postgresql)");
        var watch = Stopwatch.StartNew();
        var folder = Path.Combine(Path.GetTempPath(), $"kedja-pg-away-{Guid.NewGuid():N}");
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(folder);
        if (Environment.UserName == "root")
        {
            (await new Func<Task<int>>(async () =>
            {
                using var chown = Process.Start("chown", ["-R", "postgres", folder]);
                await chown.WaitForExitAsync();
                return chown.ExitCode;
            })()).ShouldBe(0);
        }

        var options = $"-p {PostgresPort} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB -c max_connections=60";
        Task<(int, string)> Ctl(params string[] arguments) => AsPostgresAsync(PostgresBin("pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", .. arguments]);
        try
        {
            var (init, initOutput) = await AsPostgresAsync(PostgresBin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync");
            init.ShouldBe(0, initOutput);
            var (started, startOutput) = await Ctl("-o", options, "start");
            started.ShouldBe(0, startOutput);
            var server = $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=postgres;Timeout=5";
            await Databases.PostgresQueryAsync(server, "CREATE DATABASE kedja");
            var connection = $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=kedja;Timeout=5";

            var port = Kedja.BasePort + 6;
            var settings = Kedja.Settings("Postgres", connection, Path.Combine(folder, "mail"));
            using var app = Kedja.StartApp(Kedja.Dll, port, settings);
            await Kedja.WaitReadyAsync(app, port);
            var load = new Workload(port, await Workload.TokenAsync(port));
            await load.CreateTenantAsync();

            // Load before, during and after: the server stops (fast shutdown: every connection ends) 3 s in and starts
            // again 10 s later; the load runs until writes have succeeded for 5 s after that, within a minute.
            double stoppedAt = 0, startedAt = 0;
            var run = load.RunAsync(3, () => startedAt > 0 && load.Clock.Elapsed.TotalMilliseconds > startedAt + 5000
                && load.Answers.Any(a => a.Write && a.Id is not null && a.SentAt > startedAt), TimeSpan.FromSeconds(90));
            await Task.Delay(3000);
            stoppedAt = load.Clock.Elapsed.TotalMilliseconds;
            (await Ctl("-m", "fast", "stop")).Item1.ShouldBe(0);
            await Task.Delay(10_000);
            (await Ctl("-o", options, "start")).Item1.ShouldBe(0);
            startedAt = load.Clock.Elapsed.TotalMilliseconds;
            await run;

            var answers = load.Answers.OrderBy(a => a.SentAt).ToList();
            var failed = answers.Where(a => a.Status is not { } s || (int)s >= 300).ToList();
            Say($"database away: {load.Summary()}; stopped at {stoppedAt / 1000:0.0} s, started at {startedAt / 1000:0.0} s");
            failed.ShouldNotBeEmpty("requests during the outage failed");
            failed.ShouldAllBe(a => a.Status == HttpStatusCode.ServiceUnavailable, "a missing database answers 503, never 500 or no answer: " +
                string.Join(" | ", failed.Where(a => a.Status != HttpStatusCode.ServiceUnavailable).Take(3).Select(a => $"{a.Status} {a.Body}")));
            failed.ShouldAllBe(a => a.Body!.Contains("Databasen är tillfälligt otillgänglig", StringComparison.Ordinal) && a.RetryAfter != null);
            failed.ShouldAllBe(a => a.DoneAt >= stoppedAt - 500 && a.SentAt <= startedAt + 15_000, "only requests of the outage (and the reconnect just after it) failed");
            var firstWriteAfter = answers.Where(a => a.Write && a.Id is not null && a.SentAt > startedAt).Min(a => a.DoneAt);
            Say($"database away: {failed.Count} answers 503 in Swedish with Retry-After; first acknowledged write {(firstWriteAfter - startedAt) / 1000:0.0} s after the start, no restart of the app");
            app.Process.HasExited.ShouldBeFalse();

            // Nothing half-written: every acknowledged goal is stored, every stored goal has its audit entry (the chain
            // verifies), and no goal exists beyond those acknowledged and those whose answer was lost in the outage.
            var acknowledged = answers.Where(a => a.Id is not null).Select(a => a.Id!.Value.ToString()).ToHashSet();
            var stored = (await Databases.PostgresQueryAsync(connection, $"SELECT g.id FROM goals g JOIN tenants t ON t.id = g.tenant_id WHERE t.slug = '{Workload.Slug}' AND g.title LIKE 'last-%'"))
                .Select(r => r[0]).ToHashSet();
            acknowledged.Except(stored).ShouldBeEmpty("every acknowledged write is stored");
            (stored.Count - acknowledged.Count).ShouldBeLessThanOrEqualTo(failed.Count(a => a.Write), "at most the writes whose answer was lost are stored unacknowledged");
            var (verified, verifyOutput) = await Kedja.RunAsync(Kedja.Dll, ["verify-audit", "--tenant", Workload.Slug], settings);
            verified.ShouldBe(0, verifyOutput);
            Say($"database away: {acknowledged.Count} acknowledged writes all stored, {stored.Count - acknowledged.Count} stored whose answer was lost, audit chain whole; {watch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await Ctl("-m", "immediate", "stop");
            Directory.Delete(folder, recursive: true);
        }
    }

    [OperationsFact]
    public async Task On_a_full_disk_SQLite_writes_fail_with_a_Swedish_503_nothing_is_corrupted_and_writing_resumes_when_space_returns()
    {
        var watch = Stopwatch.StartNew();
        var folder = Path.Combine(Path.GetTempPath(), $"kedja-full-disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        using (var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", folder]) { RedirectStandardError = true })!)
        {
            await mount.WaitForExitAsync();
            if (mount.ExitCode != 0)
            {
                Directory.Delete(folder);
                Say($"full disk: SKIPPED – mounting a tmpfs is not permitted here ({(await mount.StandardError.ReadToEndAsync()).Trim()}); run as root");
                return;
            }
        }

        try
        {
            var db = Path.Combine(folder, "kedja.db");
            var filler = Path.Combine(folder, "filler");
            var port = Kedja.BasePort + 7;
            var settings = Kedja.Settings("Sqlite", $"Data Source={db}", Path.Combine(Path.GetTempPath(), $"kedja-full-disk-mail-{Guid.NewGuid():N}"));
            using var app = Kedja.StartApp(Kedja.Dll, port, settings);
            await Kedja.WaitReadyAsync(app, port);
            var load = new Workload(port, await Workload.TokenAsync(port));
            await load.CreateTenantAsync();
            using var client = load.Client();
            var (before, beforeId) = await load.CreateGoalAsync(client, "last-före");
            before.StatusCode.ShouldBe(HttpStatusCode.Created);

            // Fill the disk to the last byte: a file grown in 64 KiB steps until ENOSPC, then in single bytes.
            await using (var fill = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                foreach (var size in new[] { 65536, 1 })
                {
                    var block = new byte[size];
                    try
                    {
                        while (true)
                        {
                            fill.Write(block);
                            fill.Flush();
                        }
                    }
                    catch (IOException)
                    {
                    }
                }
            }

            // Writes until one fails (the WAL may have room for a few): each answer Swedish, none a 500.
            var refused = new List<(HttpStatusCode Status, string Body, string? RetryAfter)>();
            var stored = new List<Guid>();
            for (var i = 0; i < 200 && refused.Count < 5; i++)
            {
                var (answer, id) = await load.CreateGoalAsync(client, $"last-full-{i}");
                if (id is { } ok)
                {
                    stored.Add(ok);
                    continue;
                }

                refused.Add((answer.StatusCode, await answer.Content.ReadAsStringAsync(), answer.Headers.RetryAfter?.ToString()));
            }

            Say($"full disk: {stored.Count} writes still fitted, then {refused.Count} refused: {string.Join(", ", refused.Select(r => (int)r.Status).Distinct())}");
            refused.Count.ShouldBe(5, "writes fail once the disk is full");
            refused.ShouldAllBe(r => r.Status == HttpStatusCode.ServiceUnavailable && r.RetryAfter != null, string.Join(" | ", refused.Select(r => $"{r.Status} {r.Body}").Take(2)));
            refused.ShouldAllBe(r => r.Body.Contains("slut på diskutrymme", StringComparison.Ordinal) && !r.Body.Contains("   at ", StringComparison.Ordinal));
            (await client.GetAsync($"/api/v1/tenants/{Workload.Slug}/goals/{beforeId}")).StatusCode.ShouldBe(HttpStatusCode.OK, "reads go on");

            // Space returns: writing works again by itself, and the file is whole.
            File.Delete(filler);
            var (after, afterId) = await load.CreateGoalAsync(client, "last-efter");
            after.StatusCode.ShouldBe(HttpStatusCode.Created, await after.Content.ReadAsStringAsync());
            app.Process.HasExited.ShouldBeFalse();
            await Databases.SqliteIntactAsync(db, "after the full disk");
            var titles = (await Databases.SqliteQueryAsync(db, $"SELECT title FROM goals WHERE title LIKE 'last-%'")).Select(r => r[0]).ToList();
            titles.Count.ShouldBe(stored.Count + 2, "the acknowledged writes and nothing of the refused ones");
            var (verified, verifyOutput) = await Kedja.RunAsync(Kedja.Dll, ["verify-audit", "--tenant", Workload.Slug], settings);
            verified.ShouldBe(0, verifyOutput);
            Say($"full disk: writing resumed when space returned (goal {afterId}); integrity_check ok, audit chain whole; {watch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            using (var umount = Process.Start("umount", ["-l", folder]))
            {
                await umount.WaitForExitAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
