using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>
/// The risk scale and the units' risk registers through the API (issue 15, ADR 46): what GET gives PUT takes back, every
/// error at once with nothing written, a stale version refused, a scale that cannot shrink beneath its assessments, the
/// history per year, numbers that never collide, and who sees and changes which unit's risks.
/// </summary>
public class RiskApiTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Guid> UnitIdAsync(HttpClient client, string name, string tenant = Base) =>
        (await client.GetFromJsonAsync<JsonArray>($"{tenant}/units"))!.Single(u => (string)u!["name"]! == name)!["id"]!.GetValue<Guid>();

    private static async Task<JsonObject> CreateAsync(HttpClient client, Guid unit, string title, int firstYear = 2025, string? category = "Ekonomi och redovisning", string tenant = Base)
    {
        var answer = await client.PostAsJsonAsync($"{tenant}/risks", new { title, unitId = unit, firstYear, category, process = "Inköp", owner = "Ekonomichef" });
        answer.StatusCode.ShouldBe(HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<HttpResponseMessage> AssessAsync(HttpClient client, JsonNode risk, int year, object body, string tenant = Base) =>
        client.PutAsJsonAsync($"{tenant}/risks/{risk["id"]}/assessments/{year}", body);

    private static async Task<JsonObject> AssessedAsync(HttpClient client, JsonNode risk, int year, int likelihood, int consequence, int? likelihoodAfter = null, int? consequenceAfter = null, string tenant = Base)
    {
        var current = (await client.GetFromJsonAsync<JsonObject>($"{tenant}/risks/{risk["id"]}"))!;
        var answer = await AssessAsync(client, risk, year, new { likelihood, consequence, likelihoodAfter, consequenceAfter, reasoning = $"Bedömd {year}", version = current["version"]!.GetValue<int>() }, tenant);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>
    /// A new municipality from a template: no risk scale saved and no risks. The demo saves its scale and fills its
    /// registers, so what holds only for a municipality that has not begun is tested on one that has not.
    /// </summary>
    private static async Task<string> NewTenantAsync(HttpClient system, string slug)
    {
        var response = await system.PostAsJsonAsync("/api/v1/tenants", new { slug, name = slug.ToUpperInvariant(), kommunkod = "1234", template = ModelTemplates.Heby });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return $"/api/v1/tenants/{slug}";
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_scale_is_the_default_until_saved_and_what_GET_gives_PUT_takes_back_from_the_version_read(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var demo = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risk-settings"))!;
        demo["isDefault"]!.GetValue<bool>().ShouldBeFalse("the demo saves its scale");
        // The demo's scale came in through the tenant document: a save from a default read (version 0) must not overwrite it.
        demo["version"]!.GetValue<int>().ShouldBeGreaterThan(0);
        var staleDefault = (JsonObject)demo.DeepClone();
        staleDefault["version"] = 0;
        staleDefault["planThreshold"] = 4;
        (await admin.PutAsJsonAsync($"{Base}/risk-settings", staleDefault)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        const string Slug = "ny-kommun";
        var url = $"{await NewTenantAsync(admin, Slug)}/risk-settings";

        var initial = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        initial["version"]!.GetValue<int>().ShouldBe(0);
        initial["isDefault"]!.GetValue<bool>().ShouldBeTrue();
        initial["likelihood"]!.AsArray().Select(l => (string)l!).ShouldBe(["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"]);
        initial["planThreshold"]!.GetValue<int>().ShouldBe(8);

        // Sending back what was read makes the default the municipality's own, and changes nothing else.
        var saved = await admin.PutAsJsonAsync(url, initial);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var read = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        read["version"]!.GetValue<int>().ShouldBe(1);
        read["isDefault"]!.GetValue<bool>().ShouldBeFalse();
        foreach (var field in new[] { "likelihood", "consequence", "bands", "categories", "planThreshold" })
        {
            read[field]!.ToJsonString().ShouldBe(initial[field]!.ToJsonString(), field);
        }

        // A second save from the default's version 0 is someone else's stale view: refused, not written over.
        initial["planThreshold"] = 4;
        (await admin.PutAsJsonAsync(url, initial)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var changed = read.DeepClone().AsObject();
        changed["likelihood"] = new JsonArray("Mycket osannolik", "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik");
        changed["bands"]!.AsArray().Add(new JsonObject { ["minValue"] = 16, ["name"] = " Kritisk ", ["colour"] = "#6A1B9A" });
        changed["categories"] = new JsonArray("Ekonomi", "Personal");
        changed["planThreshold"] = 10;
        (await admin.PutAsJsonAsync(url, changed)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        after["version"]!.GetValue<int>().ShouldBe(2);
        after["bands"]!.AsArray().Last()!.ToJsonString().ShouldBe("""{"minValue":16,"name":"Kritisk","colour":"#6a1b9a"}""");
        after["likelihood"]!.AsArray().Count.ShouldBe(5);

        // Stale: the version read before the last change.
        read["planThreshold"] = 3;
        var stale = await admin.PutAsJsonAsync(url, read);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("Någon annan har ändrat");
        (await admin.GetFromJsonAsync<JsonObject>(url))!["planThreshold"]!.GetValue<int>().ShouldBe(10);

        // Only administrators change it; everyone in the municipality reads it.
        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetFromJsonAsync<JsonObject>(url))!["planThreshold"]!.GetValue<int>().ShouldBe(10);
        after["planThreshold"] = 1;
        (await editor.PutAsJsonAsync(url, after)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PutAsJsonAsync(url, after)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetFromJsonAsync<JsonObject>(url))!["planThreshold"]!.GetValue<int>().ShouldBe(10);

        // Each municipality has its own scale: the demo's is as it was.
        (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risk-settings"))!.ToJsonString().ShouldBe(demo.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bad_scale_gets_every_swedish_error_at_once_and_a_scale_cannot_shrink_beneath_its_assessments(string provider)
    {
        // A municipality of its own: the demo's assessments would set the scale's least size, not this test's.
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var tenant = await NewTenantAsync(admin, "ny-kommun");
        var url = $"{tenant}/risk-settings";
        var bad = await admin.PutAsJsonAsync(url, new
        {
            likelihood = new[] { "Bara ett steg" },
            consequence = new[] { "Låg", " ", "Hög" },
            bands = new object[] { new { minValue = 2, name = "Låg", colour = "grön" }, new { minValue = 2, name = "", colour = "#ff0000" } },
            categories = new[] { "Ekonomi", "ekonomi" },
            planThreshold = 99,
            version = 0,
        });
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(bad);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(
            ["likelihood", "consequence[1]", "bands[0].colour", "bands[0].minValue", "bands[1].name", "bands[1].minValue", "categories[1]", "planThreshold"], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "likelihood").ShouldBe(["Skalan för sannolikhet har 2–10 steg."]);
        ProblemDetailsTests.Errors(problem, "bands[0].minValue").ShouldBe(["Det första bandet börjar på riskvärde 1."]);
        ProblemDetailsTests.Errors(problem, "planThreshold").ShouldBe(["Gränsen för förslag till planen är ett riskvärde mellan 1 och 3."]);
        problem.GetProperty("title").GetString()!.ShouldContain("Inget har sparats");
        (await admin.GetFromJsonAsync<JsonObject>(url))!["isDefault"]!.GetValue<bool>().ShouldBeTrue("nothing was written");

        // An assessment on the fourth likelihood step and the third consequence step (after controls: both axes count).
        var committee = await UnitIdAsync(admin, "Kommunstyrelsen", tenant);
        var risk = await CreateAsync(admin, committee, "Felaktiga utbetalningar", tenant: tenant);
        await AssessedAsync(admin, risk, 2026, 4, 2, 1, 2, tenant);
        await AssessedAsync(admin, risk, 2025, 1, 1, tenant: tenant);
        var other = await CreateAsync(admin, committee, "Jäv", tenant: tenant);
        await AssessedAsync(admin, other, 2026, 2, 3, 1, 3, tenant);

        var current = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        current["likelihood"] = new JsonArray("Låg", "Medel", "Hög");
        current["consequence"] = new JsonArray("Liten", "Stor");
        current["planThreshold"] = 4;
        current["bands"] = new JsonArray(new JsonObject { ["minValue"] = 1, ["name"] = "Låg", ["colour"] = "#2e7d32" });
        var shrunk = await admin.PutAsJsonAsync(url, current);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(shrunk);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "likelihood").ShouldBe(["Det finns bedömningar med sannolikhet 4: skalan behöver minst 4 steg."]);
        ProblemDetailsTests.Errors(problem, "consequence").ShouldBe(["Det finns bedömningar med konsekvens 3: skalan behöver minst 3 steg."]);
        (await admin.GetFromJsonAsync<JsonObject>(url))!["likelihood"]!.AsArray().Count.ShouldBe(4);

        current["likelihood"] = new JsonArray("1", "2", "3", "4");
        current["consequence"] = new JsonArray("1", "2", "3");
        (await admin.PutAsJsonAsync(url, current)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonObject>(url))!["consequence"]!.AsArray().Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_register_keeps_each_years_assessment_lists_the_latest_up_to_a_year_and_what_GET_gives_PUT_takes_back(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var committee = await UnitIdAsync(admin, "Kommunstyrelsen");
        var one = await CreateAsync(admin, committee, "  Felaktiga utbetalningar ");
        var two = await CreateAsync(admin, committee, "Brister i informationssäkerhet", category: null);
        var three = await CreateAsync(admin, committee, "Jäv vid upphandling", firstYear: 2026);
        one["title"]!.GetValue<string>().ShouldBe("Felaktiga utbetalningar");
        var first = one["number"]!.GetValue<int>();
        first.ShouldBeGreaterThan(0);
        (two["number"]!.GetValue<int>(), three["number"]!.GetValue<int>()).ShouldBe((first + 1, first + 2));

        await AssessedAsync(admin, one, 2025, 3, 3);
        var assessed = await AssessedAsync(admin, one, 2026, 4, 4, 2, 3);
        assessed["assessments"]!.AsArray().Select(a => a!["year"]!.GetValue<int>()).ShouldBe([2025, 2026]);
        // Assessing 2026 again replaces that year's only; 2025 is kept as it was.
        var again = await AssessedAsync(admin, one, 2026, 4, 3);
        var history = again["assessments"]!.AsArray();
        history.Count.ShouldBe(2);
        (history[0]!["likelihood"]!.GetValue<int>(), history[0]!["consequence"]!.GetValue<int>(), history[0]!["reasoning"]!.GetValue<string>()).ShouldBe((3, 3, "Bedömd 2025"));
        (history[1]!["likelihood"]!.GetValue<int>(), history[1]!["consequence"]!.GetValue<int>()).ShouldBe((4, 3));
        history[1]!["likelihoodAfter"].ShouldBeNull();
        history[1]!["assessedBy"]!.GetValue<string>().ShouldBe(KedjaApp.AdminEmail);
        await AssessedAsync(admin, two, 2025, 2, 2);
        await AssessedAsync(admin, three, 2026, 1, 4, 1, 2);

        // The year's list: each risk by that year's assessment, else the latest before it, and from which year.
        // Only this test's risks: the demo's own register may hold others.
        var mine = new[] { one, two, three }.Select(x => x["id"]!.GetValue<Guid>()).ToHashSet();
        async Task<List<JsonNode>> Mine(int year) =>
            [.. (await admin.GetFromJsonAsync<JsonArray>($"{Base}/risks?unitId={committee}&year={year}"))!.OfType<JsonNode>().Where(x => mine.Contains(x["id"]!.GetValue<Guid>()))];
        var list = await Mine(2026);
        list.Select(r => r!["number"]!.GetValue<int>()).ShouldBe([first, first + 1, first + 2]);
        (list[0]!["assessedYear"]!.GetValue<int>(), list[0]!["value"]!.GetValue<int>(), list[0]!["band"]!["name"]!.GetValue<string>()).ShouldBe((2026, 12, "Mycket hög"));
        (list[1]!["assessedYear"]!.GetValue<int>(), list[1]!["value"]!.GetValue<int>(), list[1]!["band"]!["name"]!.GetValue<string>()).ShouldBe((2025, 4, "Medel"));
        (list[2]!["valueBefore"]!.GetValue<int>(), list[2]!["valueAfter"]!.GetValue<int>(), list[2]!["value"]!.GetValue<int>()).ShouldBe((4, 2, 2));
        var earlier = await Mine(2025);
        earlier.Select(r => r!["number"]!.GetValue<int>()).ShouldBe([first, first + 1], "risk three enters the register in 2026");
        earlier[0]!["value"]!.GetValue<int>().ShouldBe(9);

        // A year the risk is not in the register, or steps off the scale: refused with every error, nothing written.
        var version = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risks/{three["id"]}"))!["version"]!.GetValue<int>();
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await AssessAsync(admin, three, 2025, new { likelihood = 5, consequence = 0, likelihoodAfter = 2, version }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["year", "likelihood", "consequence", "consequenceAfter"], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "year").ShouldBe(["Risken finns i registret från 2026: bedöm den för det året eller senare."]);
        ProblemDetailsTests.Errors(problem, "likelihood").ShouldBe(["Sannolikheten anges med ett steg från 1 till 4."]);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await AssessAsync(admin, three, 2026, new { likelihood = 1, consequence = 1, likelihoodAfter = 2, consequenceAfter = 2, version }));
        ProblemDetailsTests.Errors(problem, "likelihoodAfter").ShouldBe(["Riskvärdet efter befintliga kontroller kan inte vara högre än före."]);
        (await AssessAsync(admin, three, 2026, new { likelihood = 1, consequence = 1, version = version - 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AssessAsync(admin, three, 2026, new { likelihood = 1, consequence = 1 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var unchanged = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risks/{three["id"]}"))!;
        unchanged["version"]!.GetValue<int>().ShouldBe(version);
        unchanged["assessments"]!.AsArray().Single()!["consequence"]!.GetValue<int>().ShouldBe(4);

        // GET -> PUT changes nothing but the version; the number and the assessments cannot be changed by PUT.
        var url = $"{Base}/risks/{one["id"]}";
        var read = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        var put = await admin.PutAsJsonAsync(url, read);
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var back = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        back["version"]!.GetValue<int>().ShouldBe(read["version"]!.GetValue<int>() + 1);
        var (backed, sent) = (back.DeepClone().AsObject(), read.DeepClone().AsObject());
        backed.Remove("version");
        sent.Remove("version");
        backed.ToJsonString().ShouldBe(sent.ToJsonString());
        var tampered = back.DeepClone().AsObject();
        tampered["number"] = 999;
        tampered["assessments"] = new JsonArray();
        (await admin.PutAsJsonAsync(url, tampered)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var kept = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        kept["number"]!.GetValue<int>().ShouldBe(first);
        kept["assessments"]!.AsArray().Count.ShouldBe(2);

        // Stale: refused and nothing written.
        back["title"] = "Gammal titel";
        var stale = await admin.PutAsJsonAsync(url, back);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.GetFromJsonAsync<JsonObject>(url))!["title"]!.GetValue<string>().ShouldBe("Felaktiga utbetalningar");

        // A category must be the municipality's, but a risk keeps its own after the municipality renames its categories.
        var settings = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risk-settings"))!;
        settings["categories"] = new JsonArray("Ekonomi", "Verksamhet");
        (await admin.PutAsJsonAsync($"{Base}/risk-settings", settings)).StatusCode.ShouldBe(HttpStatusCode.OK);
        kept["description"] = "Utbetalningar utan attest.";
        (await admin.PutAsJsonAsync(url, kept)).StatusCode.ShouldBe(HttpStatusCode.OK, "its old category stays allowed");
        var moved = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risks/{two["id"]}"))!;
        moved["category"] = "Ekonomi och redovisning";
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/risks/{two["id"]}", moved));
        ProblemDetailsTests.Errors(problem, "category").ShouldBe(["Kategorin 'Ekonomi och redovisning' finns inte bland kommunens riskkategorier."]);

        // Retired after 2025: out of the register from 2026, its history kept; it cannot leave before a year it was assessed.
        var retire = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        retire["lastYear"] = 2025;
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync(url, retire));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "assessments[1].year").ShouldNotBeEmpty();
        var second = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/risks/{two["id"]}"))!;
        second["lastYear"] = 2025;
        (await admin.PutAsJsonAsync($"{Base}/risks/{two["id"]}", second)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Mine(2026)).Select(x => x["number"]!.GetValue<int>()).ShouldBe([first, first + 2]);
        (await Mine(2025)).Select(x => x["number"]!.GetValue<int>()).ShouldBe([first, first + 1]);

        // Removed only when never assessed; a new risk then takes the next number after the highest.
        var assessedOne = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        var kept2 = await admin.DeleteAsync($"{url}?version={assessedOne["version"]}");
        kept2.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await kept2.Content.ReadAsStringAsync()).ShouldContain("Ange ett sista år i registret i stället");
        var fresh = await CreateAsync(admin, committee, "Ny risk", firstYear: 2026, category: "Ekonomi");
        fresh["number"]!.GetValue<int>().ShouldBe(first + 3);
        (await admin.DeleteAsync($"{Base}/risks/{fresh["id"]}?version={fresh["version"]!.GetValue<int>() + 1}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{Base}/risks/{fresh["id"]}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.DeleteAsync($"{Base}/risks/{fresh["id"]}?version={fresh["version"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetAsync($"{Base}/risks/{fresh["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bad_risk_gets_every_swedish_error_at_once_and_risks_added_at_the_same_moment_get_numbers_of_their_own(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var committee = await UnitIdAsync(admin, "Kommunstyrelsen");
        var before = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/risks?year=2026"))!.Count;

        var answer = await admin.PostAsJsonAsync($"{Base}/risks", new { title = " ", unitId = committee, firstYear = 2026, lastYear = 2024, category = "Påhittad", owner = new string('x', 401) });
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(answer);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["title", "lastYear", "category", "owner"], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "title").ShouldBe(["Riskens titel måste anges."]);
        ProblemDetailsTests.Errors(problem, "lastYear").ShouldBe(["Det sista året kan inte vara före det första."]);
        var unknown = await admin.PostAsJsonAsync($"{Base}/risks", new { title = "Risk", unitId = Guid.NewGuid(), firstYear = 1800 });
        (status, problem) = await ProblemDetailsTests.ProblemAsync(unknown);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["unitId", "firstYear"], ignoreOrder: true);
        (await admin.GetFromJsonAsync<JsonArray>($"{Base}/risks?year=2026"))!.Count.ShouldBe(before, "nothing was written");

        // A number chosen by the caller is kept when free and refused when taken.
        var chosen = await admin.PostAsJsonAsync($"{Base}/risks", new { title = "Med eget nummer", unitId = committee, firstYear = 2026, number = 500 });
        chosen.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await chosen.Content.ReadFromJsonAsync<JsonObject>())!["number"]!.GetValue<int>().ShouldBe(500);
        (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PostAsJsonAsync($"{Base}/risks", new { title = "Samma nummer", unitId = committee, firstYear = 2026, number = 500 }));
        ProblemDetailsTests.Errors(problem, "number").ShouldBe(["Nummer 500 har redan en annan risk."]);

        // Twelve at once, each through its own request: every one saved, every number its own, the next after 500.
        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.ClientAsync()));
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            clients[i % clients.Length].PostAsJsonAsync($"{Base}/risks", new { title = $"Samtidig risk {i}", unitId = committee, firstYear = 2026 })));
        foreach (var a in answers)
        {
            a.StatusCode.ShouldBe(HttpStatusCode.Created, await a.Content.ReadAsStringAsync());
        }

        var numbers = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonObject>())!["number"]!.GetValue<int>()));
        numbers.Order().ShouldBe(Enumerable.Range(501, 12));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_of_another_unit_neither_sees_nor_changes_a_units_risks_and_a_reader_sees_but_cannot_change(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var library = await UnitIdAsync(admin, "Biblioteket");
        var pool = await UnitIdAsync(admin, "Badhuset");
        Guid above;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            above = (await db.Units.Where(u => u.Id == library).Select(u => u.ParentId).SingleAsync())!.Value;
        }

        var risk = await CreateAsync(admin, library, "Stöld av utlånade medier");
        await AssessedAsync(admin, risk, 2026, 2, 2);
        var url = $"{Base}/risks/{risk["id"]}";
        var read = (await admin.GetFromJsonAsync<JsonObject>(url))!;

        // The pool's editor: the risk is not there for them, in any list or by its id, and nothing they send changes it.
        var neighbour = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, pool);
        (await neighbour.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.GetAsync($"{Base}/risks?unitId={library}&year=2026")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.GetFromJsonAsync<JsonArray>($"{Base}/risks?year=2026"))!.Select(r => (string)r!["title"]!).ShouldNotContain("Stöld av utlånade medier");
        var changed = read.DeepClone().AsObject();
        changed["title"] = "Kapad";
        (await neighbour.PutAsJsonAsync(url, changed)).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        changed["unitId"] = pool.ToString();
        (await neighbour.PutAsJsonAsync(url, changed)).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        (await AssessAsync(neighbour, risk, 2026, new { likelihood = 4, consequence = 4, version = read["version"]!.GetValue<int>() })).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        (await neighbour.DeleteAsync($"{url}?version={read["version"]}")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        (await neighbour.PostAsJsonAsync($"{Base}/risks", new { title = "I fel enhet", unitId = library, firstYear = 2026 })).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        var own = await CreateAsync(neighbour, pool, "Halkolyckor i simhallen");

        // The library's own editor and the committee's above it see and change it; the library's editor cannot give it away.
        var librarian = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var theirs = (await librarian.GetFromJsonAsync<JsonArray>($"{Base}/risks?year=2026"))!;
        theirs.Select(r => (string)r!["title"]!).ShouldContain("Stöld av utlånade medier");
        theirs.Select(r => r!["unitId"]!.GetValue<Guid>()).Distinct().ShouldBe([library], "only the library's own register (it has no units below)");
        (await librarian.GetAsync($"{Base}/risks/{own["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await AssessedAsync(librarian, risk, 2026, 3, 2);
        var away = (await librarian.GetFromJsonAsync<JsonObject>(url))!;
        away["unitId"] = pool.ToString();
        (await librarian.PutAsJsonAsync(url, away)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var committeeEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, above);
        (await committeeEditor.GetFromJsonAsync<JsonArray>($"{Base}/risks?unitId={library}&year=2026"))!.Select(r => (string)r!["title"]!).ShouldContain("Stöld av utlånade medier");
        await AssessedAsync(committeeEditor, risk, 2026, 3, 3);

        // A reader of the whole municipality sees every unit's risks and changes none.
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var seen = (await reader.GetFromJsonAsync<JsonArray>($"{Base}/risks?year=2026"))!.Select(r => (string)r!["title"]!).ToList();
        seen.ShouldContain("Stöld av utlånade medier");
        seen.ShouldContain("Halkolyckor i simhallen");
        var now = (await reader.GetFromJsonAsync<JsonObject>(url))!;
        (await reader.PutAsJsonAsync(url, now)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AssessAsync(reader, risk, 2026, new { likelihood = 1, consequence = 1, version = now["version"]!.GetValue<int>() })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PostAsJsonAsync($"{Base}/risks", new { title = "Läsarens", unitId = library, firstYear = 2026 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.DeleteAsync($"{Base}/risks/{own["id"]}?version={own["version"]}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var final = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        (final["title"]!.GetValue<string>(), final["unitId"]!.GetValue<Guid>()).ShouldBe(("Stöld av utlånade medier", library));
        final["assessments"]!.AsArray().Single()!["likelihood"]!.GetValue<int>().ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_municipalitys_risk_is_not_found_by_its_id(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", kommunkod = "1234", template = ModelTemplates.Heby });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var theirUnit = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/tenants/annan/units"))![0]!["id"]!.GetValue<Guid>();
        var theirs = await admin.PostAsJsonAsync("/api/v1/tenants/annan/risks", new { title = "Deras risk", unitId = theirUnit, firstYear = 2026 });
        theirs.StatusCode.ShouldBe(HttpStatusCode.Created, await theirs.Content.ReadAsStringAsync());
        var risk = (await theirs.Content.ReadFromJsonAsync<JsonObject>())!;

        (await admin.GetAsync($"{Base}/risks/{risk["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var changed = risk.DeepClone().AsObject();
        changed["title"] = "Kapad";
        (await admin.PutAsJsonAsync($"{Base}/risks/{risk["id"]}", changed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AssessAsync(admin, risk, 2026, new { likelihood = 1, consequence = 1, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Base}/risks/{risk["id"]}?version=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Base}/risks?unitId={theirUnit}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsJsonAsync($"{Base}/risks", new { title = "I deras enhet", unitId = theirUnit, firstYear = 2026 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // A member of this municipality does not reach the other at all.
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.GetAsync($"/api/v1/tenants/annan/risks/{risk["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/annan/risks/{risk["id"]}"))!["title"]!.GetValue<string>().ShouldBe("Deras risk");
    }
}
