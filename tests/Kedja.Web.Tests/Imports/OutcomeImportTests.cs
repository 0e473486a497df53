using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// Outcome files through the API and the workers (ADR 36): the template, the preview with every problem by row and
/// column, an all-or-nothing import by the same rules as the grid, the same file twice changing nothing, the import log,
/// and a value changed by someone else between the check and the import.
/// </summary>
public sealed class OutcomeImportTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    internal static readonly Dictionary<string, string?> NoWorker = new() { ["Kedja:Imports:RunWorker"] = "false", ["Kedja:Reports:RunWorker"] = "false" };

    internal static ImportWorker Worker(KedjaApp app) => ActivatorUtilities.CreateInstance<ImportWorker>(app.Services);

    internal static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    internal static async Task<Indicator> IndicatorAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Indicators.AsNoTracking().SingleAsync(i => i.Name == name);
        }
    }

    /// <summary>Uploads the file and lets a worker check it; the import as the API then shows it.</summary>
    internal static async Task<JsonElement> UploadAsync(KedjaApp app, HttpClient client, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await client.PostAsync($"{Base}/imports", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await Worker(app).RunOnceAsync()).ShouldBeTrue();
        return await client.GetFromJsonAsync<JsonElement>($"{Base}/imports/{id}");
    }

    internal static async Task<JsonElement> ImportAsync(KedjaApp app, HttpClient client, JsonElement import)
    {
        var id = import.GetProperty("id").GetGuid();
        var response = await client.PostAsync($"{Base}/imports/{id}/import", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await Worker(app).RunOnceAsync()).ShouldBeTrue();
        return await client.GetFromJsonAsync<JsonElement>($"{Base}/imports/{id}");
    }

    /// <summary>A checked import of the demo tenant by its administrator, with rows that pass and rows with problems: for the pages.</summary>
    internal static async Task<Guid> CheckedImportAsync(KedjaApp app)
    {
        var bullying = await IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var school = await IndicatorAsync(app, "Elever i åk 9 med godkända betyg i alla ämnen");
        var file = Csv("Indikator-id;Indikator;Period;Utfall;Målvärde", $"{bullying.Id};;2026-T3;2,7;", $"{school.Id};;2026;tolv;", $"{school.Id};;2027;;81");
        using var scope = app.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<Infrastructure.TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
        var started = await scope.ServiceProvider.GetRequiredService<ImportJobs>().StartAsync("utfall.csv", file);
        for (var i = 0; i < 100; i++)
        {
            await Worker(app).RunOnceAsync();
            var import = (await scope.ServiceProvider.GetRequiredService<ImportJobs>().GetAsync(started.Value!.Id)).Value!;
            if (!import.Working)
            {
                return import.Id;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("Filen blev inte kontrollerad.");
    }

    internal static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    private static List<(int Row, string? Column, string Message)> Problems(JsonElement import) =>
        [.. import.GetProperty("preview").GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString(), p.GetProperty("message").GetString()!))];

    private static async Task<long> DataVersionAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Tenants.Where(t => t.Slug == DemoTenant.Slug).Select(t => t.DataVersion).SingleAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_downloads_the_template_fills_it_imports_it_and_the_same_file_again_changes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var bun = await UnitAsync(app, "Barn- och utbildningsnämnden");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);

        var template = await editor.GetAsync($"{Base}/imports/template?unitId={bun}&year=2026");
        template.StatusCode.ShouldBe(HttpStatusCode.OK, await template.Content.ReadAsStringAsync());
        template.Content.Headers.ContentType!.MediaType.ShouldBe(ImportTemplates.ContentType);
        var bytes = await template.Content.ReadAsByteArrayAsync();
        var table = ImportReader.Read("mall.xlsx", bytes).Table!;
        var header = table.Header.ToList();
        int Column(string name) => header.IndexOf(name);
        var bullying = await IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var lines = table.Lines.Where(l => l[Column("Indikator-id")].Text == bullying.Id.ToString()).ToList();
        lines.Select(l => l[Column("Period")].Text).ShouldBe(["2026-T1", "2026-T2", "2026-T3"]);
        lines[0][Column("Utfall")].Number.ShouldNotBeNull("the recorded value is in the template");
        lines[2][Column("Utfall")].IsEmpty.ShouldBeTrue();
        table.Lines.Any(l => l[Column("Enhet")].Text == "Socialnämnden").ShouldBeFalse("only the editor's units");

        // Fill in 2026-T3 and send the whole template back as CSV with a decimal comma.
        var csv = new List<string> { string.Join(';', header) };
        csv.AddRange(table.Lines.Select(l => string.Join(';', header.Select((h, c) =>
            l[Column("Indikator-id")].Text == bullying.Id.ToString() && l[Column("Period")].Text == "2026-T3" && h == "Utfall" ? "2,9"
            : l[c].Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : Quote(l[c].Text)))));
        var file = Csv([.. csv]);

        var checkedImport = await UploadAsync(app, editor, "bun-2026.csv", file);
        checkedImport.GetProperty("state").GetString().ShouldBe("checked");
        Problems(checkedImport).ShouldBeEmpty();
        checkedImport.GetProperty("newRows").GetInt32().ShouldBe(1);
        checkedImport.GetProperty("changedRows").GetInt32().ShouldBe(0);
        checkedImport.GetProperty("rows").GetInt32().ShouldBe(table.Lines.Count);
        var version = await DataVersionAsync(app);

        var imported = await ImportAsync(app, editor, checkedImport);
        imported.GetProperty("state").GetString().ShouldBe("imported", imported.ToString());
        (await DataVersionAsync(app)).ShouldBe(version + 1);
        var outcome = await editor.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3");
        outcome.GetProperty("value").GetDecimal().ShouldBe(2.9m);
        outcome.GetProperty("source").GetString().ShouldBe("import");
        outcome.GetProperty("sourceReference").GetString().ShouldBe("Import av bun-2026.csv");

        // The same file again: nothing new, and importing it writes nothing.
        var again = await UploadAsync(app, editor, "bun-2026.csv", file);
        again.GetProperty("newRows").GetInt32().ShouldBe(0);
        again.GetProperty("changedRows").GetInt32().ShouldBe(0);
        (await ImportAsync(app, editor, again)).GetProperty("state").GetString().ShouldBe("imported");
        (await DataVersionAsync(app)).ShouldBe(version + 1);
        (await editor.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3")).GetProperty("revisions").GetArrayLength().ShouldBe(0);

        // The log: who, when, file, hash, counts; and the audit trail names the value under the indicator.
        var log = await editor.GetFromJsonAsync<JsonElement>($"{Base}/imports");
        log.GetArrayLength().ShouldBe(2);
        log[1].GetProperty("fileHash").GetString().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)));
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Entity == nameof(Indicator) && e.EntityId == bullying.Id.ToString() && e.Action == "Imported");
            entry.After!.ShouldContain("\"2026-T3\":2.9");
            (await AuditChain.VerifyAsync(db, db.Scope.TenantId)).IsIntact.ShouldBeTrue();
            (await db.OutcomeImports.Where(i => i.Content != null && i.State == OutcomeImportState.Imported).CountAsync()).ShouldBe(0, "an imported file is not kept");
        }
    }

    private static string Quote(string text) => text.Contains(';') || text.Contains('"') ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_problem_is_named_by_row_and_column_and_a_file_with_any_problem_imports_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var bullying = await IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var school = await IndicatorAsync(app, "Elever i åk 9 med godkända betyg i alla ämnen");
        var file = Csv(
            "Indikator-id;Indikator;Period;Utfall;Målvärde",
            $"{bullying.Id};;2026-T3;2,7;",
            $"{Guid.NewGuid()};;2026-T3;1;",
            $";Finns inte;2026-T3;1;",
            $"{bullying.Id};;2026-T3;3;",
            $"{bullying.Id};;2031-T1;3;",
            $"{bullying.Id};;2025-T2;9,9;",
            $"{school.Id};;2026;tolv;",
            $"{school.Id};;2026-T3;50;",
            $"{school.Id};;2025;140;",
            $"{bullying.Id};;2026-T9;1;");

        var import = await UploadAsync(app, admin, "fel.csv", file);

        var problems = Problems(import);
        var said = string.Join("\n", problems);
        problems.Count.ShouldBe(10, said);
        problems.Single(p => p.Row == 3).Message.ShouldStartWith("Det finns ingen indikator med id");
        problems.Single(p => p.Row == 4).Message.ShouldBe("Det finns ingen indikator som heter ”Finns inte”.");
        problems.Single(p => p.Row == 5).Message.ShouldBe("Samma indikator och period finns redan på rad 2. Ta bort den ena raden.");
        problems.Single(p => p.Row == 6).Message.ShouldBe("T1 2031 ligger utanför uppföljningskalendern, som omfattar 2023–2026.");
        problems.Single(p => p.Row == 7).Message.ShouldContain("Uppföljningen för");
        problems.Single(p => p.Row == 8).ShouldBe((8, "Utfall", "”tolv” är inte ett tal. Skriv t.ex. 12,5 eller 12.5."));
        problems.Single(p => p.Row == 9).Message.ShouldContain("passar inte");
        problems.Where(p => p.Row == 10).Select(p => p.Message).ShouldContain(m => m.StartsWith("Värdet 140 ligger utanför det rimliga för indikatorn (0–100).", StringComparison.Ordinal));
        problems.Where(p => p.Row == 10).Select(p => p.Message).ShouldContain(m => m.StartsWith("Uppföljningen för", StringComparison.Ordinal), "every problem of a row, not only the first");
        problems.Single(p => p.Row == 11).Message.ShouldContain("är ingen period");
        import.GetProperty("errorRows").GetInt32().ShouldBe(9);
        import.GetProperty("preview").GetProperty("canImport").GetBoolean().ShouldBeFalse();

        var refused = await admin.PostAsync($"{Base}/imports/{import.GetProperty("id").GetGuid()}/import", null);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.GetAsync($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "row 2 alone was right, and nothing was written");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_imports_only_for_their_units_and_names_are_matched_in_a_Windows_1252_file(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var bun = await UnitAsync(app, "Barn- och utbildningsnämnden");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1252).GetBytes(string.Join("\r\n",
            "Enhet;Indikator;Period;Utfall",
            "Barn- och utbildningsnämnden;Anmälningar om kränkande behandling per 100 elever;T3 2026;2,5",
            "Socialnämnden;Utredningstid barn och unga, median;2026-T3;99") + "\r\n");

        var import = await UploadAsync(app, editor, "blandat.csv", file);

        var problems = Problems(import);
        problems.Count.ShouldBe(1);
        problems[0].Row.ShouldBe(3);
        problems[0].Message.ShouldBe("Du får bara importera för din egen enhet och enheterna under den; Utredningstid barn och unga, median hör till Socialnämnden.");
        var rows = import.GetProperty("preview").GetProperty("sample");
        rows[0].GetProperty("result").GetString().ShouldBe("new");
        rows[0].GetProperty("valueAfter").GetDecimal().ShouldBe(2.5m);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_value_changed_by_someone_else_after_the_check_stops_the_import_and_the_file_is_checked_again(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var bullying = await IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var import = await UploadAsync(app, admin, "t3.csv", Csv("Indikator-id;Period;Utfall", $"{bullying.Id};2026-T3;2,7"));
        import.GetProperty("newRows").GetInt32().ShouldBe(1);

        var typed = await admin.PutAsJsonAsync($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3", new { value = 3.1m });
        typed.StatusCode.ShouldBe(HttpStatusCode.OK, await typed.Content.ReadAsStringAsync());

        var after = await ImportAsync(app, admin, import);
        after.GetProperty("state").GetString().ShouldBe("checked");
        after.GetProperty("failure").GetString().ShouldBe(OutcomeImports.ChangedSinceCheck);
        after.GetProperty("changedRows").GetInt32().ShouldBe(1, "the new check shows the file would now change the other person's value");
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3")).GetProperty("value").GetDecimal().ShouldBe(3.1m);

        var second = await ImportAsync(app, admin, after);
        second.GetProperty("state").GetString().ShouldBe("imported");
        var outcome = await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{bullying.Id}/outcomes/2026-T3");
        outcome.GetProperty("value").GetDecimal().ShouldBe(2.7m);
        outcome.GetProperty("revisions")[0].GetProperty("value").GetDecimal().ShouldBe(3.1m, "the value it replaced is kept");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_the_uploader_sees_and_imports_a_file_and_a_reader_cannot_upload(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var bun = await UnitAsync(app, "Barn- och utbildningsnämnden");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);
        var other = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var bullying = await IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var import = await UploadAsync(app, editor, "t3.csv", Csv("Indikator-id;Period;Utfall", $"{bullying.Id};2026-T3;2,7"));
        var id = import.GetProperty("id").GetGuid();

        (await other.GetAsync($"{Base}/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsync($"{Base}/imports/{id}/import", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetFromJsonAsync<JsonElement>($"{Base}/imports")).GetArrayLength().ShouldBe(0);
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.csv" } };
        (await reader.PostAsync($"{Base}/imports", form)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var admin = await app.ClientAsync();
        (await admin.GetAsync($"{Base}/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"{Base}/imports/{id}/import", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_that_is_no_table_stops_with_its_reason_and_a_template_outside_ones_units_is_refused(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var bun = await UnitAsync(app, "Barn- och utbildningsnämnden");
        var social = await UnitAsync(app, "Socialnämnden");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, bun);

        var headerOnly = await UploadAsync(app, editor, "tom.csv", Csv("Indikator-id;Period;Utfall"));
        headerOnly.GetProperty("state").GetString().ShouldBe("failed");
        headerOnly.GetProperty("failure").GetString()!.ShouldNotBeNullOrWhiteSpace();
        var listed = (await editor.GetFromJsonAsync<JsonElement>($"{Base}/imports"))[0];
        listed.GetProperty("failure").GetString().ShouldBe(headerOnly.GetProperty("failure").GetString());

        var outside = await editor.GetAsync($"{Base}/imports/template?unitId={social}&year=2026");
        outside.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outside.Content.ReadAsStringAsync()).ShouldContain("Du får bara hämta mallen för din egen enhet och enheterna under den.");
        (await editor.GetAsync($"{Base}/imports/template?unitId={bun}&year=2026")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await editor.GetAsync($"{Base}/imports/template?unitId=inte-ett-id")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
