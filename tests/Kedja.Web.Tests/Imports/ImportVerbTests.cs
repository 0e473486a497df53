using System.Text;
using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Web.Cli;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Imports;

/// <summary>The import-outcomes verb: the same check and messages as the web, non-zero on any problem, nothing written by a dry run or a file with errors.</summary>
public sealed class ImportVerbTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(KedjaApp app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = app.Provider.ToString(),
            ["ConnectionStrings:Kedja"] = app.ConnectionString,
            ["Kedja:Demo:Seed"] = "false",
            ["Kedja:Imports:RunWorker"] = "false",
            ["Kedja:Reports:RunWorker"] = "false",
        };
        var exitCode = await Verbs.RunAsync(args, output, error, settings);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<string> FileAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kedja-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    private static async Task<decimal?> ValueAsync(KedjaApp app, Guid indicator, string period)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Outcomes.Where(o => o.IndicatorId == indicator && o.PeriodKey == period).Select(o => o.Value).SingleOrDefaultAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_with_a_problem_prints_each_row_message_exits_1_and_writes_nothing_then_the_fixed_file_imports(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var bullying = await OutcomeImportTests.IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var wrong = await FileAsync($"Indikator-id,Period,Utfall\r\n{bullying.Id},2026-T3,2.6\r\n{bullying.Id},2026-T4,2.6\r\n");
        var right = await FileAsync($"Indikator-id,Period,Utfall\r\n{bullying.Id},2026-T3,2.6\r\n");
        try
        {
            var (exitCode, output, _) = await RunAsync(app, "import-outcomes", "--tenant", DemoTenant.Slug, wrong);
            exitCode.ShouldBe(Verbs.Failed);
            output.ShouldContain("Rad 3, Period: ”2026-T4” är ingen period. Ange t.ex. 2025-T2, 2025-03 eller 2025.");
            output.ShouldContain("Rader: 2. Nya värden: 1. Ändrade: 0. Oförändrade: 0. Med fel: 1.");
            (await ValueAsync(app, bullying.Id, "2026-T3")).ShouldBeNull();

            var (dryExit, dryOutput, _) = await RunAsync(app, "import-outcomes", "--tenant", DemoTenant.Slug, right, "--dry-run");
            dryExit.ShouldBe(0);
            dryOutput.ShouldContain("Provkörning: inget sparades. Filen kan importeras.");
            (await ValueAsync(app, bullying.Id, "2026-T3")).ShouldBeNull();

            var (okExit, okOutput, okError) = await RunAsync(app, "import-outcomes", "--tenant", DemoTenant.Slug, right);
            okExit.ShouldBe(0, okError);
            okOutput.ShouldContain("Importen är klar.");
            (await ValueAsync(app, bullying.Id, "2026-T3")).ShouldBe(2.6m);

            var (scope, db) = app.DbFor(DemoTenant.Slug);
            using (scope)
            {
                // The demo's finance import (issue 16) is in the same log; this verb writes outcome imports.
                var log = await db.OutcomeImports.Where(i => i.Kind == Domain.Imports.OutcomeImportKind.Outcomes).OrderBy(i => i.RequestedAt).ToListAsync();
                log.Select(i => i.State).ShouldBe([OutcomeImportState.Failed, OutcomeImportState.Imported], "the refused file and the imported one, not the dry run");
                log[1].FileName.ShouldBe(Path.GetFileName(right));
                log[1].Rows.ShouldBe(1);
                log[1].NewValues.ShouldBe(1);
                log[1].FileHash.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(right))));
            }
        }
        finally
        {
            File.Delete(wrong);
            File.Delete(right);
        }
    }

    [Fact]
    public async Task A_missing_file_or_tenant_exits_2()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var (missingFile, _, fileError) = await RunAsync(app, "import-outcomes", "--tenant", DemoTenant.Slug, "/finns/inte.csv");
        missingFile.ShouldBe(Verbs.Usage);
        fileError.ShouldContain("Filen /finns/inte.csv finns inte.");
        var path = await FileAsync("Indikator;Period;Utfall\r\n");
        try
        {
            var (missingTenant, _, tenantError) = await RunAsync(app, "import-outcomes", "--tenant", "saknas", path);
            missingTenant.ShouldBe(Verbs.Usage);
            tenantError.ShouldContain("Kommunen 'saknas' finns inte.");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
