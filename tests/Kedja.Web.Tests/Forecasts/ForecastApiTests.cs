using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Forecasts;

/// <summary>
/// Full-year forecasts through the API (issue 16): GET gives what PUT takes, a stale version is refused, bad input is
/// refused whole, only the unit's editors write and only while its follow-up is open, another municipality sees
/// nothing, the scorecard shows the forecast with its own status, and the computed statuses never move for it.
/// </summary>
public class ForecastApiTests
{
    private const string Slug = DemoTenant.Slug;
    private const string Base = $"/api/v1/tenants/{Slug}";
    private const string Goal = "Biblioteket når fler barn och unga";

    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    private static async Task<JsonElement> IndicatorOnCardAsync(HttpClient client, Guid unit, Guid indicator) =>
        ScorecardJson.Goals(await client.GetFromJsonAsync<JsonElement>($"{Base}/units/{unit}/scorecard?periodKey=2026-T2"))
            .Single(g => g.GetProperty("title").GetString() == Goal).GetProperty("indicators").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == indicator);

    private static async Task<string> ErrorsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").ToString();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_forecasts_the_year_and_the_scorecard_shows_it_beside_an_unchanged_status(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var library = await UnitAsync(app, "Biblioteket");
        var pool = await UnitAsync(app, "Badhuset");
        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var before = await IndicatorOnCardAsync(admin, library, await FirstIndicatorAsync(admin, library));
        var id = before.GetProperty("id").GetGuid();
        before.TryGetProperty("forecast", out var none).ShouldBeTrue();
        none.ValueKind.ShouldBe(JsonValueKind.Null);

        // A target for the year, so the forecast has something to be measured against: 2,0; the forecast 1,6 is 80 % of it.
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            await db.Targets.Where(t => t.IndicatorId == id && t.PeriodKey == "2026").ExecuteDeleteAsync();
            db.Targets.Add(new Domain.Indicators.IndicatorTarget { IndicatorId = id, PeriodKey = "2026", Value = 2m });
            await db.SaveChangesAsync();
        }

        var cardBefore = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{library}/scorecard?periodKey=2026-T2");
        var url = $"{Base}/indicators/{id}/forecasts/2026-T2";
        (await editor.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var put = await editor.PutAsJsonAsync(url, new { value = 1.6m, comment = "Sommarens läsutmaning drog färre än väntat." });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var read = JsonNode.Parse(await editor.GetStringAsync(url))!;
        read.ToJsonString().ShouldBe(JsonNode.Parse(await put.Content.ReadAsStringAsync())!.ToJsonString());
        read["value"]!.GetValue<decimal>().ShouldBe(1.6m);
        read["year"]!.GetValue<int>().ShouldBe(2026);
        read["status"]!["key"]!.GetValue<string>().ShouldBe(StandardScale.PartlyMet);
        read["explanation"]!.GetValue<string>().ShouldStartWith("Prognos: uppfylls delvis, 1,6");
        read["explanation"]!.GetValue<string>().ShouldContain("mot målet 2");

        // What GET gives, PUT takes: sent back unchanged, only the version moves.
        var version = read["version"]!.GetValue<int>();
        (await editor.PutAsync(url, JsonContent.Create(read))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonNode.Parse(await editor.GetStringAsync(url))!;
        again["version"]!.GetValue<int>().ShouldBe(version + 1);
        again["comment"]!.GetValue<string>().ShouldBe("Sommarens läsutmaning drog färre än väntat.");

        // A stale version is a conflict; no version for an existing forecast is refused; nothing changes.
        (await editor.PutAsJsonAsync(url, new { value = 3m, version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var unversioned = await editor.PutAsJsonAsync(url, new { value = 3m });
        unversioned.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(unversioned)).ShouldContain("Ange versionen du ändrar");

        // Every error at once, in Swedish, nothing saved.
        var bad = await editor.PutAsJsonAsync(url, new { comment = new string('x', 4001), valueWomen = 1m, version = version + 1 });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = await ErrorsAsync(bad);
        errors.ShouldContain("Ange prognosen för helåret.");
        errors.ShouldContain("Kommentaren");
        errors.ShouldContain("Indikatorn delas inte upp på kvinnor och män.");
        JsonNode.Parse(await editor.GetStringAsync(url))!["version"]!.GetValue<int>().ShouldBe(version + 1);

        // Periods: one outside the calendar, a malformed key, and the library's T1, which the demo has locked.
        (await editor.PutAsJsonAsync($"{Base}/indicators/{id}/forecasts/2031-T1", new { value = 1m })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await editor.PutAsJsonAsync($"{Base}/indicators/{id}/forecasts/2026-X", new { value = 1m })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var locked = await editor.PutAsJsonAsync($"{Base}/indicators/{id}/forecasts/2026-T1", new { value = 1m });
        locked.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("måste öppnas igen");

        // Another unit's editor and a reader cannot write; an unknown indicator is not found.
        var poolEditor = await app.MemberClientAsync(Slug, TenantRole.Editor, pool);
        var outside = await poolEditor.PutAsJsonAsync(url, new { value = 9m, version = version + 1 });
        outside.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outside.Content.ReadAsStringAsync()).ShouldContain("egen enhet");
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.PutAsJsonAsync(url, new { value = 9m, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await editor.PutAsJsonAsync($"{Base}/indicators/{Guid.NewGuid()}/forecasts/2026-T2", new { value = 1m })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another municipality: its own URL does not find the indicator, and the demo's URL is not its to read.
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "beta", name = "Beta", kommunkod = "1234", template = Templates.ModelTemplates.Heby });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var beta = await app.MemberClientAsync("beta", TenantRole.Admin);
        (await beta.GetAsync($"/api/v1/tenants/beta/indicators/{id}/forecasts/2026-T2")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await beta.PutAsJsonAsync($"/api/v1/tenants/beta/indicators/{id}/forecasts/2026-T2", new { value = 5m })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await beta.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonNode.Parse(await editor.GetStringAsync(url))!["value"]!.GetValue<decimal>().ShouldBe(1.6m);

        // The scorecard: the forecast with its status and comment, and the outcome's status and the goal's as before.
        var after = await IndicatorOnCardAsync(admin, library, id);
        var forecast = after.GetProperty("forecast");
        forecast.GetProperty("value").GetDecimal().ShouldBe(1.6m);
        forecast.GetProperty("status").GetProperty("key").GetString().ShouldBe(StandardScale.PartlyMet);
        forecast.GetProperty("comment").GetString().ShouldBe("Sommarens läsutmaning drog färre än väntat.");
        forecast.GetProperty("target").GetDecimal().ShouldBe(2m);
        var cardAfter = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{library}/scorecard?periodKey=2026-T2");
        foreach (var (was, now) in ScorecardJson.Goals(cardBefore).Zip(ScorecardJson.Goals(cardAfter)))
        {
            now.GetProperty("status").ToString().ShouldBe(was.GetProperty("status").ToString());
            now.GetProperty("explanation").GetString().ShouldBe(was.GetProperty("explanation").GetString());
            foreach (var (i, j) in was.GetProperty("indicators").EnumerateArray().Zip(now.GetProperty("indicators").EnumerateArray()))
            {
                j.GetProperty("status").ToString().ShouldBe(i.GetProperty("status").ToString());
                j.GetProperty("explanation").GetString().ShouldBe(i.GetProperty("explanation").GetString());
            }
        }

        // The forecasts' writes name nothing for the statuses to recompute; each is audited.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var forecastRow = await db.IndicatorForecasts.SingleAsync(f => f.IndicatorId == id);
            var tenantId = forecastRow.TenantId;
            var latest = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.DataVersion).SingleAsync();
            var changes = await db.StatusChanges.Where(c => c.TenantId == tenantId && c.Version == latest).ToListAsync();
            changes.ShouldNotBeEmpty();
            changes.ShouldAllBe(c => c.Kind == StatusChangeKind.None);
        }

        var audit = await admin.GetFromJsonAsync<JsonElement>($"{Base}/audit?entity=IndicatorForecast");
        audit.EnumerateArray().Count().ShouldBeGreaterThanOrEqualTo(2);

        // The assessment may rest on the forecast where the goal's indicators have one, and the report says so beside the forecast's columns.
        var onCard = ScorecardJson.Goals(cardAfter).Single(g => g.GetProperty("title").GetString() == Goal);
        var goalId = onCard.GetProperty("id").GetGuid();
        var assessed = await editor.PutAsJsonAsync($"{Base}/goals/{goalId}/assessments/2026-T2",
            new { status = onCard.GetProperty("suggested").GetProperty("key").GetString(), motivation = "Prognosen visar var året landar.", basedOnForecast = true, version = await AssessmentVersionAsync(editor, goalId) });
        assessed.StatusCode.ShouldBe(HttpStatusCode.OK, await assessed.Content.ReadAsStringAsync());
        (await assessed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("basedOnForecast").GetBoolean().ShouldBeTrue();
        var otherGoal = ScorecardJson.Goals(await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{pool}/scorecard?periodKey=2026-T2")).First().GetProperty("id").GetGuid();
        var withoutForecast = await poolEditor.PutAsJsonAsync($"{Base}/goals/{otherGoal}/assessments/2026-T2",
            new { status = StandardScale.Met, motivation = "Enligt prognosen.", basedOnForecast = true, version = await AssessmentVersionAsync(poolEditor, otherGoal) });
        withoutForecast.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(withoutForecast)).ShouldContain("ingen helårsprognos");

        var (report, _) = await Reports.ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(library), "2026-T2", "tertialrapport");
        var html = Reports.ReportBuilderTests.Html(report);
        html.ShouldContain("Prognos helår");
        html.ShouldContain("Sommarens läsutmaning drog färre än väntat.");
        html.ShouldContain("Bedömningen bygger på helårsprognosen.");

        // A model that takes no forecasts of indicators refuses them, in Swedish.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            await db.Models.ExecuteUpdateAsync(u => u.SetProperty(m => m.AllowsIndicatorForecasts, false));
        }

        var refused = await editor.PutAsJsonAsync(url, new { value = 2m, version = version + 1 });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(refused)).ShouldContain("tar inga helårsprognoser för indikatorer");
    }

    private static async Task<int?> AssessmentVersionAsync(HttpClient client, Guid goal)
    {
        var response = await client.GetAsync($"{Base}/goals/{goal}/assessments/2026-T2");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
    }

    private static async Task<Guid> FirstIndicatorAsync(HttpClient client, Guid unit) =>
        ScorecardJson.Goals(await client.GetFromJsonAsync<JsonElement>($"{Base}/units/{unit}/scorecard?periodKey=2026-T2"))
            .Single(g => g.GetProperty("title").GetString() == Goal).GetProperty("indicators")[0].GetProperty("id").GetGuid();
}
