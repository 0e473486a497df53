using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal's accessibility statement at a stable address linked from every portal page: Kedja's default text after
/// DIGG's model with the municipality's name, or the municipality's own Markdown, rendered and sanitised so that an
/// administrator's text cannot run script or load anything in a resident's browser.
/// </summary>
public sealed class AccessibilityStatementTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Page = $"/p/{Slug}/tillganglighet";

    private static string MainOf(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];

    /// <summary>The municipality's text as the page shows it (the page's own markup left out).</summary>
    private static string Statement(string html) => html[html.IndexOf("<div class=\"statement\">", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];

    internal static async Task SetStatementAsync(KedjaApp app, string? statement)
    {
        var admin = await app.ClientAsync();
        var read = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/portal-settings");
        read!["accessibilityStatement"] = statement;
        var saved = await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/portal-settings", read);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_a_text_of_its_own_the_municipality_gets_the_default_statement_with_its_name_and_no_cookie(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync(Page);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse("the portal sets no cookie");
        html.ShouldContain("<html lang=\"sv\">");
        html.ShouldContain("<title>Tillgänglighetsredogörelse – Mål och resultat i Exempelkommun</title>");
        html.ShouldNotContain("__RequestVerificationToken");
        var main = WebUtility.HtmlDecode(MainOf(html));
        main.ShouldContain("<h1>Tillgänglighetsredogörelse</h1>");
        main.ShouldContain("Exempelkommun står bakom webbplatsen Mål och resultat i Exempelkommun");
        main.ShouldContain("lagen (2018:1937) om tillgänglighet till digital offentlig service");
        main.ShouldContain("nivå AA i WCAG 2.1");
        main.ShouldContain("delvis förenlig med lagen");
        main.ShouldContain("<h2>Tillsyn</h2>");
        main.ShouldContain("<a href=\"https://www.digg.se/tdosanmalan\">anmäla det till DIGG</a>");
        main.ShouldContain("axe-core");
        main.ShouldContain("1 december 2026");
        main.ShouldContain("kontakta Exempelkommun");
        Regex.Count(main, "<h1").ShouldBe(1);
        // Nothing from another host: the only addresses elsewhere are links.
        Regex.Count(html, "(?:src|srcset|action)=\"(?!/)").ShouldBe(0);

        // Signed in changes nothing: still no cookie from the portal.
        var admin = await app.ClientAsync();
        (await admin.GetAsync(Page)).Headers.Contains("Set-Cookie").ShouldBeFalse();

        // Every portal page links to it from its footer.
        (await anonymous.GetStringAsync($"/p/{Slug}")).ShouldContain($"<footer class=\"portal-footer\">");
        Regex.IsMatch(await anonymous.GetStringAsync($"/p/{Slug}"), $"<footer class=\"portal-footer\">[\\s\\S]*<a href=\"/p/{Slug}/tillganglighet\">Tillgänglighetsredogörelse</a>[\\s\\S]*</footer>")
            .ShouldBeTrue();
        Regex.IsMatch(html, $"<footer class=\"portal-footer\">[\\s\\S]*<a href=\"/p/{Slug}/tillganglighet\">Tillgänglighetsredogörelse</a>").ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_municipalitys_markdown_is_shown_and_script_event_handlers_javascript_links_images_and_styles_are_stripped(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await SetStatementAsync(app, """
            # Vår redogörelse

            Vi vill att **alla** ska kunna läsa om våra mål.

            ## Kontakt

            - E-post: [tillganglighet@exempelkommun.se](mailto:tillganglighet@exempelkommun.se)
            - Telefon: [0123-45 67 89](tel:+46123456789)
            - Läs mer hos [DIGG](https://www.digg.se/tdosanmalan)

            Rad ett
            rad två

            <script>alert('skript')</script>

            <img src="https://ond.example/spår.png" onerror="alert('bild')">

            <p onclick="alert('klick')" style="color:red" class="done" id="innehall">Klicka</p>

            [Farlig länk](javascript:alert('länk'))

            <a href="javascript:alert('a')">Annan farlig</a> <a href="JaVaScRiPt:alert('b')">Tredje</a>

            <iframe src="https://ond.example/"></iframe>

            <form action="https://ond.example/"><input name="x"></form>

            <svg onload="alert('svg')"><circle r="1"/></svg>

            <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Data</a>

            <style>body { display: none }</style>

            <object data="https://ond.example/x.swf"></object>
            """);

        var response = await app.CreateClient().GetAsync(Page);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        Regex.Count(MainOf(html), "<h1").ShouldBe(1);
        var raw = Statement(html);
        var main = WebUtility.HtmlDecode(raw);
        main.ShouldContain("<h2>Vår redogörelse</h2>", customMessage: "a level-1 heading becomes level 2 under the page's own h1");
        main.ShouldContain("<strong>alla</strong>");
        main.ShouldContain("<h2>Kontakt</h2>");
        main.ShouldContain("<a href=\"mailto:tillganglighet@exempelkommun.se\">tillganglighet@exempelkommun.se</a>");
        main.ShouldContain("<a href=\"tel:+46123456789\">");
        main.ShouldContain("<a href=\"https://www.digg.se/tdosanmalan\">DIGG</a>");
        main.ShouldContain("Rad ett<br");
        main.ShouldContain("Klicka");
        main.ShouldContain("Farlig länk");
        foreach (var attack in new[] { "<script", "alert(", "onerror", "onclick", "onload", "javascript:", "JaVaScRiPt", "<img", "<iframe", "<form", "<input", "<svg", "<style", "style=", "<object",
                     "data:text", "ond.example", "class=\"done\"", "id=\"innehall\"" })
        {
            raw.ShouldNotContain(attack, Case.Insensitive, $"the statement let {attack} through");
        }

        // Back to the default when the text is emptied.
        await SetStatementAsync(app, "   ");
        (await app.CreateClient().GetStringAsync(Page)).ShouldContain("Exempelkommun står bakom webbplatsen");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unknown_municipality_and_one_that_has_published_nothing_have_no_statement(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "ny", name = "Ny kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var anonymous = app.CreateClient();
        var unknown = await anonymous.GetAsync("/p/finns-inte/tillganglighet");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var nothing = await anonymous.GetAsync("/p/ny/tillganglighet");
        nothing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await nothing.Content.ReadAsStringAsync()).ShouldNotContain("Ny kommun");
    }
}

/// <summary>axe-core on the statement (at a laptop's and a small phone's width) and on the settings page, in the browser.</summary>
[Collection(Browser.Collection)]
public sealed class AccessibilityStatementBrowserTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    [BrowserFact]
    public async Task The_statement_and_the_settings_page_have_no_accessibility_violation_and_the_statement_fits_a_320_px_phone()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var page = await browser.PageAsync(app);
        foreach (var (width, own) in new[] { (1366, false), (320, false), (1366, true), (320, true) })
        {
            if (own)
            {
                // A municipality's own text with a long address and a list.
                await AccessibilityStatementTests.SetStatementAsync(app,
                    "## Kontakt\n\nSkriv till [tillganglighetsredogorelse.synpunkter@exempelkommun.se](mailto:tillganglighetsredogorelse.synpunkter@exempelkommun.se).\n\n- Ett\n- Två\n\nhttps://www.exempelkommun.se/kontakta-oss/tillganglighet-och-synpunkter-pa-webbplatsen");
            }

            await page.SetViewportSizeAsync(width, 900);
            var response = await page.GotoAsync($"/p/{Slug}/tillganglighet");
            response!.Status.ShouldBe(200);
            (await page.Locator("h1").InnerTextAsync()).ShouldBe("Tillgänglighetsredogörelse");
            await Browser.ScreenshotAsync(page, $"tillganglighet-{(own ? "egen" : "standard")}-{width}");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on the statement at {width} px");
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"no sideways scrolling at {width} px");
        }

        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync($"/p/{Slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tillgänglighetsredogörelse" }).ClickAsync();
        page.Url.ShouldEndWith($"/p/{Slug}/tillganglighet");

        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        await admin.GotoAsync($"/k/{Slug}");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Portalen" }).ClickAsync();
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Portalen");
        await Browser.ScreenshotAsync(admin, "portalinstallningar");
        (await Browser.AccessibilityAsync(admin)).ShouldBeEmpty("axe-core on the settings page");

        // A refused save: the errors beside their field are checked too.
        await admin.GetByLabel("Webbplatser som får bädda in portalen").FillAsync("'self'\nhttp://www.exempelkommun.se");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        (await admin.Locator("#fel-embedOrigins").InnerTextAsync()).ShouldContain("är ett nyckelord");
        await Browser.ScreenshotAsync(admin, "portalinstallningar-fel");
        (await Browser.AccessibilityAsync(admin)).ShouldBeEmpty("axe-core on the settings page with errors");

        await admin.GetByLabel("Webbplatser som får bädda in portalen").FillAsync("https://www.exempelkommun.se");
        await admin.GetByText("CC BY 4.0").ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Portalens inställningar är sparade.");
        (await admin.GetByLabel("CC BY 4.0").IsCheckedAsync()).ShouldBeTrue();
    }
}
