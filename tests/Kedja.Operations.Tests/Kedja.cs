using System.Diagnostics;
using System.Net;
using System.Text;
using Npgsql;

namespace Kedja.Operations.Tests;

/// <summary>
/// Kedja.Web as real processes on 127.0.0.1: the web app on a port of its own, or a verb run to its end (or killed).
/// Ports come from KEDJA_TEST_OPERATIONS_BASE_PORT (default 5830; ten of them), so that helpers and CI do not meet.
/// </summary>
public static class Kedja
{
    public const string AdminEmail = "admin@drift.test";
    public const string AdminPassword = "Drift-lösen-för-test-18";

    public static int BasePort { get; } = int.TryParse(Environment.GetEnvironmentVariable("KEDJA_TEST_OPERATIONS_BASE_PORT"), out var port) ? port : 5830;

    public static string Root { get; } = FindRoot();

    /// <summary>The Release build of this checkout (CI builds it before the step).</summary>
    public static string Dll => Path.Combine(Root, "src", "Kedja.Web", "bin", "Release", "net10.0", "Kedja.Web.dll");

    /// <summary>KEDJA_TEST_POSTGRES, on the postgres database unless it names one (a role need not have a database of its name).</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("KEDJA_TEST_POSTGRES") is { Length: > 0 } server
        ? new NpgsqlConnectionStringBuilder(server) is { Database: null or "" } ? new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString : server
        : null;

    /// <summary>The settings every process gets: the database, an admin without TOTP, no demo unless asked, mail as files.</summary>
    public static Dictionary<string, string?> Settings(string provider, string connectionString, string mailFolder, bool seedDemo = false) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Staging",
        ["ConnectionStrings__Kedja"] = connectionString,
        ["Kedja__Database__Provider"] = provider,
        ["Kedja__Admin__Email"] = AdminEmail,
        ["Kedja__Admin__Password"] = AdminPassword,
        ["Kedja__Accounts__RequireTwoFactorForSystemAdmins"] = "false",
        ["Kedja__Demo__Seed"] = seedDemo ? "true" : "false",
        ["Kedja__Mail__PickupDirectory"] = mailFolder,
    };

    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The processes run as in production: none of a test host's JIT settings.
        foreach (var name in new[] { "DOTNET_JITMinOpts", "DOTNET_TieredCompilation", "DOTNET_EnableWriteXorExecute", "DOTNET_GCgen0size", "DOTNET_TieredPGO" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Starts a process whose output is collected (and so never blocks it).</summary>
    public static Running Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings) =>
        new(Process.Start(StartInfo(dll, arguments, settings))!);

    /// <summary>Runs a verb to its end; its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        using var running = Start(dll, arguments, settings);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await running.Process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill();
            throw new TimeoutException($"dotnet Kedja.Web.dll {string.Join(' ', arguments)} took too long: {running.Output}");
        }

        await running.Drained;
        return (running.Process.ExitCode, running.Output);
    }

    /// <summary>Starts the web app on 127.0.0.1:{port}.</summary>
    public static Running StartApp(string dll, int port, IReadOnlyDictionary<string, string?> settings) =>
        Start(dll, ["--no-launch-profile"], new Dictionary<string, string?>(settings) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

    /// <summary>Waits until the app answers its sign-in page; fails with its output when it died or took too long.</summary>
    public static async Task WaitReadyAsync(Running app, int port, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (app.Process.HasExited)
            {
                await app.Drained;
                throw new InvalidOperationException($"Kedja.Web on {port} stopped ({app.Process.ExitCode}): {app.Output}");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/logga-in")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (watch.Elapsed > (timeout ?? TimeSpan.FromMinutes(5)))
            {
                app.Kill();
                throw new TimeoutException($"Kedja.Web on {port} was not ready in {watch.Elapsed.TotalSeconds:0} s: {app.Output}");
            }

            await Task.Delay(100);
        }
    }

    public static async Task<string> CreatePostgresDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
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

/// <summary>A started process with its output collected as it comes.</summary>
public sealed class Running : IDisposable
{
    private readonly StringBuilder output = new();

    public Running(Process process)
    {
        Process = process;
        Drained = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public Process Process { get; }

    public Task Drained { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.Length > 6000 ? output.ToString(output.Length - 6000, 6000) : output.ToString();
            }
        }
    }

    /// <summary>SIGKILL: no goodbye, as when the machine loses power.</summary>
    public void Kill()
    {
        try
        {
            Process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Ended already.
        }

        Process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
