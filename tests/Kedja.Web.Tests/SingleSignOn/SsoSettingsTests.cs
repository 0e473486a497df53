using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.SingleSignOn;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using static Kedja.Web.Tests.SingleSignOn.SsoTestSupport;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// A tenant's sign-in settings (issue 14): its provider, e-mail domains, group mappings and switches, through the one
/// service the API, the page and the tenant document share. Administrators only, from the version read, every change
/// audited, and the client secret written once and never read back by anyone: not in an answer, a page, the trail, the
/// log or the document.
/// </summary>
public sealed class SsoSettingsTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Api = $"/api/v1/tenants/{Slug}/sign-in-settings";

    private static object Provider(string authority = "https://login.exempelkommun.se/realms/personal", bool enabled = true) => new
    {
        authority, clientId = "kedja", scopes = "openid profile email groups", emailClaim = "email", nameClaim = "name", groupsClaim = "groups",
        displayName = "Exempelkommuns konto", enabled,
    };

    private static async Task<int> VersionAsync(HttpClient client, string api = Api) => (await SendAsync(client, HttpMethod.Get, api)).Body.GetProperty("version").GetInt32();

    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    [Theory]
    [InlineData("kommun.se", "kommun.se")]
    [InlineData("  Kommun.SE ", "kommun.se")]
    [InlineData("@kommun.se", "kommun.se")]
    [InlineData("Anna.Berg@Kommun.se", "kommun.se")]
    [InlineData("åre.se", "xn--re-xia.se")]
    [InlineData("ÅRE.SE", "xn--re-xia.se")]
    [InlineData("xn--re-xia.se", "xn--re-xia.se")]
    [InlineData("skola.kommun.se.", "skola.kommun.se")]
    public void A_domain_is_stored_in_lower_case_and_punycode(string typed, string stored)
    {
        var (domain, error) = SsoRules.Domain(typed);
        error.ShouldBeNull();
        domain.ShouldBe(stored);
        SsoRules.DomainOf($"anna@{typed.Trim().TrimStart('@').Split('@')[^1]}").ShouldBe(stored, "home realm discovery finds an address's domain by the same rule");
    }

    [Theory]
    [InlineData("kommun")]
    [InlineData("kommun .se")]
    [InlineData("http://kommun.se")]
    [InlineData("kommun.se/personal")]
    [InlineData("127.0.0.1")]
    [InlineData("-kommun.se")]
    [InlineData("kom_mun.se")]
    [InlineData("anna@")]
    [InlineData("kommun.se;evil.se")]
    [InlineData("kommun.123")]
    public void Junk_is_no_domain(string typed)
    {
        var (domain, error) = SsoRules.Domain(typed);
        domain.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain("är ingen e-postdomän");
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/4b7c/v2.0")]
    [InlineData("https://idp.kommun.se/realms/personal/")]
    [InlineData("http://localhost:5431")]
    [InlineData("http://127.0.0.1:8080/realms/a")]
    [InlineData("http://[::1]:9000")]
    public void An_authority_is_https_or_http_on_this_computer(string typed) => SsoRules.Authority(typed).ShouldBe((typed, null));

    [Theory]
    [InlineData("http://idp.kommun.se", "måste använda https://")]
    [InlineData("http://localhost.ond.se", "måste använda https://")]
    [InlineData("idp.kommun.se", "är ingen fullständig webbadress")]
    [InlineData("ftp://idp.kommun.se", "är ingen fullständig webbadress")]
    [InlineData("javascript:alert(1)", "är ingen fullständig webbadress")]
    [InlineData("https://idp.kommun.se/?tenant=1", "utan användarnamn, frågetecken och #")]
    [InlineData("https://anna:lösen@idp.kommun.se", "utan användarnamn, frågetecken och #")]
    [InlineData("https://idp.kommun.se/.well-known/openid-configuration", "utan /.well-known/openid-configuration")]
    [InlineData("", "Ange inloggningstjänstens adress")]
    public void Other_authorities_are_refused_with_the_reason(string typed, string reason)
    {
        var (authority, error) = SsoRules.Authority(typed);
        authority.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain(reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Settings_saved_are_read_back_and_the_secret_is_in_no_answer_page_trail_log_or_document(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var log = new LogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var admin = await app.ClientAsync();
        var library = await UnitAsync(app, "Biblioteket");

        var (status, read) = await SendAsync(admin, HttpMethod.Get, Api);
        status.ShouldBe(HttpStatusCode.OK, read.ToString());
        read.GetProperty("provider").ValueKind.ShouldBe(JsonValueKind.Null);
        (read.GetProperty("localPasswords").GetBoolean(), read.GetProperty("requireTwoFactor").GetBoolean(), read.GetProperty("hasClientSecret").GetBoolean()).ShouldBe((true, false, false));
        var version = read.GetProperty("version").GetInt32();

        var (saved, answer) = await SendAsync(admin, HttpMethod.Put, Api, new
        {
            provider = Provider(),
            clientSecret = TypedSecret,
            emailDomains = new[] { " Exempelkommun.SE ", "åre.se", "", "exempelkommun.se" },
            groupMappings = new object[] { new { group = "kedja-admins", role = "admin", unitId = (Guid?)null }, new { group = " bibliotek ", role = "editor", unitId = library } },
            localPasswords = false,
            requireTwoFactor = true,
            version,
        });
        saved.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.ToString().ShouldNotContain(TypedSecret);
        answer.TryGetProperty("clientSecret", out _).ShouldBeFalse("the secret is written, never read");
        answer.GetProperty("hasClientSecret").GetBoolean().ShouldBeTrue();
        answer.GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()).ShouldBe(["exempelkommun.se", "xn--re-xia.se"]);
        answer.GetProperty("groupMappings").ToString().ShouldBe($$"""[{"group":"bibliotek","role":"editor","unitId":"{{library}}"},{"group":"kedja-admins","role":"admin","unitId":null}]""");
        answer.GetProperty("provider").GetProperty("authority").GetString().ShouldBe("https://login.exempelkommun.se/realms/personal");
        (answer.GetProperty("localPasswords").GetBoolean(), answer.GetProperty("requireTwoFactor").GetBoolean()).ShouldBe((false, true));
        answer.GetProperty("version").GetInt32().ShouldBe(version + 1);
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.ToString().ShouldBe(answer.ToString());

        // Stored encrypted; the sign-in flow reads it decrypted.
        int providerVersion;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var row = await db.IdentityProviders.IgnoreQueryFilters().AsNoTracking().SingleAsync();
            row.ClientSecretProtected.ShouldNotBeNull();
            row.ClientSecretProtected.ShouldNotContain(TypedSecret);
            scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(SsoSettings.SecretPurpose).Unprotect(row.ClientSecretProtected).ShouldBe(TypedSecret);
            var forSignIn = (await scope.ServiceProvider.GetRequiredService<SsoSettings>().ReadForSignInAsync(Slug))!;
            (forSignIn.ClientSecret, forSignIn.ClientId, forSignIn.LocalPasswords).ShouldBe((TypedSecret, "kedja", false));
            forSignIn.Scopes.ShouldBe(["openid", "profile", "email", "groups"]);
            forSignIn.ToString().ShouldNotContain(TypedSecret);
            providerVersion = forSignIn.Version;
        }

        // What GET gave, PUT takes back: the secret stays, the provider's version moves (the sign-in nodes watch it).
        var (same, back) = await SendAsync(admin, HttpMethod.Put, Api, answer);
        same.ShouldBe(HttpStatusCode.OK, back.ToString());
        back.GetProperty("version").GetInt32().ShouldBe(version + 2);
        back.GetProperty("hasClientSecret").GetBoolean().ShouldBeTrue();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var forSignIn = (await scope.ServiceProvider.GetRequiredService<SsoSettings>().ReadForSignInAsync(Slug))!;
            (forSignIn.ClientSecret, forSignIn.Version).ShouldBe((TypedSecret, providerVersion + 1));
        }

        // The page, the document and the trail name the secret only as being there.
        var page = await admin.GetStringAsync($"/k/{Slug}/inloggning");
        page.ShouldNotContain(TypedSecret);
        page.ShouldContain("En hemlighet är sparad.");
        Input(page, "ClientSecret").ShouldBeEmpty();
        var export = await admin.GetStringAsync($"/api/v1/tenants/{Slug}/export");
        export.ShouldNotContain(TypedSecret);
        export.ShouldNotContain("clientSecret", Case.Insensitive);
        var signIn = JsonNode.Parse(export)!["signIn"]!;
        signIn["provider"]!["authority"]!.GetValue<string>().ShouldBe("https://login.exempelkommun.se/realms/personal");
        signIn["emailDomains"]!.ToJsonString().ShouldBe("""["exempelkommun.se","xn--re-xia.se"]""");
        var (auditScope, auditDb) = app.DbFor(Slug);
        using (auditScope)
        {
            var tenantId = await auditDb.Tenants.Where(t => t.Slug == Slug).Select(t => t.Id).SingleAsync();
            var entries = await auditDb.AuditEntries.IgnoreQueryFilters().AsNoTracking().ToListAsync();
            var ciphertext = (await auditDb.IdentityProviders.AsNoTracking().SingleAsync()).ClientSecretProtected!;
            entries.ShouldAllBe(a => !(a.Before + a.After).Contains(TypedSecret) && !(a.Before + a.After).Contains(ciphertext));
            var changes = entries.Where(a => a.Entity == SsoSettings.AuditEntity).ToList();
            changes.Count.ShouldBe(1, "sending back what GET gave changes nothing worth a line in the trail");
            var change = changes.Single();
            (change.TenantId, change.UserName, change.Action).ShouldBe((tenantId, KedjaApp.AdminEmail, "Modified"));
            var before = JsonNode.Parse(change.Before!)!;
            var after = JsonNode.Parse(change.After!)!;
            before["provider"].ShouldBeNull();
            (before["localPasswords"]!.GetValue<bool>(), after["localPasswords"]!.GetValue<bool>()).ShouldBe((true, false));
            after["clientSecret"]!.GetValue<string>().ShouldBe("(ändrad)");
            after["emailDomains"]!.ToJsonString().ShouldBe("""["exempelkommun.se","xn--re-xia.se"]""");
            (await AuditChain.VerifyAsync(auditDb, tenantId)).IsIntact.ShouldBeTrue();
        }

        log.Messages.ShouldNotBeEmpty();
        log.Messages.ShouldAllBe(m => !m.Contains(TypedSecret));

        // Removed on request; turned off, the sign-in flow no longer gets it.
        var (removed, none) = await SendAsync(admin, HttpMethod.Put, Api, new
        {
            provider = Provider(enabled: false), removeClientSecret = true, emailDomains = new[] { "exempelkommun.se" }, localPasswords = true, version = version + 2,
        });
        removed.ShouldBe(HttpStatusCode.OK, none.ToString());
        none.GetProperty("hasClientSecret").GetBoolean().ShouldBeFalse();
        none.GetProperty("groupMappings").GetArrayLength().ShouldBe(0);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<SsoSettings>().ReadForSignInAsync(Slug)).ShouldBeNull();
            (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().IdentityProviders.IgnoreQueryFilters().SingleAsync()).ClientSecretProtected.ShouldBeNull();
            var last = await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().AuditEntries.IgnoreQueryFilters().Where(a => a.Entity == SsoSettings.AuditEntity)
                .OrderByDescending(a => a.At).ThenByDescending(a => a.Sequence).FirstAsync();
            JsonNode.Parse(last.After!)!["clientSecret"]!.GetValue<string>().ShouldBe("(borttagen)");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_domain_belongs_to_one_municipality_and_the_refusal_does_not_name_the_other(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        const string other = "/api/v1/tenants/annan/sign-in-settings";
        (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(), emailDomains = new[] { "stad.se", "åre.se" }, version = await VersionAsync(admin) })).Status
            .ShouldBe(HttpStatusCode.OK);

        var before = (await SendAsync(admin, HttpMethod.Get, other)).Body;
        var (status, problem) = await SendAsync(admin, HttpMethod.Put, other, new
        {
            provider = Provider("https://idp.annan.se"), emailDomains = new[] { "annan.se", "STAD.se", "xn--re-xia.se" }, version = before.GetProperty("version").GetInt32(),
        });
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        var errors = ProblemDetailsTests.Errors(problem, "emailDomains");
        errors.ShouldBe([
            "E-postdomänen stad.se hör redan till en annan kommun i Kedja. En domän kan bara höra till en kommun; be Kedjas systemadministratör om hjälp om den ska flyttas.",
            "E-postdomänen xn--re-xia.se hör redan till en annan kommun i Kedja. En domän kan bara höra till en kommun; be Kedjas systemadministratör om hjälp om den ska flyttas.",
        ], ignoreOrder: true);
        problem.ToString().ShouldNotContain("Exempelkommun", Case.Insensitive);
        (await SendAsync(admin, HttpMethod.Get, other)).Body.ToString().ShouldBe(before.ToString(), "nothing written, not even annan.se");

        // Said with every other error of the same input.
        var (both, all) = await SendAsync(admin, HttpMethod.Put, other, new
        {
            provider = Provider("http://idp.annan.se"), emailDomains = new[] { "stad.se" }, version = before.GetProperty("version").GetInt32(),
        });
        both.ShouldBe(HttpStatusCode.BadRequest);
        all.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["provider.authority", "emailDomains"], ignoreOrder: true);

        // A municipality saves its own domains again as often as it likes.
        (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(), emailDomains = new[] { "stad.se" }, version = await VersionAsync(admin) })).Status
            .ShouldBe(HttpStatusCode.OK);
        (await SendAsync(admin, HttpMethod.Put, other, new { provider = Provider("https://idp.annan.se"), emailDomains = new[] { "åre.se" }, version = await VersionAsync(admin, other) }))
            .Status.ShouldBe(HttpStatusCode.OK, "åre.se was let go by the first");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_input_is_refused_with_every_error_at_once_and_nothing_changes(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var before = (await SendAsync(admin, HttpMethod.Get, Api)).Body;
        var version = before.GetProperty("version").GetInt32();
        var (status, problem) = await SendAsync(admin, HttpMethod.Put, Api, new
        {
            provider = new { authority = "http://idp.exempelkommun.se", clientId = "", scopes = "profile email", emailClaim = "e mail", enabled = false },
            clientSecret = "ny", removeClientSecret = true,
            emailDomains = new[] { "exempelkommun.se", "inte en domän", "exempelkommun" },
            groupMappings = new object[] { new { group = "", role = "reader", unitId = Guid.NewGuid() }, new { group = "g", role = "reader" }, new { group = "g", role = "admin" } },
            localPasswords = false,
            version,
        });
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([
            "provider.authority", "provider.clientId", "provider.scopes", "provider.emailClaim", "emailDomains[1]", "emailDomains[2]",
            "groupMappings[0].group", "groupMappings[0].unitId", "groupMappings[2].role", "localPasswords", "clientSecret",
        ], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "provider.authority").Single().ShouldContain("måste använda https://");
        ProblemDetailsTests.Errors(problem, "provider.scopes").Single().ShouldContain("måste innehålla openid");
        ProblemDetailsTests.Errors(problem, "emailDomains[1]").Single().ShouldStartWith("”inte en domän” är ingen e-postdomän");
        ProblemDetailsTests.Errors(problem, "localPasswords").Single().ShouldStartWith("Lösenord i Kedja kan bara stängas av när inloggningstjänsten är påslagen");
        ProblemDetailsTests.Errors(problem, "clientSecret").Single().ShouldBe("Skriv en ny klienthemlighet eller ta bort den sparade, inte båda.");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.ToString().ShouldBe(before.ToString());

        // A stale version is someone else's change overwritten: 409 in Swedish; no version at all is asked for.
        (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(), version })).Status.ShouldBe(HttpStatusCode.OK);
        var (stale, conflict) = await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(enabled: false), version });
        stale.ShouldBe(HttpStatusCode.Conflict);
        conflict.GetProperty("title").GetString().ShouldBe(ServiceError.ConflictMessage);
        conflict.GetProperty("title").GetString()!.ShouldStartWith("Någon annan har ändrat");
        var (missing, noVersion) = await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(enabled: false) });
        missing.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(noVersion, "version").ShouldBe([ServiceError.VersionToChange]);

        // Once there, a provider is turned off, not removed: the sign-in nodes follow its version.
        var (removed, refusal) = await SendAsync(admin, HttpMethod.Put, Api, new { version = version + 1 });
        removed.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(refusal, "provider").Single().ShouldContain("kan inte tas bort, bara stängas av");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("provider").GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Local_passwords_are_turned_off_only_with_an_enabled_provider_and_a_domain(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string rule = "Lösenord i Kedja kan bara stängas av när inloggningstjänsten är påslagen och minst en e-postdomän är angiven. Annars kan ingen logga in.";
        var version = await VersionAsync(admin);
        foreach (var attempt in new object[]
        {
            new { localPasswords = false, emailDomains = new[] { "exempelkommun.se" }, version },
            new { provider = Provider(enabled: false), localPasswords = false, emailDomains = new[] { "exempelkommun.se" }, version },
            new { provider = Provider(), localPasswords = false, version },
        })
        {
            var (status, problem) = await SendAsync(admin, HttpMethod.Put, Api, attempt);
            status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
            ProblemDetailsTests.Errors(problem, "localPasswords").ShouldBe([rule]);
        }

        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("localPasswords").GetBoolean().ShouldBeTrue();
        (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(), localPasswords = false, emailDomains = new[] { "exempelkommun.se" }, version })).Status
            .ShouldBe(HttpStatusCode.OK);

        // With passwords off, the provider cannot then be turned off nor the last domain removed.
        foreach (var attempt in new object[]
        {
            new { provider = Provider(enabled: false), localPasswords = false, emailDomains = new[] { "exempelkommun.se" }, version = version + 1 },
            new { provider = Provider(), localPasswords = false, version = version + 1 },
        })
        {
            var (status, problem) = await SendAsync(admin, HttpMethod.Put, Api, attempt);
            status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
            ProblemDetailsTests.Errors(problem, "localPasswords").ShouldBe([rule]);
        }

        var now = (await SendAsync(admin, HttpMethod.Get, Api)).Body;
        (now.GetProperty("localPasswords").GetBoolean(), now.GetProperty("provider").GetProperty("enabled").GetBoolean(), now.GetProperty("emailDomains").GetArrayLength())
            .ShouldBe((false, true, 1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_the_municipalitys_administrators_read_or_change_the_settings(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var version = await VersionAsync(admin);
        var change = new { provider = Provider("https://ond.se"), clientSecret = "x", emailDomains = new[] { "exempelkommun.se" }, version };
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            (await SendAsync(member, HttpMethod.Get, Api)).Status.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
            var (status, problem) = await SendAsync(member, HttpMethod.Put, Api, change);
            status.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
            problem.GetProperty("title").GetString().ShouldBe(TenantAccess.ForbiddenMessage);
            (await SendAsync(member, HttpMethod.Post, $"{Api}/connection-test")).Status.ShouldBe(HttpStatusCode.Forbidden);
        }

        // Another municipality's administrator is not told this one exists.
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await SendAsync(stranger, HttpMethod.Get, Api)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await SendAsync(stranger, HttpMethod.Put, Api, change)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await SendAsync(stranger, HttpMethod.Post, $"{Api}/connection-test")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await app.CreateClient().GetAsync(Api)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("provider").ValueKind.ShouldBe(JsonValueKind.Null);

        // The service refuses on its own too, whoever calls it with a role too low.
        await using var scope = app.Services.CreateAsyncScope();
        var context = (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Value!;
        context.Role = TenantRole.Editor;
        var settings = scope.ServiceProvider.GetRequiredService<SsoSettings>();
        var refused = await settings.SaveAsync(new VersionedSignInSettings { EmailDomains = ["exempelkommun.se"], Version = version });
        (refused.Error!.Kind, refused.Error.Message).ShouldBe((ServiceErrorKind.Forbidden, SsoSettings.AdminsOnly));
        (await settings.GetAsync()).Error!.Kind.ShouldBe(ServiceErrorKind.Forbidden);
        (await settings.TestConnectionAsync()).Error!.Kind.ShouldBe(ServiceErrorKind.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_document_carries_the_settings_without_the_secret_and_a_copy_cannot_take_the_originals_domains(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var library = await UnitAsync(app, "Biblioteket");
        (await SendAsync(admin, HttpMethod.Put, Api, new
        {
            provider = Provider(), clientSecret = TypedSecret, emailDomains = new[] { "exempelkommun.se" },
            groupMappings = new object[] { new { group = "bibliotek", role = "editor", unitId = library } }, requireTwoFactor = true, version = await VersionAsync(admin),
        })).Status.ShouldBe(HttpStatusCode.OK);

        var export = await admin.GetStringAsync($"/api/v1/tenants/{Slug}/export");
        export.ShouldNotContain(TypedSecret);
        var taken = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(export, Encoding.UTF8, "application/json"));
        taken.IsSuccessStatusCode.ShouldBeFalse();
        var refusal = await taken.Content.ReadAsStringAsync();
        refusal.ShouldContain("E-postdomänen exempelkommun.se hör redan till en annan kommun i Kedja. Ta bort den ur dokumentet");
        (await SendAsync(admin, HttpMethod.Get, "/api/v1/tenants/kopia/sign-in-settings")).Status.ShouldBe(HttpStatusCode.NotFound, "nothing imported");

        var doc = JsonNode.Parse(export)!;
        doc["signIn"]!["emailDomains"] = new JsonArray();
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var copy = (await SendAsync(admin, HttpMethod.Get, "/api/v1/tenants/kopia/sign-in-settings")).Body;
        copy.GetProperty("provider").ToString().ShouldBe((await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("provider").ToString());
        copy.GetProperty("hasClientSecret").GetBoolean().ShouldBeFalse("a document never carries the secret");
        copy.GetProperty("requireTwoFactor").GetBoolean().ShouldBeTrue();
        copy.GetProperty("groupMappings").ToString().ShouldBe($$"""[{"group":"bibliotek","role":"editor","unitId":"{{library}}"}]""", "units keep their ids in a document");
        JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/kopia/export"))!["signIn"]!.ToJsonString().ShouldBe(doc["signIn"]!.ToJsonString());

        // The document's rules are the settings' rules, with the document's paths.
        doc["signIn"]!["localPasswords"] = false;
        doc["signIn"]!["groupMappings"]![0]!["unitId"] = Guid.NewGuid().ToString();
        var bad = await admin.PostAsync("/api/v1/tenants/import?slug=kopia2", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        bad.IsSuccessStatusCode.ShouldBeFalse();
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        ProblemDetailsTests.Errors(problem, "$.signIn.localPasswords").Single().ShouldStartWith("Lösenord i Kedja kan bara stängas av");
        ProblemDetailsTests.Errors(problem, "$.signIn.groupMappings[0].unitId").Single().ShouldStartWith("Enheten finns inte i kommunen");

        // A document from before the section gives local passwords and nothing else.
        doc.AsObject().Remove("signIn");
        (await admin.PostAsync("/api/v1/tenants/import?slug=kopia3", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var plain = (await SendAsync(admin, HttpMethod.Get, "/api/v1/tenants/kopia3/sign-in-settings")).Body;
        (plain.GetProperty("provider").ValueKind, plain.GetProperty("localPasswords").GetBoolean()).ShouldBe((JsonValueKind.Null, true));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_connection_test_asks_only_the_saved_authority_follows_no_redirect_and_reads_a_capped_answer(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await using var idp = new FakeDiscovery();
        await using var elsewhere = new FakeDiscovery();
        elsewhere.Json("/.well-known/openid-configuration", new { issuer = elsewhere.Root });
        idp.Json("/ok/.well-known/openid-configuration", new { issuer = $"{idp.Root}/ok", authorization_endpoint = $"{idp.Root}/ok/auth" });
        idp.Json("/annan/.well-known/openid-configuration", new { issuer = "https://login.ond.se" });
        idp.Answer("/flytt/.well-known/openid-configuration", "302 Found", "text/plain", "", $"Location: {elsewhere.Root}/.well-known/openid-configuration\r\n");
        idp.Answer("/stor/.well-known/openid-configuration", "200 OK", "application/json", "{\"issuer\":\"" + new string('x', 300 * 1024) + "\"}");
        idp.Answer("/text/.well-known/openid-configuration", "200 OK", "text/html", "<html>Välkommen</html>");
        var admin = await app.ClientAsync();
        var test = $"{Api}/connection-test";

        var (first, nothing) = await SendAsync(admin, HttpMethod.Post, test);
        first.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(nothing, "authority").Single().ShouldBe("Spara inloggningstjänstens adress först. Testet frågar den sparade adressen.");

        async Task<(HttpStatusCode Status, JsonElement Body)> TestAsync(string authority)
        {
            (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(authority, enabled: false), version = await VersionAsync(admin) })).Status.ShouldBe(HttpStatusCode.OK);
            return await SendAsync(admin, HttpMethod.Post, test);
        }

        var (ok, found) = await TestAsync($"{idp.Root}/ok");
        ok.ShouldBe(HttpStatusCode.OK, found.ToString());
        (found.GetProperty("issuer").GetString(), found.GetProperty("issuerMatches").GetBoolean()).ShouldBe(($"{idp.Root}/ok", true));
        found.GetProperty("address").GetString().ShouldBe($"{idp.Root}/ok/.well-known/openid-configuration");

        var (other, differs) = await TestAsync($"{idp.Root}/annan/");
        other.ShouldBe(HttpStatusCode.OK);
        (differs.GetProperty("issuer").GetString(), differs.GetProperty("issuerMatches").GetBoolean()).ShouldBe(("https://login.ond.se", false));

        var (moved, redirect) = await TestAsync($"{idp.Root}/flytt");
        moved.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(redirect, "authority").Single().ShouldContain("svarar med en omdirigering till en annan adress. Kedja följer den inte");
        elsewhere.Requests.ShouldBeEmpty("the redirect is not followed");

        var (big, tooBig) = await TestAsync($"{idp.Root}/stor");
        big.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(tooBig, "authority").Single().ShouldContain("är större än 256 kB");

        var (html, notJson) = await TestAsync($"{idp.Root}/text");
        html.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(notJson, "authority").Single().ShouldContain("inte JSON");
        notJson.ToString().ShouldNotContain("Välkommen", customMessage: "nothing of the answer is repeated but the issuer");

        var (missing, notFound) = await TestAsync($"{idp.Root}/saknas");
        missing.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(notFound, "authority").Single().ShouldContain("svarade 404");

        var closed = elsewhere.Root;
        await elsewhere.DisposeAsync();
        var (unreachable, gone) = await TestAsync(closed);
        unreachable.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(gone, "authority").Single().ShouldContain("Kedja kunde inte nå 127.0.0.1");
        idp.Requests.ShouldAllBe(path => path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_production_the_connection_test_does_not_reach_the_server_itself()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true, environment: "Production");
        await using var idp = new FakeDiscovery();
        idp.Json("/ok/.well-known/openid-configuration", new { issuer = $"{idp.Root}/ok" });
        var admin = await app.ClientAsync();
        foreach (var authority in new[] { $"{idp.Root}/ok", idp.Root.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/ok" })
        {
            (await SendAsync(admin, HttpMethod.Put, Api, new { provider = Provider(authority, enabled: false), version = await VersionAsync(admin) })).Status.ShouldBe(HttpStatusCode.OK);
            var (status, problem) = await SendAsync(admin, HttpMethod.Post, $"{Api}/connection-test");
            status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
            ProblemDetailsTests.Errors(problem, "authority").Single().ShouldStartWith("Kedja kunde inte nå", customMessage: "said as of any address it cannot reach: no way to map the server's own ports");
        }

        idp.Requests.ShouldBeEmpty();
    }
}
