using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>
/// Programs through the API (ADR 23): what GET gives PUT takes back, the rules the importer applies, who may change
/// which program, a stale version refused, a program that holds something kept, and the tenant document still round-trips.
/// One demo app per provider for the class (ADR 57): each test makes programs of its own names and asserts only on them
/// (or on the demo's Miljöprogram, which no test changes); the copy imported as "kopia" is made by one test only.
/// </summary>
public class ProgramApiTests(SharedDemoApps apps) : IClassFixture<SharedDemoApps>
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Guid> UnitIdAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonArray>($"{Base}/units"))!.Single(u => (string)u!["name"]! == name)!["id"]!.GetValue<Guid>();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_program_is_created_read_changed_and_removed_and_what_GET_gives_PUT_takes_back(string provider)
    {
        var app = await apps.AppAsync(provider);
        var admin = await app.ClientAsync();
        var committee = await UnitIdAsync(admin, "Kommunstyrelsen");

        var created = await admin.PostAsJsonAsync($"{Base}/programs", new
        {
            name = "  Digitaliseringsprogram 2025-2028 ", description = "Digitala tjänster först.", ownerUnitId = committee, validFromYear = 2025, validToYear = 2028,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var program = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var url = $"{Base}/programs/{program["id"]}";
        created.Headers.Location!.ToString().ShouldBe(url);
        program["name"]!.GetValue<string>().ShouldBe("Digitaliseringsprogram 2025-2028");

        var read = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        read.ToJsonString().ShouldBe(program.ToJsonString());
        var again = await admin.PutAsJsonAsync(url, read);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        after["version"]!.GetValue<int>().ShouldBe(read["version"]!.GetValue<int>() + 1);
        after.Remove("version");
        read.Remove("version");
        after.ToJsonString().ShouldBe(read.ToJsonString());

        (await admin.GetFromJsonAsync<JsonArray>($"{Base}/programs"))!.Select(p => (string)p!["name"]!).ShouldContain("Digitaliseringsprogram 2025-2028");

        // Someone else's change in between: a stale version is refused and nothing is written.
        var current = (await admin.GetFromJsonAsync<JsonObject>(url))!;
        var stale = current.DeepClone().AsObject();
        current["validToYear"] = 2030;
        (await admin.PutAsJsonAsync(url, current)).StatusCode.ShouldBe(HttpStatusCode.OK);
        stale["name"] = "Gammalt namn";
        var refused = await admin.PutAsJsonAsync(url, stale);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Någon annan har ändrat");
        (await admin.GetFromJsonAsync<JsonObject>(url))!["name"]!.GetValue<string>().ShouldBe("Digitaliseringsprogram 2025-2028");

        // The tenant document holds it, and imports.
        var export = await admin.GetStringAsync($"{Base}/export");
        JsonNode.Parse(export)!["programs"]!.AsArray().Select(p => (string)p!["name"]!).ShouldContain("Digitaliseringsprogram 2025-2028");
        (await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(export, Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.GetFromJsonAsync<JsonArray>("/api/v1/tenants/kopia/programs"))!.Select(p => (string)p!["name"]!).ShouldContain("Digitaliseringsprogram 2025-2028");

        var version = (await admin.GetFromJsonAsync<JsonObject>(url))!["version"]!.GetValue<int>();
        (await admin.DeleteAsync($"{url}?version={version - 1}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{url}?version={version}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_program_needs_a_name_years_in_order_and_an_owner_that_exists_as_the_importer_requires(string provider)
    {
        var app = await apps.AppAsync(provider);
        var admin = await app.ClientAsync();
        var answer = await admin.PostAsJsonAsync($"{Base}/programs", new { name = " ", ownerUnitId = Guid.NewGuid(), validFromYear = 2028, validToYear = 2025 });
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(answer);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["name", "ownerUnitId", "validToYear"], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "validToYear").ShouldBe(["Slutåret kan inte vara före startåret."]);

        var outside = await admin.PostAsJsonAsync($"{Base}/programs", new { name = "Program", validFromYear = 1900 });
        ProblemDetailsTests.Errors((await ProblemDetailsTests.ProblemAsync(outside)).Problem, "validFromYear").ShouldNotBeEmpty();

        // The importer applies the same rules to the document's programs.
        var export = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!;
        export["programs"]![0]!["name"] = "";
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await imported.Content.ReadAsStringAsync()).ShouldContain("$.programs[0].name");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Editors_change_only_programs_their_units_own_readers_none_and_a_program_that_holds_activities_is_kept(string provider)
    {
        var app = await apps.AppAsync(provider);
        var admin = await app.ClientAsync();
        var library = await UnitIdAsync(admin, "Biblioteket");
        var pool = await UnitIdAsync(admin, "Badhuset");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);

        (await reader.PostAsJsonAsync($"{Base}/programs", new { name = "Läsfrämjande", ownerUnitId = library })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PostAsJsonAsync($"{Base}/programs", new { name = "Simskola för alla", ownerUnitId = pool })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PostAsJsonAsync($"{Base}/programs", new { name = "Utan ägare" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var own = await editor.PostAsJsonAsync($"{Base}/programs", new { name = "Läsfrämjande program", ownerUnitId = library, validFromYear = 2026, validToYear = 2027 });
        own.StatusCode.ShouldBe(HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
        var program = (await own.Content.ReadFromJsonAsync<JsonObject>())!;
        var url = $"{Base}/programs/{program["id"]}";

        // Giving it away to a unit outside one's own is refused; the demo's miljöprogram (owned by the council) too.
        var away = program.DeepClone().AsObject();
        away["ownerUnitId"] = pool.ToString();
        (await editor.PutAsJsonAsync(url, away)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var environment = (await admin.GetFromJsonAsync<JsonArray>($"{Base}/programs"))!.Single(p => ((string)p!["name"]!).StartsWith("Miljöprogram", StringComparison.Ordinal))!.AsObject();
        environment["name"] = "Kapat";
        (await editor.PutAsJsonAsync($"{Base}/programs/{environment["id"]}", environment)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.DeleteAsync($"{Base}/programs/{environment["id"]}?version={environment["version"]}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // An activity in the program keeps it until the activity is gone.
        var activity = await editor.PostAsJsonAsync($"{Base}/activities", new { title = "Bokcirklar på fritids", programId = program["id"]!.GetValue<Guid>(), responsibleUnitId = library, status = "notStarted", progress = 0 });
        activity.StatusCode.ShouldBe(HttpStatusCode.Created, await activity.Content.ReadAsStringAsync());
        var kept = await editor.DeleteAsync($"{url}?version={program["version"]}");
        kept.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await kept.Content.ReadAsStringAsync()).ShouldContain("Programmet har aktiviteter eller indikatorer");
        var planned = (await activity.Content.ReadFromJsonAsync<JsonObject>())!;
        (await editor.DeleteAsync($"{Base}/activities/{planned["id"]}?version={planned["version"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await editor.DeleteAsync($"{url}?version={program["version"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}
