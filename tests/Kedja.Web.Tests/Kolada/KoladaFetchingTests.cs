using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Kolada.Tests;
using Kedja.Web.Demo;
using Kedja.Web.Kolada;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Kolada;

/// <summary>
/// Fetching Kolada values into linked indicators (ADR 39) through the API, the page and the scheduler, with the real
/// client against <see cref="FakeKolada"/> on 127.0.0.1: values recorded with their source and fetch time, nothing
/// changed the second time, a revision recorded and flagged (or kept waiting in a locked follow-up), a person's value
/// never overwritten, a removed KPI and an unreachable Kolada said in Swedish, one fetch per interval across nodes.
/// </summary>
public sealed class KoladaFetchingTests
{
    private const string Slug = DemoTenant.Slug;
    private const string Base = $"/api/v1/tenants/{Slug}";

    /// <summary>The library's yearly indicator, entered by hand in the demo: linked to Kolada by the tests.</summary>
    internal const string Hours = "Öppettimmar per vecka";

    /// <summary>A demo indicator of a committee already linked to Kolada (N15482, municipality 9999), whose 2023-2025 follow-ups are locked.</summary>
    private const string Maths = "Elever i åk 6 med lägst betyget E i matematik";

    private sealed class Setup(KedjaApp app, FakeKolada fake) : IAsyncDisposable
    {
        public KedjaApp App { get; } = app;

