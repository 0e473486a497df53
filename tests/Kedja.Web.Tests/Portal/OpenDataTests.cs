using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Portal.OpenData;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The open data files (issue 13, ADR 42, docs/open-data.md): JSON that validates against its committed schema, CSV with
/// the documented columns, only published periods, Kolada's values marked. The demo municipality has published every
/// tertial up to T1 2026 and has values of T2 2026, which it has not published.
/// </summary>
public sealed partial class OpenDataTests
{
    private const string Unpublished = "2026-T2";

    private static string Files(string name) => $"/p/{DemoTenant.Slug}/oppna-data/{name}";

    internal static string RepositoryFile(string relative)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kedja.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Hittar inte lösningens rot.");
        }

        return File.ReadAllText(Path.Combine(root, relative));
    }

    private static async Task<List<string>> PublishedAsync(HttpClient anonymous) =>
        [.. (await anonymous.GetFromJsonAsync<List<JsonElement>>($"/api/v1/public/{DemoTenant.Slug}/periods"))!.Select(p => p.GetProperty("key").GetString()!)];

    [Fact]
    public async Task The_committed_schema_is_the_one_the_code_generates_and_the_one_served()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite");
        var committed = RepositoryFile(OpenDataSchema.RelativePath);

        // When this fails after a change to OpenDataDocument: dotnet run --project src/Kedja.Web --no-launch-profile -- open-data-schema > docs/schema/kedja-open-data.v1.schema.json
        committed.ShouldBe(OpenDataSchema.Generate(app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options));
        var served = await app.CreateClient().GetAsync(OpenDataSchema.Path);
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        served.Content.Headers.ContentType!.MediaType.ShouldBe("application/schema+json");
        (await served.Content.ReadAsStringAsync()).ShouldBe(committed);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_published_periods_json_and_the_json_of_all_validate_against_the_schema(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var schema = Schema.Value;
        var published = await PublishedAsync(anonymous);
        published.Count.ShouldBeGreaterThan(3);

        foreach (var name in published.Append(OpenDataReading.AllPeriods))
        {
            var response = await anonymous.GetAsync(Files($"{name}.json"));
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
            response.Content.Headers.ContentDisposition!.ToString().ShouldBe($"inline; filename={DemoTenant.Slug}-{name}.json");
            response.Headers.Contains("Set-Cookie").ShouldBeFalse();

            var document = JsonNode.Parse(text)!;
            var result = schema.Evaluate(JsonDocument.Parse(text).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            result.IsValid.ShouldBeTrue($"{name}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
            document["$schema"]!.GetValue<string>().ShouldBe("http://localhost" + OpenDataSchema.Path);
            document["tenant"]!["slug"]!.GetValue<string>().ShouldBe(DemoTenant.Slug);
            document["licence"]!["uri"]!.GetValue<string>().ShouldBe(OpenDataLicences.Cc0Uri, "the demo keeps the default licence");
            var periods = document["periods"]!.AsArray().Select(p => p!["key"]!.GetValue<string>()).ToList();
            periods.ShouldBe(name == OpenDataReading.AllPeriods ? published : [name]);
            document["goals"]!.AsArray().Count.ShouldBeGreaterThan(0);
            document["goals"]!.AsArray().ShouldAllBe(g => g!["statuses"]!.AsArray().All(s => periods.Contains(s!["period"]!.GetValue<string>())));
            document["indicators"]!.AsArray().Count.ShouldBeGreaterThan(0);
            document["outcomes"]!.AsArray().Count.ShouldBeGreaterThan(0, name);

            // The schema can fail: a value written as text is not a number.
            document["outcomes"]![0]!["value"] = "tolv";
            schema.Evaluate(JsonDocument.Parse(document.ToJsonString()).RootElement).IsValid.ShouldBeFalse();
        }

        // The goal chain: a committee's goal names the council goal it contributes to, and that goal is in the file.
        var all = JsonNode.Parse(await anonymous.GetStringAsync(Files("alla.json")))!;
        var goals = all["goals"]!.AsArray().ToDictionary(g => g!["id"]!.GetValue<Guid>());
        goals.Values.ShouldContain(g => g!["contributesTo"]!.AsArray().Count > 0);
        goals.Values.SelectMany(g => g!["contributesTo"]!.AsArray().Select(p => p!.GetValue<Guid>())).ShouldAllBe(parent => goals.ContainsKey(parent));
        goals.Values.ShouldAllBe(g => g!["level"]!.GetValue<string>().Length > 0);
        goals.Values.Count(g => g!["statuses"]!.AsArray().Count == published.Count).ShouldBeGreaterThan(0, "goals valid every year have a status in every period");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_csv_has_the_documented_columns_and_a_row_per_indicator_and_period_with_a_value(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var doc = RepositoryFile("docs/open-data.md");
        var table = doc[doc.IndexOf("| Column | Content |", StringComparison.Ordinal)..];
        var documented = DocumentedColumns().Matches(table[..table.IndexOf("\n\n", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList();
        documented.ShouldBe(OpenDataCsv.Columns.Select(c => c.Name), "docs/open-data.md names the columns in their order");
        documented.ShouldAllBe(c => AsciiSnakeCase().IsMatch(c));

        // What the public API says was published: every indicator's outcomes with a value, in the published periods.
        var indicators = (await anonymous.GetFromJsonAsync<List<JsonElement>>($"/api/v1/public/{DemoTenant.Slug}/indicators"))!;
        var expected = indicators.SelectMany(i => i.GetProperty("outcomes").EnumerateArray()
                .Where(o => new[] { "value", "valueWomen", "valueMen" }.Any(v => o.GetProperty(v).ValueKind == JsonValueKind.Number))
                .Select(o => (Indicator: i.GetProperty("id").GetString()!, Period: o.GetProperty("periodKey").GetString()!, Value: o.GetProperty("value"))))
            .ToList();
        expected.Count.ShouldBeGreaterThan(500);

        var response = await anonymous.GetAsync(Files("alla.csv"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8; header=present");
        response.Content.Headers.ContentDisposition!.ToString().ShouldBe($"attachment; filename={DemoTenant.Slug}-alla.csv");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF }, "no byte order mark");
        var rows = Rfc4180.Parse(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        rows[0].ShouldBe(documented);
        var data = rows.Skip(1).Select(r => documented.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        data.ShouldAllBe(r => r.Count == documented.Count);
        data.Count.ShouldBe(expected.Count, "one row per indicator and published period with a value");
        data.Select(r => (r["indicator_id"], r["period"])).ShouldBe(expected.Select(e => (e.Indicator, e.Period)), ignoreOrder: true);

        // Numbers with a decimal point, as a program reads them; the values are the published ones.
        string[] numbers = ["value", "value_women", "value_men", "target", "target_min", "target_max"];
        data.SelectMany(r => numbers.Select(n => r[n])).Where(v => v.Length > 0)
            .Where(v => !decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var _)).ShouldBeEmpty();
        data.ShouldContain(r => r["value"].Contains('.'), "the demo has decimals");
        var published = expected.Where(e => e.Value.ValueKind == JsonValueKind.Number).ToDictionary(e => (e.Indicator, e.Period), e => e.Value.GetDecimal());
        data.Where(r => r["value"].Length > 0 && decimal.Parse(r["value"], CultureInfo.InvariantCulture) != published[(r["indicator_id"], r["period"])]).ShouldBeEmpty();
        data.ShouldAllBe(r => DateOnly.ParseExact(r["period_start"], "yyyy-MM-dd", CultureInfo.InvariantCulture) <= DateOnly.ParseExact(r["period_end"], "yyyy-MM-dd", CultureInfo.InvariantCulture));
        data.Select(r => r["direction"]).Distinct().ShouldBeSubsetOf(["higherIsBetter", "lowerIsBetter", "targetRange", "neutral"]);

        // A period's file holds what its follow-up reads; the rows of all periods are those of every period's file.
        var perPeriod = 0;
        foreach (var period in await PublishedAsync(anonymous))
        {
            var own = Rfc4180.Parse(await anonymous.GetStringAsync(Files($"{period}.csv"))).Skip(1).ToList();
            own.ShouldAllBe(r => r[0] == period);
            perPeriod += own.Count;
        }

        perPeriod.ShouldBe(data.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unpublished_period_has_no_files_and_none_of_its_values_are_in_the_files_of_all_until_it_is_published(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        // A tertial indicator with decimals and no plausible range, so the marker is a value it takes.
        var indicator = (await admin.GetFromJsonAsync<List<JsonElement>>($"/api/v1/tenants/{DemoTenant.Slug}/indicators"))!
            .First(i => i.GetProperty("periodicity").GetString() is "tertial" && i.GetProperty("decimals").GetInt32() > 0 && i.GetProperty("plausibleMax").ValueKind == JsonValueKind.Null);
        var id = indicator.GetProperty("id").GetGuid();
        const string Marker = "987654.5";
        var outcome = $"/api/v1/tenants/{DemoTenant.Slug}/indicators/{id}/outcomes/{Unpublished}";
        var before = await admin.GetFromJsonAsync<JsonElement>(outcome);
        var written = await admin.PutAsJsonAsync(outcome, new { value = decimal.Parse(Marker, CultureInfo.InvariantCulture), version = before.GetProperty("version").GetInt32() });
        written.StatusCode.ShouldBe(HttpStatusCode.OK, await written.Content.ReadAsStringAsync());

        foreach (var format in new[] { "json", "csv" })
        {
            (await anonymous.GetAsync(Files($"{Unpublished}.{format}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var all = await anonymous.GetStringAsync(Files($"alla.{format}"));
            all.ShouldNotContain(Marker);
            all.ShouldNotContain(Unpublished);
        }

        // Nothing of the unpublished period at all: no value of a period ending after the last published one (T1 2026).
        var outcomes = JsonNode.Parse(await anonymous.GetStringAsync(Files("alla.json")))!["outcomes"]!.AsArray();
        outcomes.Where(o => DateOnly.Parse(o!["periodEnd"]!.GetValue<string>(), CultureInfo.InvariantCulture) > new DateOnly(2026, 4, 30)).ShouldBeEmpty();

        (await anonymous.GetAsync(Files("2099-T1.json"))).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a period that does not exist");
        (await anonymous.GetAsync(Files("2026-t1.json"))).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a key spelt otherwise: one address per file");
        (await anonymous.GetAsync(Files("2026-T1.xml"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync(Files("alla"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync("/p/finns-inte/oppna-data/alla.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "ny", name = "Ny kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        (await anonymous.GetAsync("/p/ny/oppna-data/alla.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a municipality that has published nothing");

        // Publishing the period makes it and its values appear; unpublishing takes them away again.
        var period = (await admin.GetFromJsonAsync<List<JsonElement>>($"/api/v1/tenants/{DemoTenant.Slug}/periods"))!.Single(p => p.GetProperty("key").GetString() == Unpublished);
        var publishedNow = await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/{Unpublished}/publication",
            new { isPublished = true, version = period.GetProperty("version").GetInt32() });
        publishedNow.StatusCode.ShouldBe(HttpStatusCode.OK, await publishedNow.Content.ReadAsStringAsync());
        (await anonymous.GetStringAsync(Files($"{Unpublished}.csv"))).ShouldContain($"{Unpublished},{Unpublished},2026-05-01,2026-08-31,{id},");
        (await anonymous.GetStringAsync(Files("alla.json"))).ShouldContain(Marker);

        var version = (await publishedNow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/{Unpublished}/publication", new { isPublished = false, version }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync(Files($"{Unpublished}.json"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync(Files("alla.csv"))).ShouldNotContain(Marker);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Values_from_Kolada_carry_their_source_and_the_municipalitys_own_do_not(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var fromKolada = (await anonymous.GetFromJsonAsync<List<JsonElement>>($"/api/v1/public/{DemoTenant.Slug}/indicators"))!
            .SelectMany(i => i.GetProperty("outcomes").EnumerateArray().Where(o => o.GetProperty("source").GetString() == "kolada")
                .Select(o => (Indicator: i.GetProperty("id").GetGuid(), Period: o.GetProperty("periodKey").GetString()!, Reference: o.GetProperty("sourceReference").GetString()!)))
            .ToList();
        fromKolada.Count.ShouldBeGreaterThan(20, "the demo's Kolada indicators have values");

        var outcomes = JsonNode.Parse(await anonymous.GetStringAsync(Files("alla.json")))!["outcomes"]!.AsArray();
        var kolada = outcomes.Where(o => o!["source"]!.GetValue<string>() == "kolada").ToList();
        kolada.Select(o => (o!["indicatorId"]!.GetValue<Guid>(), o["period"]!.GetValue<string>(), o["sourceReference"]!.GetValue<string>()))
            .ShouldBe(fromKolada.Where(k => outcomes.Any(o => o!["indicatorId"]!.GetValue<Guid>() == k.Indicator && o["period"]!.GetValue<string>() == k.Period)), ignoreOrder: true);
        kolada.Count.ShouldBeGreaterThan(20);
        kolada.Where(o => o!["attribution"]!.GetValue<string>() != "Källa: Kolada").ShouldBeEmpty();
        kolada.Where(o => !o!["sourceReference"]!.GetValue<string>().StartsWith("Kolada ", StringComparison.Ordinal)).ShouldBeEmpty();
        outcomes.Where(o => o!["source"]!.GetValue<string>() != "kolada").ShouldAllBe(o => o!["attribution"] == null && o["sourceReference"] == null);

        var rows = Rfc4180.Parse(await anonymous.GetStringAsync(Files("alla.csv")));
        var header = rows[0].ToList();
        var (source, attribution, reference) = (header.IndexOf("source"), header.IndexOf("attribution"), header.IndexOf("source_reference"));
        rows.Skip(1).Count(r => r[source] == "kolada").ShouldBe(kolada.Count);
        rows.Skip(1).Where(r => r[source] == "kolada").ShouldAllBe(r => r[attribution] == "Källa: Kolada" && r[reference].StartsWith("Kolada ", StringComparison.Ordinal));
        rows.Skip(1).Where(r => r[source] != "kolada").ShouldAllBe(r => r[attribution] == "" && r[reference] == "");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Names_with_quotes_commas_backslashes_and_line_breaks_come_back_as_they_were(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        const string Name = "Elever \"nöjda\", totalt \\ i åk 9\r\nandra raden; ‘citat’ – 😀";
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            id = await db.Outcomes.Select(o => o.IndicatorId).FirstAsync();
            await db.Indicators.Where(i => i.Id == id).ExecuteUpdateAsync(i => i.SetProperty(x => x.Name, Name));
        }

        var json = JsonNode.Parse(await anonymous.GetStringAsync(Files("alla.json")))!;
        json["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!["name"]!.GetValue<string>().ShouldBe(Name);
        var rows = Rfc4180.Parse(await anonymous.GetStringAsync(Files("alla.csv")));
        var (idColumn, nameColumn) = (rows[0].ToList().IndexOf("indicator_id"), rows[0].ToList().IndexOf("indicator_name"));
        var named = rows.Skip(1).Where(r => r[idColumn] == id.ToString()).ToList();
        named.ShouldNotBeEmpty();
        named.ShouldAllBe(r => r[nameColumn] == Name && r.Length == rows[0].Length);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_open_data_page_names_the_licence_and_the_columns_and_links_every_file_and_the_catalogue(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync($"/p/{DemoTenant.Slug}/oppna-data");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        html.ShouldContain("<html lang=\"sv\">");
        html.ShouldContain("<h1>Öppna data från Exempelkommun</h1>");
        html.ShouldContain($"<a href=\"{OpenDataLicences.Cc0Uri}\">CC0 1.0</a>");
        html.ShouldNotContain("method=\"post\"", Case.Insensitive);
        OpenDataCsv.Columns.ShouldAllBe(c => html.Contains($"<code>{c.Name}</code>"));

        var links = Links().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(h => h.StartsWith('/')).Distinct().ToList();
        var files = (await PublishedAsync(anonymous)).Append(OpenDataReading.AllPeriods).SelectMany(p => new[] { Files($"{p}.json"), Files($"{p}.csv") }).ToList();
        files.Concat([$"/p/{DemoTenant.Slug}/dcat.ttl", $"/p/{DemoTenant.Slug}/dcat.jsonld", $"/p/{DemoTenant.Slug}/dcat.rdf", OpenDataSchema.Path])
            .Except(links).ShouldBeEmpty("the page links every file, the catalogue and the schema");
        foreach (var link in links)
        {
            (await anonymous.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.OK, link);
        }

        // The catalogue's resources are this page's fragments: each dataset has its element.
        foreach (var period in (await PublishedAsync(anonymous)).Append(OpenDataReading.AllPeriods))
        {
            html.ShouldContain($"id=\"data-{period}\"");
        }

        (await anonymous.GetAsync("/p/finns-inte/oppna-data")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Links();

    /// <summary>Built once: JsonSchema.Net registers a schema by its $id for the whole process.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(RepositoryFile(OpenDataSchema.RelativePath)));

    [GeneratedRegex(@"^\| `([^`]+)` \| ", RegexOptions.Multiline)]
    private static partial Regex DocumentedColumns();

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex AsciiSnakeCase();
}
