using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Governing documents through the API: what GET gives PUT takes back unchanged, in the tenant document's shape; the
/// document's rules answer in Swedish on the field they concern; only administrators change documents; a stale version
/// is refused; and the tenant's export still imports after every change.
/// </summary>
public class DocumentApiTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Guid> GoalIdAsync(HttpClient client, string title) =>
        (await client.GetFromJsonAsync<JsonArray>($"{Base}/goals"))!.Single(g => (string)g!["title"]! == title)!["id"]!.GetValue<Guid>();

    private static string Without(JsonNode node, params string[] names)
    {
        var copy = node.DeepClone().AsObject();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy.ToJsonString();
    }

    private static async Task ExportImportsAsync(HttpClient admin)
    {
        var export = await admin.GetStringAsync($"{Base}/export");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(export, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_document_linked_to_two_goals_comes_back_as_sent_is_unchanged_when_put_back_and_goes_with_its_links_when_removed(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var library = await GoalIdAsync(admin, "Biblioteket når fler barn och unga");
        var culture = await GoalIdAsync(admin, "Fler deltar i kultur och fritid");
        var council = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/units"))!.Single(u => (string)u!["kind"]! == "council")!["id"]!.GetValue<Guid>();

        var created = await admin.PostAsJsonAsync($"{Base}/documents", new
        {
            kind = "plan", title = "Läsfrämjandeplan 2026-2027", description = "Hur biblioteket och skolan når barn som läser lite.", decidedByUnitId = council,
            decidedOn = "2025-12-15", validFrom = "2026-01-01", validTo = "2027-12-31", url = "https://exempelkommun.se/lasframjande", goalIds = new[] { library, culture },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var url = created.Headers.Location!.ToString();
        var read = JsonNode.Parse(await admin.GetStringAsync(url))!;
        read["title"]!.GetValue<string>().ShouldBe("Läsfrämjandeplan 2026-2027");
        read["kindName"]!.GetValue<string>().ShouldBe("Plan");
        read["goalIds"]!.AsArray().Select(g => g!.GetValue<Guid>()).ShouldBe(new[] { library, culture }, ignoreOrder: true);

        // GET, PUT unchanged, GET: the same but for the version, and the document's own shape in the export.
        var put = await admin.PutAsync(url, new StringContent(read.ToJsonString(), Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var again = JsonNode.Parse(await admin.GetStringAsync(url))!;
        Without(again, "version").ShouldBe(Without(read, "version"));
        again["version"]!.GetValue<int>().ShouldBe(read["version"]!.GetValue<int>() + 1);
        var exported = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!["documents"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == read["id"]!.GetValue<string>())!;
        Without(again, "version", "kindName").ShouldBe(exported.ToJsonString());
        (await admin.GetFromJsonAsync<JsonArray>($"{Base}/documents"))!.Select(d => d!["id"]!.GetValue<string>()).ShouldContain(read["id"]!.GetValue<string>());

        // One goal dropped: the link goes, the goal stays.
        again["goalIds"] = new JsonArray(JsonValue.Create(library));
        (await admin.PutAsJsonAsync(url, again)).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await admin.GetStringAsync(url))!["goalIds"]!.AsArray().Select(g => g!.GetValue<Guid>()).ShouldBe([library]);
        await ExportImportsAsync(admin);

        var current = JsonNode.Parse(await admin.GetStringAsync(url))!["version"]!.GetValue<int>();
        (await admin.DeleteAsync($"{url}?version={current}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.DocumentGoals.CountAsync(l => l.DocumentId == read["id"]!.GetValue<Guid>())).ShouldBe(0);
            (await db.Goals.AnyAsync(g => g.Id == library)).ShouldBeTrue();
            (await db.AuditEntries.CountAsync(a => a.Entity == "GoverningDocument" && a.EntityId == read["id"]!.GetValue<string>())).ShouldBe(4);
        }
    }

    [Fact]
    public async Task A_document_that_breaks_the_rules_is_refused_with_a_Swedish_message_on_each_field()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var goal = await GoalIdAsync(admin, "Biblioteket når fler barn och unga");
        var unknown = Guid.NewGuid();
        var response = await admin.PostAsJsonAsync($"{Base}/documents", new
        {
            kind = "policy", title = "  ", decidedByUnitId = unknown, validFrom = "2027-01-01", validTo = "2026-12-31", url = "javascript:alert(1)",
            goalIds = new[] { goal, unknown, goal },
        });

        var (status, problem) = await ProblemDetailsTests.ProblemAsync(response);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "title").ShouldBe(["Dokumentets titel måste anges."]);
        ProblemDetailsTests.Errors(problem, "url").ShouldBe(["Dokumentets adress ska vara en webbadress som börjar med https:// eller http://."]);
        ProblemDetailsTests.Errors(problem, "validTo").ShouldBe(["Dokumentet kan inte sluta gälla innan det börjar gälla."]);
        ProblemDetailsTests.Errors(problem, "decidedByUnitId").ShouldBe([$"Enheten {unknown} finns inte."]);
        ProblemDetailsTests.Errors(problem, "goalIds[1]").ShouldBe([$"Målet {unknown} finns inte."]);
        ProblemDetailsTests.Errors(problem, "goalIds[2]").ShouldBe([$"Målet {goal} förekommer flera gånger."]);
        (await admin.GetFromJsonAsync<JsonArray>($"{Base}/documents"))!.Count.ShouldBe(4);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_administrators_change_documents_and_a_stale_version_is_refused_with_a_Swedish_conflict(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var document = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/documents"))!.First()!;
        var url = $"{Base}/documents/{document["id"]}";
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.PostAsJsonAsync($"{Base}/documents", document)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PutAsJsonAsync(url, document)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.DeleteAsync($"{url}?version={document["version"]}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var changed = document.DeepClone();
        changed["title"] = "Ny titel";
        (await admin.PutAsJsonAsync(url, changed)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync(url, document));
        status.ShouldBe(HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(problem).ShouldBe("Någon annan har ändrat uppgiften sedan du hämtade den. Hämta den igen och gör om ändringen.");
        (await admin.DeleteAsync($"{url}?version={document["version"]}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonNode.Parse(await admin.GetStringAsync(url))!["title"]!.GetValue<string>().ShouldBe("Ny titel");
    }
}
