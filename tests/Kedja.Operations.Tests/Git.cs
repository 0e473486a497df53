using System.Diagnostics;

namespace Kedja.Operations.Tests;

/// <summary>The previous release, as a git tag of this repository (KEDJA_PREVIOUS_RELEASE, default release-17).</summary>
public static class Git
{
    public static string PreviousRelease { get; } = Environment.GetEnvironmentVariable("KEDJA_PREVIOUS_RELEASE") is { Length: > 0 } tag ? tag : "release-17";

    /// <summary>The tag's commit; a clear failure when the clone does not have it (a shallow clone, or tags not fetched).</summary>
    public static async Task<string> PreviousReleaseCommitAsync()
    {
        var (exit, output) = await RunAsync(["rev-parse", "--verify", "--quiet", PreviousRelease + "^{commit}"]);
        if (exit != 0)
        {
            throw new InvalidOperationException(
                $"The previous release's tag '{PreviousRelease}' is not in this clone ({Kedja.Root}), so the upgrade tests cannot run. " +
                $"Fetch the tags (`git fetch --tags origin`, or `git fetch --unshallow --tags` in a shallow clone) and run again.");
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
