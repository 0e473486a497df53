using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>
/// The risk pages on the server, on both databases: a unit's risks are hidden from the editor of a neighbouring unit (in
/// the unit choice, the register and the risk's page) and their posts change nothing; a reader reads without a form and
/// is refused a post; only an administrator saves the scale; strangers are sent to sign in.
/// </summary>
public class RiskPagesTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string token, Dictionary<string, string> form) =>
        client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = token }));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_units_risks_are_hidden_from_a_neighbouring_editor_readers_read_without_a_form_and_posts_are_refused_to_whoever_may_not(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, pool;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
        }

        var admin = await app.ClientAsync();
        // The demo has saved its scale: whoever may not change it leaves it exactly as it was.
        var scaleBefore = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/risk-settings"))!;
        scaleBefore["isDefault"]!.GetValue<bool>().ShouldBeFalse();
        var scaleVersion = scaleBefore["version"]!.GetValue<int>();
        var created = await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/risks", new { title = "Stöld av utlånade medier", unitId = library, firstYear = 2026 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var risk = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var page = $"/k/{Slug}/intern-kontroll/risker/{risk["id"]}";
        var register = $"/k/{Slug}/intern-kontroll/risker";
        var assess = new Dictionary<string, string> { ["Version"] = "0", ["AssessYear"] = "2026", ["Likelihood"] = "4", ["Consequence"] = "4" };

        // The pool's editor: no such risk, no such unit in the choice, the library's register not found; posts change nothing.
        var neighbour = await app.MemberClientAsync(Slug, TenantRole.Editor, pool);
        (await neighbour.GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var own = await neighbour.GetStringAsync(register);
        own.ShouldNotContain($"value=\"{library}\"");
        own.ShouldNotContain("Stöld av utlånade medier");
        var refused = await neighbour.GetAsync($"{register}?enhet={library}&ar=2026");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Stöld av utlånade medier");
        (await neighbour.GetStringAsync($"{register}/ny")).ShouldNotContain($"value=\"{library}\"");
        var token = await TokenAsync(neighbour, register);
        (await PostAsync(neighbour, $"{page}?handler=Assess", token, assess)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(neighbour, page, token, new() { ["Version"] = "0", ["Title"] = "Kapad", ["UnitId"] = $"{pool}", ["FirstYear"] = "2026" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(neighbour, $"{page}?handler=Delete", token, new() { ["Version"] = "0" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var planted = await PostAsync(neighbour, $"{register}/ny", token, new() { ["Title"] = "Planterad", ["UnitId"] = $"{library}", ["FirstYear"] = "2026" });
        planted.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A reader of the whole municipality: the register and the risk, no form; a post is refused.
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetStringAsync($"{register}?enhet={library}&ar=2026")).ShouldContain("Stöld av utlånade medier");
        var read = await reader.GetStringAsync(page);
        read.ShouldContain("Stöld av utlånade medier");
        read.ShouldNotContain("name=\"Likelihood\"");
        read.ShouldNotContain("name=\"Title\"");
        token = await TokenAsync(reader, register);
        (await PostAsync(reader, $"{page}?handler=Assess", token, assess)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(reader, $"{register}/ny", token, new() { ["Title"] = "Läsarens", ["UnitId"] = $"{library}", ["FirstYear"] = "2026" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(reader, $"/k/{Slug}/intern-kontroll/skala", token, new() { ["Version"] = $"{scaleVersion}", ["PlanThreshold"] = "1" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.GetStringAsync($"/k/{Slug}/intern-kontroll/skala")).ShouldNotContain("name=\"PlanThreshold\"");

        // An editor changes the risks of their units, not the municipality's scale.
        var librarian = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        token = await TokenAsync(librarian, page);
        var saved = await PostAsync(librarian, $"{page}?handler=Assess", token, assess);
        // Sent on to the risk's page (which the token client, losing its header on the way, reaches by the sign-in page).
        Uri.UnescapeDataString(saved.RequestMessage!.RequestUri!.ToString()).ShouldContain($"/risker/{risk["id"]}?ar=2026&klart=bedomd");
        var scale = await PostAsync(librarian, $"/k/{Slug}/intern-kontroll/skala", token, new() { ["Version"] = $"{scaleVersion}", ["PlanThreshold"] = "1" });
        scale.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/risk-settings"))!.ToJsonString().ShouldBe(scaleBefore.ToJsonString());

        var now = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/risks/{risk["id"]}"))!;
        now["title"]!.GetValue<string>().ShouldBe("Stöld av utlånade medier");
        var assessment = now["assessments"]!.AsArray().Single()!;
        assessment["likelihood"]!.GetValue<int>().ShouldBe(4);
        assessment["assessedBy"]!.GetValue<string>().ShouldEndWith("@test.kedja", Case.Sensitive, "the librarian, not the administrator who created it");
        (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/risks?year=2026"))!.Select(r => (string)r!["title"]!).ShouldNotContain("Planterad");

        // What people write is written as text: in the table, the matrix's title and the risk's page.
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/risks", new { title = "<img src=x onerror=alert(1)>", unitId = library, firstYear = 2026, process = "\"><script>alert(2)</script>" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var html = await admin.GetStringAsync($"{register}?enhet={library}&ar=2026");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");
        html.ShouldNotContain("<img src=x");
        html.ShouldNotContain("<script>alert(2)");

        // Strangers are sent to sign in.
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var url in new[] { register, page, $"{register}/ny", $"/k/{Slug}/intern-kontroll/skala" })
        {
            var answer = await anonymous.GetAsync(url);
            answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            answer.Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=");
        }
    }
}
