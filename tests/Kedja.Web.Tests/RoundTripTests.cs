using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>
/// The API says one thing one way: what GET gives of an editable resource, PUT takes back unchanged and GET then gives
/// again, in the tenant document's shape; no write the API accepts leaves a tenant whose export will not import; and a
/// period key means the same everywhere. Indicators, activities, assessments and members: RoundTripTests.FollowUp.cs.
/// </summary>
public partial class RoundTripTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<JsonObject> GetAsync(HttpClient client, string url) => (await client.GetFromJsonAsync<JsonObject>(url))!;

    private static async Task<JsonObject> PutAsync(HttpClient client, string url, JsonNode body)
    {
        var response = await client.PutAsJsonAsync(url, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The resource without the fields the document does not have (its version, labels derived for reading).</summary>
    private static string Shape(JsonNode resource, params string[] derived)
    {
        var copy = resource.DeepClone().AsObject();
        foreach (var field in derived.Append("version"))
        {
            copy.Remove(field);
        }

        return copy.ToJsonString();
    }

    /// <summary>GET, PUT what it gave, GET again: the same, but for a version one higher (every accepted edit moves it).</summary>
    private static async Task<JsonObject> RoundTripAsync(HttpClient client, Func<Task<JsonObject>> get, string putUrl)
    {
        var before = await get();
        var answer = await PutAsync(client, putUrl, before);
        var after = await get();

        after.ToJsonString().ShouldBe(answer.ToJsonString());
        Shape(after).ShouldBe(Shape(before));
        after["version"]!.GetValue<int>().ShouldBe(before["version"]!.GetValue<int>() + 1);
        return after;
    }

    private static async Task<JsonObject> ExportAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonObject>($"{Base}/export"))!;

    private static JsonNode Single(JsonNode list, Func<JsonNode, bool> match) => list.AsArray().Single(x => match(x!))!;

    private static async Task ExportImportsAsync(HttpClient admin, string slug)
    {
        var export = await admin.GetStringAsync($"{Base}/export");
        var imported = await admin.PostAsync($"/api/v1/tenants/import?slug={slug}", new StringContent(export, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> GoalAsync(HttpClient client, string title) =>
        (await client.GetFromJsonAsync<JsonArray>($"{Base}/goals"))!.Single(g => (string)g!["title"]! == title)!.AsObject();

    private static async Task<JsonObject> UnitAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonArray>($"{Base}/units"))!.Single(u => (string)u!["name"]! == name)!.AsObject();

    private static async Task<JsonObject> ModelAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonArray>($"{Base}/model"))![0]!.AsObject();

    private static JsonObject Level(JsonObject model, int depth) => model["levels"]!.AsArray().Single(l => (int)l!["depth"]! == depth)!.AsObject();

    private static string[] Errors(JsonElement problem, string field) => ProblemDetailsTests.Errors(problem, field);

    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response)
    {
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(response);
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        return problem;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_model_put_back_as_get_gave_it_is_unchanged_and_is_the_document_s_model(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var model = await ModelAsync(admin);

        var after = await RoundTripAsync(admin, () => ModelAsync(admin), $"{Base}/model/{model["id"]}");

        Shape(after, "statusName").ShouldBe(Shape(Single((await ExportAsync(admin))["models"]!, m => (string)m["id"]! == (string)model["id"]!)));
        after["statusName"]!.GetValue<string>().ShouldBe("Gällande");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_goal_with_strategies_and_weighted_links_put_back_as_get_gave_it_is_unchanged(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var model = await ModelAsync(admin);
        Level(model, 1)["hasStrategies"] = true;
        await PutAsync(admin, $"{Base}/model/{model["id"]}", model);

        // A nämnd goal that contributes to two fullmäktigemål, weighted, with two new strategies (their ids are given on saving).
        var goal = await GoalAsync(admin, "Barn och familjer får tidigt stöd");
        var url = $"{Base}/goals/{goal["id"]}";
        var links = goal["contributes"]!.AsArray();
        links.Count.ShouldBe(2);
        (links[0]!["weight"], links[1]!["weight"]) = (2.5m, 0.75m);
        goal["strategies"] = new JsonArray(
            new JsonObject { ["title"] = "Samverkan med skolan", ["description"] = "Gemensamma elevhälsoteam.", ["sortOrder"] = 0 },
            new JsonObject { ["title"] = "Tidiga insatser", ["description"] = null, ["sortOrder"] = 1 });
        var saved = await PutAsync(admin, url, goal);
        saved["contributes"]!.AsArray().Select(l => (decimal)l!["weight"]!).ShouldBe([2.5m, 0.75m]);
        saved["strategies"]!.AsArray().Select(s => (string)s!["title"]!).ShouldBe(["Samverkan med skolan", "Tidiga insatser"]);
        saved["strategies"]!.AsArray().ShouldAllBe(s => (Guid)s!["id"]! != Guid.Empty);

        var after = await RoundTripAsync(admin, () => GetAsync(admin, url), url);

        after["contributes"]!.AsArray().Select(l => (decimal)l!["weight"]!).ShouldBe([2.5m, 0.75m]);
        Shape(after).ShouldBe(Shape(Single((await ExportAsync(admin))["goals"]!, g => (string)g["id"]! == (string)goal["id"]!)));
        Shape(Single((await admin.GetFromJsonAsync<JsonArray>($"{Base}/goals"))!, g => (string)g["id"]! == (string)goal["id"]!)).ShouldBe(Shape(after));
        await ExportImportsAsync(admin, "kopia");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_that_serves_nämnder_put_back_as_get_gave_it_is_unchanged(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var unit = await UnitAsync(admin, "Social- och omsorgsförvaltningen");
        unit["serves"]!.AsArray().Count.ShouldBe(2);
        var url = $"{Base}/units/{unit["id"]}";

        var after = await RoundTripAsync(admin, () => GetAsync(admin, url), url);

        Shape(after).ShouldBe(Shape(unit));
        Shape(await UnitAsync(admin, "Social- och omsorgsförvaltningen")).ShouldBe(Shape(after));
        Shape(after, "kindName").ShouldBe(Shape(Single((await ExportAsync(admin))["units"]!, u => (string)u["id"]! == (string)unit["id"]!)));
    }

    /// <summary>Before issue 7 the goal API checked goals its own way; a goal whose years ran backwards broke the export.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_goal_cannot_end_before_it_begins_and_the_export_still_imports(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var goal = await GoalAsync(admin, "Trygg vård och omsorg med hög kvalitet");
        (goal["validFromYear"], goal["validToYear"]) = (2026, 2024);

        var problem = await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/goals/{goal["id"]}", goal));

        Errors(problem, "validToYear").ShouldBe(["Slutåret kan inte vara före startåret."]);
        await ExportImportsAsync(admin, "kopia");
    }

    /// <summary>Each of these edits was accepted before issue 7 and left a tenant whose own export would not import.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Edits_that_would_break_other_goals_or_units_are_refused_and_the_accepted_ones_keep_the_export_importable(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var audit = await ProblemDetailsTests.AuditCountAsync(app);
        var model = await ModelAsync(admin);

        // A nämnd goal moved down among the förvaltningsmål that contribute to it.
        var bunGoal = await GoalAsync(admin, "Fler elever når kunskapskraven");
        var buf = await UnitAsync(admin, "Barn- och utbildningsförvaltningen");
        var moved = bunGoal.DeepClone().AsObject();
        (moved["levelId"], moved["ownerUnitId"], moved["validFromYear"], moved["validToYear"]) = (Level(model, 2)["id"]!.DeepClone(), buf["id"]!.DeepClone(), null, null);
        var problem = await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/goals/{bunGoal["id"]}", moved));
        Errors(problem, "levelId").ShouldContain(m => m.StartsWith("Ändringen skulle göra mål", StringComparison.Ordinal)
            && m.EndsWith("Ett mål kan bara bidra till mål på en högre nivå.", StringComparison.Ordinal));

        // A goal that a förvaltningsmål needs as its parent (the level requires one) cannot be removed from under it.
        var parent = await admin.PostAsJsonAsync($"{Base}/goals", new
        {
            levelId = (Guid)Level(model, 0)["id"]!, ownerUnitId = (Guid)(await UnitAsync(admin, "Kommunfullmäktige"))["id"]!, title = "Ett nytt fullmäktigemål",
            validFromYear = 2023, validToYear = 2026,
        });
        parent.StatusCode.ShouldBe(HttpStatusCode.Created, await parent.Content.ReadAsStringAsync());
        var parentGoal = (await parent.Content.ReadFromJsonAsync<JsonObject>())!;
        var child = await admin.PostAsJsonAsync($"{Base}/goals", new
        {
            levelId = (Guid)Level(model, 2)["id"]!, ownerUnitId = (Guid)buf["id"]!, title = "Ett förvaltningsmål under det nya",
            contributes = new[] { new { goalId = (Guid)parentGoal["id"]!, weight = 1m } },
        });
        child.StatusCode.ShouldBe(HttpStatusCode.Created, await child.Content.ReadAsStringAsync());
        var removal = await RefusedAsync(await admin.DeleteAsync($"{Base}/goals/{parentGoal["id"]}?version={parentGoal["version"]}"));
        Errors(removal, "id").ShouldBe(["Andra mål bidrar till målet. Koppla dem till ett annat mål först."]);

        // A nämnd turned into an enhet: its goals' level and the förvaltning serving it allow no such thing.
        var bun = await UnitAsync(admin, "Barn- och utbildningsnämnden");
        bun["kind"] = "unit";
        var kind = Errors(await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/units/{bun["id"]}", bun)), "kind");
        kind.ShouldContain(m => m.Contains("'Fler elever når kunskapskraven'", StringComparison.Ordinal) && m.Contains("får inte ha mål som ägs av enheten", StringComparison.Ordinal));
        kind.ShouldContain("Ändringen skulle göra enheten 'Barn- och utbildningsförvaltningen' ogiltig: En förvaltning kan bara betjäna nämnder och kommunstyrelsen.");

        // Strategies on a level, then the level without them: the goal with strategies would break.
        Level(model, 1)["hasStrategies"] = true;
        model = await PutAsync(admin, $"{Base}/model/{model["id"]}", model);
        var withStrategy = await GoalAsync(admin, "Eleverna känner sig trygga i skolan");
        withStrategy["strategies"] = new JsonArray(new JsonObject { ["title"] = "Trygghetsvandringar", ["sortOrder"] = 0 });
        await PutAsync(admin, $"{Base}/goals/{withStrategy["id"]}", withStrategy);
        Level(model, 1)["hasStrategies"] = false;
        Errors(await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/model/{model["id"]}", model)), "levels")
            .ShouldBe(["Ändringen skulle göra målet 'Eleverna känner sig trygga i skolan' ogiltigt: Nivån 'Nämnd- och bolagsmål' har inga strategier."]);

        // What was refused wrote nothing; what was accepted, with a few ordinary edits, still makes an importable export.
        (await GoalAsync(admin, "Fler elever når kunskapskraven"))["levelId"]!.ToJsonString().ShouldBe(bunGoal["levelId"]!.ToJsonString());
        (await UnitAsync(admin, "Barn- och utbildningsnämnden"))["kind"]!.GetValue<string>().ShouldBe("committee");
        bunGoal["title"] = "Fler elever når målen i alla ämnen";
        bunGoal["contributes"]![0]!["weight"] = 3m;
        await PutAsync(admin, $"{Base}/goals/{bunGoal["id"]}", bunGoal);
        buf["name"] = "Utbildningsförvaltningen";
        await PutAsync(admin, $"{Base}/units/{buf["id"]}", buf);
        model = await ModelAsync(admin);
        model["vision"] = "Kommunen där alla växer";
        await PutAsync(admin, $"{Base}/model/{model["id"]}", model);
        (await ProblemDetailsTests.AuditCountAsync(app)).ShouldBeGreaterThan(audit);
        await ExportImportsAsync(admin, "kopia");
    }

    public static TheoryData<string, string> PeriodRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in TestDatabase.Providers)
        {
            foreach (var route in new[] { "scorecard", "workflow", "transition", "publication", "lock" })
            {
                data.Add(provider, route);
            }
        }

        return data;
    }

    /// <summary>One name for a period key, one answer for a malformed key (400) and one for a period not in the calendar (404).</summary>
    [Theory]
    [MemberData(nameof(PeriodRoutes))]
    public async Task A_malformed_period_key_answers_400_and_a_period_missing_from_the_calendar_404(string provider, string route)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var unit = (await UnitAsync(admin, "Barn- och utbildningsnämnden"))["id"];
        var audit = await ProblemDetailsTests.AuditCountAsync(app);
        Task<HttpResponseMessage> Send(string key) => route switch
        {
            "scorecard" => admin.GetAsync($"{Base}/units/{unit}/scorecard?periodKey={key}"),
            "workflow" => admin.GetAsync($"{Base}/periods/{key}/workflow"),
            "transition" => admin.PostAsJsonAsync($"{Base}/units/{unit}/periods/{key}/workflow", new { action = "submit", version = 0 }),
            "publication" => admin.PutAsJsonAsync($"{Base}/periods/{key}/publication", new { isPublished = true, version = 0 }),
            _ => admin.PostAsync($"{Base}/periods/{key}/lock", null),
        };

        foreach (var malformed in new[] { "2026-T9", "nonsense" })
        {
            var (status, problem) = await ProblemDetailsTests.ProblemAsync(await Send(malformed));
            status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
            Errors(problem, "periodKey").ShouldBe([$"Ogiltig period '{malformed}'. Ange t.ex. 2025-T2 eller 2025."]);
        }

        var (missing, unknown) = await ProblemDetailsTests.ProblemAsync(await Send("2035-T1"));
        missing.ShouldBe(HttpStatusCode.NotFound, unknown.ToString());
        ProblemDetailsTests.Title(unknown).ShouldBe("Perioden finns inte i uppföljningskalendern.");
        (await ProblemDetailsTests.AuditCountAsync(app)).ShouldBe(audit);
    }

    /// <summary>Kinds and states are the document's camelCase keys everywhere, with the Swedish name beside them where people read them.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kinds_and_states_are_keys_with_their_swedish_names_beside_them(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();

        var unit = await UnitAsync(admin, "Barn- och utbildningsnämnden");
        (unit["kind"]!.GetValue<string>(), unit["kindName"]!.GetValue<string>()).ShouldBe(("committee", "Nämnd"));

        var card = await GetAsync(admin, $"{Base}/units/{unit["id"]}/scorecard?periodKey=2026-T2");
        (card["unitKind"]!.GetValue<string>(), card["unitKindName"]!.GetValue<string>()).ShouldBe(("committee", "Nämnd"));

        var row = Single((await admin.GetFromJsonAsync<JsonArray>($"{Base}/periods/2026-T2/workflow"))!, w => (string)w["unitId"]! == (string)unit["id"]!);
        (row["unitKind"]!.GetValue<string>(), row["unitKindName"]!.GetValue<string>()).ShouldBe(("committee", "Nämnd"));
        var states = new Dictionary<string, string> { ["open"] = "Öppen", ["submitted"] = "Inskickad", ["approved"] = "Godkänd", ["locked"] = "Låst" };
        row["stateName"]!.GetValue<string>().ShouldBe(states[row["state"]!.GetValue<string>()]);

        var model = await ModelAsync(admin);
        (model["status"]!.GetValue<string>(), model["statusName"]!.GetValue<string>()).ShouldBe(("active", "Gällande"));
    }

    /// <summary>The validator finds a loop in a document with the check the unit API makes of one unit.</summary>
    [Fact]
    public void A_loop_in_a_document_s_organisation_is_refused_with_the_message_the_unit_api_gives()
    {
        var template = Templates.ModelTemplates.Build(Templates.ModelTemplates.Kil, "slinga", "Slinga", null, 2024);
        var (council, board) = (template.Units[0].Id, template.Units[1].Id);
        var doc = template with { Units = [template.Units[0] with { ParentId = board }, template.Units[1]] };

        var errors = Exchange.TenantDocumentValidator.Validate(doc);

        errors["$.units[0].parentId"].ShouldBe(["En enhet kan inte placeras under sig själv eller sina underenheter."]);
        errors["$.units[1].parentId"].ShouldBe(["En enhet kan inte placeras under sig själv eller sina underenheter."]);
        template.Units[1].ParentId.ShouldBe(council);
    }
}
