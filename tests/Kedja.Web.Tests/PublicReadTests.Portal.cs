using System.Net;
using System.Text.RegularExpressions;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

/// <summary>
/// Issue 13's leak test: the markers of <see cref="MarkAsync"/> – texts of an unpublished period, drafts of units that
/// have not marked a published period ready, plans of a year nothing is published of – are looked for in every page
/// of the portal, every embed and every open-data file a visitor can reach from the start page. Publishing the period
/// makes exactly its texts appear; withdrawing it takes them away again, through the portal's cache.
/// </summary>
public partial class PublicReadTests
{
    private const string Portal = $"/p/{DemoTenant.Slug}";

    /// <summary>At most this many addresses per crawl: the demo has a few hundred.</summary>
    private const int CrawlLimit = 3000;

    [GeneratedRegex("(?:href|src)=\"([^\"#]+)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^/p/[^/]+/(mal|enhet|indikator)/([0-9a-f-]{36})$")]
    private static partial Regex Embeddable();

    /// <summary>
    /// Every address under the municipality's portal reached by links from its start page (query strings dropped but
    /// for the search, so that every page is read once, for its latest published period), each page's embed, and what
    /// the search answers for words of the draft plans. Text answers only: a frozen report's file is compared byte for byte elsewhere.
    /// </summary>
    private static async Task<Dictionary<string, string>> CrawlPortalAsync(HttpClient client)
    {
        var bodies = new Dictionary<string, string>();
        // Words of the draft plans' titles, not of any marker: the search page repeats what it was asked.
        var queue = new Queue<string>([Portal, .. new[] { "framtida", "indikator", "strategi" }.Select(word => $"{Portal}/sok?q={word}")]);
        var seen = new HashSet<string>(queue);
        while (queue.TryDequeue(out var url))
        {
            seen.Count.ShouldBeLessThan(CrawlLimit, "the crawl ends");
            var response = await client.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            response.Headers.Contains("Set-Cookie").ShouldBeFalse(url);
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!(type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("json", StringComparison.Ordinal) || type.Contains("turtle", StringComparison.Ordinal) || type.Contains("xml", StringComparison.Ordinal)))
            {
                continue;
            }

            var body = bodies[url] = await response.Content.ReadAsStringAsync();
            var found = Link().Matches(body).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Split('?')[0])
                .Where(path => path.StartsWith(Portal + "/", StringComparison.Ordinal) || path == Portal).ToList();
            found.AddRange(found.Select(path => Embeddable().Match(path)).Where(m => m.Success)
                .Select(m => $"{Portal}/inbaddning/{(m.Groups[1].Value == "enhet" ? "malkort" : m.Groups[1].Value)}/{m.Groups[2].Value}").ToList());
            foreach (var next in found.Where(seen.Add))
            {
                queue.Enqueue(next);
            }
        }

        return bodies;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nothing_unpublished_or_draft_reaches_any_portal_page_embed_or_open_data_file_until_published_and_it_goes_again_when_withdrawn(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await MarkAsync(app);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        // The portal shows assessments and activity reports; an outcome's comment is the editors' note, in the API only.
        string[] hidden = ["HEMLIG-analys", "HEMLIG-motivering", "HEMLIG-åtgärder", "HEMLIG-aktivitetsrapport"];

        var before = await CrawlPortalAsync(anonymous);
        before.Keys.ShouldContain(k => k.Contains("/mal/", StringComparison.Ordinal));
        before.Keys.ShouldContain(k => k.Contains("/inbaddning/", StringComparison.Ordinal));
        before.Keys.ShouldContain(k => k.Contains("/indikator/", StringComparison.Ordinal));
        Leaks(before, Secrets).ShouldBeEmpty();
        foreach (var marker in Visible.Where(m => m != "PUBLICERAD-utfall"))
        {
            before.Values.ShouldContain(body => body.Contains(marker), $"the portal shows {marker}");
        }

        // Published: its texts appear (the crawl reads each page for the latest period, now this one); drafts stay inside.
        await PublishAsync(admin, Unpublished, true);
        var published = await CrawlPortalAsync(anonymous);
        foreach (var marker in hidden)
        {
            published.Values.ShouldContain(body => body.Contains(marker), $"published, the portal shows {marker}");
        }

        Leaks(published, ["UTKAST", "828282", "@exempelkommun.se", "@test.kedja", "HEMLIG framtida", "HEMLIG strategi", "HEMLIG indikator"]).ShouldBeEmpty();

        // Withdrawn: gone again from every page, although each was served from the cache a moment ago.
        await PublishAsync(admin, Unpublished, false);
        Leaks(await CrawlPortalAsync(anonymous), Secrets).ShouldBeEmpty();
    }
}
