using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Reports;
using Kedja.Reports.Tests;
using Kedja.Web.Budget;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.Reports;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Budget;

/// <summary>
/// Budget in follow-up (issue 16): the full-year forecast with its comment, the deviation from the frame (frame minus
/// forecast, both signs) and its explanation with who and when, through the API, the scorecard's budget card, the
/// administrators' start page ("Över budget utan förklaring") and the report's budget table in every format; the
/// batch that a finance import writes through. The workflow, the units and the tenants fence every write.
/// </summary>
public sealed class BudgetFollowUpTests
{
    private const string Slug = DemoTenant.Slug;
    private const string Base = $"/api/v1/tenants/{Slug}";

    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    private static async Task<string> StartPageAsync(HttpClient client) => WebUtility.HtmlDecode(await client.GetStringAsync($"/k/{Slug}"));

    /// <summary>The start page's "Över budget utan förklaring" section, or "" when it is not there.</summary>
    private static string OverBudget(string html)
    {
        var start = html.IndexOf("id=\"over-budget\"", StringComparison.Ordinal);
        return start < 0 ? "" : html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_forecast_over_the_frame_shows_as_a_deficit_on_the_start_page_until_its_unit_explains_it_and_the_scorecard_shows_who_explained(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var kfn = await UnitAsync(app, "Kultur- och fritidsnämnden");
        var library = await UnitAsync(app, "Biblioteket");
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, kfn);
        var editor = await app.ClientAsync(email, password);
        var url = $"{Base}/budget/{kfn}/2026/outcomes";
        var frame = JsonNode.Parse(await admin.GetStringAsync($"{Base}/budget/{kfn}/2026"))!["amount"]!.GetValue<decimal>();
        frame.ShouldBe(68_900m);

        // A comment needs its forecast; every error at once, nothing saved.
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T3", new { actual = 1e13m, forecastComment = "Utan prognos" }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "forecastComment").ShouldBe(["Kommentaren hör till helårsprognosen. Ange prognosen eller ta bort kommentaren."]);
        ProblemDetailsTests.Errors(problem, "actual").ShouldBe([Domain.Values.Message]);

        // Forecast 1 200 over the frame, with its comment: a deficit, and it is on the administrators' start page.
        var saved = await editor.PutAsJsonAsync($"{url}/2026-T3", new { actual = 50_000m, forecast = 70_100m, forecastComment = "Fler elever i kulturskolan än beräknat." });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var outcome = JsonNode.Parse(await saved.Content.ReadAsStringAsync())!;
        outcome["forecastComment"]!.GetValue<string>().ShouldBe("Fler elever i kulturskolan än beräknat.");
        outcome["deviationExplanation"].ShouldBeNull();
        var card = JsonNode.Parse(await editor.GetStringAsync($"{Base}/budget/{kfn}/card/2026-T3"))!;
        (card["frame"]!.GetValue<decimal>(), card["actualToDate"]!.GetValue<decimal>(), card["forecast"]!.GetValue<decimal>(), card["deviation"]!.GetValue<decimal>())
            .ShouldBe((68_900m, 50_000m, 70_100m, -1_200m));
        card["overBudget"]!.GetValue<bool>().ShouldBeTrue();
        card["forecastComment"]!.GetValue<string>().ShouldBe("Fler elever i kulturskolan än beräknat.");
        // The card of an earlier period shows that period's report: the demo's T2 forecast, 1 % under.
        JsonNode.Parse(await editor.GetStringAsync($"{Base}/budget/{kfn}/card/2026-T2"))!["periodKey"]!.GetValue<string>().ShouldBe("2026-T2");
        var listed = OverBudget(await StartPageAsync(admin));
        listed.ShouldContain("Över budget utan förklaring");
        listed.ShouldContain($"/k/{Slug}/budget/{kfn}?ar=2026");
        listed.ShouldContain("-1\u00a0200 tkr (underskott)");
        OverBudget(await StartPageAsync(editor)).ShouldBeEmpty("the list is the administrators'");
        var scorecard = WebUtility.HtmlDecode(await editor.GetStringAsync($"/k/{Slug}/malkort/{kfn}?period=2026-T3"));
        scorecard.ShouldContain("Prognosen är högre än budgetramen, och avvikelsen är inte förklarad.");
        scorecard.ShouldContain("-1\u00a0200 tkr (underskott)");

        // The explanation: required, only from the unit (and above) and its administrators, from the version read.
        var explain = $"{url}/2026-T3/explanation";
        var version = outcome["version"]!.GetValue<int>();
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync(explain, new { explanation = "  " }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "explanation").ShouldBe(["Skriv förklaringen till avvikelsen mot budget."]);
        ProblemDetailsTests.Errors(problem, "version").ShouldHaveSingleItem();
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync(explain, new { explanation = new string('x', 4001), version }));
        ProblemDetailsTests.Errors(problem, "explanation").ShouldHaveSingleItem().ShouldStartWith("Förklaringen får vara högst 4000 tecken");
        var librarian = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await librarian.PutAsJsonAsync(explain, new { explanation = "Inte min enhet", version }));
        status.ShouldBe(HttpStatusCode.Forbidden);
        ProblemDetailsTests.Title(problem).ShouldBe(BudgetEditing.OutsideScope);
        (await librarian.PutAsJsonAsync($"{url}/2026-T3", new { actual = 1m, forecast = 1m, version })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.PutAsJsonAsync(explain, new { explanation = "Läsare", version })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.PutAsJsonAsync(explain, new { explanation = "Annan kommun", version })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"{Base}/budget/{kfn}/card/2026-T3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PutAsJsonAsync($"/api/v1/tenants/annan/budget/{kfn}/2026/outcomes/2026-T3/explanation", new { explanation = "Fel kommun", version }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound, "the demo's unit is not the other tenant's");
        // A closed follow-up keeps its figures and its explanation as reported (T2 is submitted, T1 locked).
        var t2 = JsonNode.Parse(await admin.GetStringAsync($"{Base}/budget/{kfn}/2026"))!["outcomes"]!.AsArray().Single(o => o!["periodKey"]!.GetValue<string>() == "2026-T2")!;
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T2/explanation", new { explanation = "För sent", version = t2["version"]!.GetValue<int>() }));
        status.ShouldBe(HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(problem).ShouldBe("Uppföljningen för T2 2026 är inskickad. Den måste öppnas igen innan något ändras.");
        (await editor.PutAsJsonAsync($"{Base}/budget/{kfn}/2026/outcomes/2026-T1/explanation", new { explanation = "Låst", version = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var explained = await editor.PutAsJsonAsync(explain, new { explanation = "Kulturskolan tog emot 40 fler elever; nämnden begär tilläggsanslag.", version });
        explained.StatusCode.ShouldBe(HttpStatusCode.OK, await explained.Content.ReadAsStringAsync());
        var after = JsonNode.Parse(await explained.Content.ReadAsStringAsync())!;
        after["deviationExplanation"]!.GetValue<string>().ShouldBe("Kulturskolan tog emot 40 fler elever; nämnden begär tilläggsanslag.");
        after["explainedBy"]!.GetValue<string>().ShouldBe(email);
        after["explainedAt"]!.GetValue<DateTime>().ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(5));
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync(explain, new { explanation = "Skrivet mot gammal version", version }));
        status.ShouldBe(HttpStatusCode.Conflict, "someone changed the outcome since it was read");

        // Explained: off the start page, on the scorecard with who and when; the outcome's PUT leaves the explanation.
        OverBudget(await StartPageAsync(admin)).ShouldNotContain($"/k/{Slug}/budget/{kfn}?");
        scorecard = WebUtility.HtmlDecode(await reader.GetStringAsync($"/k/{Slug}/malkort/{kfn}?period=2026-T3"));
        scorecard.ShouldContain("Kulturskolan tog emot 40 fler elever; nämnden begär tilläggsanslag.");
        scorecard.ShouldContain($"förklarat av {email}");
        scorecard.ShouldNotContain("avvikelsen är inte förklarad");
        after["forecast"] = 68_400m;
        (await editor.PutAsJsonAsync($"{url}/2026-T3", after)).StatusCode.ShouldBe(HttpStatusCode.OK);
        card = JsonNode.Parse(await admin.GetStringAsync($"{Base}/budget/{kfn}/card/2026-T3"))!;
        (card["deviation"]!.GetValue<decimal>(), card["overBudget"]!.GetValue<bool>()).ShouldBe((500m, false), "under the frame: a surplus");
        card["deviationExplanation"]!.GetValue<string>().ShouldStartWith("Kulturskolan");
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/k/{Slug}/budget/{kfn}?ar=2026"));
        page.ShouldContain("+500 tkr (överskott)");
        page.ShouldContain("+689 tkr (överskott)", Case.Sensitive, "T2's demo forecast, 1 % under the frame");

        // The trail names who wrote what.
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            // Reported, explained, reforecast: three changes of the outcome in the editor's name.
            (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Entity == "BudgetOutcome" && a.UserName == email)).ShouldBe(3);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_of_frames_and_outcomes_is_written_whole_or_not_at_all_and_the_budget_table_of_the_report_carries_forecast_deviation_and_explanation(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var kfn = await UnitAsync(app, "Kultur- och fritidsnämnden");
        var board = await UnitAsync(app, "Kommunstyrelsen");
        var library = await UnitAsync(app, "Biblioteket");

        async Task<T> AsAdminAsync<T>(Func<BudgetEditing, Task<T>> work)
        {
            await using var services = app.Services.CreateAsyncScope();
            (await services.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Error.ShouldBeNull();
            return await work(services.ServiceProvider.GetRequiredService<BudgetEditing>());
        }

        // Every broken row named; nothing written.
        var broken = new BudgetBatch(
            [new BudgetFrameEntry(board, 2026, 41_500m), new BudgetFrameEntry(library, 2031, 1e12m), new BudgetFrameEntry(board, 2026, 1m)],
            [new BudgetOutcomeEntry(board, 2026, "2026-T3", 30_000m), new BudgetOutcomeEntry(kfn, 2026, "2026-T2", 1m), new BudgetOutcomeEntry(library, 2026, "2026-T3", 1m),
             new BudgetOutcomeEntry(kfn, 2026, "2025-T3", 1m), new BudgetOutcomeEntry(kfn, 2026, "2026-T3", 1m, null, "Kommentar", SetsForecast: true)]);
        var refused = await AsAdminAsync(b => b.SaveAllAsync(broken));
        var errors = refused.Error.ShouldNotBeNull().Errors.ShouldNotBeNull().ToDictionary();
        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["frames[1].amount", "frames[1].year", "frames[2].unitId", "outcomes[1].periodKey", "outcomes[2].year",
            "outcomes[3].periodKey", "outcomes[4].forecastComment"]);
        errors["outcomes[1].periodKey"].ShouldBe(["Uppföljningen för T2 2026 är inskickad. Den måste öppnas igen innan något ändras."]);
        errors["outcomes[2].year"].ShouldBe([BudgetEditing.NoFrame(2026)]);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.BudgetFrames.AnyAsync(f => f.UnitId == board)).ShouldBeFalse("nothing of a refused batch is written");
        }

        // A frame and its outcome in one batch; a finance figure keeps the unit's forecast and comment; the same batch again changes nothing.
        (await AsAdminAsync(b => b.RecordOutcomeAsync(kfn, 2026, "2026-T3", new BudgetOutcomeInput(40_000m, 70_100m, null, "Fler elever i kulturskolan.")))).Error.ShouldBeNull();
        var batch = new BudgetBatch([new BudgetFrameEntry(board, 2026, 41_500m)],
            [new BudgetOutcomeEntry(board, 2026, "2026-T3", 30_000m, 41_000m, "Enligt plan.", SetsForecast: true), new BudgetOutcomeEntry(kfn, 2026, "2026-T3", 52_000m)]);
        (await AsAdminAsync(b => b.CheckAllAsync(batch))).Value.ShouldBe(new BudgetBatchResult(1, 0, 1, 1, 0));
        (await AsAdminAsync(b => b.SaveAllAsync(batch))).Value.ShouldBe(new BudgetBatchResult(1, 0, 1, 1, 0));
        (await AsAdminAsync(b => b.SaveAllAsync(batch))).Value.ShouldBe(new BudgetBatchResult(0, 0, 0, 0, 3));
        var kfnNow = (await AsAdminAsync(b => b.GetAsync(kfn, 2026))).Value!.Outcomes.Single(o => o.PeriodKey == "2026-T3");
        (kfnNow.Actual, kfnNow.Forecast, kfnNow.ForecastComment).ShouldBe((52_000m, 70_100m, "Fler elever i kulturskolan."));
        (await AsAdminAsync(b => b.ExplainDeviationAsync(kfn, 2026, "2026-T3", new DeviationExplanationInput("Kulturskolan växer.", kfnNow.Version)))).Error.ShouldBeNull();

        // The report's budget table: forecast, deviation with its word, comment and explanation, read back in every format.
        var (report, _) = await ReportBuilderTests.BuildAsync(app, Slug, db => db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync(), "2026-T3", "tertialrapport",
            ReportScope.Children);
        var table = report.Sections.Single(s => s.Key == SectionKinds.Budget).Blocks.OfType<ReportTable>().Single();
        table.Caption.ShouldBe("Budgetram, utfall och prognos 2026, tkr");
        table.Columns.Select(c => c.Header).ShouldBe(["Enhet", "Budgetram", "Utfall", "Utfall till och med", "Prognos helår", "Avvikelse mot ram", "Över- eller underskott",
            "Kommentar till prognosen", "Förklaring till avvikelsen"]);
        var kfnRow = table.Rows.Single(r => r[0].Text == "Kultur- och fritidsnämnden");
        (kfnRow[1].Number, kfnRow[2].Number, kfnRow[3].Text, kfnRow[4].Number, kfnRow[5].Number, kfnRow[6].Text, kfnRow[7].Text)
            .ShouldBe((68_900m, 52_000m, "T3 2026", 70_100m, -1_200m, "Underskott", "Fler elever i kulturskolan."));
        kfnRow[8].Text.ShouldStartWith("Kulturskolan växer. (system, ");
        var boardRow = table.Rows.Single(r => r[0].Text == "Kommunstyrelsen");
        (boardRow[5].Number, boardRow[6].Text, boardRow[8].Text).ShouldBe((500m, "Överskott", "–"));

        foreach (var format in new[] { ReportFormat.Docx, ReportFormat.Xlsx, ReportFormat.Html, ReportFormat.Pdf })
        {
            var text = format switch
            {
                ReportFormat.Html => WebUtility.HtmlDecode(ReportBuilderTests.Html(report)),
                ReportFormat.Pdf => RawPdf(Poppler.Save(ReportFiles.Write(report, format, "budget-uppfoljning"), "budget-uppfoljning")),
                _ => ReportFiles.ValidText(report, format, "budget-uppfoljning"),
            };
            foreach (var expected in new[] { "Prognos helår", "Avvikelse mot ram", "Över- eller underskott", "Förklaring till avvikelsen", "Underskott", "Överskott",
                         "Fler elever i kulturskolan.", "Kulturskolan växer." })
            {
                text.ShouldContain(format == ReportFormat.Pdf ? Squeezed(expected) : expected, Case.Sensitive, $"{format}: {expected}");
            }
        }
    }

    /// <summary>A PDF's words wrap inside their cells: its text and what is looked for in it are compared without spaces.</summary>
    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The PDF's text in drawing order (pdftotext -raw), so a cell's wrapped lines follow each other, without spaces.</summary>
    private static string RawPdf(string pdf)
    {
        var info = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        foreach (var arg in new[] { "-raw", "-enc", "UTF-8", pdf, "-" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, pdf);
        return Squeezed(text);
    }
}
