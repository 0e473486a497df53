using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Kedja.Web.Tests.SingleSignOn.SsoTestSupport;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>The page /k/{slug}/inloggning: the same rules as the API, every error beside its field, no script needed, forms only with antiforgery.</summary>
public sealed class SsoSettingsPageTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Page = $"/k/{Slug}/inloggning";

    private const string Api = $"/api/v1/tenants/{Slug}/sign-in-settings";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await TokenAsync(client, Page);
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    private static Dictionary<string, string> Form(string version, string authority = "https://login.exempelkommun.se/realms/personal") => new()
    {
        ["Authority"] = authority, ["ClientId"] = "kedja", ["ClientSecret"] = TypedSecret, ["Scopes"] = "openid profile email", ["EmailClaim"] = "email", ["NameClaim"] = "name",
        ["GroupsClaim"] = "groups", ["DisplayName"] = "Exempelkommuns konto", ["Enabled"] = "true", ["EmailDomains"] = "Exempelkommun.se\r\n\r\nåre.se\r\n",
        ["LocalPasswords"] = "true", ["RequireTwoFactor"] = "true", ["Version"] = version,
    };

    private static string Version(string html) => Input(html, "Version");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_saves_the_provider_domains_and_switches_and_adds_and_removes_group_mappings(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var direct = app.CreateClient(new() { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        (await admin.GetStringAsync($"/k/{Slug}")).ShouldContain($"href=\"{Page}\"", customMessage: "the administrators' menu leads to the page");
        var html = await admin.GetStringAsync(Page);
        html.ShouldContain("<h1>Inloggning</h1>");
        html.ShouldContain("Ingen hemlighet är sparad.");
        html.ShouldContain($"/inloggning/oidc/{Slug}");
        (Input(html, "Scopes"), Input(html, "EmailClaim"), Input(html, "GroupsClaim")).ShouldBe(("openid profile email", "email", "groups"), "a new provider starts from the defaults");

        var saved = await PostAsync(direct, Page, Form(Version(html)));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        saved.Headers.Location!.ToString().ShouldBe($"{Page}?klart=inloggning-sparad");
        var after = await admin.GetStringAsync(saved.Headers.Location.ToString());
        after.ShouldContain("Inloggningens inställningar är sparade.");
        after.ShouldContain("En hemlighet är sparad.");
        after.ShouldNotContain(TypedSecret);
        Input(after, "ClientSecret").ShouldBeEmpty();
        Input(after, "Authority").ShouldBe("https://login.exempelkommun.se/realms/personal");
        Textarea(after, "EmailDomains").ShouldBe("exempelkommun.se\nxn--re-xia.se");
        after.ShouldContain("name=\"RequireTwoFactor\" value=\"true\" checked=\"checked\"");
        var api = (await SendAsync(admin, HttpMethod.Get, Api)).Body;
        (api.GetProperty("hasClientSecret").GetBoolean(), api.GetProperty("requireTwoFactor").GetBoolean(), api.GetProperty("provider").GetProperty("enabled").GetBoolean())
            .ShouldBe((true, true, true));

        // Saved again with the secret field left empty: the secret stays.
        var again = Form(Version(after));
        again["ClientSecret"] = "";
        (await PostAsync(direct, Page, again)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("hasClientSecret").GetBoolean().ShouldBeTrue();

        // A group mapping added, then removed, each from the version read.
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        html = await admin.GetStringAsync(Page);
        html.ShouldContain("Inga grupper är kopplade ännu.");
        var added = await PostAsync(direct, $"{Page}?handler=AddMapping", new() { ["NewGroup"] = "bibliotekets-redaktorer", ["NewRole"] = "Editor", ["NewUnitId"] = $"{library}", ["Version"] = Version(html) });
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        html = await admin.GetStringAsync(Page);
        WebUtility.HtmlDecode(html).ShouldContain("<code class=\"filename\">bibliotekets-redaktorer</code>: Redaktör, Biblioteket");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("groupMappings").ToString()
            .ShouldBe($$"""[{"group":"bibliotekets-redaktorer","role":"editor","unitId":"{{library}}"}]""");

        var emptyGroup = await PostAsync(admin, $"{Page}?handler=AddMapping", new() { ["NewGroup"] = " ", ["NewRole"] = "Admin", ["Version"] = Version(html) });
        emptyGroup.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refusedHtml = WebUtility.HtmlDecode(await emptyGroup.Content.ReadAsStringAsync());
        Regex.Match(refusedHtml, "<span class=\"field-error\" id=\"fel-newGroup\">([^<]*)</span>").Groups[1].Value.ShouldStartWith("Ange gruppen som inloggningstjänsten skickar");

        var removed = await PostAsync(direct, $"{Page}?handler=RemoveMapping", new() { ["mapping"] = "0", ["Version"] = Version(html) });
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("groupMappings").GetArrayLength().ShouldBe(0);

        // Removing from a list someone changed since: 409, nothing removed.
        html = await admin.GetStringAsync(Page);
        (await PostAsync(direct, $"{Page}?handler=AddMapping", new() { ["NewGroup"] = "alla", ["NewRole"] = "Reader", ["Version"] = Version(html) })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stale = await PostAsync(admin, $"{Page}?handler=RemoveMapping", new() { ["mapping"] = "0", ["Version"] = Version(html) });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()).ShouldContain("Någon annan har ändrat inloggningens inställningar sedan du öppnade sidan.");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("groupMappings").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_error_of_the_form_is_said_beside_its_field_what_was_typed_stays_and_nothing_is_written(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var html = await admin.GetStringAsync(Page);
        var before = (await SendAsync(admin, HttpMethod.Get, Api)).Body.ToString();
        var form = Form(Version(html), "http://idp.exempelkommun.se");
        form["Scopes"] = "profile";
        form["EmailDomains"] = "exempelkommun.se\r\ninte en domän";
        form.Remove("LocalPasswords");
        form.Remove("Enabled");
        var refused = await PostAsync(admin, Page, form);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        body.ShouldContain("Inställningarna sparades inte. Rätta felen nedan.");
        string Beside(string field) => Regex.Match(body, $"<span class=\"field-error\" id=\"fel-{field}\">([^<]*)</span>").Groups[1].Value;
        Beside("authority").ShouldContain("måste använda https://");
        Beside("scopes").ShouldContain("måste innehålla openid");
        Beside("emailDomains").ShouldContain("”inte en domän” är ingen e-postdomän");
        Beside("localPasswords").ShouldStartWith("Lösenord i Kedja kan bara stängas av");
        body.ShouldContain("aria-invalid=\"true\"");
        Input(body, "Authority").ShouldBe("http://idp.exempelkommun.se", "what was typed stays");
        Textarea(body, "EmailDomains").ShouldBe("exempelkommun.se\r\ninte en domän");
        body.ShouldNotContain(TypedSecret, customMessage: "a typed secret is not written back into the page");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.ToString().ShouldBe(before);

        // Someone else saved first: 409, what was typed stays.
        (await SendAsync(admin, HttpMethod.Put, Api, new { requireTwoFactor = true, version = int.Parse(Version(html)) })).Status.ShouldBe(HttpStatusCode.OK);
        var stale = await PostAsync(admin, Page, Form(Version(html)));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var conflict = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        conflict.ShouldContain("Någon annan har ändrat inloggningens inställningar sedan du öppnade sidan. Inget sparades.");
        Input(conflict, "Authority").ShouldBe("https://login.exempelkommun.se/realms/personal");
        (await SendAsync(admin, HttpMethod.Get, Api)).Body.GetProperty("provider").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_form_posted_from_another_site_without_the_antiforgery_token_is_refused(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var browser = await app.SignedInBrowserAsync(KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        var html = await browser.GetStringAsync(Page);
        var before = (await SendAsync(await app.ClientAsync(), HttpMethod.Get, Api)).Body.ToString();

        // The signed-in browser's cookie goes along, as it would from another site's form; the token does not.
        var forged = await browser.PostAsync(Page, new FormUrlEncodedContent(Form(Version(html))));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var forgedMapping = await browser.PostAsync($"{Page}?handler=AddMapping", new FormUrlEncodedContent(new Dictionary<string, string> { ["NewGroup"] = "alla", ["NewRole"] = "Admin", ["Version"] = Version(html) }));
        forgedMapping.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await SendAsync(await app.ClientAsync(), HttpMethod.Get, Api)).Body.ToString().ShouldBe(before);

        // The API never takes the cookie, so it cannot be forged from a browser either.
        (await browser.PutAsJsonAsync(Api, new { requireTwoFactor = true, version = int.Parse(Version(html)) })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // With the page's own token the same form goes through.
        var form = Form(Version(html));
        form["__RequestVerificationToken"] = await TokenAsync(browser, Page);
        (await browser.PostAsync(Page, new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_and_editors_cannot_open_or_post_the_page_nor_see_the_link(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var before = (await SendAsync(await app.ClientAsync(), HttpMethod.Get, Api)).Body.ToString();
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            var page = await member.GetAsync(Page);
            page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await page.Content.ReadAsStringAsync()).ShouldNotContain("name=\"Authority\"");
            (await member.GetStringAsync($"/k/{Slug}")).ShouldNotContain(Page);
            var token = await TokenAsync(member, $"/k/{Slug}");
            foreach (var handler in new[] { "", "?handler=AddMapping", "?handler=Test" })
            {
                var form = Form("1");
                form["__RequestVerificationToken"] = token;
                form["NewGroup"] = "alla";
                (await member.PostAsync(Page + handler, new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{role} {handler}");
            }
        }

        (await SendAsync(await app.ClientAsync(), HttpMethod.Get, Api)).Body.ToString().ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_page_tests_the_saved_connection_and_says_what_it_found(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await using var idp = new FakeDiscovery();
        idp.Json("/realm/.well-known/openid-configuration", new { issuer = $"{idp.Root}/realm" });
        var admin = await app.ClientAsync();
        var html = await admin.GetStringAsync(Page);
        var refused = WebUtility.HtmlDecode(await (await PostAsync(admin, $"{Page}?handler=Test", new())).Content.ReadAsStringAsync());
        refused.ShouldContain("Anslutningen fungerar inte ännu.");
        refused.ShouldContain("Spara inloggningstjänstens adress först.");

        var form = Form(Version(html), $"{idp.Root}/realm");
        form["Enabled"] = "false";
        (await PostAsync(admin, Page, form)).StatusCode.ShouldBe(HttpStatusCode.OK, "followed to the saved page");
        var tested = await PostAsync(admin, $"{Page}?handler=Test", new());
        tested.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = WebUtility.HtmlDecode(await tested.Content.ReadAsStringAsync());
        body.ShouldContain($"Kedja nådde {idp.Root}/realm/.well-known/openid-configuration.");
        body.ShouldContain($"Tjänsten uppger issuer {idp.Root}/realm, samma som den sparade adressen.");
    }
}

/// <summary>The sign-in settings page in Chromium at a laptop's and a phone's width: screenshots to look at and axe-core.</summary>
[Collection(Browser.Collection)]
public sealed class SsoSettingsBrowserTests(Browser browser)
{
    [BrowserFact]
    public async Task The_sign_in_settings_page_reads_well_at_1366_and_320_pixels_and_axe_finds_nothing()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var admin = await app.ClientAsync();
        Guid library;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var version = (await SendAsync(admin, HttpMethod.Get, $"/api/v1/tenants/{DemoTenant.Slug}/sign-in-settings")).Body.GetProperty("version").GetInt32();
        (await SendAsync(admin, HttpMethod.Put, $"/api/v1/tenants/{DemoTenant.Slug}/sign-in-settings", new
        {
            provider = new { authority = "https://login.microsoftonline.com/4b7c2a9e-0f1d-4c55-9a61-2f3b8d1e6c70/v2.0", clientId = "0f6a1c2e-4b7d-4e9a-8c3f-5d2b1a0e9f87", enabled = true },
            clientSecret = TypedSecret, emailDomains = new[] { "exempelkommun.se", "skola.exempelkommun.se" },
            groupMappings = new object[]
            {
                new { group = "7d2c9e41-3a8b-4f6d-b1c0-9e5a2f8d4c63", role = "admin", unitId = (Guid?)null },
                new { group = "bibliotekets-redaktorer", role = "editor", unitId = library },
            },
            version,
        })).Status.ShouldBe(HttpStatusCode.OK);

        await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        foreach (var width in new[] { 1366, 320 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync($"/k/{DemoTenant.Slug}/inloggning");
            (await page.ContentAsync()).ShouldNotContain(TypedSecret);
            await Browser.ScreenshotAsync(page, $"inloggning-{width}");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"{width} px");
            // The page's own content needs no sideways scrolling (the signed-in layout's menu is the layout's affair).
            var wider = await page.EvaluateAsync<string[]>($"() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {width} + 1).map(e => e.tagName + '.' + e.className)");
            wider.ShouldBeEmpty($"{width} px");
        }

        // The members page with its new column and the confirmation, at a phone's width too.
        await page.GotoAsync($"/k/{DemoTenant.Slug}/behorigheter");
        var first = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Avsluta alla sessioner och nycklar för") }).First;
        await first.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta" }).WaitForAsync();
        await Browser.ScreenshotAsync(page, "behorigheter-avsluta-320");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("members page with the confirmation");
    }
}
