using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kedja.Web.Tests;

public class ApiBasicsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Health_openapi_and_templates_answer_without_login_and_demo_is_seeded(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();

        (await anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var openApi = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = openApi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/tenants/{slug}/units/{unitId}/scorecard");
        paths.ShouldContain("/api/v1/tenants/{slug}/goals");
        paths.ShouldContain("/api/v1/tenants/{slug}/indicators/{id}/outcomes/{periodKey}");
        paths.ShouldAllBe(p => p.StartsWith("/api/v1/", StringComparison.Ordinal));
        // The engine's explanations are written as sentences, and the schema says so.
        openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("Explanation").GetProperty("type").GetString().ShouldBe("string");

        var templates = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/templates");
        templates.GetArrayLength().ShouldBe(5);

        var admin = await app.ClientAsync();
        var tenants = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants");
        tenants.EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldContain("exempelkommun");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_other_endpoint_needs_a_valid_token(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var anonymous = app.CreateClient();

        (await anonymous.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/v1/tenants/x/goals")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "kedja_not-a-real-token");
        (await anonymous.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var wrong = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = "fel" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Fel e-postadress eller lösenord");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revoked_token_stops_working_and_only_its_hash_is_stored(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var client = await app.ClientAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/tokens");
        var id = tokens.EnumerateArray().Single().GetProperty("id").GetGuid();

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
            db.AccessTokens.Single().TokenHash.ShouldNotContain(token);
            db.AccessTokens.Single().TokenHash.ShouldBe(Auth.Tokens.Hash(token));
        }

        (await client.DeleteAsync($"/api/v1/auth/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
