using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kedja.Cluster.Tests;

/// <summary>
/// One cluster for all tests, started and stopped through deploy/cluster/up and down (the same scripts as a deployment),
/// on a base port of its own (KEDJA_TEST_CLUSTER_BASE_PORT, default 26500) and a state folder of its own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static bool Enabled => Environment.GetEnvironmentVariable("KEDJA_TEST_CLUSTER") == "1";

    public const string AdminEmail = "admin@kluster.test";
    public const string AdminPassword = "Kluster-lösen-för-test-9";
    public const string Slug = "klustret";

    public int BasePort { get; } = int.TryParse(Environment.GetEnvironmentVariable("KEDJA_TEST_CLUSTER_BASE_PORT"), out var port) ? port : 26500;
    public string State { get; } = Path.Combine(Path.GetTempPath(), $"kedja-cluster-test-{Guid.NewGuid():N}");
    public string Root { get; } = FindRoot();
    public string ClockFile => Path.Combine(State, "clock-offset");
    public Uri Url => new($"http://127.0.0.1:{BasePort + 40}");

    /// <summary>The admin's personal access token (made through the cluster once).</summary>
    public string Token { get; private set; } = "";
    public Guid Level { get; private set; }
    public Guid Unit { get; private set; }

    public async Task InitializeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        await UpAsync();
        Console.WriteLine($"[cluster] up in {watch.Elapsed.TotalSeconds:0.0} s (base port {BasePort}, state {State})");
        using var client = Client();
        var token = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { email = AdminEmail, password = AdminPassword });
        token.EnsureSuccessStatusCode();
        Token = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var admin = Client(Token);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = Slug, name = "Klustrets kommun", template = "inriktningar-effektmal" })).EnsureSuccessStatusCode();
        var model = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/model");
        Level = model[0].GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("depth").GetInt32() == 0).GetProperty("id").GetGuid();
        var units = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/units");
        // The template's top level ("Inriktning") takes goals of the council only.
        Unit = units.EnumerateArray().First(u => u.GetProperty("kind").ToString() is "0" or "Council" or "council").GetProperty("id").GetGuid();
        var (probe, _) = await CreateGoalAsync(admin, "första målet");
        probe.StatusCode.ShouldBe(HttpStatusCode.Created, await probe.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        var keep = Environment.GetEnvironmentVariable("KEDJA_TEST_CLUSTER_KEEP") == "1";
        await ScriptAsync("down", keep ? [] : ["--purge"], TimeSpan.FromMinutes(2));
    }

    /// <summary>Starts what is not running (all of it the first time; a killed piece later).</summary>
    public Task UpAsync() => ScriptAsync("up", [], TimeSpan.FromMinutes(5));

    /// <summary>A client of the load balancer; with a token, signed in as the admin.</summary>
    public HttpClient Client(string? token = null, bool cookies = false)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = cookies, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(1) })
        { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public int Pid(string name)
    {
        var file = name == "pgbouncer" ? Path.Combine(State, "pgbouncer", "pgbouncer.pid") : Path.Combine(State, "run", name + ".pid");
        return int.Parse(File.ReadAllText(file).Trim());
    }

    /// <summary>The postmaster of a PostgreSQL node (first line of its postmaster.pid).</summary>
    public int Postmaster(string node) => int.Parse(File.ReadAllLines(Path.Combine(State, node, "data", "postmaster.pid"))[0].Trim());

    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false); // SIGKILL on Linux: no goodbye, as when a machine dies
    }

    /// <summary>Which database node Patroni's REST API says is primary now (null while none is).</summary>
    public async Task<string?> PrimaryAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var (node, rest) in new[] { ("pg1", BasePort + 10), ("pg2", BasePort + 12) })
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Options, $"http://127.0.0.1:{rest}/primary");
                if ((await http.SendAsync(request)).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        }

        return null;
    }

    /// <summary>Creates a goal through the load balancer; its id when acknowledged (201).</summary>
    public async Task<(HttpResponseMessage Response, Guid? Id)> CreateGoalAsync(HttpClient client, string title, CancellationToken cancellationToken = default)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/tenants/{Slug}/goals",
            new { levelId = Level, ownerUnitId = Unit, title, validFromYear = DateTime.UtcNow.Year - 1, validToYear = DateTime.UtcNow.Year + 2, sortOrder = 0 /* the level looks four years ahead */ }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response, null);
        }

        return (response, (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid());
    }

    /// <summary>Every goal of the tenant as the cluster reads it now (from the primary).</summary>
    public async Task<HashSet<Guid>> GoalIdsAsync()
    {
        using var admin = Client(Token);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var goals = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/goals");
                return [.. goals.EnumerateArray().Select(g => g.GetProperty("id").GetGuid())];
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                await Task.Delay(1000);
            }
        }
    }

    /// <summary>Runs SQL on the primary as the app's user (psql, through haproxy's primary port); the rows as text.</summary>
    public async Task<string> SqlAsync(string sql)
    {
        using var process = Process.Start(Psql(["-c", sql]))!;
        var text = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, errors);
        return text.Trim();
    }

    /// <summary>
    /// Locks a table against every reader (access exclusive) in a psql session of its own on the primary and holds the
    /// lock until the returned handle is disposed, which commits. Granted is read from pg_locks: psql's own output to a
    /// pipe is buffered.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(string table)
    {
        var start = Psql([]);
        start.RedirectStandardInput = true;
        var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync($"BEGIN;\nLOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;");
        await process.StandardInput.FlushAsync();
        var watch = Stopwatch.StartNew();
        while (await SqlAsync($"select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = '{table}' and l.mode = 'AccessExclusiveLock' and l.granted") != "1")
        {
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), $"the lock on {table} was not granted");
            await Task.Delay(50);
        }

        return new Held(process);
    }

    private sealed class Held(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await process.StandardInput.WriteLineAsync("COMMIT;\n\\q");
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>psql on the primary as the app's user, through haproxy's primary port.</summary>
    private ProcessStartInfo Psql(string[] more)
    {
        var secrets = File.ReadAllLines(Path.Combine(State, "secrets.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var start = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", (BasePort + 20).ToString(), "-U", "kedja", "-d", "kedja" }.Concat(more))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = secrets["KEDJA_CLUSTER_DB_PASSWORD"];
        return start;
    }

    public static string Node(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Kedja-Node", out var values) ? values.Single() : "?";

    private async Task ScriptAsync(string script, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "deploy", "cluster", script)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The app nodes run as in production: none of a test host's JIT settings.
        foreach (var name in new[] { "DOTNET_JITMinOpts", "DOTNET_TieredCompilation", "DOTNET_EnableWriteXorExecute", "DOTNET_GCgen0size" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["KEDJA_CLUSTER_BASE_PORT"] = BasePort.ToString();
        start.Environment["KEDJA_CLUSTER_STATE"] = State;
        start.Environment["KEDJA_APP_ENVIRONMENT"] = "Staging"; // not Production: the clock file is honoured
        start.Environment["Kedja__Admin__Email"] = AdminEmail;
        start.Environment["Kedja__Admin__Password"] = AdminPassword;
        start.Environment["Kedja__Accounts__RequireTwoFactorForSystemAdmins"] = "false";
        start.Environment["Kedja__Testing__ClockOffsetFile"] = ClockFile;
        start.Environment["Kedja__Demo__Seed"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/cluster/{script} took longer than {timeout}: {await output}{await errors}");
        }

        Console.WriteLine(await output);
        if (process.ExitCode != 0)
        {
            var logs = string.Join("\n", Directory.Exists(Path.Combine(State, "log"))
                ? Directory.GetFiles(Path.Combine(State, "log")).Select(f => $"--- {f}\n{Tail(f)}") : []);
            throw new InvalidOperationException($"deploy/cluster/{script} failed ({process.ExitCode}): {await errors}\n{logs}");
        }
    }

    private static string Tail(string file)
    {
        var lines = File.ReadAllLines(file);
        return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 15)));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kedja.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository (Kedja.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
