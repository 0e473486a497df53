using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Indicators;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Planning;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Planning;

/// <summary>
/// Next year planned beside this one (issue 16): open 2027 while 2026 is followed up, choose, read the summary, activate,
/// undo; the draft is in no follow-up list, budget list, public answer or portal page; only administrators plan; another
/// municipality's administrator does not find it; a second activation at the same time is refused.
/// </summary>
public partial class PlanningYearTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Api = $"/api/v1/tenants/{Slug}/planning-years/2027";

    private const string Page = $"/k/{Slug}/planeringsar/2027";

    /// <summary>A budget amount nobody else uses: looked for in every public answer and list while the frame is a draft.</summary>
    private const decimal DraftAmount = 747_474m;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("(?:href)=\"(/p/[^\"#?]+)")]
    private static partial Regex PortalLink();

    /// <summary>
    /// The demo opens 2027 with some choices (issue 16's demo data); these journeys start from a year nobody has opened, so
    /// the draft, its choices and its draft frames are taken away first. Nothing of 2027 had been activated.
    /// </summary>
    internal static async Task ForgetDemoDraftAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.PlanningYears.AnyAsync(p => p.Year == 2027 && p.State == Domain.Planning.PlanningYearState.Draft)).ShouldBeTrue("the demo opens 2027");
            await db.PlanningChoices.ExecuteDeleteAsync();
            await db.BudgetFrames.Where(f => f.IsDraft).ExecuteDeleteAsync();
            await db.PlanningYears.ExecuteDeleteAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_opens_chooses_activates_and_undoes_next_year_and_the_draft_shows_nowhere(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();

        // Only administrators plan; another municipality's administrator does not find the year at all.
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            (await member.GetAsync(Api)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await member.PostAsync(Api, null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await member.GetAsync(Page)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "granne", name = "Grannkommun", kommunkod = "1234", template = Kedja.Web.Templates.ModelTemplates.Heby })).IsSuccessStatusCode.ShouldBeTrue();
        var stranger = await app.MemberClientAsync("granne", TenantRole.Admin);
        (await stranger.GetAsync(Api)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync(Api, null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Not opened yet: 404 from the API, an offer to open on the page.
        (await admin.GetAsync(Api)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetStringAsync(Page)).ShouldContain("Öppna planeringen av 2027");
        var opened = await admin.PostAsync(Api, null);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        (await admin.PostAsync(Api, null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsync($"/api/v1/tenants/{Slug}/planning-years/1990", null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("state").GetString().ShouldBe("draft");
        view.GetProperty("modelLastYear").GetInt32().ShouldBe(2026);
        var ending = view.GetProperty("goals").EnumerateArray().Where(g => g.GetProperty("canExtend").GetBoolean()).Select(g => g.GetProperty("id").GetGuid()).ToList();
        ending.Count.ShouldBeGreaterThan(1);
        var continuing = view.GetProperty("goals").EnumerateArray().First(g => g.GetProperty("continues").GetBoolean()).GetProperty("id").GetGuid();
        var proposed = view.GetProperty("indicators").EnumerateArray()
            .Where(i => i.GetProperty("proposals").GetArrayLength() > 0 && i.GetProperty("direction").GetString() != "targetRange").Take(3).ToList();
        proposed.Count.ShouldBe(3);
        view.GetProperty("indicators").EnumerateArray().Any(i => i.GetProperty("proposals").EnumerateArray().Any(p => p.GetProperty("kind").GetString() == "Trend"))
            .ShouldBeTrue("the demo's yearly outcomes of 2023–2026 give trends");
        var control = view.GetProperty("controlActions").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).First();
        var activities = view.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).Take(1).ToList();
        var frameUnit = view.GetProperty("budget").EnumerateArray().First(b => !b.GetProperty("hasFrame").GetBoolean()).GetProperty("unitId").GetGuid();
        view.GetProperty("periodsToCreate").GetArrayLength().ShouldBeGreaterThan(0);

        // Wrong choices: every error at once, nothing saved.
        var version = view.GetProperty("version").GetInt32();
        var bad = await admin.PutAsJsonAsync($"{Api}/choices", new
        {
            extendModel = true, extendGoals = new[] { continuing }, targets = new[] { new { indicatorId = Guid.NewGuid(), value = 1m } }, activities = new[] { Guid.NewGuid() },
            controlActions = Array.Empty<Guid>(), budgetFrames = new[] { new { unitId = frameUnit, amount = 2_000_000_000_000m } }, version,
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadAsStringAsync();
        foreach (var field in new[] { "extendGoals[0]", "targets[0].indicatorId", "activities[0]", "budgetFrames[0].amount" })
        {
            problem.ShouldContain(field);
        }

        (await admin.GetFromJsonAsync<JsonElement>(Api)).GetProperty("choices").GetProperty("targets").GetArrayLength().ShouldBe(0);

        // The choices: the model extended, two goals, three targets as proposed and one typed, an activity, a control action, a frame.
        var manual = proposed[2].GetProperty("id").GetGuid();
        var targets = proposed.Take(2).Select(i => new { indicatorId = i.GetProperty("id").GetGuid(), value = i.GetProperty("proposals")[0].GetProperty("value").GetDecimal(), source = i.GetProperty("proposals")[0].GetProperty("kind").GetString() })
            .Append(new { indicatorId = manual, value = 919_293m, source = (string?)"Manual" }).ToList();
        var choices = new
        {
            extendModel = true, extendGoals = ending.Take(2).ToArray(), targets, activities, controlActions = new[] { control },
            budgetFrames = new[] { new { unitId = frameUnit, amount = DraftAmount } }, version,
        };
        var saved = await admin.PutAsJsonAsync($"{Api}/choices", choices);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        (await admin.PutAsJsonAsync($"{Api}/choices", choices)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "the version read is stale after a save");
        view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("choices").GetProperty("targets").GetArrayLength().ShouldBe(3);

        // The draft: no periods, no targets of 2027 written, the frame a draft that no budget list, public answer or portal page shows.
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Periods.CountAsync(p => p.Year == 2027)).ShouldBe(0);
            (await db.Targets.CountAsync(t => t.PeriodKey == "2027" && t.IndicatorId == manual)).ShouldBe(0);
            (await db.BudgetFrames.SingleAsync(f => f.UnitId == frameUnit && f.Year == 2027)).IsDraft.ShouldBeTrue();
        }

        (await admin.GetStringAsync($"/api/v1/tenants/{Slug}/periods")).ShouldNotContain("\"key\":\"2027");
        (await admin.GetStringAsync($"/api/v1/tenants/{Slug}/budget")).ShouldNotContain("747474");
        (await admin.GetAsync($"/api/v1/tenants/{Slug}/budget/{frameUnit}/2027")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var leaks = await PublicLeaksAsync(app, ["747474", "747 474", "919293", "919 293"]);
        leaks.ShouldBeEmpty();

        // The summary names every choice before activation.
        var summary = await admin.GetStringAsync($"{Page}/sammanfattning");
        summary.ShouldContain("Aktivera 2027");
        summary.ShouldContain("förlängs till 2027");
        summary.ShouldContain("Godtagna målvärden: 3");
        summary.ShouldContain("919");
        summary.ShouldContain("747");

        // Two activations at once: one is applied, the other refused.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.PostAsJsonAsync($"{Api}/activate", new { version = view.GetProperty("version").GetInt32() })));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, string.Join(" | ", results.Select(r => r.StatusCode)));
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(1);

        Guid planId;
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var model = await db.Models.SingleAsync(m => m.Id == view.GetProperty("modelId").GetGuid());
            model.LastYear.ShouldBe(2027);
            (await db.Goals.Where(g => ending.Take(2).Contains(g.Id)).Select(g => g.ValidToYear).ToListAsync()).ShouldAllBe(y => y == 2027);
            (await db.Goals.Where(g => ending.Skip(2).Contains(g.Id)).Select(g => g.ValidToYear).ToListAsync()).ShouldAllBe(y => y == 2026, "goals not chosen stay as they were");
            (await db.Targets.SingleAsync(t => t.PeriodKey == "2027" && t.IndicatorId == manual)).Value.ShouldBe(919_293m);
            (await db.Periods.CountAsync(p => p.Year == 2027)).ShouldBeGreaterThan(0);
            var plan = await db.ControlPlans.Include(p => p.Actions).SingleAsync(p => p.Year == 2027);
            plan.Status.ShouldBe(ControlPlanStatus.Proposal);
            plan.Actions.Count.ShouldBe(1);
            planId = plan.Id;
            (await db.BudgetFrames.SingleAsync(f => f.UnitId == frameUnit && f.Year == 2027)).IsDraft.ShouldBeFalse();
            if (activities.Count > 0)
            {
                (await db.Activities.SingleAsync(a => a.Id == activities[0])).EndDate.ShouldBe(new DateOnly(2027, 12, 31));
            }

            (await db.AuditEntries.CountAsync(a => a.Entity == nameof(PlanningYear))).ShouldBeGreaterThanOrEqualTo(3, "opened, chosen and activated are audited");
        }

        (await admin.GetStringAsync($"/api/v1/tenants/{Slug}/periods")).ShouldContain("\"key\":\"2027-");
        (await admin.GetStringAsync($"/api/v1/tenants/{Slug}/budget?year=2027")).ShouldContain("747474");

        // Undo: exactly what activation wrote is reversed.
        view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("state").GetString().ShouldBe("active");
        (await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() + 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var undone = await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() });
        undone.StatusCode.ShouldBe(HttpStatusCode.OK, await undone.Content.ReadAsStringAsync());
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Models.SingleAsync(m => m.Id == view.GetProperty("modelId").GetGuid())).LastYear.ShouldBe(2026);
            (await db.Goals.Where(g => ending.Contains(g.Id)).Select(g => g.ValidToYear).ToListAsync()).ShouldAllBe(y => y == 2026);
            (await db.Targets.CountAsync(t => t.PeriodKey == "2027")).ShouldBe(0);
            (await db.Periods.CountAsync(p => p.Year == 2027)).ShouldBe(0);
            (await db.ControlPlans.AnyAsync(p => p.Id == planId)).ShouldBeFalse();
            (await db.BudgetFrames.SingleAsync(f => f.UnitId == frameUnit && f.Year == 2027)).IsDraft.ShouldBeTrue();
            if (activities.Count > 0)
            {
                (await db.Activities.SingleAsync(a => a.Id == activities[0])).EndDate.ShouldNotBe(new DateOnly(2027, 12, 31));
            }
        }

        view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("state").GetString().ShouldBe("draft");
        view.GetProperty("choices").GetProperty("targets").GetArrayLength().ShouldBe(3, "the choices stay after undo");

        // Activated again, then an outcome of 2027 is entered: undo is refused and changes nothing.
        (await admin.PostAsJsonAsync($"{Api}/activate", new { version = view.GetProperty("version").GetInt32() })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            db.Outcomes.Add(new Outcome { IndicatorId = manual, PeriodKey = "2027-T1", Value = 1m, RecordedBy = "test", RecordedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("undoBlocked").GetString().ShouldBe("Det finns utfall för 2027; aktiveringen kan inte längre ångras.");
        var refused = await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() });
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Det finns utfall för 2027");
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Periods.CountAsync(p => p.Year == 2027)).ShouldBeGreaterThan(0);
        }

        (await admin.GetStringAsync($"{Page}/sammanfattning")).ShouldContain("aktiveringen kan inte längre ångras");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_pages_open_accept_every_proposal_shown_and_activate_with_antiforgery(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();
        var html = await admin.GetStringAsync(Page);
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value };
        (await admin.PostAsync(Page + "?handler=Open", new FormUrlEncodedContent(new Dictionary<string, string>()))).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "no antiforgery token");
        (await admin.PostAsync(Page + "?handler=Open", new FormUrlEncodedContent(form))).IsSuccessStatusCode.ShouldBeTrue();
        html = await admin.GetStringAsync(Page);
        html.ShouldContain("Förläng styrmodellen");

        // The model extended from the choices page, keeping nothing else.
        form = new() { ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value, ["Version"] = Regex.Match(html, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value, ["extendModel"] = "true" };
        var saved = await admin.PostAsync(Page + "?handler=Save", new FormUrlEncodedContent(form));
        saved.IsSuccessStatusCode.ShouldBeTrue(await saved.Content.ReadAsStringAsync());

        var proposals = await admin.GetStringAsync($"{Page}/forslag");
        proposals.ShouldContain("Godta alla förslag som visas");
        form = new() { ["__RequestVerificationToken"] = Token().Match(proposals).Groups[1].Value, ["Version"] = Regex.Match(proposals, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value };
        var accepted = await admin.PostAsync($"{Page}/forslag?handler=AcceptAll", new FormUrlEncodedContent(form));
        accepted.IsSuccessStatusCode.ShouldBeTrue(await accepted.Content.ReadAsStringAsync());
        var view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        var withProposal = view.GetProperty("indicators").EnumerateArray().Count(i => i.GetProperty("proposals").GetArrayLength() > 0);
        view.GetProperty("choices").GetProperty("targets").GetArrayLength().ShouldBe(Math.Min(withProposal, 300));
        view.GetProperty("choices").GetProperty("extendModel").GetBoolean().ShouldBeTrue("the targets' page keeps the other choices");

        var summary = await admin.GetStringAsync($"{Page}/sammanfattning");
        form = new() { ["__RequestVerificationToken"] = Token().Match(summary).Groups[1].Value, ["Version"] = Regex.Match(summary, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value };
        var activated = await admin.PostAsync($"{Page}/sammanfattning?handler=Activate", new FormUrlEncodedContent(form));
        activated.IsSuccessStatusCode.ShouldBeTrue(await activated.Content.ReadAsStringAsync());
        (await admin.GetStringAsync($"{Page}/sammanfattning?klart=aktiverat")).ShouldContain("2027 är aktiverat.");

        // A stale form is refused with the Swedish conflict message, not applied twice.
        var again = await admin.PostAsync($"{Page}/sammanfattning?handler=Activate", new FormUrlEncodedContent(form));
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("redan aktiverad");
    }

    /// <summary>
    /// A draft's choices may go stale: a chosen goal is made open-ended and the model extended through their own APIs
    /// meanwhile. The export still imports (the document keeps the choice as made), and activation does only what still
    /// applies – it neither ends the goal nor shortens the model at the planned year.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_draft_whose_choices_went_stale_exports_imports_and_activates_only_what_still_applies(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        view.GetProperty("choices").GetProperty("extendModel").GetBoolean().ShouldBeTrue("the demo extends its model to 2027");
        var goal = view.GetProperty("choices").GetProperty("extendGoals").EnumerateArray().First().GetGuid();
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Goals.SingleAsync(g => g.Id == goal)).ValidToYear = null;
            (await db.Models.SingleAsync(m => m.Id == view.GetProperty("modelId").GetGuid())).LastYear = 2028;
            await db.SaveChangesAsync();
        }

        var export = await admin.GetStringAsync($"/api/v1/tenants/{Slug}/export");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=inaktuell", new StringContent(export, System.Text.Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());

        view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        var activated = await admin.PostAsJsonAsync($"{Api}/activate", new { version = view.GetProperty("version").GetInt32() });
        activated.StatusCode.ShouldBe(HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Goals.SingleAsync(g => g.Id == goal)).ValidToYear.ShouldBeNull();
            (await db.Models.SingleAsync(m => m.Id == view.GetProperty("modelId").GetGuid())).LastYear.ShouldBe(2028);
        }
    }

    /// <summary>
    /// After activation the summary still says what was carried and created: the demo's chosen activities by title (their
    /// ends now in the new year), and the periods activation created, which undo would remove.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_summary_of_an_activated_year_names_the_carried_activities_and_the_periods_it_created(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var view = (await admin.GetFromJsonAsync<JsonElement>(Api))!;
        var chosen = view.GetProperty("choices").GetProperty("activities").EnumerateArray().Select(a => a.GetGuid()).ToList();
        chosen.ShouldNotBeEmpty("the demo carries activities into 2027");
        var titles = view.GetProperty("activities").EnumerateArray().Where(a => chosen.Contains(a.GetProperty("id").GetGuid()))
            .Select(a => a.GetProperty("title").GetString()!).ToList();
        var periods = view.GetProperty("periodsToCreate").EnumerateArray().Select(p => p.GetString()!).ToList();
        periods.ShouldNotBeEmpty();

        (await admin.PostAsJsonAsync($"{Api}/activate", new { version = view.GetProperty("version").GetInt32() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var summary = WebUtility.HtmlDecode(await admin.GetStringAsync($"{Page}/sammanfattning"));
        titles.Count.ShouldBe(chosen.Count);
        foreach (var (id, title) in chosen.Zip(titles))
        {
            summary.ShouldContain(title);
            summary.ShouldNotContain(id.ToString());
        }

        summary.ShouldContain($"Skapades när året aktiverades: {string.Join(", ", periods)}.");
    }

    /// <summary>
    /// The markers found in the public API's lists and scorecards and in the portal's pages reached by links from its
    /// start (at most 400 pages), with where.
    /// </summary>
    private static async Task<List<string>> PublicLeaksAsync(KedjaApp app, string[] markers)
    {
        using var anonymous = app.CreateClient();
        var bodies = new Dictionary<string, string>();
        var queue = new Queue<string>([.. new[] { "", "/periods", "/goals", "/indicators", "/units" }.Select(l => $"/api/v1/public/{Slug}{l}"), $"/p/{Slug}"]);
        var seen = new HashSet<string>(queue);
        while (queue.TryDequeue(out var url) && bodies.Count < 400)
        {
            var response = await anonymous.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }

            var body = bodies[url] = await response.Content.ReadAsStringAsync();
            foreach (var next in PortalLink().Matches(body).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(seen.Add))
            {
                queue.Enqueue(next);
            }
        }

        bodies.Count.ShouldBeGreaterThan(10, "the public answers were read");
        return PublicReadTests.Leaks(bodies, markers);
    }
}
