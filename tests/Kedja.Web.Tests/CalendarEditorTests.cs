using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Tests.SingleSignOn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests;

/// <summary>
/// The calendar as municipalities have it (issue 16): an administrator adds months and forecast periods and removes
/// those that hold nothing, on the page and over the API alike, and chooses the month the delår ends with; nobody else can.
/// </summary>
public class CalendarEditorTests
{
    private const string Slug = DemoTenant.Slug;
    private const string Api = $"/api/v1/tenants/{Slug}";
    private const string Page = $"/k/{Slug}/styrmodell/kalender";

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string readable, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await TokenAsync(client, readable);
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    private static async Task<FollowUpPeriod?> PeriodAsync(KedjaApp app, string slug, string key)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            return await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key);
        }
    }

    private static async Task<List<string>> KeysAsync(KedjaApp app, string slug)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            return [.. (await db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync()).Order(StringComparer.Ordinal)];
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_adds_and_removes_months_and_forecast_periods_whose_deadlines_follow_and_nobody_else_can(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var (adminEmail, adminPassword) = await app.MemberAsync(Slug, TenantRole.Admin);
        var browser = await app.SignedInBrowserAsync(adminEmail, adminPassword);
        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();

        // T2 is the nearest period with a deadline to a forecast in September: its deadline and the units' own day follow it.
        var t2 = (await admin.GetFromJsonAsync<JsonObject>($"{Api}/periods/2026-T2/deadlines"))!;
        (await admin.PutAsJsonAsync($"{Api}/periods/2026-T2/deadlines",
            new { deadline = "2026-09-25", levels = new object[] { new { unitKind = "unit", dueOn = "2026-09-15" } }, version = t2["version"]!.GetValue<int>() })).EnsureSuccessStatusCode();
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var t2Id = await db.Periods.Where(p => p.Key == "2026-T2").Select(p => p.Id).SingleAsync();
            await db.Periods.Where(p => p.Key != "2026-T2").ExecuteUpdateAsync(s => s.SetProperty(p => p.Deadline, (DateOnly?)null));
            await db.PeriodDeadlines.Where(d => d.PeriodId != t2Id).ExecuteDeleteAsync();
        }

        var before = await KeysAsync(app, Slug);

        // The page: a forecast in September, its deadline 25 days after its end as T2's, the units' 15 days after.
        (await browser.GetStringAsync(Page)).ShouldContain("Lägg till en period");
        var added = await PostFormAsync(browser, Page, Page + "?handler=Add", new() { ["typ"] = "forecast", ["ar"] = "2026", ["manad"] = "9", ["sista"] = "" });
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        var september = (await PeriodAsync(app, Slug, "2026-P09"))!;
        september.Kind.ShouldBe(PeriodKind.Forecast);
        september.Name.ShouldBe("Prognos september 2026");
        (september.StartDate, september.EndDate, september.Deadline).ShouldBe((new DateOnly(2026, 1, 1), new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 25)));
        var levels = (await admin.GetFromJsonAsync<JsonObject>($"{Api}/periods/2026-P09/deadlines"))!["levels"]!.AsArray();
        levels.Single(l => l!["unitKind"]!.GetValue<string>() == "unit")!["dueOn"]!.GetValue<string>().ShouldBe("2026-10-15");
        var page = await browser.GetStringAsync(Page);
        page.ShouldContain("id=\"p-2026-P09\"");
        page.ShouldContain("Prognostillfälle: bara prognoser, inga utfall.");
        page.ShouldContain("aria-label=\"Ta bort Prognos september 2026 ur kalendern\"");
        page.ShouldNotContain("aria-label=\"Ta bort T2 2026 ur kalendern\"");
        page.ShouldNotContain("Delårsrapportens månad");

        // Deadlines follow: the units that report in T2 are due in the forecast period on their own day.
        using (var s = app.Services.CreateScope())
        {
            var ctx = s.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
            var tenant = await ctx.Tenants.SingleAsync(t => t.Slug == Slug);
            ctx.Scope.Enter(tenant.Id, tenant.Slug);
            var due = await s.ServiceProvider.GetRequiredService<Periods.Deadlines>().InPeriodAsync(september);
            due.ShouldNotBeEmpty();
            due.Where(d => d.UnitKind == UnitKind.Unit).ShouldAllBe(d => d.DueOn == new DateOnly(2026, 10, 15));
            due.Where(d => d.UnitKind != UnitKind.Unit).ShouldAllBe(d => d.DueOn == new DateOnly(2026, 10, 25));
        }

        // The outcome grid asks for no outcome in a forecast period (its forecasts are issue 16's forecast entry).
        Guid library;
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        (await browser.GetStringAsync($"/k/{Slug}/utfall/{library}?period=2026-T2")).ShouldNotContain("Enheten har inga indikatorer att rapportera");
        (await browser.GetStringAsync($"/k/{Slug}/utfall/{library}?period=2026-P09")).ShouldContain("Enheten har inga indikatorer att rapportera för");

        // The API: a month with its own deadline; the same month again, and everything wrong at once, are refused.
        var month = await admin.PostAsJsonAsync($"{Api}/periods", new { kind = "month", year = 2026, month = 2, deadline = "2026-03-10" });
        month.StatusCode.ShouldBe(HttpStatusCode.Created);
        month.Headers.Location!.ToString().ShouldBe($"{Api}/periods/2026-02/deadlines");
        var february = (await month.Content.ReadFromJsonAsync<JsonObject>())!;
        february["name"]!.GetValue<string>().ShouldBe("februari 2026");
        february["deadline"]!.GetValue<string>().ShouldBe("2026-03-10");
        var again = await admin.PostAsJsonAsync($"{Api}/periods", new { kind = "month", year = 2026, month = 2 });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadAsStringAsync()).ShouldContain("februari 2026 finns redan i kalendern.");
        var wrong = await admin.PostAsJsonAsync($"{Api}/periods", new { kind = "vecka", year = 2040, month = 13 });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["kind", "year", "month"], ignoreOrder: true);
        errors["year"]![0]!.GetValue<string>().ShouldContain("Styrmodellerna gäller 2023–2026.");
        var december = await admin.PostAsJsonAsync($"{Api}/periods", new { kind = "forecast", year = 2026, month = 12 });
        (await december.Content.ReadAsStringAsync()).ShouldContain("Decembers prognos är årsbokslutet.");
        var early = await admin.PostAsJsonAsync($"{Api}/periods", new { kind = "forecast", year = 2026, month = 10, deadline = "2026-10-01" });
        (await early.Content.ReadAsStringAsync()).ShouldContain("Sista dagen att rapportera kan inte vara före periodens slut (2026-10-31).");
        (await KeysAsync(app, Slug)).ShouldBe([.. before.Append("2026-02").Append("2026-P09").Order(StringComparer.Ordinal)]);

        // Readers, editors and other municipalities' administrators change nothing, on the page or over the API.
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await reader.PostAsJsonAsync($"{Api}/periods", new { kind = "month", year = 2026, month = 5 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.DeleteAsync($"{Api}/periods/2026-02?version=0")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.PostAsJsonAsync($"{Api}/periods", new { kind = "month", year = 2026, month = 5 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"{Api}/periods/2026-02?version=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/tenants/annan/periods/2026-02?version=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostFormAsync(reader, $"/k/{Slug}", Page + "?handler=Add", new() { ["typ"] = "month", ["ar"] = "2026", ["manad"] = "5" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostFormAsync(reader, $"/k/{Slug}", Page + "?handler=Remove", new() { ["Key"] = "2026-02", ["Version"] = "0" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostFormAsync(stranger, "/k/annan", Page + "?handler=Remove", new() { ["Key"] = "2026-02", ["Version"] = "0" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A form without its antiforgery token is refused before anything is read.
        var forged = await browser.PostAsync(Page + "?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = "2026-02", ["Version"] = "0" }));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await KeysAsync(app, Slug)).ShouldContain("2026-02");

        // What follows the model's cadence is not removed; what holds something is not removed; a stale version is a conflict.
        var t2Removal = await admin.DeleteAsync($"{Api}/periods/2026-T2?version=0");
        t2Removal.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await t2Removal.Content.ReadAsStringAsync()).ShouldContain("T2 2026 följer styrmodellens kalender och kan inte tas bort.");
        (await admin.DeleteAsync($"{Api}/periods/2026-02?version=7")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"{Api}/periods/2026-02")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.DeleteAsync($"{Api}/periods/2026-05?version=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Api}/periods/2026-X5?version=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            db.UnitPeriodStatuses.Add(new UnitPeriodStatus { UnitId = library, PeriodId = september.Id, State = WorkflowState.Submitted });
            await db.SaveChangesAsync();
        }

        var held = await PostFormAsync(browser, Page, Page + "?handler=Remove", new() { ["Key"] = "2026-P09", ["Version"] = $"{september.Version}" });
        held.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await held.Content.ReadAsStringAsync()).ShouldContain("Prognos september 2026 kan inte tas bort eftersom den har rapportering från enheter.");
        (await PeriodAsync(app, Slug, "2026-P09")).ShouldNotBeNull();

        // Removed on the page and over the API, with each level's day; both in the audit trail.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            await db.UnitPeriodStatuses.Where(s => s.PeriodId == september.Id).ExecuteDeleteAsync();
        }

        var removed = await PostFormAsync(browser, Page, Page + "?handler=Remove", new() { ["Key"] = "2026-P09", ["Version"] = $"{september.Version}" });
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.DeleteAsync($"{Api}/periods/2026-02?version={february["version"]!.GetValue<int>()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await KeysAsync(app, Slug)).ShouldBe(before);
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.PeriodDeadlines.CountAsync(d => d.PeriodId == september.Id)).ShouldBe(0);
            var id = september.Id.ToString();
            var trail = await db.AuditEntries.Where(a => a.Entity == nameof(FollowUpPeriod) && a.EntityId.Contains(id)).Select(a => a.Action).ToListAsync();
            trail.Count.ShouldBe(2);
            (await db.AuditEntries.CountAsync(a => a.Entity == nameof(PeriodDeadline) && a.Before != null && a.Before.Contains("2026-10-15"))).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Choosing_the_delars_month_moves_the_delar_periods_that_hold_nothing_and_keeps_the_others(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: false);
        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "delar", name = "Delårs kommun", template = Templates.ModelTemplates.Heby, firstYear = 2026 })).EnsureSuccessStatusCode();
        var admin = await app.MemberClientAsync("delar", TenantRole.Admin);
        var (adminEmail, adminPassword) = await app.MemberAsync("delar", TenantRole.Admin);
        var browser = await app.SignedInBrowserAsync(adminEmail, adminPassword);
        var api = "/api/v1/tenants/delar";
        var model = (await admin.GetFromJsonAsync<JsonArray>($"{api}/model"))![0]!;
        var (modelId, version) = (model["id"]!.GetValue<Guid>(), model["version"]!.GetValue<int>());
        (await KeysAsync(app, "delar")).ShouldBe(["2026", "2026-D", "2027", "2027-D", "2028", "2028-D", "2029", "2029-D"]);
        var augustDeadline = (await PeriodAsync(app, "delar", "2026-D"))!.Deadline!.Value;

        var april = await admin.PutAsJsonAsync($"{api}/model/{modelId}/interim-end-month", new { interimEndMonth = 4, version });
        april.StatusCode.ShouldBe(HttpStatusCode.OK, await april.Content.ReadAsStringAsync());
        var result = (await april.Content.ReadFromJsonAsync<JsonObject>())!;
        result["moved"]!.AsArray().Select(k => k!.GetValue<string>()).ShouldBe(["2026-D04", "2027-D04", "2028-D04", "2029-D04"]);
        result["kept"]!.AsArray().ShouldBeEmpty();
        var d04 = (await PeriodAsync(app, "delar", "2026-D04"))!;
        (d04.Name, d04.EndDate, d04.Deadline).ShouldBe(("Delår jan–apr 2026", new DateOnly(2026, 4, 30), augustDeadline.AddDays(-123)));

        // Once something is reported in 2026's delår, it keeps April; the later years move to July.
        var (scope, db) = app.DbFor("delar");
        using (scope)
        {
            var unit = await db.Units.Select(u => u.Id).FirstAsync();
            db.UnitPeriodStatuses.Add(new UnitPeriodStatus { UnitId = unit, PeriodId = d04.Id, State = WorkflowState.Submitted });
            await db.SaveChangesAsync();
        }

        var stale = await admin.PutAsJsonAsync($"{api}/model/{modelId}/interim-end-month", new { interimEndMonth = 7, version });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var bad = await admin.PutAsJsonAsync($"{api}/model/{modelId}/interim-end-month", new { interimEndMonth = 12, version });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Ange månaden delåret slutar med: 3 (mars) till 11 (november).");
        var reader = await app.MemberClientAsync("delar", TenantRole.Reader);
        (await reader.PutAsJsonAsync($"{api}/model/{modelId}/interim-end-month", new { interimEndMonth = 7, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PutAsJsonAsync($"{api}/model/{Guid.NewGuid()}/interim-end-month", new { interimEndMonth = 7, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // On the page: the month chosen, what moved and what kept its month and why.
        var page = "/k/delar/styrmodell/kalender";
        var html = await browser.GetStringAsync(page);
        html.ShouldContain("<option value=\"4\" selected=\"selected\">april</option>");
        var july = await PostFormAsync(browser, page, page + "?handler=Interim", new() { ["delarsmanad"] = "7", ["modellversion"] = $"{version + 1}" });
        var answer = await july.Content.ReadAsStringAsync();
        july.StatusCode.ShouldBe(HttpStatusCode.OK, answer);
        answer.ShouldContain("Delåret slutar nu med juli.");
        answer.ShouldContain("Flyttade: Delår jan–juli 2027, Delår jan–juli 2028, Delår jan–juli 2029.");
        answer.ShouldContain("Delår jan–apr 2026 har rapportering från enheter och behåller sin månad.");
        answer.ShouldContain("<option value=\"7\" selected=\"selected\">juli</option>");
        (await KeysAsync(app, "delar")).ShouldBe(["2026", "2026-D04", "2027", "2027-D07", "2028", "2028-D07", "2029", "2029-D07"]);
        (await PostFormAsync(reader, "/k/delar", page + "?handler=Interim", new() { ["delarsmanad"] = "8", ["modellversion"] = $"{version + 2}" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var refused = await PostFormAsync(browser, page, page + "?handler=Interim", new() { ["delarsmanad"] = "2", ["modellversion"] = $"{version + 2}" });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("id=\"fel-interimEndMonth\"");
    }
}

/// <summary>Outcome files name a delår of another month as its key or its label reads.</summary>
public class CalendarImportLabelTests
{
    [Theory]
    [InlineData("Delår jan–apr 2026", "2026-D04")]
    [InlineData("delår jan-juli 2026", "2026-D07")]
    [InlineData("Interim Jan–Apr 2026", "2026-D04")]
    [InlineData("Delår 2026", "2026-D")]
    [InlineData("2026-d04", "2026-D04")]
    [InlineData("2026-D", "2026-D")]
    public void A_delar_is_read_by_its_key_or_its_label(string text, string key) =>
        Kedja.Web.Imports.ImportRowParser.ParsePeriod(text)?.Key.ShouldBe(key);

    [Theory]
    [InlineData("2026-D04", true)]
    [InlineData("2026-D", false)]
    [InlineData("2026-D05", false)]
    [InlineData("2026-T1", true)]
    [InlineData("2027-D", true)]
    [InlineData("2027-D04", false)]
    public void A_unit_is_asked_for_the_delar_its_calendar_has_else_Augusts(string key, bool asked)
    {
        FollowUpPeriod Period(string k)
        {
            var r = PeriodRef.Parse(k);
            return new FollowUpPeriod { Key = k, Name = r.Label, Year = r.Year, Kind = r.Kind, StartDate = r.Start, EndDate = r.End };
        }

        Periods.FollowUpCalendar.IsItsDelar(PeriodRef.Parse(key), [Period("2026-D04"), Period("2026"), Period("2027")]).ShouldBe(asked);
    }

    [Theory]
    [InlineData("Delår jan–dec 2026")]
    [InlineData("Delår jan–feb 2026")]
    [InlineData("2026-D08")]
    public void A_delar_that_cannot_be_is_not_read(string text) =>
        Kedja.Web.Imports.ImportRowParser.ParsePeriod(text).ShouldBeNull();
}
