using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kedja.Operations.Tests;

/// <summary>
/// What the fault runs share (issue 18, ADR 52): a SQLite database made by the verbs (migrate, seed-examples) with people in
/// one municipality, that municipality exported as a tenant document, an admin token, and the measured start cost of a
/// verb that does nothing (kills land after it, where the work is).
/// </summary>
public sealed class FaultFixture : IAsyncLifetime
{
    public const string Slug = "exempel-vision-nio-mal";
    public const int People = 12;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"kedja-faults-{Guid.NewGuid():N}");
    public string BaseDb => Path.Combine(Folder, "base.db");
    public string Document => Path.Combine(Folder, "tenant.json");
    public string Token { get; private set; } = "";

    /// <summary>Seconds a verb takes to start and stop when it has nothing to do (host, configuration, EF model).</summary>
    public double IdleVerbSeconds { get; private set; }

    /// <summary>Seconds from a web app's start to its first answer, on this database.</summary>
    public double AppStartSeconds { get; private set; }

    /// <summary>Rounds per kind of work: KEDJA_FAULT_ROUNDS (the issue asks for 50; default 5 for a developer's run).</summary>
    public static int Rounds { get; } = int.TryParse(Environment.GetEnvironmentVariable("KEDJA_FAULT_ROUNDS"), out var r) && r > 0 ? r : 5;

    public Random Random { get; } = new(int.TryParse(Environment.GetEnvironmentVariable("KEDJA_FAULT_SEED"), out var seed) ? seed : Environment.TickCount);

    public Dictionary<string, string?> Settings(string db, string mail) => Kedja.Settings("Sqlite", $"Data Source={db}", mail);

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("KEDJA_TEST_OPERATIONS") != "1")
        {
            return;
        }

        File.Exists(Kedja.Dll).ShouldBeTrue($"{Kedja.Dll} (dotnet build -c Release src/Kedja.Web)");
        Directory.CreateDirectory(Folder);
        var settings = Settings(BaseDb, Path.Combine(Folder, "setup-mail"));
        foreach (var verb in new[] { new[] { "migrate" }, ["seed-examples"], ["export", Slug, Document] })
        {
            var (exit, output) = await Kedja.RunAsync(Kedja.Dll, verb, settings, TimeSpan.FromMinutes(5));
            exit.ShouldBe(0, output);
        }

        var watch = Stopwatch.StartNew();
        var (idle, idleOutput) = await Kedja.RunAsync(Kedja.Dll, ["migrate"], settings);
        idle.ShouldBe(0, idleOutput);
        IdleVerbSeconds = watch.Elapsed.TotalSeconds;

        // People to remind: editors of the municipality (each invitation is a mail too), and every open follow-up due
        // "soon" so that each day of the moved clock has digests to send.
        watch.Restart();
        var port = Kedja.BasePort + 2;
        using (var app = Kedja.StartApp(Kedja.Dll, port, settings))
        {
            await Kedja.WaitReadyAsync(app, port);
            AppStartSeconds = watch.Elapsed.TotalSeconds;
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(180) };
            var token = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { email = Kedja.AdminEmail, password = Kedja.AdminPassword, name = "fel" });
            token.EnsureSuccessStatusCode();
            Token = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
            for (var i = 0; i < People; i++)
            {
                (await client.PostAsJsonAsync($"/api/v1/tenants/{Slug}/members", new { email = $"person{i}@drift.test", role = "editor" })).EnsureSuccessStatusCode();
            }
        }

        await Databases.SqliteQueryAsync(BaseDb, $"UPDATE tenants SET reminder_days_before = 400 WHERE slug = '{Slug}'");
        Console.WriteLine($"[faults] base database ready; an idle verb takes {IdleVerbSeconds:0.0} s, the app answers after {AppStartSeconds:0.0} s; {Rounds} rounds per kind");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Folder) && Environment.GetEnvironmentVariable("KEDJA_FAULT_KEEP") != "1")
        {
            Directory.Delete(Folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A copy of the base database for one kind of work (the file alone: the WAL was checkpointed by the checks' connections).</summary>
    public async Task<string> CopyAsync(string name)
    {
        var file = Path.Combine(Folder, name + ".db");
        await Databases.SqliteQueryAsync(BaseDb, "PRAGMA wal_checkpoint(TRUNCATE)");
        File.Copy(BaseDb, file, overwrite: true);
        return file;
    }

    /// <summary>A moment in [from, to] seconds, uniformly.</summary>
    public TimeSpan Between(double from, double to) => TimeSpan.FromSeconds(from + Random.NextDouble() * Math.Max(0.01, to - from));

    /// <summary>The app starts on what the rounds left and serves a signed-in read.</summary>
    public async Task ServesAsync(string db, string mail)
    {
        var port = Kedja.BasePort + 4;
        using var app = Kedja.StartApp(Kedja.Dll, port, Settings(db, mail));
        await Kedja.WaitReadyAsync(app, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(180) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var answer = await client.GetAsync($"/api/v1/tenants/{Slug}/goals");
        answer.IsSuccessStatusCode.ShouldBeTrue($"the app serves after the kills: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultFixture>
{
    public const string Name = "faults";
}
