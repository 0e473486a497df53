using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>Publishing a period from the calendar page: administrators only, as the API's publication.</summary>
public partial class PagePermissionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_an_administrator_publishes_a_period_from_the_calendar_and_then_residents_can_read_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var period = await Period();
        period.GetProperty("isPublished").GetBoolean().ShouldBeFalse("the demo's T2 2026 is not published: the case under test");
        var page = $"/k/{Slug}/styrmodell/kalender";
        var refused = new Dictionary<string, (HttpClient Client, HttpStatusCode Status)>
        {
            ["reader"] = (await app.MemberClientAsync(Slug, TenantRole.Reader), HttpStatusCode.Forbidden),
            ["editor"] = (await app.MemberClientAsync(Slug, TenantRole.Editor, library), HttpStatusCode.Forbidden),
            ["stranger"] = (await app.MemberClientAsync("annan", TenantRole.Admin), HttpStatusCode.NotFound),
        };
        foreach (var (who, (client, status)) in refused)
        {
            var form = Form(period, await TokenAsync(client, who == "stranger" ? "/k/annan" : $"/k/{Slug}"));
            (await client.PostAsync(page + "?handler=Publish", new FormUrlEncodedContent(form))).StatusCode.ShouldBe(status, who);
        }

        (await Period()).GetProperty("isPublished").GetBoolean().ShouldBeFalse();
        (await app.CreateClient().GetAsync($"/api/v1/public/{Slug}/periods/2026-T2/scorecard?unitId={library}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var html = await admin.GetStringAsync(page);
        html.ShouldContain("aria-label=\"Publicera T2 2026 för invånarna\"");
        var published = await admin.PostAsync(page + "?handler=Publish", new FormUrlEncodedContent(Form(period, await TokenAsync(admin, page))));
        // Back to the calendar (the test client does not carry its sign-in through a redirect: the page is read again).
        Uri.UnescapeDataString(published.RequestMessage!.RequestUri!.Query).ShouldContain("/styrmodell/kalender?klart=true");
        (await admin.GetStringAsync(page)).ShouldContain("aria-label=\"Dra tillbaka publiceringen av T2 2026\"");
        (await Period()).GetProperty("isPublished").GetBoolean().ShouldBeTrue();
        (await app.CreateClient().GetAsync($"/api/v1/public/{Slug}/periods/2026-T2/scorecard?unitId={library}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The same form again is a stale version: refused, nothing withdrawn.
        var stale = await admin.PostAsync(page + "?handler=Publish", new FormUrlEncodedContent(Form(period, await TokenAsync(admin, page), publish: false)));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Period()).GetProperty("isPublished").GetBoolean().ShouldBeTrue();

        async Task<JsonElement> Period() =>
            (await system.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/periods")).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "2026-T2");

        static Dictionary<string, string> Form(JsonElement period, string token, bool publish = true) => new()
        {
            ["Key"] = period.GetProperty("key").GetString()!, ["Version"] = period.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["publicera"] = publish ? "true" : "false", ["__RequestVerificationToken"] = token,
        };
    }
}
