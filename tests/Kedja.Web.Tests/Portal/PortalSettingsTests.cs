using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal's settings (issue 13): the licence of the open data, the sites that may embed the portal (which end up in
/// a frame-ancestors header, so nothing but an origin is taken) and the accessibility statement. One service decides for
/// the API, the page and the tenant document; administrators only, from the version read, every change audited.
/// </summary>
public sealed class PortalSettingsTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Api = $"/api/v1/tenants/{Slug}/portal-settings";

    [Theory]
    [InlineData("https://www.kommun.se", "https://www.kommun.se")]
    [InlineData("  HTTPS://WWW.Kommun.SE/  ", "https://www.kommun.se")]
    [InlineData("https://www.kommun.se:443", "https://www.kommun.se")]
    [InlineData("https://intra.kommun.se:8443", "https://intra.kommun.se:8443")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("http://127.0.0.1", "http://127.0.0.1")]
    [InlineData("https://localhost", "https://localhost")]
    [InlineData("https://kommun.åre.se", "https://kommun.xn--re-xia.se")]
    public void An_origin_is_stored_lowercase_without_default_port_or_slash(string typed, string stored)
    {
        var (origin, error) = PortalRules.Origin(typed);
        error.ShouldBeNull();
        origin.ShouldBe(stored);
    }

    /// <summary>Each way an entry could be no origin, or could break out of a Content-Security-Policy directive, and what is said.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "'self'", "är ett nyckelord, ingen webbplats" },
        { "self", "är ett nyckelord, ingen webbplats" },
        { "'none'", "är ett nyckelord, ingen webbplats" },
        { "*", "jokertecken (*) går inte att använda" },
        { "https://*.kommun.se", "jokertecken (*) går inte att använda" },
        { "https://www.kommun.se; script-src *", "jokertecken (*) går inte att använda" },
        { "https://www.kommun.se; script-src https://ond.se", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://www.kommun.se;script-src:https://ond.se", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://a.se,https://b.se", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://www.kommun.se https://ond.se", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://www.kommun.se'", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://www.kommun.se\"", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "https://www.kommun.se\tx", "utan mellanslag, semikolon, kommatecken eller citattecken" },
        { "www.kommun.se", "är ingen fullständig webbadress. Skriv den med https://" },
        { "ftp://www.kommun.se", "bara webbplatser med https:// kan bädda in portalen" },
        { "javascript://www.kommun.se", "bara webbplatser med https:// kan bädda in portalen" },
        { "http://www.kommun.se", "webbplatsen måste använda https://. Bara localhost och 127.0.0.1 får använda http://" },
        { "https://www.kommun.se/nyheter", "utan sökväg, frågetecken eller #" },
        { "https://www.kommun.se?x=1", "utan sökväg, frågetecken eller #" },
        { "https://www.kommun.se#topp", "utan sökväg, frågetecken eller #" },
        { "https://anna@www.kommun.se", "utan sökväg, frågetecken eller #" },
        { "https://www.kommun.se:0", "portnumret ska vara ett tal från 1 till 65535" },
        { "https://www.kommun.se:70000", "portnumret ska vara ett tal från 1 till 65535" },
        { "https://www.kommun.se:", "portnumret ska vara ett tal från 1 till 65535" },
        { "https://kommun", "har inget giltigt namn på en webbplats" },
        { "https://", "har inget giltigt namn på en webbplats" },
        { "https://www.kom_mun.se", "har inget giltigt namn på en webbplats" },
        { "https://-kommun.se", "har inget giltigt namn på en webbplats" },
        { "https://www.kommun.se.", "har inget giltigt namn på en webbplats" },
        { "https://[::1]", "har inget giltigt namn på en webbplats" },
        { "https://" + new string('a', 150) + ".se", "är för lång" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_entry_that_is_no_origin_is_refused_with_its_reason_and_quoted(string typed, string reason)
    {
        var (origin, error) = PortalRules.Origin(typed);
        origin.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain(reason);
        error.ShouldStartWith("”");
    }

    [Fact]
    public void At_most_twenty_sites_after_duplicates_are_removed_and_the_statement_fits_a_page()
    {
        var twenty = Enumerable.Range(1, 20).Select(i => $"https://s{i}.kommun.se").ToList();
        var e = new ValidationErrors();
        PortalRules.Check(e, "", new PortalDoc { EmbedOrigins = [.. twenty, "HTTPS://S1.KOMMUN.SE/", "", "  "] }).Origins.Count.ShouldBe(20);
        e.Count.ShouldBe(0, "duplicates and blank lines are not counted");

        PortalRules.Check(e, "", new PortalDoc { EmbedOrigins = [.. twenty, "https://s21.kommun.se"], AccessibilityStatement = new string('x', Domain.TextLimits.Page + 1) });
        var errors = e.ToDictionary();
        errors["embedOrigins"].ShouldBe(["Högst 20 webbplatser kan få bädda in portalen. Listan har 21."]);
        errors["accessibilityStatement"].Single().ShouldStartWith("Tillgänglighetsredogörelsen får vara högst 16000 tecken");
    }

    [Fact]
    public void The_default_text_left_as_it_was_and_an_empty_one_are_stored_as_no_statement()
    {
        var text = Kedja.Web.Portal.AccessibilityStatement.Default("Exempelkommun");
        PortalRules.Statement(text.ReplaceLineEndings("\r\n") + "\r\n", "Exempelkommun").ShouldBeNull();
        PortalRules.Statement("  \n ", "Exempelkommun").ShouldBeNull();
        PortalRules.Statement(text + "\nRing 0123-45 67 89.", "Exempelkommun").ShouldEndWith("Ring 0123-45 67 89.");
        PortalRules.Statement("Vår text\r\nrad två", "Exempelkommun").ShouldBe("Vår text\nrad två");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Api) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<Tenant> TenantAsync(KedjaApp app, string slug = Slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Tenants.AsNoTracking().SingleAsync(t => t.Slug == slug);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_changes_the_settings_from_the_version_read_and_put_back_as_get_gave_them_they_stay(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();

        var (status, read) = await SendAsync(admin, HttpMethod.Get);
        status.ShouldBe(HttpStatusCode.OK, read.ToString());
        read.GetProperty("licence").GetString().ShouldBe("cc0");
        read.GetProperty("embedOrigins").GetArrayLength().ShouldBe(0);
        read.GetProperty("accessibilityStatement").ValueKind.ShouldBe(JsonValueKind.Null);
        var version = read.GetProperty("version").GetInt32();

        // What GET gave, PUT takes back unchanged; every accepted edit moves the version.
        var (same, back) = await SendAsync(admin, HttpMethod.Put, read);
        same.ShouldBe(HttpStatusCode.OK, back.ToString());
        back.GetProperty("version").GetInt32().ShouldBe(version + 1);
        (await SendAsync(admin, HttpMethod.Get)).Body.ToString().ShouldBe(back.ToString());

        var dataVersion = (await TenantAsync(app)).DataVersion;
        var (saved, answer) = await SendAsync(admin, HttpMethod.Put, new
        {
            licence = "ccBy40",
            embedOrigins = new[] { "https://www.Exempelkommun.se/", "", "http://localhost:8080", "https://www.exempelkommun.se" },
            accessibilityStatement = "## Kontakt\r\nRing oss.",
            contactEmail = " info@exempelkommun.se ",
            version = version + 1,
        });
        saved.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.GetProperty("licence").GetString().ShouldBe("ccBy40");
        answer.GetProperty("embedOrigins").EnumerateArray().Select(o => o.GetString()).ShouldBe(["https://www.exempelkommun.se", "http://localhost:8080"]);
        answer.GetProperty("accessibilityStatement").GetString().ShouldBe("## Kontakt\nRing oss.");
        answer.GetProperty("contactEmail").GetString().ShouldBe("info@exempelkommun.se");
        var tenant = await TenantAsync(app);
        (tenant.Licence, tenant.AccessibilityStatement, tenant.Version).ShouldBe((OpenDataLicence.CcBy40, "## Kontakt\nRing oss.", version + 2));
        tenant.EmbedOrigins.ShouldBe(["https://www.exempelkommun.se", "http://localhost:8080"]);
        tenant.ContactEmail.ShouldBe("info@exempelkommun.se");
        tenant.DataVersion.ShouldBeGreaterThan(dataVersion, "the portal shows the settings: its pages must be made again");

        // The same settings sent back later from the old version are someone else's change overwritten: refused, nothing written.
        var (stale, conflict) = await SendAsync(admin, HttpMethod.Put, new { licence = "cc0", embedOrigins = Array.Empty<string>(), version = version + 1 });
        stale.ShouldBe(HttpStatusCode.Conflict);
        conflict.GetProperty("title").GetString().ShouldBe(ServiceError.ConflictMessage);
        var (noVersion, missing) = await SendAsync(admin, HttpMethod.Put, new { licence = "cc0", embedOrigins = Array.Empty<string>() });
        noVersion.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(missing, "version").ShouldBe([ServiceError.VersionToChange]);
        (await TenantAsync(app)).Licence.ShouldBe(OpenDataLicence.CcBy40);

        // A contact address is one mailbox residents can write to, nothing else; blank is none.
        foreach (var bad in new[] { "info", "info@kommun", "Info <info@kommun.se>", "a@b@kommun.se", "info@kommun.se, x@kommun.se", "info @kommun.se", "åsa@kommun.se", "info?cc=x@kommun.se", "a#b@kommun.se", "a%40b@kommun.se", $"{new string('a', 250)}@kommun.se" })
        {
            var (refused, problem) = await SendAsync(admin, HttpMethod.Put, new { licence = "cc0", embedOrigins = Array.Empty<string>(), contactEmail = bad, version = version + 2 });
            refused.ShouldBe(HttpStatusCode.BadRequest, bad);
            ProblemDetailsTests.Errors(problem, "contactEmail").Single().ShouldContain(bad.Length > 60 ? bad[..60] : bad, Case.Sensitive, bad);
        }

        (await TenantAsync(app)).ContactEmail.ShouldBe("info@exempelkommun.se", "nothing written");
        var (cleared, none) = await SendAsync(admin, HttpMethod.Put, new { licence = "cc0", embedOrigins = Array.Empty<string>(), contactEmail = "  ", version = version + 2 });
        cleared.ShouldBe(HttpStatusCode.OK, none.ToString());
        (await TenantAsync(app)).ContactEmail.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_origins_are_refused_each_with_its_message_and_nothing_is_written(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var version = (await SendAsync(admin, HttpMethod.Get)).Body.GetProperty("version").GetInt32();

        var (status, problem) = await SendAsync(admin, HttpMethod.Put, new
        {
            licence = "ccBy40",
            embedOrigins = new[] { "https://www.exempelkommun.se", "'self'", "https://x.se; script-src *", "http://www.exempelkommun.se", "https://www.exempelkommun.se/sida" },
            version,
        });
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["embedOrigins[1]", "embedOrigins[2]", "embedOrigins[3]", "embedOrigins[4]"], ignoreOrder: true);
        ProblemDetailsTests.Errors(problem, "embedOrigins[1]").Single().ShouldBe("”'self'” är ett nyckelord, ingen webbplats. Skriv adressen till webbplatsen som ska visa inbäddningarna, till exempel https://www.kommun.se.");
        ProblemDetailsTests.Errors(problem, "embedOrigins[3]").Single().ShouldContain("måste använda https://");
        ProblemDetailsTests.Errors(problem, "embedOrigins[4]").Single().ShouldContain("utan sökväg");

        var (unknown, refused) = await SendAsync(admin, HttpMethod.Put, new { licence = "ccBy30", embedOrigins = Array.Empty<string>(), version });
        unknown.ShouldBe(HttpStatusCode.BadRequest, refused.ToString());

        var tenant = await TenantAsync(app);
        (tenant.Licence, tenant.EmbedOrigins.Count, tenant.Version).ShouldBe((OpenDataLicence.Cc0, 0, version));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_administrators_read_or_change_the_settings_and_strangers_learn_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var version = (await SendAsync(admin, HttpMethod.Get)).Body.GetProperty("version").GetInt32();
        var change = new { licence = "ccBy40", embedOrigins = new[] { "https://ond.se" }, version };
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            (await SendAsync(member, HttpMethod.Get)).Status.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
            var (status, problem) = await SendAsync(member, HttpMethod.Put, change);
            status.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
            problem.GetProperty("title").GetString().ShouldBe(TenantAccess.ForbiddenMessage);
        }

        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await SendAsync(stranger, HttpMethod.Put, change)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await app.CreateClient().GetAsync(Api)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await TenantAsync(app)).EmbedOrigins.ShouldBeEmpty();

        // The service refuses on its own too, whoever calls it (a verb, a later page) with a role too low.
        await using var scope = app.Services.CreateAsyncScope();
        var context = (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Value!;
        context.Role = TenantRole.Editor;
        var settings = scope.ServiceProvider.GetRequiredService<PortalSettings>();
        var refused = await settings.SaveAsync(new VersionedPortalSettings { EmbedOrigins = ["https://ond.se"], Version = version });
        (refused.Error!.Kind, refused.Error.StatusCode, refused.Error.Message).ShouldBe((ServiceErrorKind.Forbidden, 403, PortalSettings.AdminsOnly));
        (await settings.GetAsync()).Error!.Kind.ShouldBe(ServiceErrorKind.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_change_is_in_the_audit_trail_with_who_when_before_and_after(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var version = (await SendAsync(admin, HttpMethod.Get)).Body.GetProperty("version").GetInt32();
        var before = app.Clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        (await SendAsync(admin, HttpMethod.Put, new { licence = "ccBy40", embedOrigins = new[] { "https://www.exempelkommun.se" }, accessibilityStatement = "Vår text.", publishControlPlans = true, version }))
            .Status.ShouldBe(HttpStatusCode.OK);

        var tenant = await TenantAsync(app);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var entry = await db.AuditEntries.Where(a => a.Entity == nameof(Tenant) && a.Action == "Modified").OrderByDescending(a => a.Sequence).FirstAsync();
            (entry.TenantId, entry.EntityId, entry.UserName).ShouldBe((tenant.Id, tenant.Id.ToString(), KedjaApp.AdminEmail));
            entry.At.ShouldBeGreaterThan(before);
            var was = JsonNode.Parse(entry.Before!)!.AsObject();
            var now = JsonNode.Parse(entry.After!)!.AsObject();
            (was["Licence"]!.GetValue<string>(), now["Licence"]!.GetValue<string>()).ShouldBe(("Cc0", "CcBy40"));
            was["EmbedOrigins"]!.AsArray().Count.ShouldBe(0);
            now["EmbedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()).ShouldBe(["https://www.exempelkommun.se"]);
            (was["AccessibilityStatement"], now["AccessibilityStatement"]!.GetValue<string>()).ShouldBe((null, "Vår text."));
            (was["PublishControlPlans"]!.GetValue<bool>(), now["PublishControlPlans"]!.GetValue<bool>()).ShouldBe((false, true));
            (was["Version"]!.GetValue<int>(), now["Version"]!.GetValue<int>()).ShouldBe((version, version + 1));
            (await AuditChain.VerifyAsync(db, tenant.Id)).IsIntact.ShouldBeTrue();
        }
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    private static string Field(string html, string name) =>
        System.Net.WebUtility.HtmlDecode(Regex.Match(html, $"<textarea[^>]*name=\"{name}\"[^>]*>([^<]*)</textarea>").Groups[1].Value);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_settings_page_starts_from_the_default_statement_saves_a_form_and_says_every_error_beside_its_field(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string page = $"/k/{Slug}/portal";
        var html = await admin.GetStringAsync(page);
        html.ShouldContain("<h1>Portalen</h1>");
        html.ShouldContain($"/p/{Slug}</a>");
        html.ShouldContain("value=\"Cc0\" checked=\"checked\"");
        html.ShouldContain($"/p/{Slug}/inbaddning/mal/ID");
        Field(html, "AccessibilityStatement").ShouldBe(Kedja.Web.Portal.AccessibilityStatement.Default("Exempelkommun"));
        var version = Regex.Match(html, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value;
        (await admin.GetStringAsync($"/k/{Slug}")).ShouldContain($"href=\"/k/{Slug}/portal\"", customMessage: "the administrators' menu leads to the page");

        // Saving the form as it came keeps following the default text.
        async Task<HttpResponseMessage> PostAsync(HttpClient client, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = await TokenAsync(client, page);
            return await client.PostAsync(page, new FormUrlEncodedContent(form));
        }

        var direct = app.CreateClient(new() { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var saved = await PostAsync(direct, new()
        {
            ["Licence"] = "CcBy40", ["EmbedOrigins"] = "https://www.Exempelkommun.se/\r\n\r\nhttp://localhost:8080\r\n", ["Version"] = version,
            ["AccessibilityStatement"] = Field(html, "AccessibilityStatement").ReplaceLineEndings("\r\n"), ["ContactEmail"] = "fragor@exempelkommun.se",
            ["PublishAssignments"] = "true",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        saved.Headers.Location!.ToString().ShouldBe($"/k/{Slug}/portal?klart=portal-sparad");
        var tenant = await TenantAsync(app);
        (tenant.Licence, tenant.AccessibilityStatement).ShouldBe((OpenDataLicence.CcBy40, null), "the default text left as it was is no text of the municipality's own");
        tenant.EmbedOrigins.ShouldBe(["https://www.exempelkommun.se", "http://localhost:8080"]);
        tenant.ContactEmail.ShouldBe("fragor@exempelkommun.se");
        (tenant.PublishAssignments, tenant.PublishControlPlans).ShouldBe((true, false), "a ticked box is on, one left unticked off");
        var after = await admin.GetStringAsync(saved.Headers.Location.ToString());
        after.ShouldContain("name=\"ContactEmail\" type=\"email\"");
        after.ShouldContain("value=\"fragor@exempelkommun.se\"");
        after.ShouldContain("Portalens inställningar är sparade.");
        after.ShouldContain("value=\"CcBy40\" checked=\"checked\"");
        after.ShouldContain("name=\"PublishAssignments\" value=\"true\" checked=\"checked\"");
        Regex.IsMatch(after, "name=\"PublishControlPlans\" value=\"true\">").ShouldBeTrue("unticked");
        Field(after, "EmbedOrigins").ShouldBe("https://www.exempelkommun.se\nhttp://localhost:8080");

        // Two bad lines: both said beside the box, with what was typed; the page answers 400 and nothing is written.
        var refused = await PostAsync(admin, new()
        {
            ["Licence"] = "Cc0", ["EmbedOrigins"] = "https://www.exempelkommun.se\r\n'self'\r\nhttps://www.exempelkommun.se/sida", ["AccessibilityStatement"] = "Egen text.",
            ["ContactEmail"] = "fragor(at)exempelkommun.se", ["Version"] = $"{tenant.Version}",
        });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        body.ShouldContain("Inställningarna sparades inte. Rätta felen nedan.");
        var beside = Regex.Match(body, "<span class=\"field-error\" id=\"fel-embedOrigins\">([^<]*)</span>").Groups[1].Value;
        beside.ShouldContain("”'self'” är ett nyckelord");
        beside.ShouldContain("”https://www.exempelkommun.se/sida”: skriv bara webbplatsens adress");
        Regex.Match(body, "<span class=\"field-error\" id=\"fel-contactEmail\">([^<]*)</span>").Groups[1].Value.ShouldContain("”fragor(at)exempelkommun.se” är ingen e-postadress");
        body.ShouldContain("aria-invalid=\"true\"");
        Field(body, "AccessibilityStatement").ShouldBe("Egen text.", "what was typed stays");
        (await TenantAsync(app)).Version.ShouldBe(tenant.Version);

        // Someone else saved first: 409, what was typed stays, theirs beside it; saving again then goes through.
        var other = await app.MemberClientAsync(Slug, TenantRole.Admin);
        (await SendAsync(other, HttpMethod.Put, new { licence = "cc0", embedOrigins = new[] { "https://annan.exempelkommun.se" }, version = tenant.Version })).Status
            .ShouldBe(HttpStatusCode.OK);
        var stale = await PostAsync(admin, new()
        {
            ["Licence"] = "CcBy40", ["EmbedOrigins"] = "https://www.exempelkommun.se", ["AccessibilityStatement"] = "Egen text.", ["Version"] = $"{tenant.Version}",
            ["PublishControlPlans"] = "true",
        });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var conflict = System.Net.WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        conflict.ShouldContain("Någon annan har ändrat portalens inställningar sedan du öppnade sidan.");
        conflict.ShouldContain("Sparat av någon annan: CC0");
        conflict.ShouldContain("Sparat av någon annan: https://annan.exempelkommun.se");
        Regex.Match(conflict, "id=\"theirs-publishControlPlans\">([^<]*)<").Groups[1].Value.ShouldBe("Sparat av någon annan: avslaget");
        conflict.ShouldNotContain("theirs-publishAssignments", customMessage: "both off");
        var theirVersion = Regex.Match(conflict, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value;
        theirVersion.ShouldBe($"{tenant.Version + 1}");
        (await PostAsync(direct, new()
        {
            ["Licence"] = "CcBy40", ["EmbedOrigins"] = "https://www.exempelkommun.se", ["AccessibilityStatement"] = "Egen text.", ["Version"] = theirVersion,
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await TenantAsync(app)).AccessibilityStatement.ShouldBe("Egen text.");
        (await TenantAsync(app)).PublishAssignments.ShouldBeFalse("the box was left unticked");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_and_editors_cannot_open_or_post_the_settings_page(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var version = (await TenantAsync(app)).Version;
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            var page = await member.GetAsync($"/k/{Slug}/portal");
            page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await page.Content.ReadAsStringAsync()).ShouldNotContain("name=\"EmbedOrigins\"");
            (await member.GetStringAsync($"/k/{Slug}")).ShouldNotContain($"/k/{Slug}/portal");

            // With a valid antiforgery token from a page they may read, the post is still refused.
            var token = await TokenAsync(member, $"/k/{Slug}");
            var posted = await member.PostAsync($"/k/{Slug}/portal", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Licence"] = "CcBy40", ["EmbedOrigins"] = "https://ond.se", ["Version"] = $"{version}",
            }));
            posted.StatusCode.ShouldBe(HttpStatusCode.Forbidden, role.ToString());
        }

        (await TenantAsync(app)).EmbedOrigins.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_then_import_keeps_the_portal_settings_and_bad_ones_in_a_document_are_refused_with_their_path(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var version = (await SendAsync(admin, HttpMethod.Get)).Body.GetProperty("version").GetInt32();
        (await SendAsync(admin, HttpMethod.Put, new
        {
            licence = "ccBy40", embedOrigins = new[] { "https://www.exempelkommun.se", "https://intra.exempelkommun.se:8443" }, accessibilityStatement = "## Kontakt\nRing oss.",
            contactEmail = "info@exempelkommun.se", publishAssignments = true, publishControlPlans = true, version,
        })).Status.ShouldBe(HttpStatusCode.OK);

        var first = await admin.GetStringAsync($"/api/v1/tenants/{Slug}/export");
        var portal = JsonNode.Parse(first)!["portal"]!;
        portal.ToJsonString().ShouldBe("""{"licence":"ccBy40","embedOrigins":["https://www.exempelkommun.se","https://intra.exempelkommun.se:8443"],"accessibilityStatement":"## Kontakt\nRing oss.","contactEmail":"info@exempelkommun.se","publishAssignments":true,"publishControlPlans":true}""");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(first, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var copy = await TenantAsync(app, "kopia");
        (copy.Licence, copy.AccessibilityStatement, copy.ContactEmail).ShouldBe((OpenDataLicence.CcBy40, "## Kontakt\nRing oss.", "info@exempelkommun.se"));
        copy.EmbedOrigins.ShouldBe(["https://www.exempelkommun.se", "https://intra.exempelkommun.se:8443"]);
        (copy.PublishAssignments, copy.PublishControlPlans).ShouldBe((true, true));
        JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/kopia/export"))!["portal"]!.ToJsonString().ShouldBe(portal.ToJsonString());

        // A document without the section (written before it existed) gives the defaults.
        var old = JsonNode.Parse(first)!.AsObject();
        old.Remove("portal");
        (await admin.PostAsync("/api/v1/tenants/import?slug=gammal", new StringContent(old.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var defaults = await TenantAsync(app, "gammal");
        (defaults.Licence, defaults.EmbedOrigins.Count, defaults.AccessibilityStatement).ShouldBe((OpenDataLicence.Cc0, 0, (string?)null));
        (defaults.PublishAssignments, defaults.PublishControlPlans).ShouldBe((false, false));

        var broken = JsonNode.Parse(first)!.AsObject();
        broken["portal"]!["embedOrigins"] = new JsonArray("https://www.exempelkommun.se", "https://x.se; script-src https://ond.se");
        broken["portal"]!["accessibilityStatement"] = new string('x', Domain.TextLimits.Page + 1);
        broken["portal"]!["contactEmail"] = "info(at)exempelkommun.se";
        var refused = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(broken.ToJsonString(), Encoding.UTF8, "application/json"));
        var (status, problem) = await ProblemDetailsTests.ProblemAsync(refused);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "$.portal.embedOrigins[1]").Single().ShouldContain("utan mellanslag, semikolon");
        ProblemDetailsTests.Errors(problem, "$.portal.accessibilityStatement").Single().ShouldContain("högst 16000 tecken");
        ProblemDetailsTests.Errors(problem, "$.portal.contactEmail").Single().ShouldContain("ingen e-postadress");
        (await admin.GetAsync("/api/v1/tenants/trasig/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
