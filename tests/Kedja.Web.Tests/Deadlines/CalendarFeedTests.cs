using System.Net;
using System.Text.RegularExpressions;
using Ical.Net.CalendarComponents;
using Kedja.Domain.Tenancy;
using Kedja.Web.CalendarFeed;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.DeadlineTests;

/// <summary>The calendar feed as a calendar program and an attacker would fetch it.</summary>
public class CalendarFeedTests
{
    private const string PublicBase = "https://kedja.exempel.se";

    private static readonly Dictionary<string, string?> Settings = new() { ["Kedja:Mail:PublicBaseUrl"] = PublicBase };

    private static async Task<string> UserIdAsync(KedjaApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().Users.SingleAsync(u => u.Email == email)).Id;
    }

    /// <summary>The feed's path (the address without the public base) made on the profile page, as the person makes it.</summary>
    private static async Task<string> CreateOnThePageAsync(HttpClient person)
    {
        var html = await person.GetStringAsync("/profil/kalender");
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var made = await person.PostAsync("/profil/kalender?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        made.StatusCode.ShouldBe(HttpStatusCode.OK);
        made.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var address = Regex.Match(await made.Content.ReadAsStringAsync(), "<code class=\"secret\" id=\"adress\">([^<]+)</code>").Groups[1].Value;
        address.ShouldStartWith(PublicBase + "/kalender/");
        address.ShouldEndWith(".ics");
        return address[PublicBase.Length..];
    }

    private static async Task<(HttpResponseMessage Response, Ical.Net.Calendar? Calendar)> FetchAsync(KedjaApp app, string path)
    {
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(path);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        return (response, response.StatusCode == HttpStatusCode.OK ? Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync()) : null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_feed_holds_one_all_day_event_per_deadline_of_the_persons_units_and_nothing_of_anyone_elses(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        await StartPageDeadlineTests.SetUnitsDueAsync(admin);
        var (mine, other) = await StartPageDeadlineTests.TwoUnitsAsync(app);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, mine.Id);
        var (otherEmail, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, other.Id);

        var path = await CreateOnThePageAsync(editor);
        var (response, calendar) = await FetchAsync(app, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/calendar; charset=utf-8");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        calendar!.ProductId.ShouldBe("-//Kedja//Sista dagar//SV");
        calendar.Properties["X-WR-CALNAME"]!.Value.ShouldBe("Kedja: sista dagar");

        // Exactly the deadlines the service gives for the person's unit in the feed's window.
        List<Periods.DueFollowUp> expected;
        var (scope, _) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var deadlines = scope.ServiceProvider.GetRequiredService<Periods.Deadlines>();
            var today = deadlines.Today();
            expected = [.. (await deadlines.DueBetweenAsync(today.AddDays(-CalendarFeeds.DaysBack), today.AddDays(CalendarFeeds.DaysAhead))).Where(d => d.UnitId == mine.Id)];
        }

        expected.ShouldNotBeEmpty();
        var events = calendar.Events.ToList();
        events.Select(e => e.Uid).ShouldBe(expected.Select(d => $"{d.PeriodId:N}-{d.UnitId:N}@kedja"), ignoreOrder: true);
        events.ShouldAllBe(e => !e.DtStart!.HasTime && e.Summary!.StartsWith("Sista dag: uppföljning ") && e.Summary.EndsWith(" – " + mine.Name));
        var t3 = events.Single(e => e.Summary == $"Sista dag: uppföljning T3 2026 – {mine.Name}");
        t3.DtStart!.Date.ShouldBe(new DateOnly(2027, 1, 20));
        t3.DtEnd!.Date.ShouldBe(new DateOnly(2027, 1, 21));
        t3.Url!.ToString().ShouldBe($"{PublicBase}/k/{DemoTenant.Slug}/malkort/{mine.Id}?period=2026-T3");

        // Nothing of another unit, whoever asks; the other editor's own feed has theirs and not this one.
        var text = await (await app.CreateClient().GetAsync(path)).Content.ReadAsStringAsync();
        text.ShouldNotContain(other.Name);
        text.ShouldNotContain(other.Id.ToString("N"));
        await using (var feedScope = app.Services.CreateAsyncScope())
        {
            var feeds = feedScope.ServiceProvider.GetRequiredService<CalendarFeeds>();
            var otherSecret = await feeds.CreateAsync(await UserIdAsync(app, otherEmail), otherEmail);
            var (_, theirs) = await FetchAsync(app, $"/kalender/{otherSecret}.ics");
            theirs!.Events.ShouldNotBeEmpty();
            theirs.Events.ShouldAllBe(e => e.Summary!.EndsWith(" – " + other.Name));
        }

        // Fetched again after a deadline moved: the same events, the moved one on its new day.
        var deadlinesNow = await admin.GetStringAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/2026-T3/deadlines");
        var version = Regex.Match(deadlinesNow, "\"version\":(\\d+)").Groups[1].Value;
        (await admin.PutAsync($"/api/v1/tenants/{DemoTenant.Slug}/periods/2026-T3/deadlines", new StringContent(
            $"{{\"deadline\":\"2027-02-14\",\"levels\":[{{\"unitKind\":\"unit\",\"dueOn\":\"2027-01-22\"}}],\"version\":{version}}}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var (_, again) = await FetchAsync(app, path);
        again!.Events.Select(e => e.Uid).ShouldBe(events.Select(e => e.Uid), ignoreOrder: true);
        again.Events.Single(e => e.Uid == t3.Uid).DtStart!.Date.ShouldBe(new DateOnly(2027, 1, 22));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_replaced_revoked_unknown_or_malformed_address_is_404_and_a_member_of_the_whole_municipality_gets_one_event_a_day(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Settings);
        var (email, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Admin);
        var userId = await UserIdAsync(app, email);
        await using var scope = app.Services.CreateAsyncScope();
        var feeds = scope.ServiceProvider.GetRequiredService<CalendarFeeds>();
        (await feeds.HasFeedAsync(userId)).ShouldBeFalse();
        var first = await feeds.CreateAsync(userId, email);
        (await FetchAsync(app, $"/kalender/{first}.ics")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        // A controller's feed: one event per period and day, not one per unit, linking to the start page.
        var (_, calendar) = await FetchAsync(app, $"/kalender/{first}.ics");
        var events = calendar!.Events.ToList();
        events.ShouldNotBeEmpty();
        events.Select(e => (e.Summary, e.DtStart!.Date)).ShouldBeUnique();
        events.ShouldContain(e => e.Summary == "Sista dag: uppföljning T3 2026 – Exempelkommun" && e.DtStart!.Date == new DateOnly(2027, 2, 14));
        // Deadlines link to the start page; the demo's open assignments with a due day are events of their own (ADR 46).
        var (deadlines, assignments) = (events.Where(e => !e.Uid!.StartsWith("uppdrag-", StringComparison.Ordinal)).ToList(), events.Where(e => e.Uid!.StartsWith("uppdrag-", StringComparison.Ordinal)).ToList());
        deadlines.ShouldNotBeEmpty();
        deadlines.ShouldAllBe(e => e.Url!.ToString().StartsWith($"{PublicBase}/k/{DemoTenant.Slug}?period="));
        assignments.ShouldNotBeEmpty();
        assignments.ShouldAllBe(e => e.Url!.ToString().StartsWith($"{PublicBase}/k/{DemoTenant.Slug}/uppdrag/"));

        // Only the hash is stored.
        var stored = await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.CalendarSecretHash).SingleAsync();
        stored.ShouldBe(CalendarFeeds.Hash(first));
        stored!.ShouldNotContain(first);

        var second = await feeds.CreateAsync(userId, email);
        second.ShouldNotBe(first);
        (await FetchAsync(app, $"/kalender/{first}.ics")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await FetchAsync(app, $"/kalender/{second}.ics")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await feeds.RevokeAsync(userId, email)).ShouldBeTrue();
        (await FetchAsync(app, $"/kalender/{second}.ics")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await feeds.RevokeAsync(userId, email)).ShouldBeFalse();

        foreach (var wrong in new[] { new string('A', 43), "kort", second + "x", CalendarFeeds.Hash(second), "%2e%2e" })
        {
            (await FetchAsync(app, $"/kalender/{wrong}.ics")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound, wrong);
        }

        // Every creation, replacement and revocation is in the installation's audit trail, without the secret.
        var audit = await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.Entity == CalendarFeeds.Audited && a.EntityId == userId).OrderBy(a => a.Sequence).ToListAsync();
        audit.Select(a => a.Action).ShouldBe(["Created", "Replaced", "Revoked"]);
        audit.ShouldAllBe(a => a.After == null || (!a.After.Contains(first) && !a.After.Contains(second)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_feed_is_rate_limited_per_address_like_the_other_anonymous_endpoints(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Kedja:Calendar:PermitsPerMinute"] = "3" });
        var client = app.ClientFrom("198.51.100.7");
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync($"/kalender/{new string('B', 43)}.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var refused = await client.GetAsync($"/kalender/{new string('B', 43)}.ics");
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await app.ClientFrom("198.51.100.8").GetAsync($"/kalender/{new string('B', 43)}.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
