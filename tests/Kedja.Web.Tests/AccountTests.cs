using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>Accounts by invitation: nobody chooses or learns another person's password (issue 6).</summary>
public class AccountTests
{
    private const string Password = "Eget-val-2026-ok";

    private static async Task CreateTenant(HttpClient admin, string slug)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug, name = slug.ToUpperInvariant(), kommunkod = "1234", template = ModelTemplates.Heby });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> SignIn(KedjaApp app, string email, string password, string address = "192.0.2.1") =>
        app.ClientFrom(address).PostAsJsonAsync("/api/v1/auth/tokens", new { email, password });

    private static Task<HttpResponseMessage> SetPassword(KedjaApp app, string secret, string newPassword) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret, newPassword });

    private static async Task<string> Invite(KedjaApp app, HttpClient admin, string slug, string email)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/members", new { email, role = "editor" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Last());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_cannot_give_a_password_and_another_municipality_adding_the_same_person_learns_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var system = await app.ClientAsync();
        await CreateTenant(system, "alfa");
        await CreateTenant(system, "beta");
        var alfaAdmin = await app.MemberClientAsync("alfa", TenantRole.Admin);
        var betaAdmin = await app.MemberClientAsync("beta", TenantRole.Admin);
        const string victim = "eva.ek@example.se";
        const string chosen = "Valt-av-alfa-123";

        // Alfa's administrator tries to give a first password: the account is made, but without that password.
        var byAlfa = await alfaAdmin.PostAsJsonAsync("/api/v1/tenants/alfa/members", new { email = victim, displayName = "Eva", role = "reader", password = chosen });
        byAlfa.StatusCode.ShouldBe(HttpStatusCode.Created, await byAlfa.Content.ReadAsStringAsync());
        (await SignIn(app, victim, chosen)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Eva sets her own password through the link only she received.
        var invitation = (await app.WaitForMailsAsync(victim)).Single();
        invitation.Subject!.ShouldContain("ALFA");
        (await SetPassword(app, KedjaApp.LinkSecret(invitation), Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Beta adds Eva and a person without an account: the two answers are alike in every way but the address.
        var existing = await betaAdmin.PostAsJsonAsync("/api/v1/tenants/beta/members", new { email = "Eva.Ek@example.se", displayName = "Eva Ek", role = "editor" });
        var fresh = await betaAdmin.PostAsJsonAsync("/api/v1/tenants/beta/members", new { email = "Nils.Ny@example.se", displayName = "Nils Ny", role = "editor" });
        existing.StatusCode.ShouldBe(HttpStatusCode.Created);
        fresh.StatusCode.ShouldBe(HttpStatusCode.Created);
        var a = await existing.Content.ReadFromJsonAsync<JsonElement>();
        var b = await fresh.Content.ReadFromJsonAsync<JsonElement>();
        a.EnumerateObject().Select(p => p.Name).ShouldBe(b.EnumerateObject().Select(p => p.Name));
        a.TryGetProperty("userId", out _).ShouldBeFalse();
        a.GetProperty("email").GetString().ShouldBe("eva.ek@example.se");
        b.GetProperty("email").GetString().ShouldBe("nils.ny@example.se");
        a.GetProperty("displayName").GetString().ShouldBe("Eva Ek");
        a.GetProperty("version").GetInt32().ShouldBe(b.GetProperty("version").GetInt32());
        existing.Headers.Location!.ToString().ShouldStartWith("/api/v1/tenants/beta/members/");
        var listed = (await betaAdmin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/beta/members")).EnumerateArray()
            .Single(m => m.GetProperty("email").GetString() == "eva.ek@example.se");
        listed.GetProperty("displayName").GetString().ShouldBe("Eva Ek");

        // Eva is told, without a link; Nils gets a link. Alfa's administrator still cannot sign in as Eva.
        var notice = (await app.WaitForMailsAsync(victim, 2)).Last();
        notice.Subject!.ShouldContain("BETA");
        notice.TextBody!.ShouldNotContain("kod=");
        KedjaApp.LinkSecret((await app.WaitForMailsAsync("nils.ny@example.se")).Single()).ShouldNotBeNullOrEmpty();
        (await SignIn(app, victim, chosen)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignIn(app, victim, Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Beta's audit trail tells the two apart no more than the answers do: the same entries, no account id.
        var trail = (await betaAdmin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/beta/audit")).EnumerateArray().ToList();
        var entriesFor = (JsonElement member) => trail.Where(e => e.GetProperty("entityId").GetString() == member.GetProperty("id").GetString())
            .Select(e => e.GetProperty("entity").GetString() + " " + e.GetProperty("action").GetString()).Order().ToList();
        entriesFor(a).ShouldBe(entriesFor(b));
        entriesFor(a).ShouldContain("TenantMembership Invited");
        trail.ShouldNotContain(e => e.GetProperty("entity").GetString() == "Account");
        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Users.Select(u => u.Id).ToList();
            trail.ShouldNotContain(e => accounts.Any(id => (e.GetProperty("after").GetString() ?? "").Contains(id) || e.GetProperty("entityId").GetString() == id));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_look_alike_address_cannot_be_registered_to_catch_another_persons_mail(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        foreach (var lookAlike in new[] { "\u017Ftina@example.se", "\u212Aarin@example.se", "åsa@example.se" })
        {
            var refused = await admin.PostAsJsonAsync("/api/v1/tenants/exempelkommun/members", new { email = lookAlike, role = "reader" });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("e-postadress");
        }

        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/exempelkommun/members")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_invitation_link_sets_the_password_once_and_not_twice(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string email = "olle.berg@example.se";
        var secret = await Invite(app, admin, "exempelkommun", email);

        (await SignIn(app, email, "")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SetPassword(app, secret, Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await SignIn(app, email, Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await SetPassword(app, secret, "Ett-annat-val-77");
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadAsStringAsync()).ShouldContain(Accounts.LinkError);
        (await SignIn(app, email, "Ett-annat-val-77")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var wrong = await SetPassword(app, "inte-en-riktig-kod", Password);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain(Accounts.LinkError);

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.KedjaUser>>();
        (await users.FindByEmailAsync(email))!.EmailConfirmed.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expired_invitation_link_is_refused_and_the_administrator_can_send_a_fresh_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string email = "stina.sand@example.se";
        var secret = await Invite(app, admin, "exempelkommun", email);
        var member = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/exempelkommun/members")).EnumerateArray()
            .Single(m => m.GetProperty("email").GetString() == email);

        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var expired = await SetPassword(app, secret, Password);
        expired.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await expired.Content.ReadAsStringAsync()).ShouldContain(Accounts.LinkError);

        admin = await app.ClientAsync();
        var resend = await admin.PostAsync($"/api/v1/tenants/exempelkommun/members/{member.GetProperty("id").GetGuid()}/invitation", null);
        resend.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var fresh = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email, 2)).Last());
        (await SetPassword(app, fresh, Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Once a password is set, the same request answers the same and sends a notice without a link.
        var again = await admin.PostAsync($"/api/v1/tenants/exempelkommun/members/{member.GetProperty("id").GetGuid()}/invitation", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await again.Content.ReadAsStringAsync()).ShouldBe(await resend.Content.ReadAsStringAsync());
        (await app.WaitForMailsAsync(email, 3)).Last().TextBody!.ShouldNotContain("kod=");
        (await SignIn(app, email, Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_forgotten_password_is_replaced_through_a_mailed_link_that_expires_after_an_hour(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var before = await app.ClientAsync();
        var anonymous = app.CreateClient();

        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = "ingen@example.se" });
        var known = await anonymous.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail });
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(await known.Content.ReadAsStringAsync());

        // Requests are handled in order, so once the known address has its mail the unknown one was handled too.
        var first = (await app.WaitForMailsAsync(KedjaApp.AdminEmail)).Single();
        app.MailsTo("ingen@example.se").ShouldBeEmpty();

        // A link older than an hour no longer works.
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        (await SetPassword(app, KedjaApp.LinkSecret(first), Password)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await anonymous.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var second = (await app.WaitForMailsAsync(KedjaApp.AdminEmail, 2)).Last();
        second.Subject.ShouldBe("Nytt lösenord till Kedja");
        (await SetPassword(app, KedjaApp.LinkSecret(second), Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await SignIn(app, KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignIn(app, KedjaApp.AdminEmail, Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A reset ends the tokens made with the old password.
        (await before.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Changing_the_own_password_needs_the_current_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();

        var wrong = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "inte-det-har-1", newPassword = Password });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Det nuvarande lösenordet stämmer inte.");

        var weak = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = KedjaApp.AdminPassword, newPassword = "kort" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await weak.Content.ReadAsStringAsync()).ShouldContain("Lösenordet måste ha minst 12 tecken.");
        (await SignIn(app, KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var changed = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = KedjaApp.AdminPassword, newPassword = Password });
        changed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        (await SignIn(app, KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignIn(app, KedjaApp.AdminEmail, Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.WaitForMailsAsync(KedjaApp.AdminEmail)).Single().Subject.ShouldBe("Ditt lösenord till Kedja är ändrat");

        // Tokens made with the old password, the one in use included, stop working.
        (await admin.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = Password, newPassword = "Ytterligare-ett-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_link_in_the_mail_opens_a_page_protected_against_csrf_where_the_person_chooses_a_password(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var system = await app.ClientAsync();
        await CreateTenant(system, "alfa");
        var secret = await Invite(app, system, "alfa", "sara.sida@example.se");
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var url = $"/konto/losenord?kod={Uri.EscapeDataString(secret)}";

        var page = await browser.GetAsync(url);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("lang=\"sv\"");
        html.ShouldContain("<label for=\"nytt\">");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        antiforgery.ShouldNotBeEmpty();
        HttpContent Form(string password, string repeated, bool withToken = true) => new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = withToken ? antiforgery : "",
            ["kod"] = secret,
            ["nytt"] = password,
            ["upprepa"] = repeated,
        });

        // Another site's form (no antiforgery token) changes nothing.
        (await app.CreateClient().PostAsync(url, Form(Password, Password, withToken: false))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await SignIn(app, "sara.sida@example.se", Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var mismatch = await (await browser.PostAsync(url, Form(Password, Password + "x"))).Content.ReadAsStringAsync();
        mismatch.ShouldContain("role=\"alert\"");
        var weak = await (await browser.PostAsync(url, Form("sara.sida-2026", "sara.sida-2026"))).Content.ReadAsStringAsync();
        weak.ShouldContain("role=\"alert\"");
        (await SignIn(app, "sara.sida@example.se", "sara.sida-2026")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var done = await (await browser.PostAsync(url, Form(Password, Password))).Content.ReadAsStringAsync();
        done.ShouldContain("role=\"status\"");
        (await SignIn(app, "sara.sida@example.se", Password)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The link worked once.
        var again = await (await browser.PostAsync(url, Form(Password + "2", Password + "2"))).Content.ReadAsStringAsync();
        again.ShouldContain("role=\"alert\"");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_ends_the_passwords_and_tokens_that_administrators_chose_before_invitations(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var options = new DbContextOptionsBuilder<KedjaDbContext>();
        KedjaDatabase.Configure(options, database.Provider, database.ConnectionString);
        KedjaDbContext Context() => new(options.Options, new TenantScope(), new FixedActor("test"));
        await using (var db = Context())
        {
            await new SchemaMigrator(db).MigrateAsync("0007_actions_state_and_scale_forms");
            foreach (var (id, confirmed, admin) in new[] { ("chosen", false, false), ("own", true, false), ("root", false, true) })
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO users (id, is_system_admin, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, security_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) " +
                    "VALUES ({0}, {1}, {2}, {3}, {2}, {3}, {4}, 'hash', 'stamp', {5}, {5}, {6}, 0)",
                    id, admin, $"{id}@example.se", $"{id.ToUpperInvariant()}@EXAMPLE.SE", confirmed, false, true);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO access_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES ({0}, {1}, 'API', {2}, 'kedja_x', {3})",
                    Guid.NewGuid(), id, "h-" + id, DateTime.UtcNow);
            }

            await new SchemaMigrator(db).MigrateAsync();
        }

        await using (var db = Context())
        {
            var users = await db.Users.ToDictionaryAsync(u => u.Id);
            users["chosen"].PasswordHash.ShouldBeNull();
            users["chosen"].SecurityStamp.ShouldNotBe("stamp");
            users["own"].PasswordHash.ShouldBe("hash");
            users["root"].PasswordHash.ShouldBe("hash");
            var tokens = await db.AccessTokens.ToDictionaryAsync(t => t.UserId);
            tokens["chosen"].RevokedAt.ShouldNotBeNull();
            tokens["own"].RevokedAt.ShouldBeNull();
            tokens["root"].RevokedAt.ShouldBeNull();
        }
    }
}
