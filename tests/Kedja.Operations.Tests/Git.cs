using System.Diagnostics;

namespace Kedja.Operations.Tests;

/// <summary>
/// The previous release: KEDJA_PREVIOUS_RELEASE, or the tag and commit written in the file previous-release beside
/// this project (the commit serves a clone that came without tags).
/// </summary>
public static class Git
{
    private static readonly Dictionary<string, string> Recorded = File.ReadAllLines(Path.Combine(Kedja.Root, "tests", "Kedja.Operations.Tests", "previous-release"))
        .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
        .Select(line => line.Split('=', 2))
        .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);

    public static string PreviousRelease { get; } = Environment.GetEnvironmentVariable("KEDJA_PREVIOUS_RELEASE") is { Length: > 0 } tag ? tag : Recorded["tag"];

    /// <summary>The release's commit; a clear failure when the clone has neither its tag nor its commit (a shallow clone).</summary>
    public static async Task<string> PreviousReleaseCommitAsync()
    {
        var (exit, output) = await RunAsync(["rev-parse", "--verify", "--quiet", PreviousRelease + "^{commit}"]);
        if (exit != 0 && Environment.GetEnvironmentVariable("KEDJA_PREVIOUS_RELEASE") is not { Length: > 0 })
        {
            (exit, output) = await RunAsync(["rev-parse", "--verify", "--quiet", Recorded["commit"] + "^{commit}"]);
        }

        if (exit != 0)
        {
            throw new InvalidOperationException(
                $"The previous release '{PreviousRelease}' ({Recorded["commit"][..10]}) is not in this clone ({Kedja.Root}), so the upgrade tests cannot run. " +
                $"Fetch it (`git fetch --tags origin`, or `git fetch --unshallow --tags` in a shallow clone) and run again.");
        }

        return output.Trim();
    }

    public static async Task<(int Exit, string Output)> RunAsync(IEnumerable<string> arguments, string? directory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory ?? Kedja.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await errors);
    }
}
