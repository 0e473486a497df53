using System.Net;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// What a newcomer met walking the portal in Production (h119): where an error page leads a resident, what a browser
/// gets for a file that is gone, and what a page says next to what it shows.
/// </summary>
public sealed class PortalWalkTests
{
    private const string Portal = $"/p/{DemoTenant.Slug}";

    /// <summary>What Chromium sends for a link followed by hand.</summary>
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private static HttpClient Browser(KedjaApp app)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);
        return client;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_portal_error_page_leads_back_to_the_municipality_s_portal_never_to_the_sign_in_page(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var browser = Browser(app);
        foreach (var path in new[] { $"{Portal}/finns-inte", $"{Portal}/mal/{Guid.Empty}", $"{Portal}/enhet/{Guid.Empty}", $"{Portal}?period=2099-T1", $"{Portal}/aktiviteter?period=2026-T2" })
        {
            var response = await browser.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            html.ShouldContain($"<a href=\"{Portal}\">Till kommunens sida för mål och resultat</a>", Case.Sensitive, path);
            html.ShouldNotContain("href=\"/\"", Case.Sensitive, $"{path}: \"/\" is the sign-in page, of no use to a resident");
            html.ShouldContain("börja från kommunens sida för mål och resultat", Case.Sensitive, path);
        }

        // A municipality without a portal: nowhere in it to go on to, and never the sign-in page.
        var none = await (await browser.GetAsync("/p/finns-inte")).Content.ReadAsStringAsync();
        none.ShouldNotContain("href=\"/\"");
        none.ShouldNotContain("href=\"/p/finns-inte\"");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_browser_following_a_link_to_a_file_that_is_gone_gets_the_Swedish_page_a_program_Problem_Details(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var files = new[] { $"{Portal}/rapporter/{Guid.Empty}", $"{Portal}/oppna-data/2026-T2.csv", $"{Portal}/oppna-data/2026-T2.json" };
        foreach (var accept in new[] { BrowserAccept, "text/html" })
        {
            var browser = app.CreateClient();
            browser.DefaultRequestHeaders.Accept.ParseAdd(accept);
            foreach (var path in files)
            {
                var response = await browser.GetAsync(path);
                var html = await response.Content.ReadAsStringAsync();
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
                response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", $"{path} for {accept}: {html}");
                html.ShouldContain("<html lang=\"sv\">", Case.Sensitive, path);
                html.ShouldContain("Sidan finns inte.", Case.Sensitive, path);
                html.ShouldContain($"<a href=\"{Portal}\">", Case.Sensitive, path);
            }
        }

        // A harvester asking for data still gets Problem Details.
        var program = app.CreateClient();
        program.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var gone = await program.GetAsync($"{Portal}/oppna-data/2026-T2.json");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        gone.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_goal_s_earlier_follow_ups_include_the_interim_report_of_the_same_year(string provider)
    {
        // Kil's template follows up in a delår (January to August) and the helår: both start on 1 January.
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = "false", ["Kedja:Demo:Examples"] = "true" });
        var anonymous = app.CreateClient();
        var portal = $"/p/{TemplateExamples.SlugFor(Web.Templates.ModelTemplates.Kil)}";
        var start = await anonymous.GetStringAsync(portal);
        var goal = System.Text.RegularExpressions.Regex.Match(start, $"href=\"({portal}/mal/[0-9a-f-]+)\\?period=2025\"").Groups[1].Value;
        goal.ShouldNotBeEmpty(start);

        var html = await anonymous.GetStringAsync($"{goal}?period=2025");
        html.ShouldContain("Läget Helår 2025:");
        var earlier = html[html.IndexOf("<h2 id=\"tidigare\">", StringComparison.Ordinal)..];
        earlier = earlier[..earlier.IndexOf("</table>", StringComparison.Ordinal)];
        System.Text.RegularExpressions.Regex.Matches(earlier, "period=([0-9D-]+)\">").Select(m => m.Groups[1].Value).ShouldBe(["2025-D", "2024", "2024-D"], "newest first, the delår 2025 before the helår 2024");

        // And the delår's own page has only the year before as earlier.
        var interim = await anonymous.GetStringAsync($"{goal}?period=2025-D");
        interim = interim[interim.IndexOf("<h2 id=\"tidigare\">", StringComparison.Ordinal)..];
        interim = interim[..interim.IndexOf("</table>", StringComparison.Ordinal)];
        System.Text.RegularExpressions.Regex.Matches(interim, "period=([0-9D-]+)\">").Select(m => m.Groups[1].Value).ShouldBe(["2024", "2024-D"]);
    }

    [Fact]
    public async Task The_settings_page_gives_embed_code_and_the_portal_address_at_the_configured_public_address()
    {
        // Staff may reach Kedja at an inner address; residents and embedding sites reach the portal at the public one.
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true,
            settings: new Dictionary<string, string?> { ["Kedja:Portal:PublicBaseUrl"] = "https://kedja.exempelkommun.se/" });
        var admin = await app.ClientAsync();
        var html = await admin.GetStringAsync($"/k/{DemoTenant.Slug}/portal");
        html.ShouldContain($"<a href=\"https://kedja.exempelkommun.se{Portal}\">https://kedja.exempelkommun.se{Portal}</a>");
        html.ShouldContain($"src=&quot;https://kedja.exempelkommun.se{Portal}/inbaddning/mal/ID&quot;");
        html.ShouldNotContain("http://localhost");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_says_when_a_goal_s_status_was_assessed_otherwise_than_its_explanation_computes(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = "false", ["Kedja:Demo:Examples"] = "true" });
        var anonymous = app.CreateClient();
        var portal = $"/p/{TemplateExamples.SlugFor(Web.Templates.ModelTemplates.Hagfors)}";
        var start = await anonymous.GetStringAsync(portal);
        var council = System.Text.RegularExpressions.Regex.Match(start, $"href=\"({portal}/enhet/[0-9a-f-]+\\?period=2026-T1)\">Hela målkortet").Groups[1].Value;
        council.ShouldNotBeEmpty(start);

        // The example's council assessed this goal "Delvis uppfyllt" where its indicators and goals below compute "Uppfyllt".
        var html = await anonymous.GetStringAsync(council);
        var item = html[html.IndexOf("Kostnadseffektiv verksamhet inom budget</a>", StringComparison.Ordinal)..];
        item = item[..item.IndexOf("</li>", StringComparison.Ordinal)];
        item.ShouldContain("Delvis uppfyllt</span>");
        item.ShouldContain("&#x2192; Uppfyllt.", Case.Sensitive, "the engine's explanation");
        item.ShouldContain("De ansvariga har bedömt läget själva. Räknat från indikatorerna och målen under blir läget:");

        // A goal whose status is the computed one says nothing of the kind.
        var computed = html[html.IndexOf("Invånarna är nöjda med kommunens tjänster</a>", StringComparison.Ordinal)..];
        computed[..computed.IndexOf("</li>", StringComparison.Ordinal)].ShouldNotContain("har bedömt");
    }
}
