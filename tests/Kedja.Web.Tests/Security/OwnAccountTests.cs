using System.Net;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// ADR 55: readable security events for system administrators, and the ASVS 4.0.3 level-2 controls of a person's own
/// account (show password 2.1.12, strength meter 2.1.8, own data export 8.3.2, sign-out).
/// </summary>
public sealed class OwnAccountTests
{
    private const string Sqlite = nameof(DatabaseProvider.Sqlite);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Security_events_show_their_details_as_labelled_swedish_values_with_hostile_text_encoded(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var reader = await app.SignedInBrowserAsync(email, password);
        (await reader.GetAsync("/drift")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // An entry whose values a visitor chose (a route, an unknown key) must reach the page as text, never as markup.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            db.AuditEntries.Add(AccountAudit.Entry(AccessRefusals.Entity, "x", AccessRefusals.Action, "angripare@example.se", app.Clock.GetUtcNow(),
                details: new { route = "<script>alert(1)</script>", tenant = DemoTenant.Slug, okändNyckel = "<b>fet</b>", mustEnrol = true }));
            await db.SaveChangesAsync();
        }

        var admin = await app.SignedInBrowserAsync(KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        var page = await admin.GetStringAsync("/drift");
        var events = page[page.IndexOf("id=\"sakerhet\"", StringComparison.Ordinal)..];
        events.ShouldNotContain("{\"");
        events.ShouldNotContain("{&quot;");
        events.ShouldContain("<dt>Metod:</dt> <dd>GET</dd>");
        events.ShouldMatch("<dt>Sökväg:</dt> <dd>/?drift</dd>"); // the route template, never the query string
        events.ShouldContain($"<dt>Kommun:</dt> <dd>{DemoTenant.Slug}</dd>");
        events.ShouldContain("<dt>Adress:</dt> <dd>");
        events.ShouldContain("<dt>Måste skaffa tvåstegsverifiering:</dt> <dd>ja</dd>");
        events.ShouldContain("<dt>okändNyckel:</dt>");
        events.ShouldNotContain("<script>alert(1)");
        events.ShouldNotContain("<b>fet</b>");
        events.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    [Fact]
    public async Task The_own_script_is_served_as_utf8_javascript_and_every_page_names_the_show_password_label()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite);
        var script = await app.CreateClient().GetAsync("/js/kedja.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.ToString().ShouldBe("text/javascript; charset=utf-8");
        var signIn = await app.CreateClient().GetStringAsync("/logga-in");
        signIn.ShouldMatch("<script src=\"/js/kedja.js\\?v=[^\"]+\" defer></script>");
        signIn.ShouldContain("data-show-password=\"Visa lösenord\"");
    }

    // 8.3.2 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_person_downloads_their_own_account_data_with_nothing_of_anyone_else_and_no_secret(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor);
        var (otherEmail, otherPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var person = await app.SignedInBrowserAsync(email, password);
        await app.SignedInBrowserAsync(otherEmail, otherPassword);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            foreach (var (owner, name) in new[] { (email, "Min nyckel"), (otherEmail, "Annans nyckel") })
            {
                var id = await db.Users.Where(u => u.Email == owner).Select(u => u.Id).SingleAsync();
                db.SecurityKeys.Add(new SecurityKey { UserId = id, CredentialId = System.Text.Encoding.UTF8.GetBytes(name), PublicKey = [1, 2, 3, 4, 5, 6], Name = name, CreatedAt = DateTime.UtcNow });
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        var download = await TwoFactorTests.PostFormAsync(person, "/profil", "/profil?handler=Export", []);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var text = await download.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        root.GetProperty("email").GetString().ShouldBe(email);
        root.GetProperty("twoFactorOn").GetBoolean().ShouldBeFalse();
        var membership = root.GetProperty("memberships").EnumerateArray().ShouldHaveSingleItem();
        membership.GetProperty("municipalitySlug").GetString().ShouldBe(DemoTenant.Slug);
        membership.GetProperty("role").GetString().ShouldBe("Editor");
        root.GetProperty("securityKeys").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("Min nyckel");
        text.ShouldNotContain("Annans nyckel");
        text.ShouldNotContain("credentialId", Case.Insensitive);
        text.ShouldNotContain("publicKey", Case.Insensitive);
        var session = root.GetProperty("sessions").EnumerateArray().ShouldHaveSingleItem();
        session.GetProperty("thisOne").GetBoolean().ShouldBeTrue();
        root.GetProperty("auditEntries").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ShouldContain("SignedIn");
        root.GetProperty("auditNote").GetString()!.ShouldContain(OwnDataExport.AuditCap.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Nothing of anyone else, nothing that signs in.
        text.ShouldNotContain(otherEmail);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
            text.ShouldNotContain(user.PasswordHash!);
            text.ShouldNotContain(user.SecurityStamp!);
            foreach (var id in await db.UserSessions.Where(s => s.UserId == user.Id).Select(s => s.Id).ToListAsync())
            {
                text.ShouldNotContain(id.ToString());
            }

            var exported = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.Action == OwnDataExport.Action);
            exported.EntityId.ShouldBe(user.Id);
            exported.UserName.ShouldBe(email);
        }

        foreach (var word in new[] { "hash", "stamp", "secret", "token", "password", "key", "code" })
        {
            text.ShouldNotContain($"{word}\":", Case.Insensitive);
        }

        // Without the form's token (another site's form) and anonymously: no file.
        (await person.PostAsync("/profil?handler=Export", new FormUrlEncodedContent([]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.CreateClient(new() { AllowAutoRedirect = false }).PostAsync("/profil?handler=Export", new FormUrlEncodedContent([])))
            .StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    // Sign-out ------------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Signing_out_ends_this_browser_session_only_and_the_person_stays_signed_in_elsewhere(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var desk = await app.SignedInBrowserAsync(email, password);
        var laptop = await app.SignedInBrowserAsync(email, password);

        (await TwoFactorTests.PostFormAsync(desk, "/profil", "/logga-ut", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await desk.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "this browser is signed out on the server");
        (await laptop.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK, "the other browser stays signed in");
    }

    // 2.5.7 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_operator_resets_a_lost_two_factor_device_ending_every_session_mailing_the_person_and_auditing_why(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var (session, _, _) = await TwoFactorTests.EnrolAsync(app);
        (await session.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A security key beside the app (ADR 56): the lost device may be the key, so the reset removes it too.
        using (var keyScope = app.Services.CreateScope())
        {
            var keyDb = keyScope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var owner = await keyDb.Users.SingleAsync(u => u.Email == KedjaApp.AdminEmail);
            keyDb.SecurityKeys.Add(new SecurityKey { UserId = owner.Id, CredentialId = [1, 2, 3, 4], PublicKey = [5, 6], Name = "Nyckel 1", CreatedAt = DateTime.UtcNow });
            await keyDb.SaveChangesAsync();
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = app.Provider.ToString(),
            ["ConnectionStrings:Kedja"] = app.ConnectionString,
            ["Kedja:Demo:Seed"] = "false",
        };
        (await Cli.Verbs.RunAsync(["reset-two-factor", "--email", KedjaApp.AdminEmail, "--reason", "ärende 4711, legitimation visad"], output, error, settings))
            .ShouldBe(0, error.ToString());

        // The old session (signed in with the lost phone) is refused on its next request.
        (await session.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == KedjaApp.AdminEmail);
        user.TwoFactorEnabled.ShouldBeFalse();
        user.AuthenticatorKeyProtected.ShouldBeNull();
        (await db.RecoveryCodes.CountAsync(c => c.UserId == user.Id)).ShouldBe(0);
        (await db.SecurityKeys.CountAsync(k => k.UserId == user.Id)).ShouldBe(0);
        var entry = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.Action == "TwoFactorReset");
        entry.UserName.ShouldBe("driften (reset-two-factor)");
        entry.After!.ShouldContain("ärende 4711");
        (await db.Outbox.CountAsync(m => m.ToAddress == KedjaApp.AdminEmail && m.Kind == "security-notice" && m.Subject == "Tvåstegsverifiering är avstängd i Kedja"))
            .ShouldBe(1);

        // Again: nothing to reset, nothing changes.
        (await Cli.Verbs.RunAsync(["reset-two-factor", "--email", KedjaApp.AdminEmail, "--reason", "igen"], output, error, settings)).ShouldBe(0);
        (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "TwoFactorReset")).ShouldBe(1);
    }
}
