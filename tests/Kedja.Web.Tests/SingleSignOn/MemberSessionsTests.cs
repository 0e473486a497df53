using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Members;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static Kedja.Web.Tests.SingleSignOn.SsoTestSupport;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// "Avsluta alla sessioner och nycklar": a tenant administrator ends a person's every sign-in at once. Proven with a
/// browser session (the sign-in cookie) and a script (a personal access token) that both work before and not after.
/// </summary>
public sealed class MemberSessionsTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Members = $"/api/v1/tenants/{Slug}/members";

    private static async Task<Guid> MembershipAsync(HttpClient admin, string email) =>
        (await admin.GetFromJsonAsync<JsonElement>(Members)).EnumerateArray().Single(m => m.GetProperty("email").GetString() == email).GetProperty("id").GetGuid();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ending_a_members_sessions_signs_out_their_browser_and_stops_their_tokens_and_is_audited(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor);
        var browser = await app.SignedInBrowserAsync(email, password);
        var script = await app.ClientAsync(email, password);
        (await browser.GetAsync($"/k/{Slug}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await script.GetAsync($"/api/v1/tenants/{Slug}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var id = await MembershipAsync(admin, email);
        (await admin.GetFromJsonAsync<JsonElement>($"{Members}/{id}")).GetProperty("source").GetString().ShouldBe("manual");
        string feed;
        await using (var feeds = app.Services.CreateAsyncScope())
        {
            var userId = (await feeds.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>().FindByEmailAsync(email))!.Id;
            feed = await feeds.ServiceProvider.GetRequiredService<Kedja.Web.CalendarFeed.CalendarFeeds>().CreateAsync(userId, email);
        }

        var calendar = app.CreateClient();
        (await calendar.GetAsync($"/kalender/{feed}.ics")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ended = await admin.PostAsync($"{Members}/{id}/end-sessions", null);
        ended.StatusCode.ShouldBe(HttpStatusCode.NoContent, await ended.Content.ReadAsStringAsync());
        (await calendar.GetAsync($"/kalender/{feed}.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the calendar address is a key too");

        var signedOut = await browser.GetAsync($"/k/{Slug}");
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.ToString().ShouldStartWith("/logga-in");
        (await script.GetAsync($"/api/v1/tenants/{Slug}/units")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The role stays: the person signs in again.
        var again = await app.SignedInBrowserAsync(email, password);
        (await again.GetAsync($"/k/{Slug}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync($"{Members}/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // In the municipality's trail by e-mail; the account's trail lists the revoked token.
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "SessionsEnded");
            (entry.Entity, entry.EntityId, entry.UserName).ShouldBe((nameof(TenantMembership), id.ToString(), KedjaApp.AdminEmail));
            entry.After.ShouldNotBeNull();
            entry.After.ShouldContain(email);
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            entry.After.ShouldNotContain(userId);
            var account = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == null && a.EntityId == userId && a.Action == "SessionsEnded").SingleAsync();
            account.UserName.ShouldBe(KedjaApp.AdminEmail);
            (await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().CountAsync(a => a.TenantId == null && a.Action == "Revoked" && a.After!.Contains("SessionsEnded"))).ShouldBe(1);
            (await db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).AllAsync(t => t.RevokedAt != null)).ShouldBeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_the_municipalitys_administrators_end_sessions_and_not_a_system_administrators(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor);
        var script = await app.ClientAsync(email, password);
        var id = await MembershipAsync(admin, email);

        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            (await (await app.MemberClientAsync(Slug, role)).PostAsync($"{Members}/{id}/end-sessions", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
        }

        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.PostAsync($"{Members}/{id}/end-sessions", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/tenants/annan/members/{id}/end-sessions", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the membership is not annan's");
        (await script.GetAsync($"/api/v1/tenants/{Slug}/units")).StatusCode.ShouldBe(HttpStatusCode.OK, "nothing ended");

        // A system administrator who is also a member is left to the system administrators.
        var (systemEmail, systemPassword) = await app.MemberAsync(Slug, TenantRole.Reader);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var user = (await users.FindByEmailAsync(systemEmail))!;
            user.IsSystemAdmin = true;
            (await users.UpdateAsync(user)).Succeeded.ShouldBeTrue();
        }

        var systemScript = await app.ClientAsync(systemEmail, systemPassword);
        var tenantAdmin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var systemId = await MembershipAsync(admin, systemEmail);
        var (status, problem) = await SendAsync(tenantAdmin, HttpMethod.Post, $"{Members}/{systemId}/end-sessions");
        status.ShouldBe(HttpStatusCode.Forbidden);
        problem.GetProperty("title").GetString().ShouldBe(MemberSessions.SystemAdministrator);
        (await systemScript.GetAsync($"/api/v1/tenants/{Slug}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"{Members}/{systemId}/end-sessions", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent, "a system administrator may");
        (await systemScript.GetAsync($"/api/v1/tenants/{Slug}/units")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_members_page_shows_each_source_and_asks_before_it_ends_sessions(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor);
        var (ssoEmail, _) = await app.MemberAsync(Slug, TenantRole.Reader);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var ssoUser = await db.Users.Where(u => u.Email == ssoEmail).Select(u => u.Id).SingleAsync();
            await db.Memberships.Where(m => m.UserId == ssoUser).ExecuteUpdateAsync(m => m.SetProperty(x => x.Source, MembershipSource.Sso));
        }

        var browser = await app.SignedInBrowserAsync(email, password);
        var id = await MembershipAsync(admin, email);
        var page = $"/k/{Slug}/behorigheter";
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync(page));
        html.ShouldContain("<th scope=\"col\">Källa</th>");
        html.ShouldContain("<td>Manuell</td>");
        html.ShouldContain("<td>Inloggningstjänst</td>");
        html.ShouldContain($"href=\"{page}?avsluta={id}#avsluta\"");
        html.ShouldNotContain("Ja, avsluta");

        var asking = WebUtility.HtmlDecode(await admin.GetStringAsync($"{page}?avsluta={id}"));
        asking.ShouldContain($"Avsluta alla sessioner och nycklar för {email}?");
        asking.ShouldContain("också i andra kommuner");
        (await browser.GetAsync($"/k/{Slug}")).StatusCode.ShouldBe(HttpStatusCode.OK, "asking ends nothing");

        var direct = app.CreateClient(new() { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var done = await direct.PostAsync($"{page}?handler=EndSessions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(direct, page), ["id"] = $"{id}",
        }));
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        done.Headers.Location!.ToString().ShouldBe($"{page}?avslutade={id}");
        WebUtility.HtmlDecode(await admin.GetStringAsync(done.Headers.Location.ToString())).ShouldContain($"Alla sessioner och nycklar för {email} är avslutade.");
        (await browser.GetAsync($"/k/{Slug}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // An administrator's signed-in browser posting without the antiforgery token, as another site's form would: refused.
        var other = await MembershipAsync(admin, ssoEmail);
        var adminBrowser = await app.SignedInBrowserAsync(KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        (await adminBrowser.PostAsync($"{page}?handler=EndSessions", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = $"{other}" }))).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest);
    }
}
