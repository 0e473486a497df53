using System.Net;
using System.Net.Http.Json;
using Kedja.Data;

namespace Kedja.Web.Tests.Backups;

/// <summary>
/// export-all and import-all (issue 18, ADR 50): every municipality's document in a folder is its logical backup;
/// imported into an empty installation and exported again, every file comes back byte for byte.
/// </summary>
public sealed class TenantFolderTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_municipality_comes_back_byte_for_byte_from_the_folder_and_a_changed_file_stops_the_whole_import(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "andra", name = "Andra kommun", template = Templates.ModelTemplates.Kumla }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var first = new BackupVerbRunner.Folder();
        using var again = new BackupVerbRunner.Folder();
        using var changed = new BackupVerbRunner.Folder();
        var kind = app.Provider;

        var slugs = await BackupVerbRunner.OkAsync(kind, app.ConnectionString, "export-all", first.Path);
        slugs.ShouldBe($"andra\n{Demo.DemoTenant.Slug}\n");
        BackupVerbRunner.Files(first.Path).Keys.ShouldBe(["SHA256SUMS", "andra.json", $"{Demo.DemoTenant.Slug}.json"]);

        // A changed document is refused before anything is written, in an empty installation.
        await using var empty = await TestDatabase.CreateAsync(provider);
        foreach (var file in Directory.GetFiles(first.Path))
        {
            File.Copy(file, changed[Path.GetFileName(file)]);
        }

        await File.AppendAllTextAsync(changed["andra.json"], " ");
        var refused = await BackupVerbRunner.RunAsync(kind, empty.ConnectionString, "import-all", changed.Path);
        refused.ExitCode.ShouldBe(Cli.Verbs.Failed);
        refused.Error.ShouldContain("andra.json är ändrad eller skadad");
        refused.Error.ShouldContain("innan något sparades");

        (await BackupVerbRunner.OkAsync(kind, empty.ConnectionString, "import-all", first.Path)).ShouldBe(slugs);
        (await BackupVerbRunner.OkAsync(kind, empty.ConnectionString, "export-all", again.Path)).ShouldBe(slugs);
        BackupVerbRunner.ShouldBeSameFiles(first.Path, again.Path);

        // A second import into the same installation is refused whole: the municipalities exist.
        var twice = await BackupVerbRunner.RunAsync(kind, empty.ConnectionString, "import-all", first.Path);
        twice.ExitCode.ShouldBe(Cli.Verbs.Failed);
        twice.Error.ShouldContain("Det finns redan en kommun med kortnamnet 'andra'");
    }
}
