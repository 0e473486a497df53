using System.Diagnostics;

namespace Kedja.Web.Tests;

/// <summary>
/// The servers the tests start with Node.js from tests/tools (an OpenID Connect provider, an SMTP server), installed
/// from its package-lock.json with `npm ci` the first time a test needs them (`.ci/run` installs them beforehand).
/// Without Node.js and npm those tests are skipped, with the reason, as browser tests are without Chromium.
/// </summary>
public static class NodeTools
{
    public const string Missing = "Testerna mot OpenID Connect och SMTP kördes inte: installera Node.js och npm (apt-get install nodejs npm).";

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>node on the PATH, or null.</summary>
    public static string? Node { get; } = OnPath("node");

    public static string? Npm { get; } = OnPath("npm");

    /// <summary>tests/tools in the repository the tests were built from.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Installs tests/tools/node_modules once per machine (npm ci from the lock file) and returns the folder.</summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        if (Node is null || Npm is null)
        {
            throw new InvalidOperationException(Missing);
        }

        await Installing.WaitAsync();
        try
        {
            var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
            if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
            {
                return Folder;
            }

            var start = new ProcessStartInfo(Npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = await npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Folder} failed ({npm.ExitCode}): {error}{await output}");
            }

            return Folder;
        }
        finally
        {
            Installing.Release();
        }
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kedja.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "tools");
            }
        }

        throw new InvalidOperationException("tests/tools was not found above " + AppContext.BaseDirectory);
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A test that needs Node.js (tests/tools): skipped, with the reason, where Node.js or npm is missing.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeTools.Node is null || NodeTools.Npm is null)
        {
            Skip = NodeTools.Missing;
        }
    }
}
