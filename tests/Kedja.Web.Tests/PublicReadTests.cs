using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Public;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// The anonymous, published-only way into a tenant (ADR 17). The demo has published every period up to T1 2026, not
/// T2 2026. Markers written into the unpublished period, and into plans for a year nothing is published of, must never
/// come out; the same fields of the published period must.
/// </summary>
public partial class PublicReadTests
{
    private const string Public = $"/api/v1/public/{DemoTenant.Slug}";
    private const string Published = "2026-T1";
    private const string Unpublished = "2026-T2";

    /// <summary>Every marker of something not published; any of them in any answer is a leak.</summary>
    private static readonly string[] Secrets = ["HEMLIG", "UTKAST", "919191", "828282", "@exempelkommun.se", "@test.kedja"];

    private static readonly string[] Visible = ["PUBLICERAD-utfall", "PUBLICERAD-analys", "PUBLICERAD-motivering", "PUBLICERAD-aktivitetsrapport"];

    private sealed record Marked(Guid Goal, Guid Unit, Guid Indicator);

    /// <summary>Writes the markers straight into the database, as any entry point could have written them.</summary>
    private static async Task<Marked> MarkAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var periods = await db.Periods.ToDictionaryAsync(p => p.Key);
            periods[Published].IsPublished.ShouldBeTrue();
            periods[Unpublished].IsPublished.ShouldBeFalse();
            var (published, unpublished) = (periods[Published].Id, periods[Unpublished].Id);

            // A goal assessed in both periods, with an indicator and an activity that runs in 2026.
            var assessedInBoth = await db.Assessments.Where(a => a.PeriodId == unpublished).Select(a => a.GoalId)
                .Intersect(db.Assessments.Where(a => a.PeriodId == published).Select(a => a.GoalId)).ToListAsync();
            var activity = (await db.Activities.Where(a => a.GoalId != null).ToListAsync())
                .First(a => a.StartDate <= new DateOnly(2026, 4, 30) && a.EndDate >= new DateOnly(2026, 1, 1));
            var goal = await db.Goals.SingleAsync(g => g.Id == activity.GoalId);
            if (!assessedInBoth.Contains(goal.Id))
            {
                goal = await db.Goals.FirstAsync(g => assessedInBoth.Contains(g.Id));
                activity.GoalId = goal.Id;
            }

            foreach (var (periodId, marker) in new[] { (published, "PUBLICERAD"), (unpublished, "HEMLIG") })
            {
                var assessment = await db.Assessments.SingleAsync(a => a.GoalId == goal.Id && a.PeriodId == periodId);
                (assessment.Motivation, assessment.Analysis, assessment.Actions) = ($"{marker}-motivering", $"{marker}-analys", $"{marker}-åtgärder");
                var comment = await db.ActivityComments.SingleOrDefaultAsync(c => c.ActivityId == activity.Id && c.PeriodId == periodId);
                if (comment is null)
                {
                    db.ActivityComments.Add(comment = new ActivityComment { ActivityId = activity.Id, PeriodId = periodId, Text = "", WrittenBy = "chef@exempelkommun.se" });
                }

                comment.Text = $"{marker}-aktivitetsrapport";
                comment.Status = ActivityStatus.Delayed;
            }

            // The activity's own state follows its latest report, here the unpublished one.
            activity.Status = ActivityStatus.Cancelled;

            // The goal's unit and the activity's have marked both periods ready: their texts are public once a period is.
            foreach (var unit in new[] { goal.OwnerUnitId, activity.ResponsibleUnitId }.Distinct())
            {
                foreach (var periodId in new[] { published, unpublished })
                {
                    var state = await db.UnitPeriodStatuses.SingleOrDefaultAsync(s => s.UnitId == unit && s.PeriodId == periodId);
                    if (state is null)
                    {
                        db.UnitPeriodStatuses.Add(state = new UnitPeriodStatus { UnitId = unit, PeriodId = periodId });
                    }

                    state.State = WorkflowState.Submitted;
                }
            }