        public FakeKolada Fake { get; } = fake;

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string provider)
    {
        var fake = await FakeKolada.StartAsync();
        fake.AddMunicipality("1280", "Malmö");
        fake.AddMunicipality("9999", "Exempelkommun");
        fake.AddKpi(new FakeKpi("N00945", "Öppettimmar vid folkbibliotek per vecka", IsDividedByGender: false));
        var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?>
        {
            ["Kedja:Kolada:BaseUrl"] = fake.BaseUrl,
            ["Kedja:Kolada:MaxRetries"] = "1",
            ["Kedja:Kolada:RetryBaseDelaySeconds"] = "0",
            ["Kedja:Kolada:TimeoutSeconds"] = "10",
            ["Kedja:Reports:RunWorker"] = "false",
            ["Kedja:Imports:RunWorker"] = "false",
        });
        return new Setup(app, fake);
    }

    internal static async Task<Indicator> IndicatorAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Indicators.AsNoTracking().SingleAsync(i => i.Name == name);
        }
    }

    private static async Task<Dictionary<string, Outcome>> OutcomesAsync(KedjaApp app, Guid indicatorId)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.IndicatorId == indicatorId).ToListAsync();
            var ids = outcomes.Select(o => o.Id).ToList();
            var revisions = (await db.OutcomeRevisions.AsNoTracking().Where(r => ids.Contains(r.OutcomeId)).ToListAsync()).ToLookup(r => r.OutcomeId);
            foreach (var o in outcomes)
            {
                o.Revisions = [.. revisions[o.Id].OrderBy(r => r.ReplacedAt)];
            }

            return outcomes.ToDictionary(o => o.PeriodKey);
        }
    }

    private static async Task<long> DataVersionAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Tenants.Where(t => t.Slug == Slug).Select(t => t.DataVersion).SingleAsync();
        }
    }

    /// <summary>Links the indicator through the API, as a person would in its form.</summary>
    internal static async Task LinkAsync(HttpClient admin, Guid indicatorId, string kpi, string municipality, bool splitByGender = false)
    {
        var indicator = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/indicators/{indicatorId}"))!;
        indicator["koladaKpiId"] = kpi;
        indicator["koladaMunicipalityId"] = municipality;
        indicator["splitByGender"] = splitByGender;
        var saved = await admin.PutAsJsonAsync($"{Base}/indicators/{indicatorId}", indicator);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> FetchAsync(HttpClient client, Guid indicatorId)
    {
        var response = await client.PostAsync($"{Base}/indicators/{indicatorId}/kolada/fetch", null);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<JsonElement> Flags(JsonElement status) => [.. status.GetProperty("flags").EnumerateArray()];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_linked_indicator_gets_Koladas_values_keeps_a_persons_own_value_and_nothing_changes_the_second_time(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (app, fake) = (setup.App, setup.Fake);
        var admin = await app.ClientAsync();
        var hours = await IndicatorAsync(app, Hours);
        var before = await OutcomesAsync(app, hours.Id);
        var manual2024 = before["2024"];
        manual2024.Source.ShouldBe(ValueSource.Manual);

        await LinkAsync(admin, hours.Id, "N00945", "1280");
        fake.SetValue("N00945", "1280", 2019, 44m);
        fake.SetValue("N00945", "1280", 2020, 45.5m);
        fake.SetValue("N00945", "1280", 2023, before["2023"].Value);
        fake.SetValue("N00945", "1280", 2024, manual2024.Value + 3m);
        fake.SetValue("N00945", "1280", 2012, 30m);
        app.Clock.Freeze();
        var fetchedAt = app.Clock.GetUtcNow().UtcDateTime;

        var first = await FetchAsync(admin, hours.Id);
        first.GetProperty("recorded").GetInt32().ShouldBe(2);
        first.GetProperty("unchanged").GetInt32().ShouldBe(1);
        first.GetProperty("flagged").GetInt32().ShouldBe(1);
        var outcomes = await OutcomesAsync(app, hours.Id);
        foreach (var (year, value) in new[] { ("2019", 44m), ("2020", 45.5m) })
        {
            outcomes[year].Value.ShouldBe(value);
            outcomes[year].Source.ShouldBe(ValueSource.Kolada);
            outcomes[year].SourceReference.ShouldBe("Kolada N00945, kommun 1280");
            outcomes[year].FetchedAt!.Value.ShouldBe(fetchedAt, TimeSpan.FromMilliseconds(1));
            outcomes[year].IsRevised.ShouldBeFalse();
            outcomes[year].RecordedBy.ShouldStartWith("Kolada");
        }

        // Only the calendar's years and the five before the first (2023): 2012 was not asked for.
        outcomes.ShouldNotContainKey("2012");
        fake.Requests.ShouldContain(r => r.Contains("/data/kpi/N00945/municipality/1280/year/2018,2019,", StringComparison.Ordinal));

        // The person's value stays; Kolada's other value waits for review beside it.
        outcomes["2024"].Value.ShouldBe(manual2024.Value);
        outcomes["2024"].Source.ShouldBe(ValueSource.Manual);
        outcomes["2024"].Version.ShouldBe(manual2024.Version);
        outcomes["2023"].Version.ShouldBe(before["2023"].Version);
        var status = first.GetProperty("statuses")[0];
        status.GetProperty("kpiTitle").GetString().ShouldBe("Öppettimmar vid folkbibliotek per vecka");
        status.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        var flag = Flags(status).ShouldHaveSingleItem();
        flag.GetProperty("periodKey").GetString().ShouldBe("2024");
        flag.GetProperty("kind").GetString().ShouldBe("manual");
        flag.GetProperty("value").GetDecimal().ShouldBe(manual2024.Value!.Value + 3m);
        flag.GetProperty("storedValue").GetDecimal().ShouldBe(manual2024.Value!.Value);

        // Again, an hour later: the same values only get their new fetch time; no version, revision, flag or data version moves.
        var dataVersion = await DataVersionAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var second = await FetchAsync(admin, hours.Id);
        second.GetProperty("recorded").GetInt32().ShouldBe(0);
        second.GetProperty("revised").GetInt32().ShouldBe(0);
        second.GetProperty("unchanged").GetInt32().ShouldBe(3);
        second.GetProperty("flagged").GetInt32().ShouldBe(0);
        Flags(second.GetProperty("statuses")[0]).Count.ShouldBe(1);
        var again = await OutcomesAsync(app, hours.Id);
        foreach (var (key, outcome) in outcomes)
        {
            again[key].Version.ShouldBe(outcome.Version, key);
            again[key].Value.ShouldBe(outcome.Value, key);
            again[key].Revisions.Count.ShouldBe(outcome.Revisions.Count, key);
        }

        again["2020"].FetchedAt!.Value.ShouldBe(fetchedAt.AddHours(1), TimeSpan.FromMilliseconds(1));
        (await DataVersionAsync(app)).ShouldBe(dataVersion);

        // The statuses as the API lists them: every linked indicator, this one fetched.
        var listed = await admin.GetFromJsonAsync<JsonElement>($"{Base}/kolada");
        var mine = listed.EnumerateArray().Single(s => s.GetProperty("indicatorId").GetGuid() == hours.Id);
        mine.GetProperty("lastFetchedAt").ValueKind.ShouldBe(JsonValueKind.String);
        listed.GetArrayLength().ShouldBeGreaterThan(20);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_value_Kolada_revises_is_recorded_flagged_and_audited_and_waits_for_review_in_a_locked_follow_up(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (app, fake) = (setup.App, setup.Fake);
        var admin = await app.ClientAsync();
        var hours = await IndicatorAsync(app, Hours);
        await LinkAsync(admin, hours.Id, "N00945", "1280");
        fake.SetValue("N00945", "1280", 2021, 46m);
        await FetchAsync(admin, hours.Id);
        var first = (await OutcomesAsync(app, hours.Id))["2021"];

        // Kolada corrects 2021.
        fake.SetValue("N00945", "1280", 2021, 47.25m);
        var revisedRun = await FetchAsync(admin, hours.Id);
        revisedRun.GetProperty("revised").GetInt32().ShouldBe(1);
        var revised = (await OutcomesAsync(app, hours.Id))["2021"];
        revised.Value.ShouldBe(47.25m);
        revised.IsRevised.ShouldBeTrue();
        revised.Source.ShouldBe(ValueSource.Kolada);
        revised.Revisions.ShouldHaveSingleItem().Value.ShouldBe(46m);
        revised.Version.ShouldBeGreaterThan(first.Version);
        var flag = Flags(revisedRun.GetProperty("statuses")[0]).ShouldHaveSingleItem();
        (flag.GetProperty("kind").GetString(), flag.GetProperty("value").GetDecimal(), flag.GetProperty("storedValue").GetDecimal()).ShouldBe(("revised", 47.25m, 46m));
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Entity == nameof(Outcome) && a.EntityId == revised.Id.ToString() && a.Action == "Modified").ToListAsync();
            var entry = entries.ShouldHaveSingleItem();
            entry.UserName.ShouldBe($"Kolada, hämtat av {KedjaApp.AdminEmail}");
            entry.Before!.ShouldContain("46");
            entry.After!.ShouldContain("47.25");
            entry.After!.ShouldContain("IsRevised");
        }

        // A person marks it reviewed: the flag and the outcome's mark go, in the trail under the person's name.
        var reviewed = await admin.PostAsync($"{Base}/indicators/{hours.Id}/kolada/review?period=2021", null);
        reviewed.StatusCode.ShouldBe(HttpStatusCode.OK, await reviewed.Content.ReadAsStringAsync());
        Flags(await reviewed.Content.ReadFromJsonAsync<JsonElement>()).ShouldBeEmpty();
        (await OutcomesAsync(app, hours.Id))["2021"].IsRevised.ShouldBeFalse();
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.AuditEntries.AsNoTracking().CountAsync(a => a.Entity == "KoladaLinkStatus" && a.EntityId == hours.Id.ToString() && a.Action == "Modified" && a.UserName == KedjaApp.AdminEmail))
                .ShouldBe(1);
        }

        (await admin.PostAsync($"{Base}/indicators/{hours.Id}/kolada/review?period=2021", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A committee's indicator whose 2024 follow-up is locked: Kolada's revision is kept waiting, not written.
        var maths = await IndicatorAsync(app, Maths);
        fake.AddKpi(new FakeKpi("N15482", "Elever i åk 6 med lägst betyget E i matematik, hemkommun, andel (%)"));
        var stored = await OutcomesAsync(app, maths.Id);
        var locked = stored["2024"];
        fake.SetValue("N15482", "9999", 2024, locked.Value + 1.5m);
        fake.SetValue("N15482", "9999", 2023, stored["2023"].Value);
        var pendingRun = await FetchAsync(admin, maths.Id);
        pendingRun.GetProperty("recorded").GetInt32().ShouldBe(0);
        pendingRun.GetProperty("unchanged").GetInt32().ShouldBe(1);
        var after = (await OutcomesAsync(app, maths.Id))["2024"];
        (after.Value, after.Version, after.IsRevised, after.Revisions.Count).ShouldBe((locked.Value, locked.Version, false, locked.Revisions.Count));
        var pending = Flags(pendingRun.GetProperty("statuses")[0]).ShouldHaveSingleItem();
        (pending.GetProperty("periodKey").GetString(), pending.GetProperty("kind").GetString(), pending.GetProperty("value").GetDecimal(), pending.GetProperty("storedValue").GetDecimal())
            .ShouldBe(("2024", "pending", locked.Value!.Value + 1.5m, locked.Value!.Value));

        // Shown for review on the indicator's page; once reviewed, the same value is not flagged again.
        var page = await admin.GetStringAsync($"/k/{Slug}/indikator/{maths.Id}/kolada");
        page.ShouldContain("Uppföljningen är inlämnad eller låst");
        page.ShouldContain("Markera som granskat");
        (await admin.PostAsync($"{Base}/indicators/{maths.Id}/kolada/review", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterReview = await FetchAsync(admin, maths.Id);
        Flags(afterReview.GetProperty("statuses")[0]).ShouldBeEmpty();
        afterReview.GetProperty("flagged").GetInt32().ShouldBe(0);

        // Kolada revises it once more: a new value is flagged again.
        fake.SetValue("N15482", "9999", 2024, locked.Value + 2m);
        Flags((await FetchAsync(admin, maths.Id)).GetProperty("statuses")[0]).ShouldHaveSingleItem().GetProperty("value").GetDecimal().ShouldBe(locked.Value!.Value + 2m);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_removed_KPI_is_flagged_and_an_unreachable_Kolada_is_said_in_Swedish_while_Kedja_keeps_answering(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (app, fake) = (setup.App, setup.Fake);
        var admin = await app.ClientAsync();
        var hours = await IndicatorAsync(app, Hours);
        await LinkAsync(admin, hours.Id, "N00945", "1280");
        fake.SetValue("N00945", "1280", 2020, 45m);
        await FetchAsync(admin, hours.Id);
        var outcomes = await OutcomesAsync(app, hours.Id);

        fake.RemoveKpi("N00945");
        var gone = (await FetchAsync(admin, hours.Id)).GetProperty("statuses")[0];
        gone.GetProperty("kpiMissing").GetBoolean().ShouldBeTrue();
        gone.GetProperty("error").GetString().ShouldBe(KoladaFetching.KpiGone("N00945"));
        (await OutcomesAsync(app, hours.Id))["2020"].Version.ShouldBe(outcomes["2020"].Version);
        (await admin.GetStringAsync($"/k/{Slug}/indikator/{hours.Id}/kolada")).ShouldContain("finns inte längre i Kolada");

        // A tertial indicator linked to Kolada (as the demo's N00090) gets nothing, and its status says why.
        var sickness = await IndicatorAsync(app, "Sjukfrånvaro bland kommunens medarbetare");
        fake.AddKpi(new FakeKpi("N00090", "Sjukfrånvaro", IsDividedByGender: true));
        fake.SetValue("N00090", "9999", 2024, 9.9m);
        var tertial = await FetchAsync(admin, sickness.Id);
        tertial.GetProperty("statuses")[0].GetProperty("error").GetString().ShouldBe(KoladaFetching.NotYearly(Domain.Periods.PeriodKind.Tertial));
        tertial.GetProperty("recorded").GetInt32().ShouldBe(0);

        // Kolada answers 500 to everything: the fetch answers, the statuses say so in Swedish, the rest of Kedja works.
        fake.AddKpi(new FakeKpi("N00945", "Öppettimmar vid folkbibliotek per vecka"));
        fake.ScriptAlways("/v3/", FakeResponse.ServerError());
        var failed = await FetchAsync(admin, hours.Id);
        failed.GetProperty("failed").GetInt32().ShouldBe(1);
        var error = failed.GetProperty("statuses")[0].GetProperty("error").GetString()!;
        error.ShouldStartWith("Kolada kunde inte nås, så inga värden hämtades. Kolada svarar inte just nu.");
        error.ShouldContain("HTTP 500");
        var all = await admin.PostAsync($"{Base}/kolada/fetch", null);
        all.StatusCode.ShouldBe(HttpStatusCode.OK, await all.Content.ReadAsStringAsync());
        var everything = await all.Content.ReadFromJsonAsync<JsonElement>();
        everything.GetProperty("failed").GetInt32().ShouldBe(everything.GetProperty("indicators").GetInt32());
        (await admin.GetAsync($"{Base}/goals")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await admin.GetStringAsync($"/k/{Slug}/indikator/{hours.Id}/kolada");
        page.ShouldContain("Kolada kunde inte nås");
        // "Hämta nu" on the page while Kolada fails says that it failed, never that the values were fetched.
        var pageClient = app.CreateClient(new() { AllowAutoRedirect = false });
        pageClient.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var posted = await pageClient.PostAsync($"/k/{Slug}/indikator/{hours.Id}/kolada?handler=Fetch",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(await pageClient.GetStringAsync($"/k/{Slug}/indikator/{hours.Id}/kolada")) }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.ToString().ShouldBe($"/k/{Slug}/indikator/{hours.Id}/kolada");
        var after = await pageClient.GetStringAsync(posted.Headers.Location.ToString());
        after.ShouldNotContain("Värdena är hämtade från Kolada.");
        after.ShouldContain("Kolada kunde inte nås");
        (await OutcomesAsync(app, hours.Id))["2020"].Value.ShouldBe(45m);

        // Kolada is back: the next fetch clears the error.
        fake.ClearScripts();
        (await FetchAsync(admin, hours.Id)).GetProperty("statuses")[0].GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_schedulers_over_one_database_fetch_each_tenant_once_per_interval(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (app, fake) = (setup.App, setup.Fake);
        var admin = await app.ClientAsync();
        var hours = await IndicatorAsync(app, Hours);
        await LinkAsync(admin, hours.Id, "N00945", "1280");
        fake.SetValue("N00945", "1280", 2020, 45m);
        fake.ClearRequests();

        var first = ActivatorUtilities.CreateInstance<KoladaScheduler>(app.Services);
        var second = ActivatorUtilities.CreateInstance<KoladaScheduler>(app.Services);
        first.Name.ShouldNotBe(second.Name);
        var runs = await Task.WhenAll(first.RunOnceAsync(), second.RunOnceAsync());
        runs.Sum().ShouldBe(1);
        var kpiRequests = fake.Requests.Count(r => r.StartsWith("/v3/kpi/", StringComparison.Ordinal));
        kpiRequests.ShouldBeGreaterThan(0);
        var outcome = (await OutcomesAsync(app, hours.Id))["2020"];
        (outcome.Value, outcome.Source, outcome.RecordedBy).ShouldBe((45m, ValueSource.Kolada, KoladaFetching.ActorName));

        // Nothing is due again within the interval, on either node.
        (await Task.WhenAll(first.RunOnceAsync(), second.RunOnceAsync())).Sum().ShouldBe(0);
        fake.Requests.Count(r => r.StartsWith("/v3/kpi/", StringComparison.Ordinal)).ShouldBe(kpiRequests);

        // A day later one of them fetches again, once; Kolada unreachable then is said in the statuses and tried next interval.
        fake.ScriptAlways("/v3/", FakeResponse.ServerError());
        app.Clock.Advance(TimeSpan.FromHours(24.5));
        (await Task.WhenAll(second.RunOnceAsync(), first.RunOnceAsync())).Sum().ShouldBe(1);
        var status = await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{hours.Id}/kolada");
        status.GetProperty("error").GetString()!.ShouldStartWith("Kolada kunde inte nås");
        status.GetProperty("lastFetchedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await first.RunOnceAsync()).ShouldBe(0);
        app.Clock.Advance(TimeSpan.FromHours(24.5));
        fake.ClearScripts();
        (await first.RunOnceAsync()).ShouldBe(1);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{hours.Id}/kolada")).GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_cannot_fetch_editors_fetch_only_for_their_units_and_another_tenant_sees_nothing(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (app, fake) = (setup.App, setup.Fake);
        var admin = await app.ClientAsync();
        var hours = await IndicatorAsync(app, Hours);
        var maths = await IndicatorAsync(app, Maths);
        await LinkAsync(admin, hours.Id, "N00945", "1280");
        fake.SetValue("N00945", "1280", 2020, 45m);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        var (editorEmail, editorPassword) = await app.MemberAsync(Slug, TenantRole.Editor, hours.OwnerUnitId);
        // Redirects not followed: the test client would drop the token on the way to the page a form leads to.
        var editor = app.CreateClient(new() { AllowAutoRedirect = false });
        var token = await editor.PostAsJsonAsync("/api/v1/auth/tokens", new { email = editorEmail, password = editorPassword });
        editor.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());

        (await reader.PostAsync($"{Base}/indicators/{hours.Id}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PostAsync($"{Base}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PostAsync($"{Base}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var outside = await editor.PostAsync($"{Base}/indicators/{maths.Id}/kolada/fetch", null);
        outside.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outside.Content.ReadAsStringAsync()).ShouldContain("din egen enhet");
        (await OutcomesAsync(app, hours.Id)).ShouldNotContainKey("2020");

        (await FetchAsync(editor, hours.Id)).GetProperty("recorded").GetInt32().ShouldBe(1);
        (await reader.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{hours.Id}/kolada")).GetProperty("lastFetchedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await editor.PostAsync($"{Base}/indicators/{Guid.NewGuid()}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The page: readers see the link without buttons; the editor fetches through its form (with the antiforgery token).
        var url = $"/k/{Slug}/indikator/{hours.Id}/kolada";
        var read = await reader.GetStringAsync(url);
        read.ShouldContain("N00945");
        read.ShouldNotContain("Hämta nu");
        var edited = await editor.GetStringAsync(url);
        edited.ShouldContain("Hämta nu");
        var posted = await editor.PostAsync(url + "?handler=Fetch", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(edited) }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.ToString().ShouldBe($"{url}?klart={Ui.FormDone.KoladaFetched}");
        (await editor.GetStringAsync(posted.Headers.Location.ToString())).ShouldContain("Värdena är hämtade från Kolada.");
        var readerToken = Token(await reader.GetStringAsync($"/k/{Slug}/indikator/{maths.Id}/kolada"));
        readerToken.ShouldNotBeEmpty();
        (await reader.PostAsync($"/k/{Slug}/indikator/{maths.Id}/kolada?handler=Fetch", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = readerToken })))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Another municipality's administrator learns nothing of this one, and has no links of its own.
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.GetAsync($"{Base}/kolada")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"{Base}/indicators/{hours.Id}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/v1/tenants/annan/kolada")).GetArrayLength().ShouldBe(0);
        (await stranger.PostAsync($"/api/v1/tenants/annan/indicators/{hours.Id}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
}
