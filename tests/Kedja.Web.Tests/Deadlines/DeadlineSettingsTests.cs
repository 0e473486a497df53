using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests.DeadlineTests;

/// <summary>Deadlines per level and the reminder day as an administrator sets them: the API, the page and the tenant document.</summary>
public class DeadlineSettingsTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static string Url(string period) => $"{Base}/periods/{period}/deadlines";

    private static async Task<JsonObject> GetAsync(HttpClient client, string period) => (await client.GetFromJsonAsync<JsonObject>(Url(period)))!;

    private static JsonObject Level(JsonObject deadlines, string kind) =>
        deadlines["levels"]!.AsArray().Single(l => (string)l!["unitKind"]! == kind)!.AsObject();

    private static async Task<JsonObject> PutAsync(HttpClient client, string period, object body)
    {
        var response = await client.PutAsJsonAsync(Url(period), body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var (got, problem) = await ProblemDetailsTests.ProblemAsync(response);
        got.ShouldBe(status, problem.ToString());
        return problem;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Levels_without_a_day_of_their_own_have_the_periods_and_what_GET_gives_PUT_takes_back(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var before = await GetAsync(admin, "2026-T3");
        before["deadline"]!.GetValue<string>().ShouldBe("2027-02-14");
        Level(before, "unit")["dueOn"].ShouldBeNull();
        Level(before, "unit")["effective"]!.GetValue<string>().ShouldBe("2027-02-14");
        Level(before, "committee")["unitKindName"]!.GetValue<string>().ShouldBe("Nämnd");

        var saved = await PutAsync(admin, "2026-T3", new
        {
            deadline = "2027-02-14",
            levels = new object[] { new { unitKind = "unit", dueOn = "2027-01-20" }, new { unitKind = "committee", dueOn = "2027-02-05" } },
            version = before["version"]!.GetValue<int>(),
        });
        saved["version"]!.GetValue<int>().ShouldBe(before["version"]!.GetValue<int>() + 1);
        Level(saved, "unit")["effective"]!.GetValue<string>().ShouldBe("2027-01-20");
        Level(saved, "committee")["effective"]!.GetValue<string>().ShouldBe("2027-02-05");
        Level(saved, "administration")["dueOn"].ShouldBeNull();
        Level(saved, "administration")["effective"]!.GetValue<string>().ShouldBe("2027-02-14");

        // The period's own deadline moves every level without a day of its own, and no other.
        var moved = await PutAsync(admin, "2026-T3", new
        {
            deadline = "2027-02-10",
            levels = new object[] { new { unitKind = "unit", dueOn = "2027-01-20" }, new { unitKind = "committee", dueOn = "2027-02-05" } },
            version = saved["version"]!.GetValue<int>(),
        });
        Level(moved, "administration")["effective"]!.GetValue<string>().ShouldBe("2027-02-10");
        Level(moved, "unit")["effective"]!.GetValue<string>().ShouldBe("2027-01-20");

        // What GET gave, PUT takes back: the same, one version on.
        var read = await GetAsync(admin, "2026-T3");
        var again = await PutAsync(admin, "2026-T3", read);
        var versionNow = again["version"]!.GetValue<int>();
        versionNow.ShouldBe(read["version"]!.GetValue<int>() + 1);
        again.Remove("version");
        read.Remove("version");
        again.ToJsonString().ShouldBe(read.ToJsonString());

        // A level left out (or left empty) has the period's day again.
        var cleared = await PutAsync(admin, "2026-T3", new { deadline = "2027-02-10", levels = new object[] { new { unitKind = "committee", dueOn = (string?)null } }, version = versionNow });
        Level(cleared, "unit")["dueOn"].ShouldBeNull();
        Level(cleared, "committee")["effective"]!.GetValue<string>().ShouldBe("2027-02-10");

        // Every member reads the deadlines; the audit trail has each change of a level's day.
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        Level(await GetAsync(reader, "2026-T3"), "unit")["effective"]!.GetValue<string>().ShouldBe("2027-02-10");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"{Base}/audit?entity=PeriodDeadline");
        audit.GetArrayLength().ShouldBe(4);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_proposal_comes_from_the_same_period_the_year_before_at_the_same_distance_from_its_end_and_saves_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var lastYear = await GetAsync(admin, "2025-T2");
        await PutAsync(admin, "2025-T2", new
        {
            deadline = "2025-09-25",
            levels = new object[] { new { unitKind = "unit", dueOn = "2025-09-10" }, new { unitKind = "committee", dueOn = "2025-10-06" } },
            version = lastYear["version"]!.GetValue<int>(),
        });
        var before = await GetAsync(admin, "2026-T2");

        var proposal = await admin.GetFromJsonAsync<JsonObject>($"{Url("2026-T2")}/proposal");
        proposal!["fromPeriodKey"]!.GetValue<string>().ShouldBe("2025-T2");
        // 2025-08-31 + 25, + 10 and + 36 days from 2026-08-31.
        proposal["deadline"]!.GetValue<string>().ShouldBe("2026-09-25");
        proposal["levels"]!.AsArray().Select(l => ((string)l!["unitKind"]!, (string)l["dueOn"]!))
            .ShouldBe([("committee", "2026-10-06"), ("unit", "2026-09-10")]);

        // Nothing was saved: the administrator accepts a proposal by saving it.
        (await GetAsync(admin, "2026-T2")).ToJsonString().ShouldBe(before.ToJsonString());
        var accepted = await PutAsync(admin, "2026-T2", new { deadline = proposal["deadline"], levels = proposal["levels"], version = before["version"]!.GetValue<int>() });
        Level(accepted, "unit")["effective"]!.GetValue<string>().ShouldBe("2026-09-10");

        // No period the year before in the calendar: nothing to propose, in Swedish.
        var none = await RefusedAsync(await admin.GetAsync($"{Url("2023-T1")}/proposal"), HttpStatusCode.NotFound);
        ProblemDetailsTests.Title(none).ShouldContain("T1 2022");
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.GetAsync($"{Url("2026-T2")}/proposal")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_input_changes_nothing_a_stale_version_is_refused_and_only_administrators_change_deadlines(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var before = await GetAsync(admin, "2026-T2");
        var version = before["version"]!.GetValue<int>();

        var wrong = await RefusedAsync(await admin.PutAsJsonAsync(Url("2026-T2"), new
        {
            deadline = "2026-08-01",
            levels = new object[]
            {
                new { unitKind = "unit", dueOn = "2026-04-30" },
                new { unitKind = "committee", dueOn = "2028-01-01" },
                new { unitKind = "committee", dueOn = "2026-09-20" },
                new { unitKind = "administration", dueOn = "2026-09-01" },
            },
            version,
        }), HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(wrong, "deadline").ShouldHaveSingleItem().ShouldContain("före periodens slut (2026-08-31)");
        ProblemDetailsTests.Errors(wrong, "levels[0].dueOn").ShouldHaveSingleItem().ShouldBe("Enhet: sista dagen kan inte vara före periodens början (2026-05-01).");
        ProblemDetailsTests.Errors(wrong, "levels[1].dueOn").ShouldHaveSingleItem().ShouldContain("inom ett år efter periodens slut");
        ProblemDetailsTests.Errors(wrong, "levels[2].unitKind").ShouldHaveSingleItem().ShouldBe("Nämnd förekommer flera gånger.");
        var noVersion = await RefusedAsync(await admin.PutAsJsonAsync(Url("2026-T2"), new { deadline = "2026-09-20", levels = Array.Empty<object>() }), HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(noVersion, "version").ShouldNotBeEmpty();
        var unknownKind = await admin.PutAsJsonAsync(Url("2026-T2"), new { deadline = "2026-09-20", levels = new object[] { new { unitKind = "planet", dueOn = "2026-09-20" } }, version });
        unknownKind.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var nullLevel = await admin.PutAsync(Url("2026-T2"), new StringContent($"{{\"deadline\":\"2026-09-20\",\"levels\":[null],\"version\":{version}}}", Encoding.UTF8, "application/json"));
        nullLevel.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The one valid level of the refused input was not saved either.
        (await GetAsync(admin, "2026-T2")).ToJsonString().ShouldBe(before.ToJsonString());

        // Someone else saved first.
        await PutAsync(admin, "2026-T2", new { deadline = "2026-09-20", levels = new object[] { new { unitKind = "unit", dueOn = "2026-09-10" } }, version });
        var stale = await RefusedAsync(await admin.PutAsJsonAsync(Url("2026-T2"), new { deadline = "2026-09-20", levels = new object[] { new { unitKind = "unit", dueOn = "2026-09-15" } }, version }),
            HttpStatusCode.Conflict);
        ProblemDetailsTests.Title(stale).ShouldContain("Någon annan har ändrat");
        Level(await GetAsync(admin, "2026-T2"), "unit")["dueOn"]!.GetValue<string>().ShouldBe("2026-09-10");

        // Editors and readers read, never change; another municipality's administrator is not told the period exists.
        var current = (await GetAsync(admin, "2026-T2"))["version"]!.GetValue<int>();
        var body = new { deadline = "2026-09-30", levels = Array.Empty<object>(), version = current };
        var libraryEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await libraryEditor.PutAsJsonAsync(Url("2026-T2"), body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader)).PutAsJsonAsync(Url("2026-T2"), body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.PutAsJsonAsync(Url("2026-T2"), body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync(Url("2026-T2"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync(admin, "2026-T2"))["version"]!.GetValue<int>().ShouldBe(current);
        (await admin.GetAsync(Url("2026-T9"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync(Url("2040-T1"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_reminder_day_is_0_to_30_days_before_changed_from_the_version_read_by_administrators_only(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var before = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/reminder-settings"))!;
        before["reminderDaysBefore"]!.GetValue<int>().ShouldBe(3);
        var version = before["version"]!.GetValue<int>();

        foreach (var bad in new int?[] { -1, 31, null })
        {
            var refused = await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/reminder-settings", new { reminderDaysBefore = bad, version }), HttpStatusCode.BadRequest);
            ProblemDetailsTests.Errors(refused, "reminderDaysBefore").ShouldHaveSingleItem().ShouldContain("från 0 (samma dag) till 30");
        }

        var saved = await admin.PutAsJsonAsync($"{Base}/reminder-settings", new { reminderDaysBefore = 0, version });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"{Base}/reminder-settings", new { reminderDaysBefore = 7, version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.PutAsJsonAsync($"{Base}/reminder-settings", new { reminderDaysBefore = 7, version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.GetAsync($"{Base}/reminder-settings")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var after = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/reminder-settings"))!;
        after["reminderDaysBefore"]!.GetValue<int>().ShouldBe(0);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"{Base}/audit?entity=Tenant");
        audit.EnumerateArray().ShouldContain(a => a.GetProperty("after").GetString()!.Contains("\"ReminderDaysBefore\":0", StringComparison.OrdinalIgnoreCase), audit.ToString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deadlines_per_level_and_the_reminder_day_go_through_the_tenant_document(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var before = await GetAsync(admin, "2026-T3");
        await PutAsync(admin, "2026-T3", new { deadline = "2027-02-14", levels = new object[] { new { unitKind = "unit", dueOn = "2027-01-20" } }, version = before["version"]!.GetValue<int>() });
        var reminders = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/reminder-settings"))!;
        (await admin.PutAsJsonAsync($"{Base}/reminder-settings", new { reminderDaysBefore = 5, version = reminders["version"]!.GetValue<int>() })).EnsureSuccessStatusCode();

        var export = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/export"))!;
        export["reminderDaysBefore"]!.GetValue<int>().ShouldBe(5);
        var period = export["periods"]!.AsArray().Single(p => (string)p!["key"]! == "2026-T3")!;
        period["deadlines"]!.ToJsonString().ShouldBe("""[{"unitKind":"unit","dueOn":"2027-01-20"}]""");
        export["periods"]!.AsArray().Where(p => (string)p!["key"]! != "2026-T3").ShouldAllBe(p => p!["deadlines"] == null);

        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kopia", new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var copy = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/tenants/kopia/periods/2026-T3/deadlines"))!;
        Level(copy, "unit")["effective"]!.GetValue<string>().ShouldBe("2027-01-20");
        Level(copy, "committee")["effective"]!.GetValue<string>().ShouldBe("2027-02-14");
        (await admin.GetFromJsonAsync<JsonObject>("/api/v1/tenants/kopia/reminder-settings"))!["reminderDaysBefore"]!.GetValue<int>().ShouldBe(5);

        // A document with a level's day out of bounds, a level twice or a reminder day out of range is refused as a whole.
        period["deadlines"] = JsonNode.Parse("""[{"unitKind":"unit","dueOn":"2026-01-01"},{"unitKind":"committee","dueOn":"2027-01-01"},{"unitKind":"committee","dueOn":"2027-01-02"}]""");
        export["reminderDaysBefore"] = 45;
        var refused = await RefusedAsync(await admin.PostAsync("/api/v1/tenants/import?slug=kopia2", new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        var index = export["periods"]!.AsArray().IndexOf(period);
        ProblemDetailsTests.Errors(refused, $"$.periods[{index}].deadlines[0].dueOn").ShouldHaveSingleItem().ShouldContain("före periodens början");
        ProblemDetailsTests.Errors(refused, $"$.periods[{index}].deadlines[2].unitKind").ShouldHaveSingleItem().ShouldContain("flera gånger");
        ProblemDetailsTests.Errors(refused, "$.reminderDaysBefore").ShouldNotBeEmpty();
        (await admin.GetAsync("/api/v1/tenants/kopia2/periods")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_deadline_page_fills_in_the_proposal_and_saves_only_what_the_administrator_posts(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var lastYear = await GetAsync(admin, "2025-T3");
        await PutAsync(admin, "2025-T3", new { deadline = "2026-02-14", levels = new object[] { new { unitKind = "unit", dueOn = "2026-01-20" } }, version = lastYear["version"]!.GetValue<int>() });
        const string page = $"/k/{DemoTenant.Slug}/perioder/2026-T3/sista-dagar";

        var proposed = await admin.GetStringAsync(page + "?forslag=true");
        proposed.ShouldContain("Förslaget utgår från T3 2025");
        var unitIndex = Regex.Match(proposed, "name=\"Levels\\[(\\d+)\\].Kind\" value=\"Unit\"").Groups[1].Value;
        proposed.ShouldContain($"id=\"niva-{unitIndex}\" name=\"Levels[{unitIndex}].DueOn\" type=\"date\" value=\"2027-01-20\"");
        Level(await GetAsync(admin, "2026-T3"), "unit")["dueOn"].ShouldBeNull();

        async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form, string handler = "")
        {
            var html = await admin.GetStringAsync(page);
            form["__RequestVerificationToken"] = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            return await admin.PostAsync(page + handler, new FormUrlEncodedContent(form));
        }

        var version = (await GetAsync(admin, "2026-T3"))["version"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bad = await PostAsync(new() { ["Deadline"] = "2027-02-14", ["Levels[0].Kind"] = "Unit", ["Levels[0].DueOn"] = "20 januari", ["Levels[1].Kind"] = "Committee", ["Levels[1].DueOn"] = "2025-01-01", ["Version"] = version });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var badHtml = await bad.Content.ReadAsStringAsync();
        badHtml.ShouldContain("Enhet: Skriv datumet som år-månad-dag", Case.Sensitive, "the list above the form names the field");
        badHtml.ShouldContain("value=\"20 januari\"");
        Level(await GetAsync(admin, "2026-T3"), "unit")["dueOn"].ShouldBeNull();

        var good = await PostAsync(new() { ["Deadline"] = "2027-02-14", ["Levels[0].Kind"] = "Unit", ["Levels[0].DueOn"] = "2027-01-20", ["Levels[1].Kind"] = "Committee", ["Levels[1].DueOn"] = "", ["Version"] = version });
        // Saved, and sent back to the page (HttpClient drops the bearer token on a redirect, so the page is asked again).
        good.RequestMessage!.RequestUri!.Query.ShouldContain(Uri.EscapeDataString(page + "?klart=true"));
        (await admin.GetStringAsync(page + "?klart=true")).ShouldContain("Ändringen är sparad.");
        Level(await GetAsync(admin, "2026-T3"), "unit")["dueOn"]!.GetValue<string>().ShouldBe("2027-01-20");

        // The same form again from the old version: someone else's value stands beside the field.
        var stale = await PostAsync(new() { ["Deadline"] = "2027-02-14", ["Levels[0].Kind"] = "Unit", ["Levels[0].DueOn"] = "2027-01-25", ["Version"] = version });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var staleHtml = await stale.Content.ReadAsStringAsync();
        staleHtml.ShouldContain("Sparat av någon annan: 2027-01-20", customMessage: staleHtml[staleHtml.IndexOf("<main", StringComparison.Ordinal)..]);

        var reminders = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/reminder-settings"))!["version"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tooMany = await PostAsync(new() { ["ReminderDays"] = "45", ["TenantVersion"] = reminders }, "?handler=Reminders");
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).ShouldContain("till 30");
        var negative = await PostAsync(new() { ["ReminderDays"] = "-1", ["TenantVersion"] = reminders }, "?handler=Reminders");
        negative.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await negative.Content.ReadAsStringAsync()).ShouldContain("från 0 (samma dag) till 30", Case.Sensitive, "-1 is a whole number, only out of range");
        (await PostAsync(new() { ["ReminderDays"] = "5", ["TenantVersion"] = reminders }, "?handler=Reminders")).RequestMessage!.RequestUri!.Query.ShouldContain("klart%3Dtrue");
        (await admin.GetFromJsonAsync<JsonObject>($"{Base}/reminder-settings"))!["reminderDaysBefore"]!.GetValue<int>().ShouldBe(5);
    }
}
