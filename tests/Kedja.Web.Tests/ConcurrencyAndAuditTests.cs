using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class ConcurrencyAndAuditTests
{
    private static async Task<JsonElement> FirstGoal(HttpClient client, string level = "Nämnd- och bolagsmål")
    {
        var model = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/model");
        var levelId = model[0].GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("name").GetString() == level).GetProperty("id").GetGuid();
        var goals = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/goals?levelId={levelId}");
        return goals[0];
    }

    /// <summary>A goal as PUT takes it, from what GET gave, with a new title.</summary>
    internal static object Input(JsonElement goal, string title, int version) => new
    {
        levelId = goal.GetProperty("levelId").GetGuid(),
        ownerUnitId = goal.GetProperty("ownerUnitId").GetGuid(),
        dimensionId = goal.GetProperty("dimensionId").GetGuid(),
        title,
        description = goal.GetProperty("description").GetString(),
        sortOrder = 0,
        contributes = goal.GetProperty("contributes"),
        version,
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_edits_never_silently_overwrite_each_other(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anna = await app.ClientAsync();
        var bertil = await app.ClientAsync();
        var goal = await FirstGoal(anna);
        var id = goal.GetProperty("id").GetGuid();
        var version = goal.GetProperty("version").GetInt32();

        var first = await anna.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}", Input(goal, "Annas rubrik", version));
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var second = await bertil.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}", Input(goal, "Bertils rubrik", version));

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).ShouldContain("Någon annan har ändrat");
        var saved = await anna.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}");
        saved.GetProperty("title").GetString().ShouldBe("Annas rubrik");
        saved.GetProperty("version").GetInt32().ShouldBe(version + 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_change_is_recorded_with_who_when_before_and_after(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();
        var goal = await FirstGoal(client);
        var id = goal.GetProperty("id").GetGuid();
        var oldTitle = goal.GetProperty("title").GetString()!;

        (await client.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}", Input(goal, "Ny rubrik", goal.GetProperty("version").GetInt32())))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var audit = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/audit?entity=Goal&entityId={id}");
        var entry = audit.EnumerateArray().Single();
        entry.GetProperty("userName").GetString().ShouldBe(KedjaApp.AdminEmail);
        entry.GetProperty("action").GetString().ShouldBe("Modified");
        entry.GetProperty("before").GetString()!.ShouldContain(oldTitle);
        entry.GetProperty("after").GetString()!.ShouldContain("Ny rubrik");
        (DateTime.UtcNow - entry.GetProperty("at").GetDateTime().ToUniversalTime()).ShouldBeLessThan(TimeSpan.FromMinutes(1));

        // The time of a change is the app's clock, so tests can move it through periods and deadlines.
        app.Clock.Advance(TimeSpan.FromDays(30));
        var moved = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}");
        (await client.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals/{id}", Input(goal, "Senare rubrik", moved.GetProperty("version").GetInt32())))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var later = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/audit?entity=Goal&entityId={id}")).EnumerateArray()
            .Single(e => e.GetProperty("after").GetString()!.Contains("Senare rubrik"));
        (later.GetProperty("at").GetDateTime().ToUniversalTime() - DateTime.UtcNow).ShouldBeGreaterThan(TimeSpan.FromDays(29));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_audit_trail_cannot_be_changed_even_with_sql(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.AuditEntries.CountAsync()).ShouldBeGreaterThan(0);
            await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET user_name = 'någon annan'"));
            await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries"));
            var entry = await db.AuditEntries.FirstAsync();
            entry.UserName = "ändrad";
            (await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync())).Message.ShouldContain("Granskningsloggen");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Outcome_changes_keep_the_earlier_value_and_need_the_version(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();
        var indicators = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/indicators");
        var tertial = indicators.EnumerateArray().First(i => i.GetProperty("periodicity").GetString() == "tertial" && i.GetProperty("goalId").ValueKind != JsonValueKind.Null);
        var url = $"/api/v1/tenants/{DemoTenant.Slug}/indicators/{tertial.GetProperty("id").GetGuid()}/outcomes";
        var outcomes = await client.GetFromJsonAsync<JsonElement>(url);
        var t2 = outcomes.EnumerateArray().Single(o => o.GetProperty("periodKey").GetString() == "2026-T2");

        (await client.PutAsJsonAsync($"{url}/2026-T2", new { value = 42.5m })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PutAsJsonAsync($"{url}/2026", new { value = 42.5m })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var ok = await client.PutAsJsonAsync($"{url}/2026-T2", new { value = 42.5m, version = t2.GetProperty("version").GetInt32() });
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("value").GetDecimal().ShouldBe(42.5m);
        body.GetProperty("revisions").EnumerateArray().Single().GetProperty("value").GetDecimal().ShouldBe(t2.GetProperty("value").GetDecimal());
        (await client.PutAsJsonAsync($"{url}/2026-T2", new { value = 1m, version = t2.GetProperty("version").GetInt32() })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_requests_creating_the_same_row_end_in_a_conflict_not_a_server_error(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (firstScope, first) = app.DbFor(DemoTenant.Slug);
        var (secondScope, second) = app.DbFor(DemoTenant.Slug);
        using (firstScope)
        using (secondScope)
        {
            var indicator = await first.Indicators.Select(i => i.Id).FirstAsync();
            first.Outcomes.Add(new Domain.Indicators.Outcome { IndicatorId = indicator, PeriodKey = "2031", RecordedBy = "anna", Value = 1m });
            second.Outcomes.Add(new Domain.Indicators.Outcome { IndicatorId = indicator, PeriodKey = "2031", RecordedBy = "bertil", Value = 2m });

            (await Infrastructure.Concurrency.TrySaveAsync(first)).ShouldBeTrue();
            (await Infrastructure.Concurrency.TrySaveAsync(second)).ShouldBeFalse();
            (await first.Outcomes.AsNoTracking().Where(o => o.IndicatorId == indicator && o.PeriodKey == "2031").Select(o => o.Value).ToListAsync()).ShouldBe([1m]);
        }
    }
}


public class ActivityTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Activity_progress_is_reported_per_period_and_checked_for_conflicts(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();
        var activities = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/activities");
        activities.GetArrayLength().ShouldBe(9);
        var delayed = activities.EnumerateArray().Single(a => a.GetProperty("status").GetString() == "delayed");
        delayed.GetProperty("statusName").GetString().ShouldBe("Försenad");
        var url = $"/api/v1/tenants/{DemoTenant.Slug}/activities/{delayed.GetProperty("id").GetGuid()}/progress";
        var version = delayed.GetProperty("version").GetInt32();

        var ok = await client.PutAsJsonAsync(url, new { status = "inProgress", progress = 55, periodKey = "2026-T3", comment = "Nya scheman införda i två av tre verksamheter.", version });
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("progress").GetInt32().ShouldBe(55);
        body.GetProperty("comments").EnumerateArray().Last().GetProperty("periodKey").GetString().ShouldBe("2026-T3");

        (await client.PutAsJsonAsync(url, new { status = "done", progress = 100, version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await client.PutAsJsonAsync(url, new { status = "done", progress = 140, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