            // A draft in the published period: an assessment of a unit that has not marked its follow-up ready.
            var draft = await db.Assessments.Where(a => a.PeriodId == published)
                .Join(db.Goals.Where(g => g.OwnerUnitId != goal.OwnerUnitId && g.OwnerUnitId != activity.ResponsibleUnitId), a => a.GoalId, g => g.Id, (a, g) => new { Assessment = a, g.OwnerUnitId })
                .FirstAsync();
            (draft.Assessment.Motivation, draft.Assessment.Analysis, draft.Assessment.Actions) = ("UTKAST-motivering", "UTKAST-analys", "UTKAST-åtgärder");
            await db.UnitPeriodStatuses.Where(s => s.UnitId == draft.OwnerUnitId && s.PeriodId == published).ExecuteDeleteAsync();

            var indicator = await db.Indicators.FirstAsync(i => i.GoalId == goal.Id && i.ProgramId == null);
            foreach (var (key, marker, value) in new[] { (Published, "PUBLICERAD", (decimal?)null), (Unpublished, "HEMLIG", 919191m) })
            {
                var outcome = await db.Outcomes.SingleOrDefaultAsync(o => o.IndicatorId == indicator.Id && o.PeriodKey == key);
                if (outcome is null)
                {
                    db.Outcomes.Add(outcome = new Outcome { IndicatorId = indicator.Id, PeriodKey = key, Value = 5m, RecordedBy = "controller@exempelkommun.se" });
                }

                outcome.Comment = $"{marker}-utfall";
                outcome.Value = value ?? outcome.Value;
            }

