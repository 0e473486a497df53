using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>What a unit's scorecard says, and how the actions decided on deviations are followed until closed.</summary>
public class ScorecardTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Guid> UnitAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<JsonElement> GoalAsync(HttpClient client, string title) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Base}/goals")).EnumerateArray().Single(g => g.GetProperty("title").GetString() == title);

    private static Task<JsonElement> CardAsync(HttpClient client, Guid unit, string period) =>
        client.GetFromJsonAsync<JsonElement>($"{Base}/units/{unit}/scorecard?periodKey={period}");

    private static JsonElement GoalOn(JsonElement card, string title) =>
        ScorecardJson.Goals(card).Single(g => g.GetProperty("title").GetString() == title);

    private static List<string> Names(JsonElement array, string property = "name") =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_indicator_shows_the_same_period_last_year_and_its_last_six_periods_as_recorded(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var library = await UnitAsync(admin, "Biblioteket");
        var indicator = GoalOn(await CardAsync(admin, library, "2026-T2"), "Biblioteket når fler barn och unga").GetProperty("indicators")[0];
        var id = indicator.GetProperty("id").GetGuid();
        var recorded = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{id}/outcomes")).EnumerateArray()
            .ToDictionary(o => o.GetProperty("periodKey").GetString()!, o => o.GetProperty("value").GetDecimal());

        indicator.GetProperty("outcomePeriod").GetString().ShouldBe("2026-T2");
        indicator.GetProperty("lastYear").GetDecimal().ShouldBe(recorded["2025-T2"]);
        var trend = indicator.GetProperty("trend").EnumerateArray().ToList();
        trend.Select(t => t.GetProperty("periodKey").GetString()).ShouldBe(["2024-T3", "2025-T1", "2025-T2", "2025-T3", "2026-T1", "2026-T2"]);
        trend.ShouldAllBe(t => t.GetProperty("value").GetDecimal() == recorded[t.GetProperty("periodKey").GetString()!]);

        // A new outcome shows in the next read's trend (the library's published T1 reopened for it: the demo locks it).
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.UnitPeriodStatuses.Where(s => s.UnitId == library && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == "2026-T1")).ExecuteDeleteAsync();
        }

        var version = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{id}/outcomes/2026-T1")).GetProperty("version").GetInt32();
        (await admin.PutAsJsonAsync($"{Base}/indicators/{id}/outcomes/2026-T1", new { value = 4711, version })).EnsureSuccessStatusCode();
        var again = GoalOn(await CardAsync(admin, library, "2026-T2"), "Biblioteket når fler barn och unga").GetProperty("indicators")[0];
        again.GetProperty("trend")[4].GetProperty("value").GetDecimal().ShouldBe(4711m);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_indicator_without_outcome_shows_its_target_and_the_explanation_names_both(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();

        // The demo has outcomes up to T2 2026 and targets for the whole of 2026.
        var card = await CardAsync(client, await UnitAsync(client, "Biblioteket"), "2026-T3");

        var indicator = GoalOn(card, "Biblioteket når fler barn och unga").GetProperty("indicators").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == "Deltagare i lovaktiviteter");
        indicator.GetProperty("outcome").ValueKind.ShouldBe(JsonValueKind.Null);
        indicator.GetProperty("target").GetDecimal().ShouldBe(600m);
        indicator.GetProperty("explanation").GetString().ShouldBe("Utfall saknas för T3 2026; målvärde 600 antal (högre är bättre).");
        GoalOn(card, "Biblioteket når fler barn och unga").GetProperty("explanation").GetString()!.ShouldStartWith("Ingen av 3 indikatorer har utfall.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Goals_are_grouped_by_their_dimension_in_its_order_with_goals_without_one_last(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var council = await UnitAsync(admin, "Kommunfullmäktige");

        var card = await CardAsync(admin, council, "2026-T2");
        Names(card.GetProperty("groups")).ShouldBe(["Invånare", "Verksamhet", "Medarbetare", "Ekonomi"]);
        card.GetProperty("groups").EnumerateArray().ShouldAllBe(g => g.GetProperty("dimensionLabel").GetString() == "Perspektiv");
        Names(card.GetProperty("groups")[0].GetProperty("goals"), "title").ShouldBe(
            ["Barn och unga når sin fulla potential", "Trygg vård och omsorg med hög kvalitet", "En attraktiv kommun att bo och verka i"]);
        var councilGoals = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals")).EnumerateArray().Count(g => g.GetProperty("ownerUnitId").GetGuid() == council);
        ScorecardJson.Goals(card).Select(g => g.GetProperty("id").GetGuid()).Distinct().Count().ShouldBe(councilGoals);

        // The model orders its perspectives the other way round, and the council gets a goal outside them.
        var model = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/model"))![0]!.AsObject();
        foreach (var dimension in model["dimensions"]!.AsArray())
        {
            dimension!["sortOrder"] = 10 - dimension["sortOrder"]!.GetValue<int>();
        }

        (await admin.PutAsJsonAsync($"{Base}/model/{model["id"]}", model)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var level = model["levels"]!.AsArray().Single(l => l!["depth"]!.GetValue<int>() == 0)!["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"{Base}/goals", new { levelId = level, ownerUnitId = council, title = "Ett mål utan perspektiv", validFromYear = 2023, validToYear = 2026, sortOrder = 0 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        card = await CardAsync(admin, council, "2026-T2");
        Names(card.GetProperty("groups")).ShouldBe(["Ekonomi", "Medarbetare", "Verksamhet", "Invånare", "Mål utan perspektiv"]);
        var last = card.GetProperty("groups")[4];
        last.GetProperty("dimensionId").ValueKind.ShouldBe(JsonValueKind.Null);
        Names(last.GetProperty("goals"), "title").ShouldBe(["Ett mål utan perspektiv"]);
        ScorecardJson.Goals(card).Count().ShouldBe(councilGoals + 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Programs_have_a_section_of_their_own_apart_from_the_basic_mission_and_never_count(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var klf = await UnitAsync(admin, "Kommunledningsförvaltningen");
        var goal = await GoalAsync(admin, "Digitala tjänster som invånarna använder");
        var goalId = goal.GetProperty("id").GetGuid();
        var program = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!["programs"]![0]!["id"]!.GetValue<Guid>();

        var card = await CardAsync(admin, klf, "2026-T2");
        Names(card.GetProperty("basicMission")).ShouldBe(["Tillgänglighet per telefon, svar inom 2 minuter"]);
        var section = card.GetProperty("programs").EnumerateArray().Single();
        section.GetProperty("name").GetString().ShouldBe("Miljöprogram 2023-2026");
        Names(section.GetProperty("indicators")).ShouldBe(["Andel tjänsteresor med tåg"]);

        // A program indicator that also names the unit's goal, far from its target, and a program activity.
        var before = GoalOn(await CardAsync(admin, klf, "2026-T3"), goal.GetProperty("title").GetString()!);
        var created = await admin.PostAsJsonAsync($"{Base}/indicators", new
        {
            name = "Digitala möten i stället för resor", unitOfMeasure = "%", direction = "higherIsBetter", periodicity = "tertial", ownerUnitId = klf, goalId,
            programId = program, weight = 1, targets = new[] { new { periodKey = "2026", value = 80m } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var indicator = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"{Base}/indicators/{indicator}/outcomes/2026-T3", new { value = 0m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsJsonAsync($"{Base}/activities", new
        {
            title = "Resfri vecka", programId = program, responsibleUnitId = klf, startDate = "2026-09-01", endDate = "2026-12-31", status = "inProgress", progress = 40,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);

        card = await CardAsync(admin, klf, "2026-T3");
        var after = GoalOn(card, goal.GetProperty("title").GetString()!);
        after.GetProperty("status").GetRawText().ShouldBe(before.GetProperty("status").GetRawText());
        after.GetProperty("explanation").GetString().ShouldBe(before.GetProperty("explanation").GetString());
        after.GetProperty("indicators").EnumerateArray().ShouldNotContain(i => i.GetProperty("id").GetGuid() == indicator);
        after.GetProperty("trace").EnumerateArray().ShouldNotContain(t => t.GetProperty("id").GetGuid() == indicator);
        Names(card.GetProperty("basicMission")).ShouldBe(["Tillgänglighet per telefon, svar inom 2 minuter"]);
        section = card.GetProperty("programs").EnumerateArray().Single();
        var shown = section.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == indicator);
        shown.GetProperty("status").GetProperty("key").GetString().ShouldBe("ej-uppfyllt");
        var activity = section.GetProperty("activities").EnumerateArray().Single();
        activity.GetProperty("title").GetString().ShouldBe("Resfri vecka");
        activity.GetProperty("statusName").GetString().ShouldBe("Pågår");
        activity.GetProperty("progress").GetInt32().ShouldBe(40);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_goal_shows_its_activities_with_what_was_reported_for_the_period(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();

        var card = await CardAsync(client, await UnitAsync(client, "Vård- och omsorgsnämnden"), "2026-T2");

        var activity = GoalOn(card, "Stabil bemanning i omsorgen").GetProperty("activities").EnumerateArray().Single();
        activity.GetProperty("title").GetString().ShouldBe("Heltider som norm i omsorgen");
        activity.GetProperty("responsibleUnit").GetString().ShouldBe("Social- och omsorgsförvaltningen");
        activity.GetProperty("status").GetString().ShouldBe("delayed");
        activity.GetProperty("statusName").GetString().ShouldBe("Försenad");
        activity.GetProperty("progress").GetInt32().ShouldBe(35);
        activity.GetProperty("comment").GetString()!.ShouldContain("långsammare än planerat");
        GoalOn(card, "Äldre har inflytande över sin vardag").GetProperty("activities").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_unit_above_sees_the_analysis_and_actions_of_contributing_goals_that_are_not_met(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var bufGoal = (await GoalAsync(admin, "Tidiga insatser i läs- och skrivutveckling")).GetProperty("id").GetGuid();
        var schoolGoal = (await GoalAsync(admin, "Ökad måluppfyllelse på Björkskolan")).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"{Base}/goals/{bufGoal}/assessments/2026-T3", new
        {
            status = "ej-uppfyllt", motivation = "Läsningen i åk 2 har gått bakåt sedan förra året.", analysis = "Kartläggningen visar att läsningen halkat efter i åk 2.", actions = "Läsombud på varje skola och extra lästid i åk 2.",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"{Base}/goals/{schoolGoal}/assessments/2026-T3", new { status = "uppfyllt", analysis = "Målet är nått." }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var card = await CardAsync(admin, await UnitAsync(admin, "Barn- och utbildningsnämnden"), "2026-T3");

        var deviation = GoalOn(card, "Fler elever når kunskapskraven").GetProperty("deviations").EnumerateArray().Single();
        deviation.GetProperty("goalId").GetGuid().ShouldBe(bufGoal);
        deviation.GetProperty("unit").GetString().ShouldBe("Barn- och utbildningsförvaltningen");
        deviation.GetProperty("status").GetProperty("key").GetString().ShouldBe("ej-uppfyllt");
        deviation.GetProperty("status").GetProperty("label").GetString().ShouldBe("Ej uppfyllt");
        deviation.GetProperty("analysis").GetString().ShouldBe("Kartläggningen visar att läsningen halkat efter i åk 2.");
        deviation.GetProperty("actions").GetString().ShouldBe("Läsombud på varje skola och extra lästid i åk 2.");
        deviation.GetProperty("actionsClosedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        GoalOn(card, "Eleverna känner sig trygga i skolan").GetProperty("deviations").GetArrayLength().ShouldBe(0);

        // The goals below are described from what is held with the computed statuses (ADR 19): a new title shows at once.
        var url = $"{Base}/goals/{bufGoal}";
        var doc = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(url))!;
        doc["title"] = "Tidiga insatser i läsning och skrivning";
        (await admin.PutAsJsonAsync(url, doc)).StatusCode.ShouldBe(HttpStatusCode.OK);
        card = await CardAsync(admin, await UnitAsync(admin, "Barn- och utbildningsnämnden"), "2026-T3");
        GoalOn(card, "Fler elever når kunskapskraven").GetProperty("deviations").EnumerateArray().Single().GetProperty("title").GetString()
            .ShouldBe("Tidiga insatser i läsning och skrivning");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_open_action_is_carried_into_next_years_planning_until_it_is_closed_also_after_the_period_is_locked(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var goal = (await GoalAsync(admin, "Tidiga insatser i läs- och skrivutveckling")).GetProperty("id").GetGuid();
        var assessment = $"{Base}/goals/{goal}/assessments/2026-T3";
        (await admin.PutAsJsonAsync(assessment, new { status = "delvis-uppfyllt", actions = "Extra lästid i åk 2." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"{Base}/periods/2026-T3/lock", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var planning = await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2027");
        planning.GetProperty("year").GetInt32().ShouldBe(2027);
        // The demo's förvaltningsmål run until further notice; the nämnd's goal ends with the mandate.
        planning.GetProperty("continues").GetBoolean().ShouldBeTrue();
        planning.GetProperty("validToYear").ValueKind.ShouldBe(JsonValueKind.Null);
        var ending = (await GoalAsync(admin, "Fler elever når kunskapskraven")).GetProperty("id").GetGuid();
        var endingPlan = await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{ending}/planning?year=2027");
        endingPlan.GetProperty("continues").GetBoolean().ShouldBeFalse();
        endingPlan.GetProperty("validToYear").GetInt32().ShouldBe(2026);
        var open = planning.GetProperty("openActions").EnumerateArray().Single();
        open.GetProperty("periodKey").GetString().ShouldBe("2026-T3");
        open.GetProperty("actions").GetString().ShouldBe("Extra lästid i åk 2.");
        open.GetProperty("status").GetProperty("label").GetString().ShouldBe("Delvis uppfyllt");
        var version = open.GetProperty("version").GetInt32();

        // The year's own actions are not carried into its own planning; the goal continues that year.
        var same = await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2026");
        same.GetProperty("continues").GetBoolean().ShouldBeTrue();
        same.GetProperty("openActions").GetArrayLength().ShouldBe(0);

        // The locked period keeps its assessment, but its actions are closed the year after.
        (await admin.PutAsJsonAsync(assessment, new { status = "ej-uppfyllt", motivation = "Läsningen har gått bakåt.", version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var closed = await admin.PutAsJsonAsync($"{assessment}/actions", new { closed = true, version });
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        var body = await closed.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("actionsClosedBy").GetString().ShouldBe(KedjaApp.AdminEmail);
        body.GetProperty("actionsClosedAt").ValueKind.ShouldBe(JsonValueKind.String);
        body.GetProperty("version").GetInt32().ShouldBe(version + 1);
        body.GetProperty("status").GetString().ShouldBe("delvis-uppfyllt");

        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2027")).GetProperty("openActions").GetArrayLength().ShouldBe(0);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"{Base}/audit?entity=Assessment");
        audit.EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "Modified" && e.GetProperty("after").GetString()!.Contains("ActionsClosedAt"));

        // In the demo, the actions of a follow-up are closed at the next one: only the latest are carried into 2027.
        var staffing = (await GoalAsync(admin, "Stabil bemanning i omsorgen")).GetProperty("id").GetGuid();
        Names((await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{staffing}/planning?year=2027")).GetProperty("openActions"), "periodKey").ShouldBe(["2026-T2"]);

        // Opened again, it is carried forward again.
        (await admin.PutAsJsonAsync($"{assessment}/actions", new { closed = false, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2027")).GetProperty("openActions").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Closing_actions_needs_the_version_read_a_unit_of_ones_own_and_actions_to_close(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var goal = (await GoalAsync(admin, "Tidiga insatser i läs- och skrivutveckling")).GetProperty("id").GetGuid();
        var actions = $"{Base}/goals/{goal}/assessments/2026-T3/actions";
        var missing = await admin.PutAsJsonAsync(actions, new { closed = true, version = 0 });
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Målet har ingen bedömning för T3 2026.");

        (await admin.PutAsJsonAsync($"{Base}/goals/{goal}/assessments/2026-T3", new { status = "uppfyllt", motivation = "Insatserna har gett effekt." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var nothing = await admin.PutAsJsonAsync(actions, new { closed = true, version = 0 });
        nothing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await nothing.Content.ReadAsStringAsync()).ShouldContain("Bedömningen har inga åtgärder att stänga eller öppna.");

        (await admin.PutAsJsonAsync($"{Base}/goals/{goal}/assessments/2026-T3", new { status = "ej-uppfyllt", motivation = "Läsningen har gått bakåt.", actions = "Läsombud.", version = 0 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        (await reader.PutAsJsonAsync(actions, new { closed = true, version = 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var elsewhere = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, await UnitAsync(admin, "Kultur- och fritidsförvaltningen"));
        (await elsewhere.PutAsJsonAsync(actions, new { closed = true, version = 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var noVersion = await admin.PutAsJsonAsync(actions, new { closed = true });
        noVersion.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noVersion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["version"]);
        (await admin.PutAsJsonAsync(actions, new { closed = true, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var own = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, await UnitAsync(admin, "Barn- och utbildningsförvaltningen"));
        (await own.PutAsJsonAsync(actions, new { closed = true, version = 1 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2027")).GetProperty("openActions").GetArrayLength().ShouldBe(0);

        // Actions written anew are open again.
        (await own.PutAsJsonAsync($"{Base}/goals/{goal}/assessments/2026-T3", new { status = "ej-uppfyllt", motivation = "Läsningen har gått bakåt.", actions = "Läsombud och läxhjälp.", version = 2 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.GetFromJsonAsync<JsonElement>($"{Base}/goals/{goal}/planning?year=2027")).GetProperty("openActions").EnumerateArray()
            .Single().GetProperty("actions").GetString().ShouldBe("Läsombud och läxhjälp.");
        var badYear = await own.GetAsync($"{Base}/goals/{goal}/planning?year=20270");
        badYear.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_and_import_keep_whether_actions_are_closed(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var goal = (await GoalAsync(admin, "Tidiga insatser i läs- och skrivutveckling")).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"{Base}/goals/{goal}/assessments/2026-T3", new { status = "ej-uppfyllt", motivation = "Läsningen har gått bakåt.", actions = "Läsombud." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"{Base}/goals/{goal}/assessments/2026-T3/actions", new { closed = true, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var exported = await admin.GetStringAsync($"{Base}/export");
        var closed = JsonNode.Parse(exported)!["assessments"]!.AsArray()
            .Single(a => a!["goalId"]!.GetValue<Guid>() == goal && a["periodKey"]!.GetValue<string>() == "2026-T3")!;
        closed["actionsClosedBy"]!.GetValue<string>().ShouldBe(KedjaApp.AdminEmail);
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(exported, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());

        var again = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/kopia/export"))!["assessments"]!.AsArray()
            .Single(a => a!["goalId"]!.GetValue<Guid>() == goal && a["periodKey"]!.GetValue<string>() == "2026-T3")!;
        again.ToJsonString().ShouldBe(closed.ToJsonString());
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/kopia/goals/{goal}/planning?year=2027")).GetProperty("openActions").GetArrayLength().ShouldBe(0);

        // A document that says when but not who is refused.
        var broken = JsonNode.Parse(exported)!;
        broken["assessments"]!.AsArray().First(a => a!["actionsClosedAt"] is not null)!["actionsClosedBy"] = null;
        var refused = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(broken.ToJsonString(), Encoding.UTF8, "application/json"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("actionsClosedBy");
    }
}
