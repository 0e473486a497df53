using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>
/// What GET gives, PUT takes: for indicators, outcomes, activities, assessments and members, sending back unchanged what
/// was read changes nothing but the version, and every edit the API accepts keeps the tenant's export importable.
/// Only <c>version</c> is left out of the comparisons: every accepted PUT moves it (ADR 10), so that a stale one always
/// fails. Who recorded a value and when (recordedAt, assessedAt, writtenAt) are compared too: an unchanged PUT keeps them.
/// </summary>
public class FollowUpRoundTripTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sending_back_an_indicator_as_read_keeps_its_women_and_men_split(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var split = (await Export(admin))["indicators"]!.AsArray().First(i => i!["splitByGender"]!.GetValue<bool>())!;
        var url = $"{Base}/indicators/{split["id"]}";

        (await Put(admin, url, await admin.GetStringAsync(url))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var exported = (await Export(admin))["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == split["id"]!.GetValue<string>())!;
        exported["splitByGender"]!.GetValue<bool>().ShouldBeTrue();
        exported.ToJsonString().ShouldBe(split.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_indicator_with_thresholds_split_weight_order_Kolada_link_and_targets_comes_back_as_it_was_sent(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var indicator = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray()
            .First(i => i.GetProperty("goalId").ValueKind == JsonValueKind.String && i.GetProperty("periodicity").GetString() == "tertial");
        var url = $"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}";
        var edited = JsonNode.Parse(await admin.GetStringAsync(url))!;
        edited["thresholds"] = JsonNode.Parse("""{"steps":[{"status":"uppfyllt","minimumAchievement":0.95},{"status":"delvis-uppfyllt","minimumAchievement":0.7}],"otherwise":"ej-uppfyllt"}""");
        edited["splitByGender"] = true;
        edited["weight"] = 2.5m;
        edited["sortOrder"] = 42;
        edited["koladaKpiId"] = "N15419";
        edited["koladaMunicipalityId"] = "1880";
        edited["koladaOuId"] = "V15E188000101";
        edited["baselineValue"] = 12.5m;
        edited["baselinePeriod"] = "2024-T3";
        edited["targets"] = JsonNode.Parse("""[{"periodKey":"2026","value":50,"min":null,"max":null,"note":"Helår"},{"periodKey":"2026-T3","value":48.5,"min":null,"max":null,"note":null}]""");
        var accepted = await Put(admin, url, edited.ToJsonString());
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());

        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(read, "version").ShouldBe(Without(edited, "version"));
        (await Put(admin, url, read.ToJsonString())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));
        again["version"]!.GetValue<int>().ShouldBe(read["version"]!.GetValue<int>() + 1);

        // The list says the same as the item.
        var listed = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/indicators"))!.Single(i => i!["id"]!.GetValue<string>() == read["id"]!.GetValue<string>())!;
        listed.ToJsonString().ShouldBe(again.ToJsonString());
        await ExportImportsAsync(admin);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_outcome_sent_back_as_read_keeps_its_values_revisions_and_who_recorded_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var indicator = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray()
            .First(i => i.GetProperty("splitByGender").GetBoolean() && i.GetProperty("periodicity").GetString() == "tertial");
        var url = $"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes/2026-T3";
        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var first = await admin.PutAsJsonAsync(url, new { value = 40.5m, valueWomen = 42m, valueMen = 39m, comment = "Preliminärt." });
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var changed = await admin.PutAsJsonAsync(url, new { value = 41m, valueWomen = 43m, valueMen = 39m, comment = "Slutligt.", version = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());

        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        read["revisions"]!.AsArray().Count.ShouldBe(1);
        read["valueWomen"]!.GetValue<decimal>().ShouldBe(43m);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var resent = await Put(admin, url, read.ToJsonString());
        resent.StatusCode.ShouldBe(HttpStatusCode.OK, await resent.Content.ReadAsStringAsync());
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));

        // The list's entry is the same outcome, in the same shape.
        var listed = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes"))!
            .Single(o => o!["periodKey"]!.GetValue<string>() == "2026-T3")!;
        listed.ToJsonString().ShouldBe(again.ToJsonString());
        (await admin.GetAsync($"{url[..^"2026-T3".Length]}2026-T9")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await ExportImportsAsync(admin);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_activity_sent_back_as_read_keeps_its_plan_and_its_reports(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var delayed = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/activities")).EnumerateArray().Single(a => a.GetProperty("status").GetString() == "delayed");
        var url = $"{Base}/activities/{delayed.GetProperty("id").GetGuid()}";
        var reported = await admin.PutAsJsonAsync($"{url}/progress", new
        {
            status = "inProgress", progress = 60, periodKey = "2026-T3", comment = "Två av tre verksamheter har nya scheman.", version = delayed.GetProperty("version").GetInt32(),
        });
        reported.StatusCode.ShouldBe(HttpStatusCode.OK, await reported.Content.ReadAsStringAsync());

        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        read["statusName"]!.GetValue<string>().ShouldBe("Pågår");
        read["comments"]!.AsArray().Select(c => c!["periodKey"]!.GetValue<string>()).ShouldContain("2026-T3");
        (await Put(admin, url, read.ToJsonString())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));

        // Reports are written through the progress report only: a PUT that leaves them out keeps them.
        var withoutReports = read.DeepClone();
        withoutReports["comments"] = new JsonArray();
        withoutReports["version"] = again["version"]!.GetValue<int>();
        (await Put(admin, url, withoutReports.ToJsonString())).StatusCode.ShouldBe(HttpStatusCode.OK);
        Without(JsonNode.Parse(await admin.GetStringAsync(url))!, "version").ShouldBe(Without(read, "version"));

        var listed = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/activities"))!.Single(a => a!["id"]!.GetValue<string>() == read["id"]!.GetValue<string>())!;
        Without(listed, "version").ShouldBe(Without(read, "version"));
        await ExportImportsAsync(admin);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_assessment_sent_back_as_read_keeps_its_status_texts_and_who_assessed_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        // The demo assesses one goal on its forecast; that reads back with basedOnForecast, which this comparison leaves out.
        var earlier = (await Export(admin))["assessments"]!.AsArray().First(a => a!["actions"] is not null && a["basedOnForecast"] is null && a["periodKey"]!.GetValue<string>() == "2026-T2")!;
        var goal = earlier["goalId"]!.GetValue<string>();
        var url = $"{Base}/goals/{goal}/assessments/2026-T3";
        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var assessed = await admin.PutAsJsonAsync(url, new
        {
            status = "ej-uppfyllt", motivation = "Bemanningen räcker inte under hösten.", analysis = "Sjukfrånvaron ökade.", actions = "Rekrytera två undersköterskor.",
        });
        assessed.StatusCode.ShouldBe(HttpStatusCode.OK, await assessed.Content.ReadAsStringAsync());

        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        read["goalId"]!.GetValue<string>().ShouldBe(goal);
        read["periodKey"]!.GetValue<string>().ShouldBe("2026-T3");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        (await Put(admin, url, read.ToJsonString())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));

        // The earlier period's assessment reads the same way, actions closed and all.
        var t2 = JsonNode.Parse(await admin.GetStringAsync($"{Base}/goals/{goal}/assessments/2026-T2"))!;
        Without(t2, "version").ShouldBe(earlier.ToJsonString());

        (await admin.GetAsync($"{Base}/goals/{goal}/assessments/2026-T9")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var unknown = await admin.GetAsync($"{Base}/goals/{goal}/assessments/2031-T1");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Perioden finns inte i uppföljningskalendern.");
        await ExportImportsAsync(admin);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_member_sent_back_as_read_keeps_role_unit_and_name(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var unitId = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray().First(u => u.GetProperty("kind").GetString() == "unit").GetProperty("id").GetGuid();
        var added = await admin.PostAsJsonAsync($"{Base}/members", new { email = "eva.ek@exempelkommun.se", displayName = "Eva Ek", role = "editor", unitId });
        added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var url = added.Headers.Location!.ToString();

        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(read, "version").ShouldBe(Without(JsonNode.Parse(await added.Content.ReadAsStringAsync())!, "version"));
        (await Put(admin, url, read.ToJsonString())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));
        again["displayName"]!.GetValue<string>().ShouldBe("Eva Ek");
    }

    private static Task<HttpResponseMessage> Put(HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> Export(HttpClient client) => JsonNode.Parse(await client.GetStringAsync($"{Base}/export"))!;

    /// <summary>The tenant's export, after the edits, imports as a new tenant: the API accepted nothing the document refuses.</summary>
    private static async Task ExportImportsAsync(HttpClient admin)
    {
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent((await Export(admin)).ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
    }

    /// <summary>The JSON text of an object without the named top-level properties.</summary>
    private static string Without(JsonNode node, params string[] names)
    {
        var copy = node.DeepClone().AsObject();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy.ToJsonString();
    }
}