            // Plans for 2027, a year nothing is published of yet: a goal with a strategy and an indicator, and a target.
            var future = new Goal { ModelId = goal.ModelId, LevelId = goal.LevelId, OwnerUnitId = goal.OwnerUnitId, Title = "HEMLIG framtida mål", ValidFromYear = 2027, ValidToYear = 2030 };
            db.Goals.Add(future);
            db.Strategies.Add(new Strategy { GoalId = future.Id, Title = "HEMLIG strategi" });
            db.Indicators.Add(new Indicator { Name = "HEMLIG indikator", OwnerUnitId = goal.OwnerUnitId, GoalId = future.Id });
            db.Targets.Add(new IndicatorTarget { IndicatorId = indicator.Id, PeriodKey = "2027", Value = 828282m });
            await db.SaveChangesAsync();
            return new Marked(goal.Id, goal.OwnerUnitId, indicator.Id);
        }
    }

    /// <summary>Everything the public API answers for the tenant: the lists, and every unit's scorecard for each period named.</summary>
    private static async Task<Dictionary<string, string>> CrawlAsync(HttpClient client, params string[] periods)
    {
        var bodies = new Dictionary<string, string>();
        async Task<string> Get(string url)
        {
            var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}: {body}");
            return bodies[url] = body;
        }

        foreach (var list in new[] { "", "/periods", "/goals", "/indicators" })
        {
            await Get(Public + list);
        }

        foreach (var unit in JsonDocument.Parse(await Get($"{Public}/units")).RootElement.EnumerateArray())
        {
            foreach (var period in periods)
            {
                await Get($"{Public}/periods/{period}/scorecard?unitId={unit.GetProperty("id").GetGuid()}");
            }
        }

        return bodies;
    }

    /// <summary>
    /// The markers found in any answer, with where; numbers are also looked for as Swedish text writes them (919 191).
    /// Ids are taken out first: a random id can hold the digits of a secret number (one run failed on an id with
    /// "828282" in it), and an id is no value.
    /// </summary>
    internal static List<string> Leaks(Dictionary<string, string> bodies, IEnumerable<string> markers) =>
        [.. from body in bodies
            let flat = Ids().Replace(body.Value, "").Replace(" ", "").Replace("\u00a0", "").Replace("\u202f", "").Replace("\\u00A0", "").Replace("\\u202F", "")
            from marker in markers
            where flat.Contains(marker, StringComparison.OrdinalIgnoreCase)
            select $"{marker} in {body.Key}"];

    private static async Task<int> PeriodVersion(HttpClient admin, string key) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/periods")).EnumerateArray()
            .Single(p => p.GetProperty("key").GetString() == key).GetProperty("version").GetInt32();

    private static async Task PublishAsync(HttpClient admin, string key, bool published)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/{key}/publication",
            new { isPublished = published, version = await PeriodVersion(admin, key) });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nothing_of_an_unpublished_period_or_a_draft_plan_reaches_any_public_answer(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkAsync(app);
        var anonymous = app.CreateClient();

        var bodies = await CrawlAsync(anonymous, Published, "2025-T3");
        Leaks(bodies, Secrets).ShouldBeEmpty();
        foreach (var marker in Visible)
        {
            bodies.Values.ShouldContain(body => body.Contains(marker), $"the crawl reaches {marker}");
        }

        var periods = JsonDocument.Parse(bodies[$"{Public}/periods"]).RootElement.EnumerateArray().Select(p => p.GetProperty("key").GetString()!).ToList();
        periods.ShouldContain(Published);
        periods.ShouldNotContain(Unpublished);
        periods.ShouldAllBe(key => PeriodRef.Parse(key) <= PeriodRef.Parse(Published));

        // The activity is shown as reported for the published period, not as it stands after the unpublished report.
        var card = JsonDocument.Parse(bodies[$"{Public}/periods/{Published}/scorecard?unitId={marked.Unit}"]).RootElement;
        var goal = ScorecardJson.Goals(card).Single(g => g.GetProperty("id").GetGuid() == marked.Goal);
        goal.GetProperty("assessment").GetProperty("analysis").GetString().ShouldBe("PUBLICERAD-analys");
        goal.GetProperty("activities").EnumerateArray().ShouldContain(a => a.GetProperty("comment").GetString() == "PUBLICERAD-aktivitetsrapport");
        goal.GetProperty("activities").EnumerateArray().ShouldAllBe(a => a.GetProperty("comment").ValueKind == JsonValueKind.Null
            ? a.GetProperty("status").ValueKind == JsonValueKind.Null : a.GetProperty("status").GetString() != "cancelled");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unpublished_period_is_not_found_like_an_unknown_one_until_published_and_gone_again_when_withdrawn(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkAsync(app);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        var unpublishedCard = $"{Public}/periods/{Unpublished}/scorecard?unitId={marked.Unit}";
        var indicators = $"{Public}/indicators?goalId={marked.Goal}";

        var hidden = await TenantAccessTests.AnswerAsync(await anonymous.GetAsync(unpublishedCard));
        hidden.Status.ShouldBe(HttpStatusCode.NotFound);
        hidden.Body.ShouldContain(PublishedTenant.PeriodMissing);
        (await TenantAccessTests.AnswerAsync(await anonymous.GetAsync($"{Public}/periods/2099-T1/scorecard?unitId={marked.Unit}"))).ShouldBe(hidden);
        // A key that is no period at all is bad input here as everywhere (400), and says nothing about what is published.
        (await anonymous.GetAsync($"{Public}/periods/inte-en-period/scorecard?unitId={marked.Unit}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await anonymous.GetStringAsync(indicators)).ShouldNotContain("HEMLIG");

        // Read once while hidden, so that a cached result would show if the cache did not know publication.
        (await anonymous.GetAsync($"{Public}/periods/{Published}/scorecard?unitId={marked.Unit}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/units/{marked.Unit}/scorecard?periodKey={Unpublished}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await PublishAsync(admin, Unpublished, true);
        var card = await anonymous.GetAsync(unpublishedCard);
        card.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await card.Content.ReadAsStringAsync();
        text.ShouldContain("HEMLIG-analys");
        text.ShouldContain("HEMLIG-aktivitetsrapport");
        (await anonymous.GetStringAsync(indicators)).ShouldContain("HEMLIG-utfall");
        (await anonymous.GetStringAsync($"{Public}/periods")).ShouldContain(Unpublished);

        await PublishAsync(admin, Unpublished, false);
        (await TenantAccessTests.AnswerAsync(await anonymous.GetAsync(unpublishedCard))).ShouldBe(hidden);
        (await anonymous.GetStringAsync(indicators)).ShouldNotContain("HEMLIG");
        (await anonymous.GetStringAsync($"{Public}/periods")).ShouldNotContain(Unpublished);
        Leaks(await CrawlAsync(anonymous, Published), Secrets).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_tenant_that_has_published_nothing_answers_exactly_like_one_that_does_not_exist(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "tyst", name = "Tysta kommun", kommunkod = "1234", template = ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var unit = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/tyst/units"))[0].GetProperty("id").GetGuid();
        var anonymous = app.CreateClient();

        foreach (var path in new[] { "", "/periods", "/units", "/goals", "/indicators", $"/periods/{Published}/scorecard?unitId={unit}" })
        {
            var silent = await TenantAccessTests.AnswerAsync(await anonymous.GetAsync($"/api/v1/public/tyst{path}"));
            silent.Status.ShouldBe(HttpStatusCode.NotFound, path);
            silent.Body.ShouldContain(PublicReader.TenantMissing);
            silent.Body.ShouldNotContain("Tysta");
            (await TenantAccessTests.AnswerAsync(await anonymous.GetAsync($"/api/v1/public/finns-inte{path}"))).ShouldBe(silent, path);
        }

        // Publishing its first period opens it.
        (await anonymous.GetStringAsync($"{Public}")).ShouldContain("Exempelkommun");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_public_routes_take_no_writes_and_change_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkAsync(app);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        string[] paths = ["", "/periods", "/units", "/goals", "/indicators", $"/periods/{Published}", $"/periods/{Published}/scorecard?unitId={marked.Unit}",
            $"/indicators/{marked.Indicator}", $"/indicators/{marked.Indicator}/outcomes/{Published}"];
        var before = await anonymous.GetStringAsync($"{Public}/indicators");

        foreach (var path in paths)
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
            {
                var body = JsonContent.Create(new { value = 1m, isPublished = true, version = 1, title = "Ändrad" });
                var asAnonymous = await anonymous.SendAsync(new HttpRequestMessage(method, Public + path) { Content = body });
                ((int)asAnonymous.StatusCode).ShouldBeOneOf([401, 404, 405], $"{method} {path}");
                var asAdmin = await admin.SendAsync(new HttpRequestMessage(method, Public + path) { Content = JsonContent.Create(new { value = 1m }) });
                asAdmin.StatusCode.ShouldBeOneOf([HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound], $"{method} {path}");
            }
        }

        (await anonymous.GetStringAsync($"{Public}/indicators")).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_careless_query_through_the_published_view_still_sees_only_what_is_published_and_cannot_write(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkAsync(app);
        (await (await app.ClientAsync()).PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        List<Outcome> allOutcomes;
        Dictionary<string, Guid> periodIds;
        var (internalScope, internalDb) = app.DbFor(DemoTenant.Slug);
        using (internalScope)
        {
            allOutcomes = await internalDb.Outcomes.AsNoTracking().ToListAsync();
            periodIds = await internalDb.Periods.ToDictionaryAsync(p => p.Key, p => p.Id);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var tenant = (await scope.ServiceProvider.GetRequiredService<PublicReader>().EnterAsync(DemoTenant.Slug)).Value!;
        var db = tenant.Data;

        var outcomes = await db.Outcomes.ToListAsync();
        // Published: every period from T1 2023 to T1 2026, so the outcomes of everything that ends in between.
        var (firstPublished, lastPublished) = (PeriodRef.Parse("2023-T1").Start, PeriodRef.Parse(Published).End);
        var expected = allOutcomes.Where(o => PeriodRef.Parse(o.PeriodKey).End >= firstPublished && PeriodRef.Parse(o.PeriodKey).End <= lastPublished).Select(o => o.Id).ToHashSet();
        outcomes.Count.ShouldBe(expected.Count);
        outcomes.Where(o => !expected.Contains(o.Id)).Select(o => o.PeriodKey).ShouldBeEmpty();
        outcomes.ShouldNotContain(o => o.PeriodKey == Unpublished || (o.Comment ?? "").Contains("HEMLIG"));
        allOutcomes.ShouldContain(o => o.PeriodKey == Unpublished);

        (await db.Periods.Select(p => p.Key).ToListAsync()).ShouldNotContain(Unpublished);
        (await db.Assessments.ToListAsync()).ShouldAllBe(a => a.PeriodId != periodIds[Unpublished]);
        (await db.Assessments.AnyAsync(a => a.PeriodId == periodIds[Published])).ShouldBeTrue();
        (await db.ActivityComments.ToListAsync()).ShouldAllBe(c => c.PeriodId != periodIds[Unpublished]);
        (await db.UnitPeriodStatuses.AnyAsync(s => s.PeriodId == periodIds[Unpublished])).ShouldBeFalse();
        (await db.Goals.AnyAsync(g => g.Title.Contains("HEMLIG"))).ShouldBeFalse();
        (await db.Strategies.AnyAsync(s => s.Title.Contains("HEMLIG"))).ShouldBeFalse();
        (await db.Indicators.AnyAsync(i => i.Name.Contains("HEMLIG"))).ShouldBeFalse();
        (await db.Targets.AnyAsync(t => t.PeriodKey == "2027")).ShouldBeFalse();
        (await db.Goals.CountAsync()).ShouldBeGreaterThan(10);

        // Every table has a filter of the view's own, so none shows its rows unasked.
        db.Model.GetEntityTypes().Where(e => e.BaseType is null).ShouldAllBe(e => e.GetDeclaredQueryFilters().Count > 0);

        // Nothing about people or access, and no other municipality.
        (await db.Tenants.Select(t => t.Slug).ToListAsync()).ShouldBe([DemoTenant.Slug]);
        (await db.Users.CountAsync()).ShouldBe(0);
        (await db.Memberships.CountAsync()).ShouldBe(0);
        (await db.AccessTokens.CountAsync()).ShouldBe(0);
        (await db.AuditEntries.CountAsync()).ShouldBe(0);
        (await db.OutcomeRevisions.CountAsync()).ShouldBe(0);
        Should.Throw<InvalidOperationException>(() => db.Outcomes.IgnoreQueryFilters().ToList());

        // Read-only: SaveChanges refuses, and the database refuses what bypasses it.
        var outcome = await db.Outcomes.FirstAsync(o => o.IndicatorId == marked.Indicator);
        outcome.Value = 1m;
        db.Outcomes.Add(new Outcome { IndicatorId = marked.Indicator, PeriodKey = "2030", RecordedBy = "x" });
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        await Should.ThrowAsync<DbException>(() => db.Outcomes.Where(o => o.IndicatorId == marked.Indicator).ExecuteUpdateAsync(s => s.SetProperty(o => o.Value, 2m)));
        await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM outcomes"));

        var (afterScope, afterDb) = app.DbFor(DemoTenant.Slug);
        using (afterScope)
        {
            var now = await afterDb.Outcomes.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Value);
            now.Count.ShouldBe(allOutcomes.Count);
            allOutcomes.Where(o => now[o.Id] != o.Value).ShouldBeEmpty();
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex Ids();

    [Fact]
    public void A_secret_number_is_a_leak_as_a_value_or_as_text_but_not_as_digits_inside_an_id()
    {
        Leaks(new() { ["id"] = """{"id":"0199d2a1-5b7e-7c3a-9f12-828282a4b5c6"}""" }, ["828282"]).ShouldBeEmpty();
        Leaks(new() { ["value"] = """{"id":"0199d2a1-5b7e-7c3a-9f12-1234a4b5c6d7","value":828282}""" }, ["828282"]).ShouldBe(["828282 in value"]);
        Leaks(new() { ["text"] = "\"Målet 828\u00a0282 kr\"" }, ["828282"]).ShouldBe(["828282 in text"]);
    }
}
