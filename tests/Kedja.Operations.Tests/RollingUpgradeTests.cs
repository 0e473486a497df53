using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;

namespace Kedja.Operations.Tests;

/// <summary>
/// A rolling upgrade (issue 18, ADR 52): the previous release (a git tag, built from a worktree) and this build run side
/// by side on one PostgreSQL database that this build migrated, as while haproxy's nodes are replaced one by one. Both
/// serve the main journeys, and what one writes the other reads.
/// </summary>
public sealed partial class RollingUpgradeTests(ITestOutputHelper output)
{
    /// <summary>One of the template example municipalities (seed-examples): seconds to make, where the demo takes minutes.</summary>
    private const string Slug = "exempel-vision-nio-mal";
    private const string Period = "2026-T3";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private void Say(string line)
    {
        output.WriteLine(line);
        Console.WriteLine("[upgrade] " + line);
    }

    [OperationsFact]
    public async Task The_previous_release_and_this_one_serve_the_main_journeys_side_by_side_on_a_database_migrated_by_this_one()
    {
        Kedja.PostgresServer.ShouldNotBeNull("the rolling-upgrade test runs on PostgreSQL: set KEDJA_TEST_POSTGRES");
        File.Exists(Kedja.Dll).ShouldBeTrue($"{Kedja.Dll} (dotnet build -c Release src/Kedja.Web)");
        var total = Stopwatch.StartNew();
        var commit = await Git.PreviousReleaseCommitAsync();
        var temp = Path.Combine(Path.GetTempPath(), $"kedja-upgrade-{Guid.NewGuid():N}");
        var worktree = Path.Combine(temp, "previous");
        string? connection = null;
        try
        {
            // The previous release, built as it was tagged (or taken from KEDJA_PREVIOUS_RELEASE_CACHE, where a run keeps it).
            var watch = Stopwatch.StartNew();
            var oldDll = await PreviousReleaseAsync(commit, worktree);
            Say($"{Git.PreviousRelease} ({commit[..10]}) ready in {watch.Elapsed.TotalSeconds:0.0} s");

            // One database, migrated by this build (as the first upgraded node, or the migrate verb, does), and one
            // expand step of a later release that neither build knows (a nullable column): the old code must bear it.
            connection = await Kedja.CreatePostgresDatabaseAsync("kedja_h183_upgrade");
            var mail = Path.Combine(temp, "mail");
            var settings = Kedja.Settings("Postgres", connection, mail);
            settings["Kedja__Database__MigrateOnStartup"] = "false";
            var (migrated, migrateOutput) = await Kedja.RunAsync(Kedja.Dll, ["migrate"], settings);
            migrated.ShouldBe(0, migrateOutput);
            await ExecuteAsync(connection, "ALTER TABLE outcomes ADD COLUMN upgrade_probe varchar(40) NULL; ALTER TABLE goals ADD COLUMN upgrade_weight integer NOT NULL DEFAULT 0;");

            // This build seeds the example municipalities; the old one starts beside it with its own migrator on (it
            // finds every script it knows applied and does nothing).
            var (seeded, seedOutput) = await Kedja.RunAsync(Kedja.Dll, ["seed-examples"], settings, TimeSpan.FromMinutes(4));
            seeded.ShouldBe(0, seedOutput);
            var newPort = Kedja.BasePort;
            var oldPort = Kedja.BasePort + 1;
            using var newApp = Kedja.StartApp(Kedja.Dll, newPort, settings);
            await Kedja.WaitReadyAsync(newApp, newPort);
            using var oldApp = Kedja.StartApp(oldDll, oldPort, new Dictionary<string, string?>(settings) { ["Kedja__Database__MigrateOnStartup"] = "true" });
            await Kedja.WaitReadyAsync(oldApp, oldPort);
            Say($"both running after {total.Elapsed.TotalSeconds:0.0} s (new on {newPort}, old on {oldPort})");

            var nodes = new[] { ("new", newPort), ("old", oldPort) };
            foreach (var (name, port) in nodes)
            {
                await SignInThroughTheFormAsync(port, name);
            }

            // A token made on one node is good on the other (one key ring, one accounts table).
            using var tokenClient = Client(oldPort, null);
            var tokenAnswer = await tokenClient.PostAsJsonAsync("/api/v1/auth/tokens", new { email = Kedja.AdminEmail, password = Kedja.AdminPassword, name = "uppgradering" });
            tokenAnswer.StatusCode.ShouldBe(HttpStatusCode.OK, await tokenAnswer.Content.ReadAsStringAsync());
            var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            using var onNew = Client(newPort, token);
            using var onOld = Client(oldPort, token);

            // A tertial indicator of a goal: its unit's scorecard, its outcome, its goal's assessment.
            var indicators = await onOld.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/indicators");
            var chosen = indicators.EnumerateArray().First(i => i.GetProperty("periodicity").GetString() == "tertial" && i.GetProperty("goalId").ValueKind == JsonValueKind.String);
            var indicator = chosen.GetProperty("id").GetGuid();
            var library = chosen.GetProperty("ownerUnitId").GetGuid();
            var goal = chosen.GetProperty("goalId").GetGuid();

            // Scorecards on both.
            foreach (var (name, client) in new[] { ("new", onNew), ("old", onOld) })
            {
                var card = await client.GetAsync($"/api/v1/tenants/{Slug}/units/{library}/scorecard?periodKey={Period}");
                card.StatusCode.ShouldBe(HttpStatusCode.OK, $"scorecard on the {name} release: {await card.Content.ReadAsStringAsync()}");
            }

            // An outcome written on one is read on the other, both ways, each write with the version the other gave.
            var value = 100m;
            foreach (var (writerName, writer, reader) in new[] { ("new", onNew, onOld), ("old", onOld, onNew), ("new", onNew, onOld) })
            {
                value += 7;
                var current = await writer.GetAsync($"/api/v1/tenants/{Slug}/indicators/{indicator}/outcomes/{Period}");
                int? version = current.IsSuccessStatusCode ? (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
                var put = await writer.PutAsJsonAsync($"/api/v1/tenants/{Slug}/indicators/{indicator}/outcomes/{Period}", new { value, version });
                put.StatusCode.ShouldBe(HttpStatusCode.OK, $"outcome written on the {writerName} release: {await put.Content.ReadAsStringAsync()}");
                var read = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/indicators/{indicator}/outcomes/{Period}");
                read.GetProperty("value").GetDecimal().ShouldBe(value, $"written on the {writerName} release, read on the other");
            }

            // An assessment written on the old release is read on the new, and changed there.
            foreach (var (writerName, writer, reader, motivation) in new[] { ("old", onOld, onNew, "Fler lån än i fjol."), ("new", onNew, onOld, "Fler lån och fler besök.") })
            {
                var current = await writer.GetAsync($"/api/v1/tenants/{Slug}/goals/{goal}/assessments/{Period}");
                int? version = current.IsSuccessStatusCode ? (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
                var put = await writer.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{goal}/assessments/{Period}",
                    new { status = "delvis-uppfyllt", motivation, analysis = "Sagostunderna lockar.", actions = "Fler sagostunder.", version });
                put.IsSuccessStatusCode.ShouldBeTrue($"assessment written on the {writerName} release: {await put.Content.ReadAsStringAsync()}");
                var read = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/goals/{goal}/assessments/{Period}");
                read.GetProperty("motivation").GetString().ShouldBe(motivation);
            }

            // A report ordered on each is rendered by whichever node's worker claims it and read through the other.
            var templates = await onNew.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/report-templates");
            var template = templates[0].GetProperty("key").GetString();
            foreach (var (writerName, writer, reader) in new[] { ("old", onOld, onNew), ("new", onNew, onOld) })
            {
                var ordered = await writer.PostAsJsonAsync($"/api/v1/tenants/{Slug}/reports", new { unitId = library, templateKey = template, format = "html", periodKey = Period });
                ordered.IsSuccessStatusCode.ShouldBeTrue($"report ordered on the {writerName} release: {await ordered.Content.ReadAsStringAsync()}");
                var id = (await ordered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                var waited = Stopwatch.StartNew();
                while (true)
                {
                    var job = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/reports/{id}");
                    var state = job.GetProperty("state").GetString();
                    if (state is "done" or "Done")
                    {
                        (await reader.GetAsync($"/api/v1/tenants/{Slug}/reports/{id}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
                        break;
                    }

                    state.ShouldNotBe("failed", job.ToString());
                    waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90), $"report ordered on the {writerName} release not done: {job}");
                    await Task.Delay(200);
                }
            }

            oldApp.Process.HasExited.ShouldBeFalse();
            newApp.Process.HasExited.ShouldBeFalse();
            oldApp.Output.ShouldNotContain("fail:", customMessage: "the previous release logged no failure against the newer schema");
            Say($"rolling upgrade: journeys passed on both; wall time {total.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (connection is not null)
            {
                await Kedja.DropPostgresDatabaseAsync(connection);
            }

            if (Directory.Exists(worktree))
            {
                await Git.RunAsync(["worktree", "remove", "--force", worktree]);
            }

            await Git.RunAsync(["worktree", "prune"]);
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>
    /// The previous release's Kedja.Web.dll: `git worktree add` of the tag into the temp folder and `dotnet build -c Release`
    /// of its Kedja.Web (analyzers off: the release was checked when it was tagged; the build is this test's main cost).
    /// With KEDJA_PREVIOUS_RELEASE_CACHE set, the output is kept there by commit and taken from there next time.
    /// </summary>
    private static async Task<string> PreviousReleaseAsync(string commit, string worktree)
    {
        var cache = Environment.GetEnvironmentVariable("KEDJA_PREVIOUS_RELEASE_CACHE") is { Length: > 0 } folder ? Path.Combine(folder, commit) : null;
        if (cache is not null && File.Exists(Path.Combine(cache, "Kedja.Web.dll")))
        {
            return Path.Combine(cache, "Kedja.Web.dll");
        }

        var (added, addOutput) = await Git.RunAsync(["worktree", "add", "--detach", worktree, commit]);
        added.ShouldBe(0, addOutput);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = worktree, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", "-c", "Release", "--nologo", "-v", "q", "-p:TreatWarningsAsErrors=false", "-p:RunAnalyzers=false", "src/Kedja.Web" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(cancel.Token);
        process.ExitCode.ShouldBe(0, await text + await errors);
        var output = Path.Combine(worktree, "src", "Kedja.Web", "bin", "Release", "net10.0");
        File.Exists(Path.Combine(output, "Kedja.Web.dll")).ShouldBeTrue(output);
        if (cache is null)
        {
            return Path.Combine(output, "Kedja.Web.dll");
        }

        foreach (var file in Directory.GetFiles(output, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(cache, Path.GetRelativePath(output, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return Path.Combine(cache, "Kedja.Web.dll");
    }

    private async Task SignInThroughTheFormAsync(int port, string name)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var form = await browser.GetAsync("/logga-in");
        var token = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        var signIn = await browser.PostAsync("/logga-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = Kedja.AdminEmail, ["losenord"] = Kedja.AdminPassword,
        }));
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in on the {name} release: {await signIn.Content.ReadAsStringAsync()}");
        (await browser.GetAsync($"/k/{Slug}")).StatusCode.ShouldBe(HttpStatusCode.OK, $"signed in on the {name} release");
        Say($"signed in through the form on the {name} release");
    }

    private static HttpClient Client(int port, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(180) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
