using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Kolada.Tests;
using Kedja.Web.Demo;
using Kedja.Web.Kolada;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Kolada;

/// <summary>
/// Benchmarking an indicator against Kolada through the app's real Kolada client and a fake Kolada on 127.0.0.1: the
/// statistics, chosen municipalities, accepting a suggestion as target, who may, and Kolada being down.
/// </summary>
public sealed partial class BenchmarkingTests : IAsyncLifetime
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>The demo's indicator of sports participation: higher is better, one decimal, Kolada N09803 for kommun 9999.</summary>
    private const string Sports = "Deltagartillfällen i idrottsföreningar, 7-20 år, per invånare";

    /// <summary>The demo's sickness absence: lower is better, one decimal, Kolada N00090 for kommun 9999.</summary>
    private const string Absence = "Sjukfrånvaro bland kommunens medarbetare";

    private FakeKolada fake = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeKolada.StartAsync();
        Fill(fake);
    }

    public async Task DisposeAsync() => await fake.DisposeAsync();

    /// <summary>
    /// Four municipalities of a group with 10, 20, 30 and 40 in 2024 (the group also holds the own municipality, 9999,
    /// with 25), and a fifth outside it. Women's values differ, to show which gender is taken.
    /// </summary>
    /// <summary>The fixture's names as Kolada writes them (Swedish), for checks of the English interface.</summary>
    internal static readonly string[] KoladaTexts =
        ["Deltagartillfällen i idrottsföreningar, 7-20 år, antal/inv", "Sjukfrånvaro, kommunalt anställda, andel (%)", "Exempelkommun", "Ettby", "Tvåstad", "Trehamn",
         "Fyrvik", "Femtorp", "Riket", "Liknande kommuner, idrott", "Kommuner med stort fritidsutbud"];

    internal static void Fill(FakeKolada kolada)
    {
        kolada.AddKpi(new FakeKpi("N09803", "Deltagartillfällen i idrottsföreningar, 7-20 år, antal/inv", PublPeriod: "2024"));
        kolada.AddKpi(new FakeKpi("N00090", "Sjukfrånvaro, kommunalt anställda, andel (%)", IsDividedByGender: true, PublPeriod: "2024"));
        kolada.AddMunicipality("9999", "Exempelkommun");
        kolada.AddMunicipality("0001", "Ettby");
        kolada.AddMunicipality("0002", "Tvåstad");
        kolada.AddMunicipality("0003", "Trehamn");
        kolada.AddMunicipality("0004", "Fyrvik");
        kolada.AddMunicipality("0005", "Femtorp");
        kolada.AddMunicipality("0000", "Riket", "L");
        kolada.AddGroup("G1", "Liknande kommuner, idrott", "0001", "0002", "0003", "0004", "9999");
        kolada.AddGroup("G2", "Kommuner med stort fritidsutbud", "0001", "0005");
        foreach (var kpi in new[] { "N09803", "N00090" })
        {
            foreach (var (id, value) in new[] { ("0001", 10m), ("0002", 20m), ("0003", 30m), ("0004", 40m), ("9999", 25m), ("0005", 50m) })
            {
                kolada.SetValue(kpi, id, 2024, value);
                kolada.SetValue(kpi, id, 2023, value - 1);
                kolada.SetValue(kpi, id, 2024, value * 2, "K");
            }
        }

        // A year with one value missing: Kolada has the row but no figure.
        kolada.SetValue("N09803", "0004", 2023, null, status: "Saknas");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Kedja:Kolada:BaseUrl"] = fake.BaseUrl,
        ["Kedja:Kolada:MaxRetries"] = "1",
        ["Kedja:Kolada:RetryBaseDelaySeconds"] = "0.01",
        ["Kedja:Kolada:TimeoutSeconds"] = "5",
    };

    private static async Task<(Guid Indicator, Guid Unit)> IndicatorAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var indicator = await db.Indicators.Where(i => i.Name == name).Select(i => new { i.Id, i.OwnerUnitId }).SingleAsync();
            return (indicator.Id, indicator.OwnerUnitId);
        }
    }

    private static string Page(Guid indicator, string query = "") => $"/k/{Slug}/indikator/{indicator}/jamforelse{query}";

    private static string Api(Guid indicator, string query = "") => $"/api/v1/tenants/{Slug}/indicators/{indicator}/benchmark{query}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_group_comparison_gives_the_known_median_quartiles_and_rank_and_suggests_the_upper_quartile_where_higher_is_better(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        var (sports, _) = await IndicatorAsync(app, Sports);

        var answer = await admin.GetAsync(Api(sports, "?group=G1&years=2"));
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var benchmark = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
        benchmark["kpiTitle"]!.GetValue<string>().ShouldBe("Deltagartillfällen i idrottsföreningar, 7-20 år, antal/inv");
        benchmark["gender"]!.GetValue<string>().ShouldBe("T");
        benchmark["group"]!["title"]!.GetValue<string>().ShouldBe("Liknande kommuner, idrott");
        benchmark["years"]!.AsArray().Select(y => y!.GetValue<int>()).ShouldBe([2023, 2024]);

        // The own municipality is in the group but not in its statistics; it is ranked among them.
        var latest = benchmark["statistics"]!.AsArray()[1]!;
        (latest["year"]!.GetValue<int>(), latest["count"]!.GetValue<int>()).ShouldBe((2024, 4));
        new[] { "min", "lowerQuartile", "median", "upperQuartile", "max", "own" }.Select(f => latest[f]!.GetValue<decimal>()).ShouldBe([10m, 17.5m, 25m, 32.5m, 40m, 25m]);
        (latest["ownRank"]!.GetValue<int>(), latest["rankedOf"]!.GetValue<int>()).ShouldBe((3, 5));
        var earlier = benchmark["statistics"]!.AsArray()[0]!;
        earlier["count"]!.GetValue<int>().ShouldBe(3, "Fyrvik has no figure for 2023");
        new[] { "lowerQuartile", "median", "upperQuartile" }.Select(f => earlier[f]!.GetValue<decimal>()).ShouldBe([14m, 19m, 24m]);

        // Best first by the latest year, the own municipality among them.
        var rows = benchmark["rows"]!.AsArray();
        rows.Select(r => r!["municipalityId"]!.GetValue<string>()).ShouldBe(["0004", "0003", "9999", "0002", "0001"]);
        rows.Single(r => r!["isOwn"]!.GetValue<bool>())!["inComparison"]!.GetValue<bool>().ShouldBeFalse();
        rows[0]!["values"]!.AsArray().Select(v => v?.GetValue<decimal>()).ShouldBe([null, 40m]);

        var suggestions = benchmark["suggestions"]!.AsArray();
        suggestions.Select(s => (s!["kind"]!.GetValue<string>(), s["fromYear"]!.GetValue<int>(), s["value"]!.GetValue<decimal>(), s["ownAlreadyThere"]!.GetValue<bool>()))
            .ShouldBe([("median", 2024, 25.0m, true), ("betterQuartile", 2024, 32.5m, false)]);
        var nextYear = app.Clock.GetUtcNow().Year + 1;
        benchmark["targetYear"]!.GetValue<int>().ShouldBe(nextYear);

        // The page says the same in Swedish figures, the own municipality named as such in words.
        var page = await admin.GetStringAsync(Page(sports, "?grupp=G1&ar=2"));
        page.ShouldContain("<th scope=\"row\">Exempelkommun (egen kommun)</th>");
        page.ShouldContain("<td class=\"num\">17,5</td>");
        page.ShouldContain("Bästa kvartilen 2024: 32,5");
        page.ShouldContain($"Använd som målvärde för {nextYear}");
        page.ShouldContain("Det är plats 3 av 5, där plats 1 är bäst.");
        page.ShouldContain("<svg class=\"chart benchmark\"");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Where_lower_is_better_the_lower_quartile_is_the_better_one_low_values_rank_first_and_the_chosen_gender_is_compared(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        var (absence, _) = await IndicatorAsync(app, Absence);

        var total = (await admin.GetFromJsonAsync<Benchmark>(Api(absence, "?group=G1&years=1"), Json))!;
        total.Statistics.Single().ShouldBe(new BenchmarkYear(2024, 4, 10m, 17.5m, 25m, 32.5m, 40m, 25m, 3, 5));
        total.Suggestions.ShouldBe([new TargetSuggestion(SuggestionKind.Median, 2024, 25.0m, true), new TargetSuggestion(SuggestionKind.BetterQuartile, 2024, 17.5m, false)]);
        total.Rows.Select(r => r.MunicipalityId).ShouldBe(["0001", "0002", "9999", "0003", "0004"]);

        // Women's values are twice the total in the fixture: the comparison follows the indicator's choice.
        var indicator = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/indicators/{absence}"))!;
        indicator["koladaGender"] = "women";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/indicators/{absence}", indicator)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var women = (await admin.GetFromJsonAsync<Benchmark>(Api(absence, "?group=G1&years=1"), Json))!;
        women.Gender.ShouldBe("K");
        women.Statistics.Single().ShouldBe(new BenchmarkYear(2024, 4, 20m, 35m, 50m, 65m, 80m, 50m, 3, 5));
        women.Suggestions.Select(s => s.Value).ShouldBe([50.0m, 35.0m]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Chosen_municipalities_by_code_or_name_are_compared_with_a_group_and_unknown_ones_are_named(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        var (sports, _) = await IndicatorAsync(app, Sports);

        var chosen = (await admin.GetFromJsonAsync<Benchmark>(Api(sports, "?municipalities=0005,tvåstad&years=1"), Json))!;
        chosen.Group.ShouldBeNull();
        chosen.Rows.Select(r => (r.MunicipalityId, r.Title, r.IsOwn)).ShouldBe([("0005", "Femtorp", false), ("9999", "Exempelkommun", true), ("0002", "Tvåstad", false)]);
        chosen.Statistics.Single().ShouldBe(new BenchmarkYear(2024, 2, 20m, 27.5m, 35m, 42.5m, 50m, 25m, 2, 3));

        // A group and municipalities together; a municipality in both counts once.
        var both = (await admin.GetFromJsonAsync<Benchmark>(Api(sports, "?group=G2&municipalities=0001,Riket&years=1"), Json))!;
        both.Rows.Select(r => r.MunicipalityId).Order().ShouldBe(["0000", "0001", "0005", "9999"]);
        both.Statistics.Single().Count.ShouldBe(2, "Riket has no value in the fixture");

        // The page takes codes and names typed and picked in the list alike.
        var page = await admin.GetStringAsync(Page(sports, "?kommuner=Ettby&kommun=0004&ar=1"));
        page.ShouldContain("<th scope=\"row\">Ettby</th>");
        page.ShouldContain("<th scope=\"row\">Fyrvik</th>");
        page.ShouldContain("<option value=\"0004\" selected=\"selected\">Fyrvik (0004)</option>");

        var unknown = await admin.GetAsync(Api(sports, "?municipalities=0001,Ingenstad,0042&years=1"));
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["errors"]!["municipalities"]![0]!.GetValue<string>().ShouldBe("Kolada känner inte till Ingenstad, 0042. Ange kommunkoder (fyra siffror) eller kommunernas namn.");
        var unknownOnPage = await admin.GetAsync(Page(sports, "?kommuner=Ingenstad"));
        unknownOnPage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await unknownOnPage.Content.ReadAsStringAsync()).ShouldContain("Kolada känner inte till Ingenstad.");

        var noGroup = await admin.GetAsync(Api(sports, "?group=G404"));
        noGroup.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noGroup.Content.ReadAsStringAsync()).ShouldContain("Kolada har ingen jämförelsegrupp G404.");
        (await admin.GetAsync(Api(sports, "?years=21"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Nothing chosen: the own municipality's values alone, and no statistics to suggest from.
        var alone = (await admin.GetFromJsonAsync<Benchmark>(Api(sports), Json))!;
        alone.Rows.ShouldHaveSingleItem().Values.ShouldBe([null, null, null, 24m, 25m]);
        alone.Suggestions.ShouldBeEmpty();
        (await admin.GetStringAsync(Page(sports))).ShouldContain("Välj en jämförelsegrupp eller kommuner att jämföra med.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_accepted_suggestion_becomes_the_target_through_the_indicators_rules_audited_and_a_stale_version_is_a_conflict(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var (sports, unit) = await IndicatorAsync(app, Sports);
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, unit);
        var editor = Direct(app, await app.ClientAsync(email, password));
        var nextYear = app.Clock.GetUtcNow().Year + 1;
        var url = Page(sports, "?grupp=G1&ar=2");

        var shown = await editor.GetStringAsync(url);
        var form = AcceptForm(shown, "betterQuartile");
        form["value"].ShouldBe("32.5");
        form["year"].ShouldBe(nextYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var accepted = await editor.PostAsync(form["action"], Content(form));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await accepted.Content.ReadAsStringAsync());
        var back = accepted.Headers.Location!.ToString();
        back.ShouldStartWith($"/k/{Slug}/indikator/{sports}/jamforelse?grupp=G1&ar=2");
        (await editor.GetStringAsync(back)).ShouldContain($"Målvärdet för {nextYear} är sparat: 32,5.");

        var indicator = (await editor.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/indicators/{sports}"))!;
        var target = indicator["targets"]!.AsArray().Single(t => t!["periodKey"]!.GetValue<string>() == nextYear.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        target["value"]!.GetValue<decimal>().ShouldBe(32.5m);
        target["note"]!.GetValue<string>().ShouldBe("Från jämförelse i Kolada: bästa kvartilen 2024.");
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var audited = await db.AuditEntries.Where(e => e.UserName == email).Select(e => e.Entity + " " + e.After).ToListAsync();
            audited.ShouldContain(e => e.StartsWith("IndicatorTarget ", StringComparison.Ordinal) && e.Contains("32.5"), string.Join("\n", audited));
        }

        // The other button on the page that was shown carries the version before the change: nothing is overwritten.
        var stale = await editor.PostAsync(form["action"], Content(AcceptForm(shown, "median")));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var refused = await stale.Content.ReadAsStringAsync();
        refused.ShouldContain("Någon annan har ändrat indikatorn sedan sidan visades, så målvärdet sparades inte.");
        refused.ShouldContain($"Målvärdet för {nextYear} är nu 32,5.");
        var apiStale = await editor.PostAsJsonAsync(Api(sports, "/accept"), new { year = nextYear, value = 25.0m, kind = "median", fromYear = 2024, version = int.Parse(form["version"], System.Globalization.CultureInfo.InvariantCulture) });
        apiStale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var after = (await editor.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/indicators/{sports}"))!;
        after["targets"]!.AsArray().Single(t => t!["periodKey"]!.GetValue<string>() == nextYear.ToString(System.Globalization.CultureInfo.InvariantCulture))!["value"]!.GetValue<decimal>().ShouldBe(32.5m);

        // With the current version, through the API, the median replaces it.
        var fresh = await editor.PostAsJsonAsync(Api(sports, "/accept"), new { year = nextYear, value = 25.0m, kind = "median", fromYear = 2024, version = after["version"]!.GetValue<int>() });
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK, await fresh.Content.ReadAsStringAsync());
        (await fresh.Content.ReadFromJsonAsync<JsonObject>())!["targets"]!.AsArray().Single(t => t!["periodKey"]!.GetValue<string>() == nextYear.ToString(System.Globalization.CultureInfo.InvariantCulture))!["value"]!.GetValue<decimal>().ShouldBe(25m);

        // A year outside what is offered is refused.
        var outside = await editor.PostAsJsonAsync(Api(sports, "/accept"), new { year = 1999, value = 25.0m, kind = "median", fromYear = 2024, version = after["version"]!.GetValue<int>() + 1 });
        outside.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_reader_or_an_editor_of_another_unit_sees_the_comparison_but_no_button_and_their_posted_accept_is_refused(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        var (sports, _) = await IndicatorAsync(app, Sports);
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var url = Page(sports, "?grupp=G1&ar=2");
        var form = AcceptForm(await admin.GetStringAsync(url), "betterQuartile");
        foreach (var (who, role, unit) in new[] { ("reader", TenantRole.Reader, (Guid?)null), ("editor of the library", TenantRole.Editor, library) })
        {
            var client = Direct(app, await app.MemberClientAsync(Slug, role, unit));
            var page = await client.GetAsync(url);
            page.StatusCode.ShouldBe(HttpStatusCode.OK, who);
            var html = await page.Content.ReadAsStringAsync();
            html.ShouldContain("Bästa kvartilen 2024: 32,5", Case.Sensitive, who);
            html.ShouldNotContain("Använd som målvärde", Case.Sensitive, who);
            html.ShouldContain("Bara den som får ändra indikatorn kan använda ett förslag som målvärde.", Case.Sensitive, who);

            // The outcome grid's form gives the person a valid antiforgery token.
            var token = Regex.Match(await client.GetStringAsync($"/k/{Slug}/utfall/{library}"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            token.ShouldNotBeEmpty();
            var posted = await client.PostAsync(form["action"], Content(new(form) { ["__RequestVerificationToken"] = token }));
            posted.StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
            (await client.PostAsJsonAsync(Api(sports, "/accept"), new { year = int.Parse(form["year"], System.Globalization.CultureInfo.InvariantCulture), value = 32.5m, kind = "betterQuartile", fromYear = 2024, version = int.Parse(form["version"], System.Globalization.CultureInfo.InvariantCulture) }))
                .StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
            (await client.PostAsJsonAsync(Api(sports, "/accept"), new { year = 1999, value = 32.5m, kind = "betterQuartile", fromYear = 2024, version = 0 }))
                .StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{who}: refused for who they are before what they sent");
        }

        var indicator = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/indicators/{sports}"))!;
        indicator["version"]!.GetValue<int>().ShouldBe(int.Parse(form["version"], System.Globalization.CultureInfo.InvariantCulture));
        indicator["targets"]!.AsArray().ShouldNotContain(t => t!["note"] != null && t["note"]!.GetValue<string>().Contains("Kolada", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task When_Kolada_is_down_the_page_says_so_in_Swedish_the_rest_works_and_Kolada_is_not_asked_again_for_a_while(string provider)
    {
        fake.ScriptAlways("/v3/", FakeResponse.ServerError());
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        var (sports, _) = await IndicatorAsync(app, Sports);
        Guid goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            goal = await db.Indicators.Where(i => i.Id == sports).Select(i => i.GoalId!.Value).SingleAsync();
        }

        var page = await admin.GetAsync(Page(sports, "?grupp=G1"));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Kolada kan inte nås just nu");
        html.ShouldContain("Kolada svarar inte just nu. Försök igen om en stund. (2 försök; senast: Kolada svarade med ett serverfel (HTTP 500).)");
        html.ShouldContain("Allt annat i Kedja fungerar som vanligt.");
        // The KPI's title is not known without Kolada: its id is said once.
        html.ShouldContain("Nyckeltal N09803 i Kolada. Egen kommun:");
        html.ShouldNotContain("i Kolada: N09803");
        html.ShouldNotContain("Använd som målvärde");
        fake.Requests.Count.ShouldBe(2, "one request and one retry, then the page gave up: " + string.Join(", ", fake.Requests));

        var api = await admin.GetAsync(Api(sports, "?group=G1"));
        api.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await api.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().ShouldStartWith("Kolada svarar inte just nu.");
        fake.Requests.Count.ShouldBe(2, "Kolada is not asked again right after it failed");

        // The goal page, with its link to the comparison, and the indicator's form do not depend on Kolada.
        var goalPage = await admin.GetStringAsync($"/k/{Slug}/mal/{goal}");
        goalPage.ShouldContain($"href=\"/k/{Slug}/indikator/{sports}/jamforelse\"");
        (await admin.GetAsync($"/k/{Slug}/indikator/{sports}/andra")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Kolada is back, and the pause is over: the comparison is there again.
        fake.ClearScripts();
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var recovered = await admin.GetStringAsync(Page(sports, "?grupp=G1"));
        recovered.ShouldNotContain("Kolada kan inte nås just nu");
        recovered.ShouldContain("Exempelkommun (egen kommun)");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_municipality_is_not_told_the_indicator_exists_and_an_indicator_without_Kolada_says_so(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings());
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        var (sports, _) = await IndicatorAsync(app, Sports);

        foreach (var url in new[] { Page(sports, "?grupp=G1"), Api(sports, "?group=G1") })
        {
            var answer = await stranger.GetAsync(url);
            answer.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await answer.Content.ReadAsStringAsync()).ShouldNotContain("Exempelkommun");
            (await stranger.GetAsync(url.Replace($"/{Slug}/", "/annan/", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the indicator is not the other municipality's");
        }

        (await stranger.PostAsJsonAsync(Api(sports, "/accept").Replace($"/{Slug}/", "/annan/", StringComparison.Ordinal), new { year = 2027, value = 1m, kind = "median", fromYear = 2024, version = 0 }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        fake.Requests.ShouldBeEmpty();

        Guid manual;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            manual = await db.Indicators.Where(i => i.KoladaKpiId == null).Select(i => i.Id).FirstAsync();
        }

        var page = await admin.GetAsync(Page(manual));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("Indikatorn är inte kopplad till något nyckeltal i Kolada");
        var api = await admin.GetAsync(Api(manual));
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Content.ReadAsStringAsync()).ShouldContain(KoladaBenchmarking.NotLinked);
        (await admin.GetAsync(Page(Guid.NewGuid()))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 2.0, 3.0, 4.0)]
    [InlineData(new[] { 10.0, 20, 30, 40 }, 17.5, 25.0, 32.5)]
    [InlineData(new[] { 7.0 }, 7.0, 7.0, 7.0)]
    [InlineData(new[] { 3.0, 1 }, 1.5, 2.0, 2.5)]
    public void Quartiles_are_Excels_QUARTILE_INC(double[] values, double lower, double median, double upper)
    {
        var sorted = values.Select(v => (decimal)v).Order().ToList();
        new[] { 0.25m, 0.5m, 0.75m }.Select(p => BenchmarkingStatistics.Quantile(sorted, p)).ShouldBe([(decimal)lower, (decimal)median, (decimal)upper]);
        BenchmarkingStatistics.Quantile([], 0.5m).ShouldBeNull();
    }

    [Fact]
    public void Suggestions_are_rounded_to_the_indicators_decimals_and_there_are_none_without_a_better_direction()
    {
        var years = new[] { BenchmarkingStatistics.Year(2024, [10.25m, 20.5m, 30.125m], 12m, Direction.HigherIsBetter) };
        BenchmarkingStatistics.Suggest(years, Direction.HigherIsBetter, 0).Select(s => s.Value).ShouldBe([21m, 25m]);
        BenchmarkingStatistics.Suggest(years, Direction.HigherIsBetter, 2).Select(s => s.Value).ShouldBe([20.5m, 25.31m]);
        BenchmarkingStatistics.Suggest(years, Direction.TargetRange, 1).ShouldBeEmpty();
        BenchmarkingStatistics.Suggest(years, Direction.Neutral, 1).ShouldBeEmpty();
        BenchmarkingStatistics.Year(2024, [1m, 2m], 3m, Direction.Neutral).OwnRank.ShouldBeNull();
    }

    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        Exchange.JsonSerializerOptionsProvider.Configure(options);
        return options;
    }

    /// <summary>The fields of the accept form of a suggestion as the page shows it, with its action and antiforgery token.</summary>
    private static Dictionary<string, string> AcceptForm(string html, string kind)
    {
        var forms = FormRegex().Matches(html).Select(m => m.Value).Where(f => f.Contains("method=\"post\"", StringComparison.Ordinal)).ToList();
        var form = forms.Single(f => f.Contains($"name=\"kind\" value=\"{(kind == "median" ? "Median" : "BetterQuartile")}\"", StringComparison.Ordinal));
        var fields = InputRegex().Matches(form).ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["action"] = System.Net.WebUtility.HtmlDecode(Regex.Match(form, "action=\"([^\"]+)\"").Groups[1].Value);
        fields["__RequestVerificationToken"] = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["__RequestVerificationToken"].ShouldNotBeEmpty();
        return fields;
    }

    private static FormUrlEncodedContent Content(Dictionary<string, string> form) => new(form.Where(f => f.Key != "action"));

    /// <summary>A client with the same token that does not follow redirects.</summary>
    private static HttpClient Direct(KedjaApp app, HttpClient signedIn)
    {
        var direct = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        return direct;
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex InputRegex();
}
