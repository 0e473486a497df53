using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// What every answer under /p/ shares (ADR 41): tagged with the tenant's data version and answered 304 while it
/// stands, served from the node's memory, changed everywhere the moment a period is published or withdrawn, limited
/// per address with a Swedish 429 page, and never a cookie.
/// </summary>
public sealed class PortalResponsesTests
{
    private const string Start = $"/p/{DemoTenant.Slug}";

    private static async Task<int> PeriodVersion(HttpClient admin, string key) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/periods")).EnumerateArray()
            .Single(p => p.GetProperty("key").GetString() == key).GetProperty("version").GetInt32();

    private static async Task PublishAsync(HttpClient admin, string key, bool published)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/{key}/publication",
            new { isPublished = published, version = await PeriodVersion(admin, key) });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return await client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_page_is_tagged_with_its_version_and_date_and_answered_304_by_its_tag_until_the_data_changes(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var first = await anonymous.GetAsync(Start);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var etag = first.Headers.ETag.ShouldNotBeNull();
        var lastModified = first.Content.Headers.LastModified.ShouldNotBeNull();
        first.Headers.CacheControl!.NoCache.ShouldBeTrue("a copy must be checked again each time: unpublishing takes it away");
        var body = await first.Content.ReadAsStringAsync();

        // The second answer comes from the node's memory: the same bytes, the same tag.
        var second = await anonymous.GetAsync(Start);
        (await second.Content.ReadAsStringAsync()).ShouldBe(body);
        second.Headers.ETag.ShouldBe(etag);
        second.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");

        (await GetAsync(anonymous, Start, h => h.IfNoneMatch.Add(etag))).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        // A date is never answered 304: cut to the second and taken from a writer's clock, it cannot tell a withdrawal
        // in the same second from the page before it. The tag can.
        (await GetAsync(anonymous, Start, h => h.IfModifiedSince = lastModified)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(anonymous, Start, h => h.IfModifiedSince = lastModified.AddYears(1))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(anonymous, $"{Start}?period=2025-T3", h => h.IfNoneMatch.Add(etag))).StatusCode
            .ShouldBe(HttpStatusCode.OK, "each address has its own tag");

        // "*" and a date say nothing of whether a page exists: a page that is not there is a 404 whatever is asked.
        (await GetAsync(anonymous, Start, h => h.IfNoneMatch.Add(EntityTagHeaderValue.Any))).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await GetAsync(anonymous, $"{Start}/mal/{Guid.NewGuid()}", h => h.IfNoneMatch.Add(EntityTagHeaderValue.Any))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync(anonymous, $"{Start}?period=2026-T3", h => h.IfModifiedSince = DateTimeOffset.UtcNow.AddYears(1))).StatusCode
            .ShouldBe(HttpStatusCode.NotFound, "an unpublished period");

        // A write anywhere in the tenant raises its version: a new tag, a later date, the page sent again.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var goal = await db.Goals.FirstAsync();
            goal.Description = (goal.Description ?? "") + " Rättad.";
            await db.SaveChangesAsync();
        }

        var changed = await GetAsync(anonymous, Start, h => h.IfNoneMatch.Add(etag));
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        changed.Headers.ETag!.Tag.ShouldNotBe(etag.Tag);
        changed.Content.Headers.LastModified!.Value.ShouldBeGreaterThan(lastModified);
        (await GetAsync(anonymous, Start, h => h.IfModifiedSince = lastModified)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Publishing_and_withdrawing_a_period_changes_the_cached_pages_at_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        const string Next = "2026-T2";
        (await anonymous.GetAsync($"{Start}?period={Next}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync(Start)).ShouldNotContain("T2 2026");

        await PublishAsync(admin, Next, published: true);
        (await anonymous.GetAsync($"{Start}?period={Next}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var start = await anonymous.GetStringAsync(Start);
        start.ShouldContain("T2 2026");
        (await anonymous.GetStringAsync(Start)).ShouldBe(start, "served from the cache while nothing changes");

        await PublishAsync(admin, Next, published: false);
        (await anonymous.GetAsync($"{Start}?period={Next}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "withdrawn: gone from the cache too");
        (await anonymous.GetStringAsync(Start)).ShouldNotContain("T2 2026");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_write_by_another_node_is_seen_within_the_freshness_window(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?> { ["Kedja:Portal:VersionFreshMilliseconds"] = "300" });
        var anonymous = app.CreateClient();
        var before = (await anonymous.GetAsync(Start)).Headers.ETag!;

        // Another node's write reaches this one only through the database: raise the version there, not through this node.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var id = await db.Tenants.Where(t => t.Slug == DemoTenant.Slug).Select(t => t.Id).SingleAsync();
            var options = new DbContextOptionsBuilder<Data.KedjaDbContext>();
            Data.KedjaDatabase.Configure(options, Enum.Parse<Data.DatabaseProvider>(provider), app.ConnectionString);
            await using var other = new Data.KedjaDbContext(options.Options, new Data.TenantScope(), new Data.FixedActor("nod 2"));
            await other.Tenants.Where(t => t.Id == id).ExecuteUpdateAsync(t => t.SetProperty(x => x.DataVersion, x => x.DataVersion + 1));
        }

        await Task.Delay(400);
        (await anonymous.GetAsync(Start)).Headers.ETag!.Tag.ShouldNotBe(before.Tag, "after the freshness window the node reads the version again");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_embed_from_the_cache_may_be_framed_by_the_same_sites_as_when_it_was_rendered(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid goal;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            goal = (await db.Goals.OrderBy(g => g.Title).FirstAsync()).Id;
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == DemoTenant.Slug);
            tenant.EmbedOrigins = ["https://www.exempelkommun.se"];
            await db.SaveChangesAsync();
        }

        var anonymous = app.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await anonymous.GetAsync($"{Start}/inbaddning/mal/{goal}"));
        }

        foreach (var answer in answers)
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.OK);
            answer.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors https://www.exempelkommun.se");
            answer.Headers.Contains("X-Frame-Options").ShouldBeFalse("the old header would refuse every site");
        }

        (await anonymous.GetAsync(Start)).Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY", "a page that is no embed is framed by nobody");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_correction_shows_within_the_refresh_time_and_a_withdrawal_at_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?> { ["Kedja:Portal:RefreshAtMostEveryMilliseconds"] = "1500" });
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        await PublishAsync(admin, "2026-T2", published: true);
        var before = await anonymous.GetAsync(Start);
        var tag = before.Headers.ETag!;

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var goal = await db.Goals.FirstAsync(g => g.Title == "Barn och unga når sin fulla potential");
            goal.Title = "Barn och unga når sin fulla potential (rättad)";
            await db.SaveChangesAsync();
        }

        (await anonymous.GetAsync(Start)).Headers.ETag.ShouldBe(tag, "rendered a moment ago, the page stands for the correction");
        await Task.Delay(1700);
        var later = await anonymous.GetAsync(Start);
        (await later.Content.ReadAsStringAsync()).ShouldContain("(rättad)");

        // A withdrawal never waits for the refresh time.
        await PublishAsync(admin, "2026-T2", published: false);
        (await anonymous.GetStringAsync(Start)).ShouldNotContain("T2 2026");
    }

    [Fact]
    public void While_a_page_is_rendered_anew_the_previous_one_is_answered_only_if_nothing_was_published_or_withdrawn_since()
    {
        using var cache = new Kedja.Web.Portal.PortalCache(Microsoft.Extensions.Options.Options.Create(new Kedja.Web.Portal.PortalOptions()));
        var made = DateTime.UtcNow;
        cache.Rendered("k", 7, new Kedja.Web.Portal.PortalPage(7, made, "3|1|42", TimeProvider.System.GetTimestamp(), [], [1, 2, 3], null));
        var tenant = Guid.NewGuid();

        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "3|1|42")).ShouldNotBeNull("a correction: the page of version 7 while 8 is made");
        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "2|1|42")).ShouldBeNull("a period withdrawn: never the page from before");
        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "3|2|42")).ShouldBeNull("the tenant's settings changed (the sites that may embed)");
        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 7, made, "3|1|42")).ShouldBeNull("not older: the page itself is found by Find");
        cache.Previous("other", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "3|1|42")).ShouldBeNull();
        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "3|1|42"), TimeSpan.FromMinutes(1)).ShouldNotBeNull("made a moment ago");
        cache.Previous("k", new Kedja.Web.Public.TenantStamp(tenant, 8, made, "3|1|42"), TimeSpan.Zero).ShouldBeNull("too old to stand for a newer version");
    }

    [Fact]
    public async Task Too_many_requests_from_one_address_get_a_Swedish_page_that_says_how_long_to_wait()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true,
            settings: new Dictionary<string, string?> { ["Kedja:Portal:BurstPerAddress"] = "3", ["Kedja:Portal:PerSecondPerAddress"] = "1" });
        var one = app.ClientFrom("203.0.113.7");
        var other = app.ClientFrom("203.0.113.8");
        (await other.GetAsync(Start)).StatusCode.ShouldBe(HttpStatusCode.OK, "rendered once, so that the next are quick");

        // Three at once, then one a second: of ten quick requests some are refused, whatever the machine's pace.
        one.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await one.GetAsync(Start));
        }

        answers.Take(3).ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        var refused = answers.First(a => a.StatusCode != HttpStatusCode.OK);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        var page = await refused.Content.ReadAsStringAsync();
        page.ShouldContain("lang=\"sv\"");
        page.ShouldContain("Vänta");
        (await app.ClientFrom("203.0.113.9").GetAsync(Start)).StatusCode.ShouldBe(HttpStatusCode.OK, "another address has its own allowance");
        (await one.GetAsync("/api/v1/public/" + DemoTenant.Slug)).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests, "the limit is the portal's");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task No_portal_answer_sets_a_cookie_even_for_a_signed_in_person_in_English(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var browser = app.CreateClient(new() { AllowAutoRedirect = false });
        var signIn = await KedjaApp.PostSignInFormAsync(browser);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kedja=", StringComparison.Ordinal)).Split(';')[0];
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"{session}; .AspNetCore.Culture=c%3Den%7Cuic%3Den");

        foreach (var path in new[] { Start, $"{Start}?period=2025-T3", $"{Start}/finns-inte", "/p/finns-inte" })
        {
            var response = await client.GetAsync(path);
            response.Headers.Contains("Set-Cookie").ShouldBeFalse(path);
            response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.NotFound], $"{path}: never the sign-in page");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", path);
            (await response.Content.ReadAsStringAsync()).ShouldContain("lang=\"sv\"", Case.Sensitive, path);
        }
    }
}
