using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kedja.Domain;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Budget frames and outcomes through the API: the frame round-trips in the document's shape and keeps its outcomes;
/// only administrators set frames; editors report outcome and forecast for their own units, only for periods of the
/// calendar within the budget year and only while the unit's follow-up of the period is open, as for indicator outcomes.
/// </summary>
public class BudgetApiTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    private static string Without(JsonNode node, params string[] names)
    {
        var copy = node.DeepClone().AsObject();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_frame_put_back_as_read_is_unchanged_keeps_its_outcomes_and_the_export_still_imports(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var kfn = await UnitAsync(app, "Kultur- och fritidsnämnden");
        var url = $"{Base}/budget/{kfn}/2026";

        var listed = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/budget?unitId={kfn}&year=2026"))!.ShouldHaveSingleItem()!;
        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        read.ToJsonString().ShouldBe(listed.ToJsonString());
        read["outcomes"]!.AsArray().Select(o => o!["periodKey"]!.GetValue<string>()).ShouldBe(["2026-T1", "2026-T2"]);

        var put = await admin.PutAsync(url, new StringContent(read.ToJsonString(), Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));
        again["version"]!.GetValue<int>().ShouldBe(read["version"]!.GetValue<int>() + 1);

        // The document's frame is the resource without versions.
        var exported = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!["budget"]!.AsArray()
            .Single(b => b!["unitId"]!.GetValue<Guid>() == kfn && b["year"]!.GetValue<int>() == 2026)!;
        var shape = again.DeepClone().AsObject();
        shape.Remove("version");
        foreach (var outcome in shape["outcomes"]!.AsArray())
        {
            // The document carries the comment and the explanation (issue 16) too, but no versions.
            outcome!.AsObject().Remove("version");
        }

        // A real frame (the resource never shows a planning year's draft); the document says so.
        shape["isDraft"] = false;

        shape.ToJsonString().ShouldBe(exported.ToJsonString());

        // A new amount and note; outcomes left out of the body stay as they were.
        again["amount"] = 70_000.5m;
        again["note"] = "Tilläggsanslag för sommarlovsaktiviteter.";
        again["outcomes"] = new JsonArray();
        (await admin.PutAsJsonAsync(url, again)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var changed = JsonNode.Parse(await admin.GetStringAsync(url))!;
        changed["amount"]!.GetValue<decimal>().ShouldBe(70_000.5m);
        changed["outcomes"]!.AsArray().Count.ShouldBe(2);

        // A frame for a unit that has none: created without a version, changed only with one.
        var board = await UnitAsync(app, "Kommunstyrelsen");
        var created = await admin.PutAsJsonAsync($"{Base}/budget/{board}/2026", new { amount = 41_500m, note = (string?)null });
        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/budget/{board}/2026", new { amount = 42_000m }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "version").ShouldHaveSingleItem().ShouldStartWith("Budgetramen finns redan.");

        var export = await admin.GetStringAsync($"{Base}/export");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(export, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_reports_outcome_and_forecast_for_their_own_unit_while_its_follow_up_is_open_and_nowhere_else(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var kfn = await UnitAsync(app, "Kultur- och fritidsnämnden");
        var library = await UnitAsync(app, "Biblioteket");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, kfn);
        var url = $"{Base}/budget/{kfn}/2026/outcomes";

        var saved = await editor.PutAsJsonAsync($"{url}/2026-T3", new { actual = 51_250.5m, forecast = 68_900m });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var outcome = JsonNode.Parse(await saved.Content.ReadAsStringAsync())!;
        outcome["periodKey"]!.GetValue<string>().ShouldBe("2026-T3");
        var frame = JsonNode.Parse(await editor.GetStringAsync($"{Base}/budget/{kfn}/2026"))!;
        frame["outcomes"]!.AsArray().Last()!.ToJsonString().ShouldBe(outcome.ToJsonString());

        // What GET gave, PUT takes back; a second writer without the version, or with a stale one, is refused.
        (await editor.PutAsJsonAsync($"{url}/2026-T3", outcome)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T3", new { actual = 1m }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "version").ShouldHaveSingleItem().ShouldStartWith("Utfallet finns redan.");
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T3", outcome));
        status.ShouldBe(HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(problem).ShouldBe("Någon annan har ändrat uppgiften sedan du hämtade den. Hämta den igen och gör om ändringen.");

        // A locked or submitted follow-up keeps its figures, as for indicator outcomes.
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T1", new { actual = 1m, version = 0 }));
        status.ShouldBe(HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(problem).ShouldBe("Uppföljningen för T1 2026 är låst. Den måste öppnas igen innan något ändras.");
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2026-T2", new { actual = 1m, version = 0 }));
        status.ShouldBe(HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(problem).ShouldBe("Uppföljningen för T2 2026 är inskickad. Den måste öppnas igen innan något ändras.");

        // Periods of the calendar within the budget year, and figures within bounds.
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{url}/2025-T3", new { actual = 1m }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "periodKey").ShouldBe(["Perioden T3 2025 ligger utanför budgetåret 2026."]);
        (await editor.PutAsJsonAsync($"{Base}/budget/{kfn}/2031/outcomes/2031-T1", new { actual = 1m })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{Base}/budget/{kfn}/2026/outcomes/T9", new { actual = 1m }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "periodKey").ShouldHaveSingleItem().ShouldStartWith("Ogiltig period 'T9'");
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{url}/2026-T3", new { actual = 1e13m, forecast = (decimal?)null, version = 99 }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "actual").ShouldBe([Values.Message]);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{url}/2026-T3", new { forecast = 1m, version = 99 }));
        ProblemDetailsTests.Errors(problem, "actual").ShouldBe(["Utfallet hittills i år måste anges."]);

        // Not the frame, not another unit's figures, not as a reader; a unit without a frame has nowhere to report.
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await editor.PutAsJsonAsync($"{Base}/budget/{kfn}/2026", frame));
        status.ShouldBe(HttpStatusCode.Forbidden);
        var librarian = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await librarian.PutAsJsonAsync($"{url}/2026-T3", new { actual = 2m }));
        status.ShouldBe(HttpStatusCode.Forbidden);
        ProblemDetailsTests.Title(problem).ShouldBe("Du får bara rapportera budgetutfall för din egen enhet och enheterna under den.");
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        (await reader.PutAsJsonAsync($"{url}/2026-T3", new { actual = 2m })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/budget/{library}/2026/outcomes/2026-T3", new { actual = 2m }));
        status.ShouldBe(HttpStatusCode.NotFound);
        ProblemDetailsTests.Title(problem).ShouldBe("Enheten har ingen budgetram för 2026. En administratör anger ramen först.");

        var after = JsonNode.Parse(await admin.GetStringAsync($"{Base}/budget/{kfn}/2026"))!["outcomes"]!.AsArray().Last()!;
        after["actual"]!.GetValue<decimal>().ShouldBe(51_250.5m);
        after["forecast"]!.GetValue<decimal>().ShouldBe(68_900m);
    }

    [Fact]
    public async Task A_frame_outside_the_models_years_or_beyond_any_sane_amount_is_refused_in_Swedish()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var kfn = await UnitAsync(app, "Kultur- och fritidsnämnden");
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/budget/{kfn}/2031", new { amount = 1e12m, note = new string('x', 401) }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "year").ShouldBe(["Budgetåret 2031 ligger utanför styrmodellens år (2023-2026)."]);
        ProblemDetailsTests.Errors(problem, "amount").ShouldBe([Values.Message]);
        ProblemDetailsTests.Errors(problem, "note").ShouldBe(["Anteckningen får vara högst 400 tecken, men har 401."]);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/budget/{Guid.NewGuid()}/2026", new { amount = 1m }));
        ProblemDetailsTests.Errors(problem, "unitId").ShouldHaveSingleItem().ShouldEndWith("finns inte.");
    }
}
