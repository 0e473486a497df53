using System.Net;
using System.Net.Http.Json;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The public start page (issue 13, ADR 41): anyone reads a municipality's vision and the council's goals with their
/// status in its published periods, without signing in and without a cookie; nothing unpublished and no unknown
/// municipality is told apart from the other.
/// </summary>
public sealed class PortalStartTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anyone_reads_the_councils_goals_of_the_latest_published_period_without_a_cookie(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        var periods = await admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/tenants/{DemoTenant.Slug}/periods");
        var published = periods!.Where(p => p.TryGetProperty("publishedAt", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(p => p.GetProperty("key").GetString()!).ToList();
        published.ShouldNotBeEmpty("the demo municipality has published periods");
        var unpublished = periods!.Select(p => p.GetProperty("key").GetString()!).First(k => !published.Contains(k));

        var start = await anonymous.GetAsync($"/p/{DemoTenant.Slug}");
        var html = await start.Content.ReadAsStringAsync();
        start.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        start.Headers.Contains("Set-Cookie").ShouldBeFalse("the portal sets no cookie");
        html.ShouldContain("<html lang=\"sv\">");
        html.ShouldContain("Mål och resultat i Exempelkommun");
        html.ShouldContain("Kommunfullmäktige: målen");
        html.ShouldContain("class=\"status\"");
        html.ShouldNotContain("__RequestVerificationToken");

        (await anonymous.GetAsync($"/p/{DemoTenant.Slug}?period={published[0]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync($"/p/{DemoTenant.Slug}?period={unpublished}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "an unpublished period is as unknown as a missing one");
        (await anonymous.GetAsync("/p/finns-inte")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "ny", name = "Ny kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        (await anonymous.GetAsync("/p/ny")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a municipality that has published nothing is not there yet");
    }
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_page_is_not_sent_again_while_nothing_changed_and_is_after_a_change(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var first = await anonymous.GetAsync($"/p/{DemoTenant.Slug}");
        var etag = first.Headers.ETag!;

        using (var again = new HttpRequestMessage(HttpMethod.Get, $"/p/{DemoTenant.Slug}"))
        {
            again.Headers.IfNoneMatch.Add(etag);
            (await anonymous.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        }

        // Any write raises the data version: the page is sent again, with a new tag.
        var admin = await app.ClientAsync();
        var indicator = (await admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/tenants/{DemoTenant.Slug}/indicators"))!
            .First(i => i.GetProperty("periodicity").GetString() is "tertial" or "Tertial");
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes/2026-T3", new { value = 1.5m }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var changed = new HttpRequestMessage(HttpMethod.Get, $"/p/{DemoTenant.Slug}");
        changed.Headers.IfNoneMatch.Add(etag);
        var response = await anonymous.SendAsync(changed);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.ShouldNotBe(etag.Tag);
    }
}
