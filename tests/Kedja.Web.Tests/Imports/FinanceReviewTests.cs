using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Budget;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Cli;
using Kedja.Web.Demo;
using Kedja.Web.Imports.Finance;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// The finance import after review 16 (findings 10b, 11, 12, 13, 19, 20, 21, 23), through the verb and the API on both
/// databases: budget is decided per unit, so a council frame without budget rows stays and no frame is made of outcome
/// rows alone; rows of several objects are summed by cost centre where the file has none of the cost centre alone;
/// outcomes go to result periods only and keep the unit's forecast, comment and explanation; frames stay within
/// BudgetRules' bounds; a year being planned is refused; the outcome import's API does not start a finance import.
/// </summary>
public sealed class FinanceReviewTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    /// <summary>Lines 1–14: year 2026, cost centres 100, 210 and 300, projects P1 and P2.</summary>
    private static readonly string[] Head =
    [
        "#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20260101 20261231", "#KONTO 4010 \"Löner\"", "#KONTO 5410 \"Förbrukning\"", "#KONTO 1930 \"Bank\"",
        "#DIM 1 \"Ansvar\"", "#DIM 6 \"Projekt\"", "#OBJEKT 1 \"100\" \"Ledning\"", "#OBJEKT 1 \"210\" \"Skolan\"", "#OBJEKT 1 \"300\" \"Tredje\"",
        "#OBJEKT 6 \"P1\" \"Öst\"", "#OBJEKT 6 \"P2\" \"Väst\"",
    ];

    private static async Task<(int Exit, string Output, string Error)> ImportAsync(KedjaApp app, params string[] body)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kedja-h161-{Guid.NewGuid():N}.se");
        await File.WriteAllBytesAsync(path, FinanceImportTests.Sie([.. Head, .. body]));
        try
        {
            return await FinanceImportTests.RunAsync(app, "import-finance", "--tenant", DemoTenant.Slug, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<BudgetFrame?> FrameAsync(KedjaApp app, Guid unit)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.BudgetFrames.AsNoTracking().Include(f => f.Outcomes).SingleOrDefaultAsync(f => f.UnitId == unit && f.Year == 2026);
        }
    }

    /// <summary>A new unit "Förvaltningsledning" as cost centre 100 of a mapping in place of the demo's, with a 2026 frame if given.</summary>
    private static async Task<Guid> LedningMappedAsync(KedjaApp app, decimal? frame = null)
    {
        await FinanceImportTests.ForgetDemoMappingAsync(app);
        var ledning = await FinanceImportTests.AddUnitAsync(app, "Förvaltningsledning");
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            db.FinanceMappings.Add(new Domain.Finance.FinanceMapping
            {
                TenantId = db.Scope.TenantId!.Value, Units = [new("100", null, ledning)], Accounts = [.. FinanceMappings.ProposedAccounts],
            });
            if (frame is { } amount)
            {
                db.BudgetFrames.Add(new BudgetFrame { UnitId = ledning, Year = 2026, Amount = amount });
            }

            await db.SaveChangesAsync();
        }

        return ledning;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Budget_per_unit_multi_object_rows_result_periods_bounds_and_draft_years(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        await FinanceImportTests.ForgetDemoMappingAsync(app);
        var ledning = await FinanceImportTests.AddUnitAsync(app, "Förvaltningsledning");
        var skolor = await FinanceImportTests.AddUnitAsync(app, "Skolorna i Ängby");
        var tredje = await FinanceImportTests.AddUnitAsync(app, "Tredje enheten");
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            db.FinanceMappings.Add(new Domain.Finance.FinanceMapping
            {
                TenantId = db.Scope.TenantId!.Value, Units = [new("100", null, ledning), new("200", "299", skolor), new("300", null, tredje)],
                Accounts = [.. FinanceMappings.ProposedAccounts],
            });
            db.BudgetFrames.Add(new BudgetFrame { UnitId = skolor, Year = 2026, Amount = 500m, Note = "Beslutad av fullmäktige" });
            db.BudgetFrames.Add(new BudgetFrame
            {
                UnitId = ledning, Year = 2026, Amount = 100m,
                Outcomes = [new BudgetOutcome { PeriodKey = "2026-T1", Actual = 1m, Forecast = 300m, ForecastComment = "Vikarier", DeviationExplanation = "Fler barn" }],
            });
            var p05 = PeriodRef.Forecast(2026, 5);
            db.Periods.Add(new FollowUpPeriod { Key = p05.Key, Name = p05.Label, Year = 2026, Kind = p05.Kind, StartDate = p05.Start, EndDate = p05.End });
            await db.SaveChangesAsync();
        }

        // Finding 11: outcome rows alone make no frame (tredje has none), and a row without a cost centre on an account
        // with no cost-centre rows is named by its line (finding 12); nothing is saved, and the log entry is (finding 20).
        var (exit, output, _) = await ImportAsync(app,
            "#PBUDGET 0 202601 4010 {1 \"100\"} 100000.00", // 15
            "#PBUDGET 0 202601 5410 {6 \"P1\"} 7000.00", // 16
            "#VER A 1 20260131 \"Löner\"", // 17
            "{",
            "#TRANS 4010 {1 \"300\"} 5000.00",
            "#TRANS 1930 {} -5000.00",
            "}");
        exit.ShouldBe(Verbs.Failed);
        output.ShouldContain(FinanceImports.NoBudget("Tredje enheten", 2026));
        output.ShouldContain("Rad 16: Raden har inget ansvar: inget objekt i dimension 1.");
        (await FrameAsync(app, tredje)).ShouldBeNull();
        (await FrameAsync(app, ledning))!.Amount.ShouldBe(100m);

        // Budget for ledning only, in rows of one cost centre and of several; outcome for ledning and skolor through May.
        (exit, output, var error) = await ImportAsync(app,
            "#PBUDGET 0 202601 4010 {1 \"100\"} 100000.00", // counted
            "#PBUDGET 0 202601 5410 {1 \"100\" 6 \"P1\"} 30000.00", // counted: 5410 has no row of 100 alone in January
            "#PBUDGET 0 202601 5410 {1 \"100\" 6 \"P2\"} 20000.00", // counted, summed with P1
            "#PBUDGET 0 202602 4010 {1 \"100\"} 10000.00", // counted
            "#PBUDGET 0 202602 4010 {1 \"100\" 6 \"P1\"} 7000.00", // a breakdown of the row above: not counted
            "#PBUDGET 0 202601 4010 {} 500000.00", // the account's total: not counted
            "#VER A 1 20260131 \"Löner\"",
            "{",
            "#TRANS 4010 {1 \"100\"} 5000.00",
            "#TRANS 4010 {1 \"210\" 6 \"P1\"} 3000.00",
            "#TRANS 1930 {} -8000.00",
            "}",
            "#VER A 2 20260520 \"Maj\"",
            "{",
            "#TRANS 4010 {1 \"100\"} 1000.00",
            "#TRANS 1930 {} -1000.00",
            "}");
        exit.ShouldBe(0, output + error);
        var led = (await FrameAsync(app, ledning))!;
        led.Amount.ShouldBe(160m, "100 + 30 + 20 + 10 tkr: multi-object rows summed where there is no single row, not counted beside one");
        var t1 = led.Outcomes.Single();
        t1.PeriodKey.ShouldBe("2026-T1", "no outcome for the forecast-only period P05 (finding 23)");
        (t1.Actual, t1.Forecast, t1.ForecastComment, t1.DeviationExplanation).ShouldBe((5m, 300m, "Vikarier", "Fler barn"));
        var school = (await FrameAsync(app, skolor))!;
        (school.Amount, school.Note).ShouldBe((500m, "Beslutad av fullmäktige"), "a unit without budget rows keeps the council's frame (finding 11)");
        school.Outcomes.Single().Actual.ShouldBe(3m);

        // Period balances of several objects, without vouchers: summed by the cost centre.
        (exit, output, error) = await ImportAsync(app,
            "#PSALDO 0 202601 4010 {1 \"210\" 6 \"P1\"} 4000.00",
            "#PSALDO 0 202601 4010 {1 \"210\" 6 \"P2\"} 1000.00",
            "#PSALDO 0 202604 4010 {1 \"210\" 6 \"P2\"} 0.00"); // the file reaches T1's end
        exit.ShouldBe(0, output + error);
        (await FrameAsync(app, skolor))!.Outcomes.Single().Actual.ShouldBe(5m);
        (await FrameAsync(app, skolor))!.Amount.ShouldBe(500m);

        // Finding 10b: a budget of two 15-digit amounts is beyond BudgetRules' bounds: named, nothing written.
        (exit, output, _) = await ImportAsync(app,
            "#PBUDGET 0 202601 4010 {1 \"100\"} 999999999999999.99",
            "#PBUDGET 0 202602 4010 {1 \"100\"} 999999999999999.99");
        exit.ShouldBe(Verbs.Failed);
        output.ShouldContain($"Förvaltningsledning, {FinanceImports.FrameLine}: ");
        output.ShouldContain(Domain.Values.Message);
        (await FrameAsync(app, ledning))!.Amount.ShouldBe(160m);

        // Finding 13: a year with draft frames (being planned) is refused.
        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            db.BudgetFrames.Add(new BudgetFrame { UnitId = tredje, Year = 2026, Amount = 1m, IsDraft = true });
            await db.SaveChangesAsync();
        }

        (exit, output, _) = await ImportAsync(app, "#PBUDGET 0 202601 4010 {1 \"100\"} 1000.00");
        exit.ShouldBe(Verbs.Failed);
        output.ShouldContain(FinanceImports.DraftYear(2026));
        (await FrameAsync(app, ledning))!.Amount.ShouldBe(160m);
    }

    /// <summary>
    /// A file says what was booked up to its last month: a month it covers without a booking on a line is zero, and a
    /// month after its last one is left as an earlier, longer file said (a file re-exported for fewer months zeroes nothing).
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_ending_before_the_last_one_leaves_the_months_after_it_as_they_were(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var ledning = await LedningMappedAsync(app, frame: 100m);

        async Task<Dictionary<(string Line, int Month), decimal>> LinesAsync()
        {
            var (s, d) = app.DbFor(DemoTenant.Slug);
            using (s)
            {
                return await d.BudgetLineMonths.AsNoTracking().Where(l => l.UnitId == ledning && l.Year == 2026).ToDictionaryAsync(l => (l.Line, l.Month), l => l.Actual);
            }
        }

        static string[] Booked(params (string Date, string Account, string Amount)[] rows) =>
            [.. rows.SelectMany((r, i) => new[] { $"#VER A {i + 1} {r.Date} \"Bokning\"", "{", $"#TRANS {r.Account} {{1 \"100\"}} {r.Amount}", $"#TRANS 1930 {{}} -{r.Amount}", "}" })];

        // Wages through May.
        var (exit, output, error) = await ImportAsync(app, Booked(("20260131", "4010", "5000.00"), ("20260520", "4010", "1000.00")));
        exit.ShouldBe(0, output + error);
        var wages = (await LinesAsync()).Single(l => l.Key.Month == 1).Key.Line;
        (await LinesAsync())[(wages, 5)].ShouldBe(1m);

        // A file through January, January corrected: May stands.
        (exit, output, error) = await ImportAsync(app, Booked(("20260131", "4010", "6000.00")));
        exit.ShouldBe(0, output + error);
        var lines = await LinesAsync();
        (lines[(wages, 1)], lines[(wages, 5)]).ShouldBe((6m, 1m));

        // A file through May without May's wages (a purchase then): May's wages were nothing.
        (exit, output, error) = await ImportAsync(app, Booked(("20260131", "4010", "6000.00"), ("20260520", "5410", "250.00")));
        exit.ShouldBe(0, output + error);
        lines = await LinesAsync();
        (lines[(wages, 1)], lines[(wages, 5)]).ShouldBe((6m, 0m));
        lines.Single(l => l.Key.Month == 5 && l.Key.Line != wages).Value.ShouldBe(0.25m);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_outcome_imports_api_does_not_start_a_finance_import(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        await LedningMappedAsync(app);

        var controller = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var checkedImport = await FinanceImportTests.UploadAsync(app, controller, "budget.se",
            FinanceImportTests.Sie([.. Head, "#PBUDGET 0 202601 4010 {1 \"100\"} 1000.00"]));
        checkedImport.GetProperty("preview").GetProperty("canImport").GetBoolean().ShouldBeTrue();
        var id = checkedImport.GetProperty("id").GetGuid();

        (await controller.PostAsync($"{Base}/imports/{id}/import", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await controller.GetFromJsonAsync<JsonElement>($"{Base}/finance-imports/{id}")).GetProperty("state").GetString().ShouldBe("checked");
        (await controller.PostAsync($"{Base}/finance-imports/{id}/import", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }
}
