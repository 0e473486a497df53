using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>Controllers edit the organisation and the indicators through the API, with the same rules as the tenant document.</summary>
public class EditingTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<JsonElement[]> Units(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray()];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_organisation_is_edited_as_a_tree_that_never_loops(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = await Units(admin);
        var administration = units.First(u => u.GetProperty("kind").GetString() == "administration" && u.GetProperty("serves").GetArrayLength() > 0);
        var committee = administration.GetProperty("serves")[0].GetGuid();

        var created = await admin.PostAsJsonAsync($"{Base}/units",
            new { parentId = administration.GetProperty("id").GetGuid(), name = " Fritidsgården Ungdomens hus ", kind = "unit", sortOrder = 9, isActive = true });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var unit = await created.Content.ReadFromJsonAsync<JsonElement>();
        unit.GetProperty("name").GetString().ShouldBe("Fritidsgården Ungdomens hus");
        var unitId = unit.GetProperty("id").GetGuid();
        (await Units(admin)).ShouldContain(u => u.GetProperty("id").GetGuid() == unitId);

        // Moving the förvaltning under its own new enhet would make a loop.
        var loop = await admin.PutAsJsonAsync($"{Base}/units/{administration.GetProperty("id").GetGuid()}", new
        {
            parentId = unitId, name = administration.GetProperty("name").GetString(), kind = "administration", sortOrder = 0, isActive = true,
            serves = new[] { committee }, version = administration.GetProperty("version").GetInt32(),
        });
        loop.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await loop.Content.ReadAsStringAsync()).ShouldContain("under sig själv");

        var serving = await admin.PutAsJsonAsync($"{Base}/units/{unitId}", new
        {
            parentId = administration.GetProperty("id").GetGuid(), name = "Ungdomens hus", kind = "unit", sortOrder = 9, isActive = true, serves = new[] { committee }, version = 0,
        });
        serving.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await serving.Content.ReadAsStringAsync()).ShouldContain("Bara en förvaltning betjänar nämnder.");

        var renamed = await admin.PutAsJsonAsync($"{Base}/units/{unitId}", new
        {
            parentId = administration.GetProperty("id").GetGuid(), name = "Ungdomens hus", kind = "unit", sortOrder = 9, isActive = true, version = 0,
        });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        (await admin.PutAsJsonAsync($"{Base}/units/{unitId}", new
        {
            parentId = administration.GetProperty("id").GetGuid(), name = "Ungdomshuset", kind = "unit", sortOrder = 9, isActive = true, version = 0,
        })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.PostAsJsonAsync($"{Base}/units", new { name = "Obehörig", kind = "unit", isActive = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var inUse = await admin.DeleteAsync($"{Base}/units/{administration.GetProperty("id").GetGuid()}?version={administration.GetProperty("version").GetInt32()}");
        inUse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await inUse.Content.ReadAsStringAsync()).ShouldContain("Inaktivera den i stället");
        (await admin.DeleteAsync($"{Base}/units/{unitId}?version=1")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Units(admin)).ShouldNotContain(u => u.GetProperty("id").GetGuid() == unitId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Indicators_are_created_and_changed_with_their_targets_and_the_scorecard_follows(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var indicators = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray().ToList();
        var measured = indicators.First(i => i.GetProperty("goalId").ValueKind == JsonValueKind.String && i.GetProperty("periodicity").GetString() == "tertial");
        var goalId = measured.GetProperty("goalId").GetGuid();
        var ownerId = measured.GetProperty("ownerUnitId").GetGuid();

        var bad = await admin.PostAsJsonAsync($"{Base}/indicators", new
        {
            name = "", decimals = 9, direction = "higherIsBetter", periodicity = "tertial", ownerUnitId = Guid.NewGuid(), goalId, weight = 1,
            targets = new[] { new { periodKey = "2026-T3", min = 5m, max = 2m } },
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["name", "decimals", "targets[0].max", "targets[0].value", "ownerUnitId"], ignoreOrder: true);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).GetArrayLength().ShouldBe(indicators.Count);

        var created = await admin.PostAsJsonAsync($"{Base}/indicators", new
        {
            name = "Andel elever med läxhjälp", unitOfMeasure = "%", decimals = 1, direction = "higherIsBetter", periodicity = "tertial", ownerUnitId = ownerId, goalId,
            weight = 1, targets = new[] { new { periodKey = "2026-T2", value = 40m }, new { periodKey = "2026-T3", value = 45m } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var indicator = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = indicator.GetProperty("id").GetGuid();
        indicator.GetProperty("targets").GetArrayLength().ShouldBe(2);

        (await admin.PutAsJsonAsync($"{Base}/indicators/{id}/outcomes/2026-T3", new { value = 46.5m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var card = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{ownerId}/scorecard?periodKey=2026-T3");
        var shown = ScorecardJson.Goals(card).Single(g => g.GetProperty("id").GetGuid() == goalId)
            .GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        shown.GetProperty("target").GetDecimal().ShouldBe(45m);
        shown.GetProperty("status").GetProperty("key").GetString().ShouldBe("uppfyllt");

        // Raising the target above the outcome turns the indicator; the target dropped from the list is gone.
        var update = new
        {
            name = "Andel elever med läxhjälp", unitOfMeasure = "%", decimals = 1, direction = "higherIsBetter", periodicity = "tertial", ownerUnitId = ownerId, goalId,
            weight = 1, targets = new[] { new { periodKey = "2026-T3", value = 60m } }, version = indicator.GetProperty("version").GetInt32(),
        };
        var changed = await admin.PutAsJsonAsync($"{Base}/indicators/{id}", update);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("targets").EnumerateArray()
            .Select(t => (t.GetProperty("periodKey").GetString(), t.GetProperty("value").GetDecimal())).ShouldBe([("2026-T3", 60m)]);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{id}")).GetProperty("targets").EnumerateArray()
            .Select(t => t.GetProperty("periodKey").GetString()).ShouldBe(["2026-T3"]);
        (await admin.PutAsJsonAsync($"{Base}/indicators/{id}", update)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        card = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{ownerId}/scorecard?periodKey=2026-T3");
        ScorecardJson.Goals(card).Single(g => g.GetProperty("id").GetGuid() == goalId)
            .GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id)
            .GetProperty("status").GetProperty("key").GetString().ShouldNotBe("uppfyllt");

        var yearly = await admin.PutAsJsonAsync($"{Base}/indicators/{id}", new
        {
            update.name, update.unitOfMeasure, update.decimals, update.direction, periodicity = "year", update.ownerUnitId, update.goalId, update.weight,
            targets = Array.Empty<object>(), version = update.version + 1,
        });
        yearly.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await yearly.Content.ReadAsStringAsync()).ShouldContain("har redan utfall");
        (await admin.DeleteAsync($"{Base}/indicators/{id}?version={update.version + 1}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var unused = await (await admin.PostAsJsonAsync($"{Base}/indicators", new
        {
            name = "Antal läxhjälpstillfällen", direction = "neutral", periodicity = "year", ownerUnitId = ownerId, isBasicMission = true, weight = 1,
        })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.DeleteAsync($"{Base}/indicators/{unused.GetProperty("id").GetGuid()}?version={unused.GetProperty("version").GetInt32()}"))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).GetArrayLength().ShouldBe(indicators.Count + 1);
    }
}
