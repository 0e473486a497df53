using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>An item's history page: who changed which field from what to what, with the parts of the item, for administrators.</summary>
public class HistoryPageTests
{
    private const string Slug = DemoTenant.Slug;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_goals_history_shows_its_fields_before_and_after_its_strategies_added_and_removed_and_its_assessments(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var goals = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/goals");
        var id = goals!.First(g => g!["title"]!.GetValue<string>() == "Biblioteket når fler barn och unga")!["id"]!.GetValue<Guid>();

        // The demo's levels have no strategies (only Kil's model has them): the goal's level is given them first.
        var model = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/model"))![0]!.AsObject();
        var levelId = goals!.First(g => g!["id"]!.GetValue<Guid>() == id)!["levelId"]!.GetValue<Guid>();
        model["levels"]!.AsArray().OfType<JsonNode>().First(l => l["id"]!.GetValue<Guid>() == levelId)["hasStrategies"] = true;
        await OkAsync(admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/model/{model["id"]}", model));

        var url = $"/api/v1/tenants/{Slug}/goals/{id}";
        var goal = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        var oldTitle = goal["title"]!.GetValue<string>();
        goal["title"] = "Biblioteket når <b>ännu</b> fler";
        goal["strategies"] = new JsonArray(new JsonObject { ["id"] = Guid.Empty, ["title"] = "Läsombud på förskolorna", ["sortOrder"] = 1 });
        await OkAsync(admin.PutAsJsonAsync(url, goal));
        goal = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        goal["strategies"] = new JsonArray();
        await OkAsync(admin.PutAsJsonAsync(url, goal));
        await OkAsync(admin.PutAsJsonAsync($"{url}/assessments/2026-T2", new { status = "ej-uppfyllt", motivation = "Utlånen föll.", analysis = "Färre besök.", version = (int?)null }));

        var page = await admin.GetAsync($"/k/{Slug}/historik/Goal/{id}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<dt>Rubrik</dt>");
        html.ShouldContain($"<del>{oldTitle}</del>");
        html.ShouldContain("<ins>Biblioteket når &lt;b&gt;ännu&lt;/b&gt; fler</ins>");
        html.ShouldContain("Strategi: lades till");
        html.ShouldContain("Strategi: togs bort");
        html.ShouldContain("Läsombud på förskolorna");
        html.ShouldContain("Bedömning: lades till");
        html.ShouldContain("Utlånen föll.");
        html.ShouldNotContain("<dt>TenantId</dt>");
        html.ShouldNotContain("<dt>GoalId</dt>");
        html.ShouldContain("<dt>Status</dt>");
        html.ShouldContain("Ej uppfyllt");
        html.ShouldContain("T2 2026");
        // Newest first: the assessment above the removal, the removal above the addition.
        html.IndexOf("Bedömning: lades till", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("Strategi: togs bort", StringComparison.Ordinal));
        html.IndexOf("Strategi: togs bort", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("Strategi: lades till", StringComparison.Ordinal));
    }

    private static async Task OkAsync(Task<HttpResponseMessage> sending)
    {
        var answer = await sending;
        answer.IsSuccessStatusCode.ShouldBeTrue(await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_administrators_read_history_and_an_unknown_kind_of_item_is_not_found()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var goals = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/goals");
        var id = goals![0]!["id"]!.GetValue<Guid>();

        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetAsync($"/k/{Slug}/historik/Goal/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor);
        (await editor.GetAsync($"/k/{Slug}/historik/Goal/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Entity names are the trail's own; anything else (an account, a token) has no history page.
        (await admin.GetAsync($"/k/{Slug}/historik/Account/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/k/{Slug}/historik/PersonalAccessToken/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var unknown = await admin.GetAsync($"/k/{Slug}/historik/Goal/{Guid.NewGuid()}");
        unknown.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Ingen ändring är registrerad");

        // Another municipality's page reads its own trail only: the demo goal's changes are not there.
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var goal = goals[0]!.AsObject();
        goal["title"] = "Ändrad i demokommunen";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{id}", goal)).EnsureSuccessStatusCode();
        (await admin.GetStringAsync($"/k/{Slug}/historik/Goal/{id}")).ShouldContain("Ändrad i demokommunen");
        var elsewhere = await admin.GetStringAsync($"/k/annan/historik/Goal/{id}");
        elsewhere.ShouldContain("Ingen ändring är registrerad");
        elsewhere.ShouldNotContain("Ändrad i demokommunen");
    }
}
