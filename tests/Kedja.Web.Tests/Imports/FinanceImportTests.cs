using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Cli;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Kedja.Web.Imports.Finance;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// Budget and outcome from the finance system (issue 16): SIE files the tests write in the format's own character set
/// (IBM PC 8, code page 437) with å, ä, ö, dimensions, objects, periodic budget, period balances and vouchers; broken
/// files whose every problem the preview names by line with nothing saved; the same file twice changing nothing; the
/// CSV twin; a closed follow-up refused; the verb's dry run; who may map and import.
/// </summary>
public sealed class FinanceImportTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    internal static readonly Encoding Pc8 = CodePagesEncodingProvider.Instance.GetEncoding(437)!;

    /// <summary>A file as a finance system writes it: CRLF lines in code page 437.</summary>
    internal static byte[] Sie(params string[] lines) => Pc8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    /// <summary>
    /// Year 2026 for cost centres 100 and 210: budget per month (and the account totals and last year's budget, which
    /// are not counted), period balances (passed over: the file has vouchers), balances, and two vouchers.
    /// </summary>
    internal static byte[] GoodSie() => Sie(
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        "#PROGRAM \"Ekonomisystemet\" 1.0",
        "#GEN 20260915",
        "#FNAMN \"Exempelkommun Växjö-Åby\"",
        "#RAR 0 20260101 20261231",
        "#RAR -1 20250101 20251231",
        "#KONTO 1930 \"Företagskonto\"",
        "#KONTO 3010 \"Taxor och avgifter\"",
        "#KONTO 4010 \"Löner månadsavlönade\"",
        "#KONTO 5410 \"Förbrukningsinventarier\"",
        "#DIM 1 \"Ansvar\"",
        "#DIM 6 \"Projekt\"",
        "#OBJEKT 1 \"100\" \"Förvaltningsledning Åsa\"",
        "#OBJEKT 1 \"210\" \"Skolan i Ängby\"",
        "#OBJEKT 6 \"P1\" \"Projekt Öst\"",
        "#IB 0 1930 500000.00",
        "#UB 0 1930 400000.00",
        "#RES 0 3010 -12000.00",
        "#PSALDO 0 202601 4010 {} 99999.00",
        "#PSALDO 0 202601 4010 {1 \"100\"} 88888.00",
        "#PBUDGET 0 202601 3010 {1 \"100\"} -10000.00",
        "#PBUDGET 0 202601 4010 {1 \"100\"} 100000.00",
        "#PBUDGET 0 202602 4010 {1 \"100\"} 100000",
        "#PBUDGET 0 202601 5410 {1 \"210\"} 20000.5",
        "#PBUDGET 0 202601 4010 {} 200000.00",
        "#PBUDGET -1 202501 4010 {1 \"100\"} 90000.00",
        "#VER A 1 20260131 \"Löner januari\"",
        "{",
        "#TRANS 4010 {1 \"100\"} 95000.00",
        "#TRANS 4010 {1 \"210\" 6 \"P1\"} 5000.00",
        "#TRANS 1930 {} -100000.00",
        "}",
        "#VER B 1 20260815 \"Avgifter augusti\"",
        "{",
        "#TRANS 3010 {1 \"100\"} -12000.00 20260814 \"Taxa för kö\"",
        "#RTRANS 3010 {1 \"100\"} -12000.00 20260814 \"Taxa för kö\"",
        "#TRANS 1930 {} 12000.00",
        "}");

    /// <summary>Every problem the issue names, each on its own line (the numbers are the lines').</summary>
    internal static byte[] BrokenSie()
    {
        var lines = new[]
        {
            "#FLAGGA 0", // 1
            "#FORMAT PC8", // 2
            "#SIETYP 4", // 3
            "#RAR 0 20260101 20261231", // 4
            "#OBJEKT 1 \"100\" \"Ledning\"", // 5
            "#OBJEKT 1 \"999\" \"Okänt ansvar\"", // 6
            "#KONTO 4010 \"Löner\"", // 7: written in Windows-1252 below
            "#KONTO 5410 \"Förbrukning\"", // 8: written in UTF-8 below
            "#FOO 1 2", // 9
            "#PBUDGET 0 202601 4010 {1 \"999\"} 100.00", // 10
            "#PBUDGET 0 202701 4010 {1 \"100\"} 100.00", // 11
            "#PBUDGET 0 202601 4010 {1 \"555\"} 100.00", // 12
            "#PBUDGET 0 202601 4010 {1 \"100\"} 12,50", // 13
            "#VER A 1 20260131 \"Obalans\"", // 14
            "{", // 15
            "#TRANS 4010 {1 \"100\"} 100.00", // 16
            "#TRANS 1930 {} -90.00", // 17
            "}", // 18
            "#PBUDGET 0 202601 4010 {1 \"100\" 100.00", // 19
            "#PBUDGET 0 202601 4010 {1 \"100\"} 100.00", // 20
        };
        using var bytes = new MemoryStream();
        for (var i = 0; i < lines.Length; i++)
        {
            var encoding = i == 6 ? CodePagesEncodingProvider.Instance.GetEncoding(1252)! : i == 7 ? new UTF8Encoding(false) : Pc8;
            bytes.Write(encoding.GetBytes(lines[i] + "\r\n"));
        }

        return bytes.ToArray();
    }

    internal static async Task<Guid> AddUnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var council = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync();
            var unit = new OrgUnit { Name = name, ParentId = council, Kind = UnitKind.Unit };
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            return unit.Id;
        }
    }

    internal static async Task<JsonElement> UploadAsync(KedjaApp app, HttpClient client, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await client.PostAsync($"{Base}/finance-imports", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await OutcomeImportTests.Worker(app).RunOnceAsync()).ShouldBeTrue();
        return await client.GetFromJsonAsync<JsonElement>($"{Base}/finance-imports/{id}");
    }

    private static async Task<JsonElement> ImportAsync(KedjaApp app, HttpClient client, JsonElement import)
    {
        var id = import.GetProperty("id").GetGuid();
        var response = await client.PostAsync($"{Base}/finance-imports/{id}/import", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await OutcomeImportTests.Worker(app).RunOnceAsync()).ShouldBeTrue();
        return await client.GetFromJsonAsync<JsonElement>($"{Base}/finance-imports/{id}");
    }

    private static List<string> Problems(JsonElement import) =>
        [.. import.GetProperty("preview").GetProperty("problems").EnumerateArray().Select(p => ImportReport.Line(new ImportProblem(
            p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString(), p.GetProperty("message").GetString()!)))];

    private static int Count(JsonElement import, string name) => import.GetProperty("preview").GetProperty(name).GetInt32();

    /// <summary>The figures the tenant holds for a unit in 2026: frame, outcomes by period, lines by (line, month).</summary>
    private static async Task<(decimal? Frame, Dictionary<string, decimal> Outcomes, Dictionary<(string, int), (decimal Budget, decimal Actual)> Lines, int Versions)> FiguresAsync(
        KedjaApp app, Guid unit)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var frame = await db.BudgetFrames.AsNoTracking().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unit && f.Year == 2026);
            var lines = await db.BudgetLineMonths.AsNoTracking().Where(l => l.UnitId == unit && l.Year == 2026).ToListAsync();
            return (frame?.Amount, frame?.Outcomes.ToDictionary(o => o.PeriodKey, o => o.Actual) ?? [], lines.ToDictionary(l => (l.Line, l.Month), l => (l.Budget, l.Actual)),
                (frame?.Version ?? 0) + lines.Sum(l => l.Version) + (frame?.Outcomes.Sum(o => o.Version) ?? 0));
        }
    }

    [Fact]
    public void The_reader_decodes_code_page_437_and_hands_on_only_year_0_of_one_cost_centre_and_the_vouchers()
    {
        var all = new List<SieAmount>();
        var problems = new ProblemLog();
        var file = SieReader.Read(GoodSie(), 1, all.Add, problems);
        var amounts = all.Where(a => a.Objects == 1 && a.CostCentre is not null || a.Kind == SieAmountKind.Transaction).ToList();

        problems.ShouldBeEmpty();
        file.Company.ShouldBe("Exempelkommun Växjö-Åby");
        file.Objects[(1, "100")].ShouldBe("Förvaltningsledning Åsa");
        file.Objects[(6, "P1")].ShouldBe("Projekt Öst");
        file.Accounts[4010].ShouldBe("Löner månadsavlönade");
        (file.Year, file.Vouchers, file.Transactions, file.BudgetRows, file.BalanceRows).ShouldBe((2026, 2, 5, 6, 2));
        amounts.Where(a => a.Kind == SieAmountKind.Budget).Select(a => (a.Line, a.Month, a.Account, a.CostCentre, a.Ore))
            .ShouldBe([(23, 1, 3010, "100", -1_000_000L), (24, 1, 4010, "100", 10_000_000L), (25, 2, 4010, "100", 10_000_000L), (26, 1, 5410, "210", 2_000_050L)]);
        amounts.Where(a => a.Kind == SieAmountKind.PeriodBalance).Select(a => a.Line).ShouldBe([22], "the account's total ({}) is not handed on");
        amounts.Where(a => a.Kind == SieAmountKind.Transaction).Select(a => (a.Line, a.Month, a.Account, a.CostCentre, a.Ore))
            .ShouldBe([(31, 1, 4010, "100", 9_500_000L), (32, 1, 4010, "210", 500_000L), (33, 1, 1930, null, -10_000_000L), (37, 8, 3010, "100", -1_200_000L), (39, 8, 1930, null, 1_200_000L)]);
    }

    [Fact]
    public void The_reader_names_every_problem_of_a_broken_file_by_its_line()
    {
        var problems = new ProblemLog();
        SieReader.Read(BrokenSie(), 1, _ => { }, problems);
        var lines = problems.Select(ImportReport.Line).ToList();

        lines.ShouldContain(l => l.StartsWith("Rad 7: Raden har tecken i Windows-1252", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("Rad 8: Raden har tecken i UTF-8", StringComparison.Ordinal));
        lines.ShouldContain("Rad 9: Okänd post #FOO. Kontrollera stavningen; Kedja läser bara posterna i SIE typ 4.");
        lines.ShouldContain("Rad 11: Perioden 202701 ligger utanför räkenskapsår 0 (2026-01-01–2026-12-31).");
        lines.ShouldContain("Rad 12: Objektet ”555” i dimension 1 är inte deklarerat med #OBJEKT.");
        lines.ShouldContain("Rad 13: Beloppet ”12,50” är inget belopp (som 1234.50 eller -99).");
        lines.ShouldContain("Rad 14: Verifikationen A 1 är inte i balans: transaktionerna summerar till 10,00 kr, inte 0.");
        lines.ShouldContain("Rad 19: Objektlistan ({ …) stängs aldrig med }.");
        problems.Select(p => p.Row).ShouldNotContain(20);
        problems.Select(p => p.Row).ShouldNotContain(10, "an unmapped cost centre is the import's to say, not the reader's");
    }

    /// <summary>
    /// The demo maps the nämnder's cost centres and imports a file (issue 16's demo data); these tests start from a
    /// municipality that has no mapping yet, so the demo's is taken away. Its figures and import log stay.
    /// </summary>
    internal static async Task ForgetDemoMappingAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.FinanceMappings.ExecuteDeleteAsync()).ShouldBe(1, "the demo has a mapping");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_controller_maps_the_finance_system_previews_imports_twice_and_only_the_first_changes_anything(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        await ForgetDemoMappingAsync(app);
        var ledning = await AddUnitAsync(app, "Förvaltningsledning");
        var skolor = await AddUnitAsync(app, "Skolorna i Ängby");
        var bun = await OutcomeImportTests.UnitAsync(app, "Barn- och utbildningsnämnden");
        var controller = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);

        // Only administrators see or change the mapping and import; another municipality's is not there at all.
        (await editor.GetAsync($"{Base}/finance-mappings")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PostAsync($"{Base}/finance-imports", new ByteArrayContent(GoodSie()))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.GetAsync($"/k/{DemoTenant.Slug}/ekonomi/import")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "beta", name = "Beta", kommunkod = "1234", template = Kedja.Web.Templates.ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await controller.GetAsync("/api/v1/tenants/beta/finance-mappings")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await controller.GetAsync("/k/beta/ekonomi/koppling")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Without a mapping nothing can be imported; a mapping with errors says each.
        var unmapped = await UploadAsync(app, controller, "utan-koppling.se", GoodSie());
        unmapped.GetProperty("failure").GetString().ShouldBe(FinanceImports.NoMapping);
        var proposal = await controller.GetFromJsonAsync<JsonElement>($"{Base}/finance-mappings");
        proposal.GetProperty("version").ValueKind.ShouldBe(JsonValueKind.Null);
        proposal.GetProperty("accounts").GetArrayLength().ShouldBe(4);
        var bad = await controller.PutAsJsonAsync($"{Base}/finance-mappings", new
        {
            dimension = 0, resultFrom = 3000, resultTo = 8999,
            units = new object[] { new { from = "200", to = "299", unitId = skolor }, new { from = "250", to = (string?)null, unitId = Guid.NewGuid() } },
            accounts = new object[] { new { from = 3000, to = 3999, line = "Intäkter" }, new { from = 3500, to = 4999, line = "" } },
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["dimension", "units[1].from", "units[1].unitId", "accounts[1].line", "accounts[1].from"], ignoreOrder: true);
        var saved = await controller.PutAsJsonAsync($"{Base}/finance-mappings", new
        {
            dimension = 1, resultFrom = 3000, resultTo = 8999,
            units = new object[] { new { from = "100", to = (string?)null, unitId = ledning }, new { from = "200", to = "299", unitId = skolor }, new { from = "300", to = (string?)null, unitId = bun } },
            accounts = proposal.GetProperty("accounts"),
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var version = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();

        // A broken file: every problem by its line, and nothing saved.
        var broken = await UploadAsync(app, controller, "trasig.se", BrokenSie());
        broken.GetProperty("state").GetString().ShouldBe("checked");
        var problems = Problems(broken);
        problems.ShouldContain(l => l.StartsWith("Rad 7: Raden har tecken i Windows-1252", StringComparison.Ordinal));
        problems.ShouldContain("Rad 9: Okänd post #FOO. Kontrollera stavningen; Kedja läser bara posterna i SIE typ 4.");
        problems.ShouldContain("Rad 10: Ansvar 999 (Okänt ansvar) är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet.");
        problems.ShouldContain("Rad 14: Verifikationen A 1 är inte i balans: transaktionerna summerar till 10,00 kr, inte 0.");
        broken.GetProperty("preview").GetProperty("canImport").GetBoolean().ShouldBeFalse();
        var refused = await controller.PostAsync($"{Base}/finance-imports/{broken.GetProperty("id").GetGuid()}/import", null);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await FiguresAsync(app, ledning)).Lines.ShouldBeEmpty();

        // The good file: frames, the outcome so far at each period's end, the lines by month; tkr, costs positive.
        var first = await UploadAsync(app, controller, "bokslut-2026.se", GoodSie());
        Problems(first).ShouldBeEmpty();
        Count(first, "newRows").ShouldBeGreaterThan(0);
        (await ImportAsync(app, controller, first)).GetProperty("state").GetString().ShouldBe("imported");
        var (frame, outcomes, lines, versions) = await FiguresAsync(app, ledning);
        frame.ShouldBe(190m);
        outcomes["2026-T1"].ShouldBe(95m, "January's salaries, by the vouchers and not the period balance of 88 888");
        outcomes["2026-T2"].ShouldBe(83m, "and August's revenue, negative");
        outcomes.Keys.ShouldNotContain("2026-T3");
        lines[("Intäkter", 1)].ShouldBe((-10m, 0m));
        lines[("Intäkter", 8)].ShouldBe((0m, -12m));
        lines[("Personalkostnader", 1)].ShouldBe((100m, 95m));
        lines[("Personalkostnader", 2)].ShouldBe((100m, 0m));
        var school = await FiguresAsync(app, skolor);
        school.Frame.ShouldBe(20.001m);
        school.Outcomes["2026-T2"].ShouldBe(5m);

        // The same file again: nothing new, and nothing written.
        var second = await UploadAsync(app, controller, "bokslut-2026.se", GoodSie());
        (Count(second, "newRows"), Count(second, "changedRows")).ShouldBe((0, 0));
        Count(second, "unchangedRows").ShouldBeGreaterThan(0);
        (await ImportAsync(app, controller, second)).GetProperty("state").GetString().ShouldBe("imported");
        (await FiguresAsync(app, ledning)).Versions.ShouldBe(versions);
        var log = await controller.GetFromJsonAsync<JsonElement>($"{Base}/finance-imports");
        log.EnumerateArray().Count(i => i.GetProperty("fileName").GetString() != "exempelkommun-2026-jan-aug.se").ShouldBe(4, "the demo's own import is in the log too");
        log.GetArrayLength().ShouldBe(5);
        (await controller.GetFromJsonAsync<JsonElement>($"{Base}/imports")).EnumerateArray()
            .ShouldNotContain(i => i.GetProperty("fileName").GetString()!.EndsWith(".se", StringComparison.Ordinal), "the outcome import's log has its own kind");

        // The CSV twin: a file with errors says them by row and column; a follow-up already locked is refused.
        var csvErrors = await UploadAsync(app, controller, "ekonomi.csv", OutcomeImportTests.Csv(
            "år;månad;ansvar;konto;belopp;typ", "2026;13;100;4010;100;budget", "2026;1;999;1930;1 000,50;prognos", "2026;2;300;4010;5000;utfall"));
        Problems(csvErrors).ShouldBe([
            "Rad 2, månad: ”13” är ingen månad (1–12).",
            "Rad 3, ansvar: Ansvar 999 är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet.",
            "Rad 3, konto: Konto 1930 är inget resultatkonto (3000–8999).",
            "Rad 3, typ: Typen ska vara budget eller utfall, inte ”prognos”.",
        ], ignoreOrder: true);
        var locked = await UploadAsync(app, controller, "ekonomi.csv", OutcomeImportTests.Csv("år;månad;ansvar;konto;belopp;typ", "2026;4;300;4010;5000;utfall"));
        Problems(locked).ShouldContain(l => l.StartsWith("Barn- och utbildningsnämnden, ", StringComparison.Ordinal));
        var csv = await UploadAsync(app, controller, "ekonomi.csv", OutcomeImportTests.Csv(
            "år;månad;ansvar;konto;belopp;typ", "2026;1;210;5410;1 500,00;budget", "2026;4;250;5410;2500;utfall"));
        Problems(csv).ShouldBeEmpty();
        (await ImportAsync(app, controller, csv)).GetProperty("state").GetString().ShouldBe("imported");
        school = await FiguresAsync(app, skolor);
        school.Frame.ShouldBe(1.5m, "the CSV's budget replaces the unit's budget for the year");
        school.Outcomes["2026-T1"].ShouldBe(2.5m);
        school.Lines[("Övriga kostnader", 1)].ShouldBe((1.5m, 0m), "January's budget from the CSV; its outcome (5 from the SIE file) replaced by the CSV's, which has none in January");
        school.Lines[("Personalkostnader", 1)].ShouldBe((0m, 0m), "a line the file no longer has becomes zero");

        // The mapping changes only with the version read.
        var stale = await controller.PutAsJsonAsync($"{Base}/finance-mappings", new { dimension = 1, resultFrom = 3000, resultTo = 8999, units = Array.Empty<object>(),
            accounts = proposal.GetProperty("accounts"), version = version - 1 });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_verb_checks_with_dry_run_then_imports_and_a_second_run_says_nothing_was_new(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        await ForgetDemoMappingAsync(app);
        var ledning = await AddUnitAsync(app, "Förvaltningsledning");
        var skolor = await AddUnitAsync(app, "Skolorna i Ängby");
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            db.FinanceMappings.Add(new Domain.Finance.FinanceMapping
            {
                TenantId = db.Scope.TenantId!.Value, Units = [new("100", null, ledning), new("200", "299", skolor)], Accounts = [.. FinanceMappings.ProposedAccounts],
            });
            await db.SaveChangesAsync();
        }

        var path = Path.Combine(Path.GetTempPath(), $"kedja-finance-{Guid.NewGuid():N}.se");
        var brokenPath = Path.Combine(Path.GetTempPath(), $"kedja-finance-{Guid.NewGuid():N}.se");
        await File.WriteAllBytesAsync(path, GoodSie());
        await File.WriteAllBytesAsync(brokenPath, BrokenSie());
        try
        {
            var (brokenExit, brokenOutput, _) = await RunAsync(app, "import-finance", "--tenant", DemoTenant.Slug, brokenPath);
            brokenExit.ShouldBe(Verbs.Failed);
            brokenOutput.ShouldContain("Rad 9: Okänd post #FOO.");
            (await FiguresAsync(app, ledning)).Frame.ShouldBeNull();

            var (dryExit, dryOutput, _) = await RunAsync(app, "import-finance", "--tenant", DemoTenant.Slug, path, "--dry-run");
            dryExit.ShouldBe(0);
            dryOutput.ShouldContain("Provkörning: inget sparades. Filen kan importeras.");
            (await FiguresAsync(app, ledning)).Frame.ShouldBeNull();

            var (exit, output, error) = await RunAsync(app, "import-finance", "--tenant", DemoTenant.Slug, path);
            exit.ShouldBe(0, error);
            output.ShouldContain("Importen är klar.");
            (await FiguresAsync(app, ledning)).Frame.ShouldBe(190m);

            var (againExit, againOutput, _) = await RunAsync(app, "import-finance", "--tenant", DemoTenant.Slug, path);
            againExit.ShouldBe(0);
            againOutput.ShouldContain("Importen är klar. Inget var nytt: allt i filen fanns redan.");
        }
        finally
        {
            File.Delete(path);
            File.Delete(brokenPath);
        }
    }

    internal static async Task<(int ExitCode, string Output, string Error)> RunAsync(KedjaApp app, params string[] args)
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
}
