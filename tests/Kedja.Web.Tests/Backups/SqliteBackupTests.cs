using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Backups;
using Kedja.Web.Demo;
using Microsoft.Data.Sqlite;

namespace Kedja.Web.Tests.Backups;

/// <summary>
/// backup and restore on SQLite (issue 18, ADR 50): a consistent copy while the app takes writes, restored into a
/// fresh file with every write acknowledged before the backup began; refusals that leave the target as it was.
/// </summary>
public sealed class SqliteBackupTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static string FileOf(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    private static string Fresh(BackupVerbRunner.Folder folder, string name) => $"Data Source={folder[name]}";

    [Fact]
    public async Task A_backup_under_write_load_restores_every_write_acknowledged_before_it_began_and_the_same_exports()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true);
        using var folder = new BackupVerbRunner.Folder();
        var admin = await app.ClientAsync();
        // A municipality the load does not touch: its export must come back byte for byte.
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "orord", name = "Orörd kommun", template = Templates.ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, app.ConnectionString, "export", "orord", folder["before.json"]);
        var units = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units");
        var parent = units.EnumerateArray().First(u => u.GetProperty("kind").GetString() == "administration").GetProperty("id").GetGuid();

        // The load: new units in the demo municipality, one after the other, each acknowledged (201) at a moment on one clock.
        var clock = Stopwatch.StartNew();
        var acknowledged = new List<(string Name, long At)>();
        var backupStarted = long.MaxValue;
        var backupEnded = long.MaxValue;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var load = Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                var name = $"Belastning {i:D4}";
                var response = await admin.PostAsJsonAsync($"{Base}/units", new { parentId = parent, name, kind = "unit", sortOrder = i, isActive = true });
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                lock (acknowledged)
                {
                    acknowledged.Add((name, clock.ElapsedTicks));
                    // Ten writes after the backup ended, so that the load ran on around it.
                    if (acknowledged.Count(a => a.At > Volatile.Read(ref backupEnded)) >= 10)
                    {
                        return;
                    }
                }
            }
        });
        while (true)
        {
            lock (acknowledged)
            {
                if (acknowledged.Count >= 20)
                {
                    break;
                }
            }

            load.IsCompleted.ShouldBeFalse();
            await Task.Delay(20);
        }

        Volatile.Write(ref backupStarted, clock.ElapsedTicks);
        var output = await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, app.ConnectionString, "backup", "--out", folder["kedja.backup"]);
        Volatile.Write(ref backupEnded, clock.ElapsedTicks);
        await load;

        // Standard output is the hash and the file, as sha256sum writes it; the same line is beside the file.
        var hash = await BackupHash.ComputeAsync(folder["kedja.backup"]);
        output.ShouldBe($"{hash}  {folder["kedja.backup"]}\n");
        (await File.ReadAllTextAsync(folder["kedja.backup.sha256"])).ShouldBe($"{hash}  kedja.backup\n");

        var target = Fresh(folder, "restored.db");
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, target, "restore", folder["kedja.backup"]);
        var restored = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"{target};Pooling=False;Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT name FROM org_units WHERE name LIKE 'Belastning %'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                restored.Add(reader.GetString(0));
            }
        }

        var before = acknowledged.Where(a => a.At < backupStarted).Select(a => a.Name).ToList();
        before.Count.ShouldBeGreaterThanOrEqualTo(20);
        before.Where(name => !restored.Contains(name)).ShouldBeEmpty("writes acknowledged before the backup began are missing from it");
        // A snapshot: never a write the app had not finished (the names are written in order, so the copy holds a prefix).
        var all = acknowledged.Select(a => a.Name).ToList();
        restored.Count.ShouldBeLessThanOrEqualTo(all.Count);
        restored.SetEquals(all.Take(restored.Count)).ShouldBeTrue("the copy holds the first writes, with none missing in between");
        acknowledged.Count(a => a.At > backupStarted).ShouldBeGreaterThan(0);

        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, target, "export", "orord", folder["after.json"]);
        (await File.ReadAllBytesAsync(folder["after.json"])).ShouldBe(await File.ReadAllBytesAsync(folder["before.json"]));
        // The restored file is an ordinary Kedja database: it passes SQLite's check and reads the demo municipality.
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, target, "verify-audit", "--tenant", DemoTenant.Slug);
    }

    [Fact]
    public async Task Restore_refuses_a_changed_file_a_newer_schema_a_database_with_data_and_one_in_use_and_leaves_the_target_as_it_was()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite));
        using var folder = new BackupVerbRunner.Folder();
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, app.ConnectionString, "backup", "--out", folder["good.backup"]);
        var target = Fresh(folder, "target.db");
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, target, "restore", folder["good.backup"]);
        var targetHash = await BackupHash.ComputeAsync(folder["target.db"]);

        // One byte changed after the backup was made: the hash beside it no longer fits.
        File.Copy(folder["good.backup"], folder["changed.backup"]);
        File.Copy(folder["good.backup.sha256"], folder["changed.backup.sha256"]);
        await using (var stream = new FileStream(folder["changed.backup"], FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            var b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        var changed = await BackupVerbRunner.RunAsync(DatabaseProvider.Sqlite, target, "restore", folder["changed.backup"], "--force");
        changed.ExitCode.ShouldBe(Cli.Verbs.Failed);
        changed.Error.ShouldContain("är ändrad eller skadad");
        changed.Error.ShouldContain("Inget återställdes.");

        // A backup from a build with a migration this one does not know, with a correct hash.
        File.Copy(folder["good.backup"], folder["newer.backup"]);
        await using (var connection = new SqliteConnection($"Data Source={folder["newer.backup"]};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("INSERT INTO kedja_schema_migrations (id, applied_at) VALUES ('9999_from_the_future', '2030-01-01')", connection);
            await command.ExecuteNonQueryAsync();
        }

        await BackupHash.WriteAsync(folder["newer.backup"]);
        var newer = await BackupVerbRunner.RunAsync(DatabaseProvider.Sqlite, target, "restore", folder["newer.backup"], "--force");
        newer.ExitCode.ShouldBe(Cli.Verbs.Failed);
        newer.Error.ShouldContain("kommer från en nyare version av Kedja");
        newer.Error.ShouldContain("9999_from_the_future");

        // A database with an account in it, without --force; and the running app's own database, even with it.
        var full = await BackupVerbRunner.RunAsync(DatabaseProvider.Sqlite, target, "restore", folder["good.backup"]);
        full.ExitCode.ShouldBe(Cli.Verbs.Failed);
        full.Error.ShouldContain("innehåller redan data (");
        full.Error.ShouldContain("Ange --force");
        var live = FileOf(app.ConnectionString);
        var liveHash = await BackupHash.ComputeAsync(live);
        var inUse = await BackupVerbRunner.RunAsync(DatabaseProvider.Sqlite, app.ConnectionString, "restore", folder["good.backup"], "--force");
        inUse.ExitCode.ShouldBe(Cli.Verbs.Failed);
        inUse.Error.ShouldContain("används");
        (await BackupHash.ComputeAsync(live)).ShouldBe(liveHash);

        (await BackupHash.ComputeAsync(folder["target.db"])).ShouldBe(targetHash);
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Where(f => f!.Contains(".restore-") || f.Contains(".replaced-")).ShouldBeEmpty();

        // With --force the old file is kept beside the restored one.
        await BackupVerbRunner.OkAsync(DatabaseProvider.Sqlite, target, "restore", folder["good.backup"], "--force");
        Directory.GetFiles(folder.Path, "target.db.replaced-*").ShouldHaveSingleItem();
    }
}
