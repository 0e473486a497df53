using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Auth.TwoFactor;
using Kedja.Web.Demo;
using Kedja.Web.Tests.Mail;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// The ASVS 4.0.3 level-2 gaps closed by ADR 54: the longest password (2.1.2), no caching of signed-in answers (8.2.1),
/// a mail after every change of how a person signs in (2.2.3, 2.5.5), a person's own list of sessions (3.3.4) and
/// audited access refusals (7.1.3, 7.2.2).
/// </summary>
public sealed partial class AsvsGapTests
{
    private const string Sqlite = nameof(DatabaseProvider.Sqlite);

    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private const string Safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryPattern();

    [GeneratedRegex("handler=EndSession\"[^>]*>\\s*<input type=\"hidden\" name=\"id\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex EndSessionPattern();

    [GeneratedRegex("<li><code>([0-9a-z]{5}-[0-9a-z]{5})</code></li>")]
    private static partial Regex RecoveryPattern();

    internal static HttpClient Browser(KedjaApp app, string? userAgent = null)
    {
        var client = TwoFactorTests.Browserlike(app);
        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        return client;
    }

    private static async Task<string> PasswordFromLinkAsync(KedjaApp app, string email) =>
        KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Single());

    // 2.1.2 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_password_over_128_characters_is_refused_on_the_set_password_page_and_the_api_and_128_is_accepted(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string email = "lang.losen@example.se";
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/members", new { email, role = "reader" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var secret = await PasswordFromLinkAsync(app, email);
        var long129 = string.Concat(Enumerable.Repeat("Fyra-päron-", 12))[..129];
        var long128 = long129[..128];
        const string message = "Lösenordet får ha högst 128 tecken.";

        // The page the invitation link leads to.
        var browser = Browser(app);
        var url = $"/konto/losenord?kod={Uri.EscapeDataString(secret)}";
        var token = AntiforgeryPattern().Match(await browser.GetStringAsync(url)).Groups[1].Value;
        var page = await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kod"] = secret, ["nytt"] = long129, ["upprepa"] = long129,
        }));
        (await page.Content.ReadAsStringAsync()).ShouldContain(message);

        // The API (the same service as the profile's change and every other way a password is set).
        var api = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret, newPassword = long129 });
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Content.ReadAsStringAsync()).ShouldContain(message);

        // Refused, the link is still unused; 128 characters are accepted and sign in.
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret, newPassword = long128 })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = long128 })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // 8.2.1 ---------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Every_answer_to_a_signed_in_request_is_no_store_and_the_public_portal_keeps_its_caching()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var browser = await app.SignedInBrowserAsync(email, password);
        var api = await app.ClientAsync(email, password);
        var anonymous = app.CreateClient();

        static void NotStored(HttpResponseMessage answer, string what)
        {
            answer.Headers.CacheControl.ShouldNotBeNull(what).NoStore.ShouldBeTrue(what);
            answer.Headers.Pragma.ToString().ShouldBe("no-cache", what);
        }

        foreach (var url in new[] { $"/k/{DemoTenant.Slug}", "/profil", $"/k/{DemoTenant.Slug}/finns-inte" })
        {
            var answer = await browser.GetAsync(url);
            NotStored(answer, $"page {url} ({answer.StatusCode})");
        }

        var json = await api.GetAsync("/api/v1/tenants");
        json.StatusCode.ShouldBe(HttpStatusCode.OK);
        NotStored(json, "API answer");
        NotStored(await api.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/audit"), "API refusal (403)");

        // The public portal is the same for everyone and keeps its revalidated caching, signed in or not.
        foreach (var (client, who) in new[] { (anonymous, "anonymous"), (browser, "signed in") })
        {
            var portal = await client.GetAsync($"/p/{DemoTenant.Slug}");
            portal.StatusCode.ShouldBe(HttpStatusCode.OK, who);
            portal.Headers.CacheControl.ShouldNotBeNull(who).NoStore.ShouldBeFalse(who);
            portal.Headers.CacheControl!.Public.ShouldBeTrue(who);
        }
    }

    // 2.2.3 / 2.5.5 -------------------------------------------------------------------------------------------------

    [NodeTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Changes_of_password_two_factor_and_recovery_codes_are_mailed_to_the_person_once_with_no_secret_or_link(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var app = await KedjaApp.StartAsync(provider, settings: sink.Settings());

        // Two-factor on, new recovery codes, off; on again and moved to a new phone with a recovery code.
        var (session, key, _) = await TwoFactorTests.EnrolAsync(app);
        var renewed = await TwoFactorTests.PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Codes", []);
        renewed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secrets = RecoveryPattern().Matches(await renewed.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        secrets.ShouldNotBeEmpty();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        (await TwoFactorTests.PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Off", new() { ["kod"] = TwoFactorTests.CodeNow(app, key) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var (again, secondKey, codes) = await TwoFactorTests.EnrolAsync(app);
        secrets.Add(key);
        secrets.Add(secondKey);
        secrets.AddRange(codes);
        (await TwoFactorTests.PostFormAsync(again, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Change", new() { ["kod"] = codes[0] }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A new password, and a reset through "forgot password".
        const string changed = "Fem-blå-bollar-i-korgen";
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = KedjaApp.AdminPassword, newPassword = changed })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var reset = (await sink.WaitForAsync(7)).Single(m => m.Subject == "Nytt lösenord till Kedja");
        var link = KedjaApp.LinkSecret(reset);
        secrets.Add(link);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret = link, newPassword = "Sex-gula-äpplen-på-bordet" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var expected = new[]
        {
            "Tvåstegsverifiering är påslagen i Kedja", "Nya reservkoder i Kedja", "Tvåstegsverifiering är avstängd i Kedja",
            "Tvåstegsverifiering är påslagen i Kedja", "Tvåstegsverifieringen i Kedja flyttas till en ny app", "Ditt lösenord till Kedja är ändrat",
            "Ditt lösenord till Kedja är ändrat",
        };
        await sink.WaitForAsync(expected.Length + 1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var notices = sink.MessagesTo(KedjaApp.AdminEmail).Where(m => m.Subject != reset.Subject).ToList();
        notices.Select(m => m.Subject).Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal), "each change mailed once");
        foreach (var notice in notices)
        {
            var body = notice.TextBody!;
            body.ShouldContain("Om det inte var du, kontakta genast din kommuns administratör", Case.Sensitive, notice.Subject);
            body.ShouldContain("(svensk tid)", Case.Sensitive, notice.Subject);
            body.ShouldNotContain("http", Case.Insensitive, "nothing to click: " + notice.Subject);
            foreach (var secret in secrets)
            {
                body.ShouldNotContain(secret, Case.Insensitive, notice.Subject);
            }
        }

        notices.Single(m => m.TextBody!.Contains("länk för nytt lösenord", StringComparison.Ordinal)).Subject.ShouldBe("Ditt lösenord till Kedja är ändrat");
    }

    // 3.3.4 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_person_lists_and_ends_their_own_sessions_and_cannot_see_or_end_anyone_elses(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var (otherEmail, otherPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var desk = await app.SignedInBrowserAsync(email, password, Firefox);
        var laptop = await app.SignedInBrowserAsync(email, password, Safari);
        var other = await app.SignedInBrowserAsync(otherEmail, otherPassword, Firefox);

        var profile = await desk.GetStringAsync("/profil");
        profile.ShouldContain("Firefox på Windows");
        profile.ShouldContain("(den här)");
        profile.ShouldContain("Safari på macOS");
        var laptopId = EndSessionPattern().Matches(profile).Select(m => m.Groups[1].Value).ShouldHaveSingleItem();
        var othersPage = await other.GetStringAsync("/profil");
        othersPage.ShouldNotContain("Safari", Case.Sensitive, "another person's sessions are not listed");
        EndSessionPattern().Matches(othersPage).ShouldBeEmpty();

        // The attacker case: another person's session id in the form ends nothing and is answered as an unknown id.
        Guid othersId;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var otherUser = await db.Users.SingleAsync(u => u.Email == otherEmail);
            othersId = await db.UserSessions.Where(s => s.UserId == otherUser.Id).Select(s => s.Id).SingleAsync();
        }

        (await TwoFactorTests.PostFormAsync(desk, "/profil", "/profil?handler=EndSession", new() { ["id"] = othersId.ToString() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK, "the other person's session stands");

        // "Logga ut" on the laptop's row: the laptop is signed out at its next request, the desk goes on.
        var ended = await TwoFactorTests.PostFormAsync(desk, "/profil", "/profil?handler=EndSession", new() { ["id"] = laptopId });
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var refused = await laptop.GetAsync("/profil");
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.ToString().ShouldStartWith(CookieSignIn.SignInPath);
        (await desk.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await desk.GetStringAsync("/profil")).ShouldNotContain("Safari");

        // "Logga ut alla andra" ends every other session, on every node (the check is the database's).
        var phone = await app.SignedInBrowserAsync(email, password, Safari);
        await using var node = app.OtherNode(sameClock: true);
        var tablet = await node.SignedInBrowserAsync(email, password, Safari);
        (await TwoFactorTests.PostFormAsync(desk, "/profil", "/profil?handler=EndOthers", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await phone.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await tablet.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await desk.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var actions = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.TenantId == null).Select(a => a.Action).ToListAsync();
            actions.ShouldContain("SessionEnded");
            actions.ShouldContain("OtherSessionsEnded");
        }
    }

    // 7.1.3 / 7.2.2 -------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refusal_to_a_signed_in_person_is_audited_within_a_limit_per_person_and_shown_to_system_administrators(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var reader = await app.SignedInBrowserAsync(email, password);
        var readerApi = await app.ClientAsync(email, password);

        (await readerApi.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        for (var i = 0; i < AccessRefusals.PerPerson + 5; i++)
        {
            (await reader.GetAsync("/drift")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        // Anonymous refusals cost nothing to make and are not recorded.
        (await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/drift")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.CreateClient().GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/audit")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        List<Domain.Auditing.AuditEntry> refusals;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            refusals = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action == AccessRefusals.Action).OrderBy(a => a.Id).ToListAsync();
        }

        refusals.Count.ShouldBe(AccessRefusals.PerPerson, "the first per person and window; the rest only logged");
        refusals.ShouldAllBe(a => a.UserName == email && a.TenantId == null);
        refusals[0].After!.ShouldContain($"\"tenant\":\"{DemoTenant.Slug}\"");
        refusals[0].After!.ShouldContain("\"method\":\"GET\"");
        refusals[1].After!.ShouldContain("drift");

        // A new window records again.
        app.Clock.Advance(AccessRefusals.Window + TimeSpan.FromSeconds(1));
        reader = await app.SignedInBrowserAsync(email, password);
        (await reader.GetAsync("/drift")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var admin = await app.SignedInBrowserAsync(KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        var operations = await admin.GetStringAsync("/drift");
        operations.ShouldContain("Säkerhetshändelser");
        operations.ShouldContain("Nekad åtkomst (403)"); // AccessRefusals.Action, in Swedish
        operations.ShouldContain(email);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == AccessRefusals.Action)).ShouldBe(AccessRefusals.PerPerson + 1);
        }
    }
}
