using Kedja.Data;
using Kedja.Web.Cli;

namespace Kedja.Web.Tests.Backups;

/// <summary>Runs a verb in-process against a database given by provider and connection string, as an operator's shell would.</summary>
internal static class BackupVerbRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(DatabaseProvider provider, string connectionString, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Verbs.RunAsync(args, output, error, new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Kedja"] = connectionString,
            ["Kedja:Demo:Seed"] = "false",
        });
        return (exitCode, output.ToString(), error.ToString());
    }

    public static async Task<string> OkAsync(DatabaseProvider provider, string connectionString, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(provider, connectionString, args);
        exitCode.ShouldBe(0, $"{string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>A new, empty folder for a test's files; removed by <see cref="IDisposable.Dispose"/>.</summary>
    public sealed class Folder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kedja-tests", "backups", Guid.NewGuid().ToString("N"));

        public Folder() => Directory.CreateDirectory(Path);

        public string this[string name] => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>Every file of a folder by name, with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(f => System.IO.Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    public static void ShouldBeSameFiles(string expectedFolder, string actualFolder)
    {
        var expected = Files(expectedFolder);
        var actual = Files(actualFolder);
        actual.Keys.ShouldBe(expected.Keys);
        foreach (var (name, bytes) in expected)
        {
            actual[name].SequenceEqual(bytes).ShouldBeTrue($"{name} differs after the round trip");
        }
    }
}
