using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// The model's, the organisation's and the new municipality's pages over HTTP: who may change what, that a refused
/// change writes nothing, and that the services' Swedish refusals reach the page beside their fields.
/// </summary>
public class ModelAdminPagesTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    /// <summary>Posts a form with a valid antiforgery token, taken from a page the client may read.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string readable, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await TokenAsync(client, readable);
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    private static async Task<(int ModelVersion, int Units, string? Deadline)> StateAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return (await db.Models.Select(m => m.Version).SingleAsync(), await db.Units.CountAsync(),
                (await db.Periods.SingleAsync(p => p.Key == "2026-T2")).Deadline?.ToString("yyyy-MM-dd"));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_editors_and_strangers_cannot_change_the_model_the_calendar_or_the_organisation_even_with_a_valid_form(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, council, level;
        int version;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            council = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync();
            level = await db.GoalLevels.OrderBy(l => l.Depth).Select(l => l.Id).FirstAsync();
            version = await db.Models.Select(m => m.Version).SingleAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };

        var k = $"/k/{Slug}";
        var posts = new (string Url, Dictionary<string, string> Form)[]
        {
            ($"{k}/styrmodell/andra", new() { ["Name"] = "Kapad", ["FirstYear"] = "2023", ["LastYear"] = "2026", ["Cadence"] = "Tertial", ["Version"] = $"{version}" }),
            ($"{k}/styrmodell/perspektiv?handler=Add", new() { ["Name"] = "Kapad", ["Version"] = $"{version}" }),
            ($"{k}/styrmodell/nivaer?handler=Remove", new() { ["Level.Id"] = $"{level}", ["Version"] = $"{version}" }),
            ($"{k}/styrmodell/skala?handler=Save", new() { ["Steps[0].Key"] = "uppfyllt", ["Steps[0].Label"] = "Kapad", ["Steps[0].Colour"] = "#000000", ["Steps[0].Score"] = "1", ["Version"] = $"{version}" }),
            ($"{k}/styrmodell/kalender", new() { ["Key"] = "2026-T2", ["Deadline"] = "2026-12-24", ["Version"] = "1" }),
            ($"{k}/organisation?handler=Add", new() { ["New.Name"] = "Kapad enhet", ["New.Kind"] = "Unit", ["New.ParentId"] = $"{council}", ["New.IsActive"] = "true" }),
            ($"{k}/organisation/{library}", new() { ["Unit.Name"] = "Kapad", ["Unit.Kind"] = "Unit", ["Unit.IsActive"] = "true", ["Version"] = "1" }),
            ($"{k}/organisation/{library}?handler=Delete", new() { ["Version"] = "1" }),
        };

        var before = await StateAsync(app);
        foreach (var (who, client) in clients)
        {
            // A stranger's token comes from their own municipality: the form is valid, the municipality is not theirs.
            var readable = who == "stranger" ? "/k/annan" : $"{k}/styrmodell";
            foreach (var (url, form) in posts)
            {
                var answer = await PostAsync(client, readable, url, new(form));
                var body = await answer.Content.ReadAsStringAsync();
                answer.StatusCode.ShouldBe(who == "stranger" ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, $"{who} {url}");
                body.ShouldNotContain("Kapad");
            }
        }

        (await StateAsync(app)).ShouldBe(before);
        (await clients["reader"].GetStringAsync($"{k}/organisation")).ShouldNotContain("Lägg till en enhet");
        (await clients["reader"].GetStringAsync($"{k}/styrmodell")).ShouldNotContain("Ändra styrmodellen");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_a_system_administrator_may_create_a_municipality_and_a_taken_short_name_is_refused_beside_its_field(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var tenantAdmin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var refused = await tenantAdmin.GetAsync("/ny-kommun");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Endast systemadministratörer kan skapa kommuner.");
        var form = new Dictionary<string, string> { ["Name"] = "Kumla kommun", ["Template"] = Templates.ModelTemplates.Kumla, ["FirstYear"] = "2027" };
        (await PostAsync(tenantAdmin, $"/k/{Slug}", "/ny-kommun", new(form))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tenantAdmin.GetStringAsync("/")).ShouldNotContain("/ny-kommun");

        var system = app.CreateClient(new() { AllowAutoRedirect = false });
        await SignInAsync(system);
        (await system.GetStringAsync($"/k/{Slug}")).ShouldContain("href=\"/ny-kommun\"");
        var taken = await PostAsync(system, "/ny-kommun", "/ny-kommun", new(form) { ["Slug"] = Slug });
        taken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await taken.Content.ReadAsStringAsync()).ShouldContain($"<span class=\"field-error\" id=\"fel-slug\">Det finns redan en kommun med kortnamnet &#x27;{Slug}&#x27;.</span>");
        var created = await PostAsync(system, "/ny-kommun", "/ny-kommun", new(form));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        created.Headers.Location!.ToString().ShouldBe("/k/kumla-kommun?klart=kommun-skapad");
        (await system.GetStringAsync(created.Headers.Location.ToString())).ShouldContain("<p class=\"done\" role=\"status\">Kommunen är skapad.");

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
        (await db.Tenants.CountAsync(t => t.Slug == "kumla-kommun")).ShouldBe(1);
    }

    private static string Pascal(string camel) => char.ToUpperInvariant(camel[0]) + camel[1..];

    /// <summary>Signs a cookie client in as the system administrator through the sign-in form.</summary>
    private static async Task SignInAsync(HttpClient client)
    {
        (await KedjaApp.PostSignInFormAsync(client)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Removing_a_level_that_has_goals_is_refused_in_Swedish_and_the_model_stays_as_it_was(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var model = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/model"))![0]!.AsObject();
        var level = model["levels"]!.AsArray()[^1]!;
        var page = $"/k/{Slug}/styrmodell/nivaer";
        (await admin.GetStringAsync(page + $"?taBort={level["id"]}")).ShouldContain($"Ta bort {level["name"]}?");

        var answer = await PostAsync(admin, page, page + "?handler=Remove", new() { ["Level.Id"] = $"{level["id"]}", ["Version"] = $"{model["version"]}" });
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        html.ShouldContain("Ändringen sparades inte.");
        html.ShouldContain($"Nivån '{level["name"]}' har mål och kan inte tas bort.");
        var after = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/model"))![0]!;
        after["version"]!.GetValue<int>().ShouldBe(model["version"]!.GetValue<int>());

        // A name typed twice is refused beside the field, as the API refuses it.
        var first = model["levels"]!.AsArray()[0]!["name"]!.GetValue<string>();
        var twice = await PostAsync(admin, page, page + "?handler=Add", new() { ["Level.Name"] = first, ["Level.Rollup"] = "ManualOnly", ["Version"] = $"{model["version"]}" });
        twice.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await twice.Content.ReadAsStringAsync()).ShouldContain($"id=\"fel-levels[3].name\">Nivån '{first}' finns redan. Välj ett annat namn.</span>");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deadline_set_through_the_API_comes_back_in_the_calendar_and_the_document_and_one_before_the_period_ends_is_refused(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var url = $"/api/v1/tenants/{Slug}/periods";
        var period = (await admin.GetFromJsonAsync<JsonArray>(url))!.Single(p => p!["key"]!.GetValue<string>() == "2026-T2")!;
        var version = period["version"]!.GetValue<int>();

        var early = await admin.PutAsJsonAsync($"{url}/2026-T2/deadline", new { deadline = "2026-08-01", version });
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await early.Content.ReadAsStringAsync()).ShouldContain("Sista dagen att rapportera kan inte vara före periodens slut (2026-08-31).");
        (await admin.PutAsJsonAsync($"{url}/2026-T2/deadline", new { deadline = "2026-09-30" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var saved = await admin.PutAsJsonAsync($"{url}/2026-T2/deadline", new { deadline = "2026-09-30", version });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        (await saved.Content.ReadFromJsonAsync<JsonObject>())!["deadline"]!.GetValue<string>().ShouldBe("2026-09-30");
        (await admin.PutAsJsonAsync($"{url}/2026-T2/deadline", new { deadline = "2026-10-01", version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.GetFromJsonAsync<JsonArray>(url))!.Single(p => p!["key"]!.GetValue<string>() == "2026-T2")!["deadline"]!.GetValue<string>().ShouldBe("2026-09-30");
        var doc = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/export");
        doc!["periods"]!.AsArray().Single(p => p!["key"]!.GetValue<string>() == "2026-T2")!["deadline"]!.GetValue<string>().ShouldBe("2026-09-30");

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor);
        (await editor.PutAsJsonAsync($"{url}/2026-T2/deadline", new { deadline = "2026-10-15", version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_in_use_is_not_removed_on_the_page_and_the_administrator_is_told_to_deactivate_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var unit = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/units"))!.Single(u => u!["name"]!.GetValue<string>() == "Biblioteket")!;
        var page = $"/k/{Slug}/organisation/{unit["id"]}";
        var answer = await PostAsync(admin, page, page + "?handler=Delete", new() { ["Version"] = $"{unit["version"]}" });
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()).ShouldContain("Inaktivera den i stället, så finns historiken kvar.");

        // A stale version: what was typed stays, the other person's name beside it.
        var stale = await PostAsync(admin, page, page, new()
        {
            ["Unit.Name"] = "Stadsbiblioteket", ["Unit.Kind"] = Pascal(unit["kind"]!.GetValue<string>()), ["Unit.ParentId"] = $"{unit["parentId"]}", ["Unit.IsActive"] = "true",
            ["Version"] = $"{unit["version"]!.GetValue<int>() - 1}",
        });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var html = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        html.ShouldContain("value=\"Stadsbiblioteket\"");
        html.ShouldContain("Sparat av någon annan: Biblioteket");
    }
}
