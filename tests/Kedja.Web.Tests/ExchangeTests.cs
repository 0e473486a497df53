using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class ExchangeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_import_export_gives_the_same_document_apart_from_slug_and_name(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        // The portal's settings, not the defaults, so that the section is carried over too.
        var portal = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{DemoTenant.Slug}/portal-settings"))!;
        portal["licence"] = "ccBy40";
        portal["embedOrigins"] = new JsonArray("https://www.exempelkommun.se");
        portal["accessibilityStatement"] = "## Kontakt\nSkriv till oss.";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/portal-settings", portal)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var first = await admin.GetStringAsync($"/api/v1/tenants/{DemoTenant.Slug}/export");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(first, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var second = await admin.GetStringAsync("/api/v1/tenants/kopia/export");

        var a = JsonNode.Parse(first)!;
        var b = JsonNode.Parse(second)!;
        b["tenant"]!["slug"]!.GetValue<string>().ShouldBe("kopia");
        a["tenant"]!["slug"] = "x";
        b["tenant"]!["slug"] = "x";
        b["tenant"]!["name"] = a["tenant"]!["name"]!.GetValue<string>();
        b.ToJsonString().ShouldBe(a.ToJsonString());
        a["outcomes"]!.AsArray().Count.ShouldBeGreaterThan(1000);
        a["indicators"]!.AsArray().Count.ShouldBeGreaterThanOrEqualTo(150);
        a["portal"]!["embedOrigins"]![0]!.GetValue<string>().ShouldBe("https://www.exempelkommun.se");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_broken_document_is_rejected_with_paths_and_nothing_is_written(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var doc = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/tenants/{DemoTenant.Slug}/export"))!;
        doc["goals"]![2]!["ownerUnitId"] = Guid.NewGuid().ToString();
        doc["goals"]![3]!["agenda2030"] = new JsonArray(18);
        doc["outcomes"]![5]!["periodKey"] = "2025-T4";
        doc["assessments"]![0]!["status"] = "grönt";
        doc["indicators"]![1]!["goalId"] = Guid.NewGuid().ToString();
        doc["documents"]![0]!["url"] = "javascript:alert(document.cookie)";
        doc["documents"]![0]!["decidedOn"] = "0001-01-01";

        var response = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        errors.ShouldContain("$.goals[2].ownerUnitId");
        errors.ShouldContain("$.goals[3].agenda2030[0]");
        errors.ShouldContain("$.outcomes[5].periodKey");
        errors.ShouldContain("$.assessments[0].status");
        errors.ShouldContain("$.indicators[1].goalId");
        errors.ShouldContain("$.documents[0].url");
        errors.ShouldContain("$.documents[0].decidedOn");
        problem.GetProperty("title").GetString()!.ShouldContain("Inget har sparats");

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.Tenants.CountAsync()).ShouldBe(1);
            (await db.Goals.IgnoreQueryFilters().CountAsync()).ShouldBe(await db.Goals.CountAsync());
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Malformed_json_gets_a_path_too(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();

        var response = await admin.PostAsync("/api/v1/tenants/import?slug=ny",
            new StringContent("""{"format":"kedja-tenant","formatVersion":1,"tenant":{"slug":"a","name":"A","kommunkod":null},"units":[{"id":"inte-ett-id"}]}""", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("$.units[0].id");

        // In Swedish, without the framework's English text or type names.
        body.ShouldContain("värdet har fel typ");
        body.ShouldNotContain("could not be converted");
        body.ShouldNotContain("Kedja.Web");
    }

    [Fact]
    public async Task Verbs_export_and_import_a_file()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite", seedDemo: true);
        var admin = await app.ClientAsync();
        var viaApi = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/tenants/{DemoTenant.Slug}/export"))!;
        var file = Path.Combine(Path.GetTempPath(), $"kedja-{Guid.NewGuid():N}.json");
        try
        {
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
                var tenant = db.Tenants.Single();
                db.Scope.Enter(tenant.Id, tenant.Slug);
                var doc = await scope.ServiceProvider.GetRequiredService<Exchange.TenantExporter>().ExportAsync();
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(doc, scope.ServiceProvider.GetRequiredService<Exchange.JsonSerializerOptionsProvider>().Options));
            }

            JsonNode.Parse(await File.ReadAllTextAsync(file))!.ToJsonString().ShouldBe(viaApi.ToJsonString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
