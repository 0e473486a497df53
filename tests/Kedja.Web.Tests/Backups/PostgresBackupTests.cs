using System.Diagnostics;
using Kedja.Data;
using Kedja.Web.Backups;
using Npgsql;

namespace Kedja.Web.Tests.Backups;

/// <summary>
/// PostgreSQL backups (issue 18, ADR 50): the backup and restore verbs over pg_dump and pg_restore for one database,
/// and deploy/backup's base backup with the WAL archive restored to a moment between two writes.
/// </summary>
public sealed class PostgresBackupTests
{
    [PostgresFact]
    public async Task A_dump_restores_into_a_fresh_database_with_every_municipality_byte_for_byte_and_a_newer_one_is_refused()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Postgres), seedDemo: true);
        using var folder = new BackupVerbRunner.Folder();
        var before = Path.Combine(folder.Path, "before");
        var after = Path.Combine(folder.Path, "after");
        await BackupVerbRunner.OkAsync(DatabaseProvider.Postgres, app.ConnectionString, "export-all", before);
        var output = await BackupVerbRunner.OkAsync(DatabaseProvider.Postgres, TestDatabase.Direct(app.ConnectionString), "backup", "--out", folder["kedja.dump"]);
        output.ShouldBe($"{await BackupHash.ComputeAsync(folder["kedja.dump"])}  {folder["kedja.dump"]}\n");

        // The restored database is reached without pgbouncer throughout: a pooler's server connections would count as
        // users of the database, and the verbs' session state must not reach other clients (TestDatabase.Direct).
        await using var fresh = await TestDatabase.CreateAsync(nameof(DatabaseProvider.Postgres));
        var freshDirect = TestDatabase.Direct(fresh.ConnectionString);
        await BackupVerbRunner.OkAsync(DatabaseProvider.Postgres, freshDirect, "restore", folder["kedja.dump"]);
        await BackupVerbRunner.OkAsync(DatabaseProvider.Postgres, freshDirect, "export-all", after);
        BackupVerbRunner.ShouldBeSameFiles(before, after);

        // Now the database has data: refused without --force, and a changed dump even with it; the data stays. The verbs
        // ran in this process, whose pool still holds their connections: a verb's own process would have closed them.
        ClosePool(freshDirect);
        var again = await BackupVerbRunner.RunAsync(DatabaseProvider.Postgres, freshDirect, "restore", folder["kedja.dump"]);
        again.ExitCode.ShouldBe(Cli.Verbs.Failed);
        again.Error.ShouldContain("innehåller redan");
        await File.AppendAllTextAsync(folder["kedja.dump"], "x");
        var changed = await BackupVerbRunner.RunAsync(DatabaseProvider.Postgres, freshDirect, "restore", folder["kedja.dump"], "--force");
        changed.ExitCode.ShouldBe(Cli.Verbs.Failed);
        changed.Error.ShouldContain("är ändrad eller skadad");

        // A dump of a database migrated by a newer build: refused before pg_restore touches anything.
        await using (var connection = new NpgsqlConnection(freshDirect))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("INSERT INTO kedja_schema_migrations (id, applied_at) VALUES ('9999_from_the_future', '2030-01-01')", connection);
            await command.ExecuteNonQueryAsync();
        }

        ClosePool(freshDirect);
        await BackupVerbRunner.OkAsync(DatabaseProvider.Postgres, freshDirect, "backup", "--out", folder["newer.dump"]);
        await using var other = await TestDatabase.CreateAsync(nameof(DatabaseProvider.Postgres));
        var otherDirect = TestDatabase.Direct(other.ConnectionString);
        var newer = await BackupVerbRunner.RunAsync(DatabaseProvider.Postgres, otherDirect, "restore", folder["newer.dump"]);
        newer.ExitCode.ShouldBe(Cli.Verbs.Failed);
        newer.Error.ShouldContain("kommer från en nyare version av Kedja");
        await using (var connection = new NpgsqlConnection(otherDirect))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            ((long)(await command.ExecuteScalarAsync())!).ShouldBe(0);
        }
    }

    [PitrFact]
    public async Task A_base_backup_and_the_wal_archive_restore_to_a_moment_between_two_writes()
    {
        var bin = PitrFactAttribute.PostgresBin!;
        var port = PitrFactAttribute.Port;
        var root = Path.Combine("/tmp", $"kedja-pitr-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(Path.Combine(root, "archive"));
        var (source, restored, archive) = (Path.Combine(root, "source"), Path.Combine(root, "restored"), Path.Combine(root, "archive"));
        var asRoot = Environment.UserName == "root";
        try
        {
            if (asRoot)
            {
                await Run("chown", "-R", "postgres:", root);
            }

            // A server of its own (initdb refuses root: as the postgres user, as deploy/cluster/up runs Patroni), archiving with
            // exactly the lines deploy/backup/archive-settings prints.
            await AsPostgres(asRoot, Path.Combine(bin, "initdb"), "-D", source, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
            var settings = await Run(Script("archive-settings"), archive);
            await File.AppendAllTextAsync(Path.Combine(source, "postgresql.conf"), settings);
            await AsPostgres(asRoot, Path.Combine(bin, "pg_ctl"), "-D", source, "-w", "-t", "60", "-l", Path.Combine(root, "source.log"),
                "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}", "start");

            var sourceDb = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
            await SqlAsync(sourceDb, "CREATE TABLE decisions (what text NOT NULL)");
            var (bases, first, second) = (Path.Combine(root, "bases"), Path.Combine(root, "bases", "1"), Path.Combine(root, "bases", "2"));
            await Run(Script("basebackup"), ["--out", first], new() { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = $"{port}", ["PGUSER"] = "postgres" });

            await SqlAsync(sourceDb, "INSERT INTO decisions VALUES ('A')");
            var between = (DateTime)(await SqlAsync(sourceDb, "SELECT clock_timestamp()"))!;
            await Task.Delay(100);
            await SqlAsync(sourceDb, "INSERT INTO decisions VALUES ('B')");
            // The segment with B closed and archived, so that the restore could replay past the moment if it were wrong.
            var segment = (string)(await SqlAsync(sourceDb, "SELECT pg_walfile_name(pg_switch_wal())"))!;
            var watch = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(archive, segment)))
            {
                watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"{segment} was not archived");
                await Task.Delay(100);
            }

            await Run(Script("pitr-restore"), ["--base", first, "--archive", archive, "--data", restored,
                "--target-time", between.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture), "--start", "--port", $"{port + 1}"],
                new() { ["PGUSER"] = "postgres" });
            var restoredDb = $"Host=127.0.0.1;Port={port + 1};Username=postgres;Database=postgres;Pooling=false";
            (await SqlAsync(restoredDb, "SELECT string_agg(what, ',' ORDER BY what) FROM decisions")).ShouldBe("A");
            (await SqlAsync(restoredDb, "SELECT pg_is_in_recovery()")).ShouldBe(false);
            (await SqlAsync(sourceDb, "SELECT string_agg(what, ',' ORDER BY what) FROM decisions")).ShouldBe("A,B");

            // Retention (deploy/backup/prune): a second base backup, then keep one. The first backup and every archived
            // segment before the second's start go; what is left still restores, to the latest write.
            await Run(Script("basebackup"), ["--out", second], new() { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = $"{port}", ["PGUSER"] = "postgres" });
            await SqlAsync(sourceDb, "INSERT INTO decisions VALUES ('C')");
            var last = (string)(await SqlAsync(sourceDb, "SELECT pg_walfile_name(pg_switch_wal())"))!;
            watch.Restart();
            while (!File.Exists(Path.Combine(archive, last)))
            {
                watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"{last} was not archived");
                await Task.Delay(100);
            }

            var secondStart = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(Path.Combine(second, "backup_label")), @"\(file ([0-9A-F]{24})\)").Groups[1].Value;
            File.Exists(Path.Combine(archive, segment)).ShouldBeTrue();
            string.CompareOrdinal(segment[8..], secondStart[8..]).ShouldBeLessThan(0, "the segment with B is older than the second backup");
            (await Run(Script("prune"), "--base-dir", bases, "--archive", archive, "--keep", "1")).ShouldContain("kept 1 base backups");
            Directory.Exists(first).ShouldBeFalse();
            Directory.Exists(second).ShouldBeTrue();
            var segments = Directory.GetFiles(archive).Select(Path.GetFileName).Where(f => f!.Length == 24).ToList();
            segments.ShouldNotBeEmpty();
            segments.Where(f => string.CompareOrdinal(f![8..], secondStart[8..]) < 0).ShouldBeEmpty("segments before the kept backup's start are removed");
            var latest = Path.Combine(root, "latest");
            await Run(Script("pitr-restore"), ["--base", second, "--archive", archive, "--data", latest, "--latest", "--start", "--port", $"{port + 2}"],
                new() { ["PGUSER"] = "postgres" });
            (await SqlAsync($"Host=127.0.0.1;Port={port + 2};Username=postgres;Database=postgres;Pooling=false",
                "SELECT string_agg(what, ',' ORDER BY what) FROM decisions")).ShouldBe("A,B,C");
            var refusal = "";
            try
            {
                await Run(Script("prune"), "--base-dir", bases, "--archive", archive, "--keep", "0");
            }
            catch (ShouldAssertException e)
            {
                // Shouldly's own ThrowAsync lets its assertion exceptions through, so the refused exit is caught by hand.
                refusal = e.Message;
            }

            refusal.ShouldContain("--keep must be 1 or more");
        }
        finally
        {
            foreach (var data in new[] { source, restored, Path.Combine(root, "latest") })
            {
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    await AsPostgres(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop");
                }
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static void ClosePool(string connectionString)
    {
        using var pooled = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    private static string Script(string name) => Path.Combine(RepositoryRoot, "deploy", "backup", name);

    private static readonly string RepositoryRoot = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kedja.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kedja.slnx not found above the test folder.");
    }

    private static async Task<object?> SqlAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static Task<string> AsPostgres(bool asRoot, string tool, params string[] args) =>
        asRoot ? Run("runuser", ["-u", "postgres", "--", tool, .. args]) : Run(tool, args);

    private static Task<string> Run(string file, params string[] args) => Run(file, args, null);

    /// <summary>Runs a program to its end (at most two minutes) and returns its standard output; fails with its error output.</summary>
    private static async Task<string> Run(string file, string[] args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}: {await error}");
        return await output;
    }
}

/// <summary>
/// Needs PostgreSQL's server programs (Debian: /usr/lib/postgresql/{version}/bin, package postgresql) and, as root, the
/// postgres user; skipped with the reason otherwise. The throwaway servers listen on KEDJA_TEST_PITR_PORT and the next
/// port (default 18150).
/// </summary>
internal sealed class PitrFactAttribute : FactAttribute
{
    public static readonly string? PostgresBin = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_basebackup")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
        : null;

    public static int Port => int.TryParse(Environment.GetEnvironmentVariable("KEDJA_TEST_PITR_PORT"), out var port) ? port : 18150;

    public PitrFactAttribute()
    {
        if (PostgresBin is null)
        {
            Skip = "Återställning till en tidpunkt provades inte: PostgreSQL:s serverprogram (initdb, pg_ctl, pg_basebackup) finns inte i " +
                "/usr/lib/postgresql/<version>/bin. Installera Debian-paketet postgresql.";
        }
        else if (Environment.UserName == "root" && !File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)))
        {
            Skip = "Återställning till en tidpunkt provades inte: initdb vägrar köra som root och användaren postgres saknas.";
        }
    }
}
