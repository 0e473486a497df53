using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

public class ModelEditingTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<JsonObject> Model(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonArray>($"{Base}/model"))![0]!.AsObject();

    private static Task<HttpResponseMessage> Put(HttpClient client, JsonObject model) =>
        client.PutAsJsonAsync($"{Base}/model/{model["id"]}", model);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_controller_reshapes_the_model_and_the_scorecard_speaks_its_new_words(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var model = await Model(admin);
        var version = (int)model["version"]!;

        model["vision"] = "Kommunen där alla växer";
        var met = model["scale"]!.AsArray().Single(s => (bool)s!["isNotAssessed"]! == false && (decimal)s["score"]! == 1m)!;
        met["label"] = "Nått";
        var dimensions = model["dimensions"]!.AsArray();
        dimensions[0]!["name"] = "Medborgare och brukare";
        dimensions.Add(new JsonObject { ["name"] = "Klimat", ["sortOrder"] = 99, ["allowedUnitKinds"] = new JsonArray() });

        var saved = await Put(admin, model);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var after = await Model(admin);
        after["vision"]!.GetValue<string>().ShouldBe("Kommunen där alla växer");
        after["version"]!.GetValue<int>().ShouldBe(version + 1);
        after["dimensions"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ShouldContain("Medborgare och brukare");
        after["dimensions"]!.AsArray().Single(d => d!["name"]!.GetValue<string>() == "Klimat")!["id"]!.GetValue<Guid>().ShouldNotBe(Guid.Empty);

        var units = await admin.GetFromJsonAsync<JsonArray>($"{Base}/units");
        var council = units!.Single(u => u!["kind"]!.GetValue<string>() == "council")!["id"]!.GetValue<Guid>();
        var card = await admin.GetFromJsonAsync<JsonObject>($"{Base}/units/{council}/scorecard?periodKey=2026-T2");
        var metKey = met["key"]!.GetValue<string>();
        var shown = card!["groups"]!.AsArray().SelectMany(x => x!["goals"]!.AsArray()).SelectMany(g => new[] { g!["status"]!, g["suggested"]! }).Where(s => s["key"]!.GetValue<string>() == metKey).ToList();
        shown.ShouldNotBeEmpty();
        shown.ShouldAllBe(s => s["label"]!.GetValue<string>() == "Nått");

        (await Put(admin, model)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        after["vision"] = "Obehörig";
        (await Put(editor, after)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task What_goals_and_assessments_use_cannot_be_removed_and_a_refused_change_writes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var before = (await Model(admin)).ToJsonString();

        var model = await Model(admin);
        var levels = model["levels"]!.AsArray();
        var removed = levels[levels.Count - 1]!["name"]!.GetValue<string>();
        levels.RemoveAt(levels.Count - 1);
        (levels[0]!["depth"], levels[1]!["depth"]) = (levels[1]!["depth"]!.GetValue<int>(), levels[0]!["depth"]!.GetValue<int>());
        var scale = model["scale"]!.AsArray();
        var used = scale.First(s => (bool)s!["isNotAssessed"]! == false)!["key"]!.GetValue<string>();
        scale.Remove(scale.First(s => s!["key"]!.GetValue<string>() == used));
        model["vision"] = "Ska inte sparas";

        var refused = await Put(admin, model);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await refused.Content.ReadAsStringAsync();
        text.ShouldContain($"Nivån '{removed}' har mål och kan inte tas bort.");
        text.ShouldContain("Ett mål kan bara bidra till mål på en högre nivå.");
        text.ShouldContain($"Statusen '{used}' används i bedömningar");
        (await Model(admin)).ToJsonString().ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scale_step_that_an_indicator_s_thresholds_use_cannot_be_removed(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var model = await Model(admin);
        model["scale"]!.AsArray().Add(new JsonObject
        {
            ["key"] = "nastan", ["label"] = "Nästan uppfyllt", ["colour"] = "#8bc34a", ["symbol"] = "◕", ["score"] = 0.9m, ["sortOrder"] = 5, ["isNotAssessed"] = false,
        });
        var saved = await Put(admin, model);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());

        string name;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var indicator = db.Indicators.First(i => i.GoalId != null);
            indicator.Thresholds = new Domain.FollowUp.ThresholdRule([new("uppfyllt", 1m), new("nastan", 0.9m)], "ej-uppfyllt");
            await db.SaveChangesAsync();
            name = indicator.Name;
        }

        model = await Model(admin);
        var scale = model["scale"]!.AsArray();
        scale.Remove(scale.Single(s => (string)s!["key"]! == "nastan"));
        var refused = await Put(admin, model);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors((await ProblemDetailsTests.ProblemAsync(refused)).Problem, "scale")
            .ShouldBe([$"Statusen 'nastan' används i tröskelvärdena för indikatorn '{name}' och kan inte tas bort."]);
        (await Model(admin))["scale"]!.AsArray().ShouldContain(s => (string)s!["key"]! == "nastan");
    }
}
