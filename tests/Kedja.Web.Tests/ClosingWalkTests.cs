using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests;

/// <summary>What the newcomer's walk before closing issue 9 found, each as it would have been caught.</summary>
public class ClosingWalkTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_council_named_as_its_kind_is_named_once_on_its_scorecard_and_in_the_unit_lists(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "heby", name = "Heby kommun", template = ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var council = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Kommunfullmäktige").GetProperty("id").GetGuid();

        (await admin.GetStringAsync($"/k/heby/malkort/{council}")).ShouldContain("<h1>Kommunfullmäktige</h1>");
        foreach (var page in new[] { "/k/heby", "/k/heby/malkort", "/k/heby/organisation" })
        {
            var html = await admin.GetStringAsync(page);
            html.ShouldContain("Kommunfullmäktige", customMessage: page);
            html.ShouldNotContain("<span class=\"muted\">Kommunfullmäktige", customMessage: page);
        }

        // A kind that says more than the name is still written beside it.
        (await admin.GetStringAsync("/k/heby/malkort")).ShouldContain("<span class=\"muted\">Kommunstyrelse</span>");
    }

    /// <summary>Heby from its template with one goal of the council; its id and the council's.</summary>
    private static async Task<(Guid Council, Guid Goal)> HebyWithAGoalAsync(HttpClient admin)
    {
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "heby", name = "Heby kommun", template = ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var model = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/model"))[0];
        var council = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Kommunfullmäktige").GetProperty("id").GetGuid();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants/heby/goals", new
        {
            levelId = model.GetProperty("levels")[0].GetProperty("id").GetGuid(), ownerUnitId = council, title = "Fler läser", sortOrder = 0,
            contributes = Array.Empty<object>(), agenda2030 = Array.Empty<int>(),
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (council, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_indicator_with_one_outcome_is_drawn_as_a_marker_with_its_figure_said_once_and_listed_in_the_table(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var (council, goal) = await HebyWithAGoalAsync(admin);
        var indicator = await admin.PostAsJsonAsync("/api/v1/tenants/heby/indicators", new
        {
            name = "Utlån per invånare", unitOfMeasure = "st", ownerUnitId = council, goalId = goal, periodicity = "year", direction = "higherIsBetter", decimals = 1,
            targets = new[] { new { periodKey = "2026", value = 15m } },
        });
        indicator.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await indicator.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"/api/v1/tenants/heby/indicators/{id}/outcomes/2026", new { value = 12.5m })).IsSuccessStatusCode.ShouldBeTrue();

        var page = await admin.GetStringAsync($"/k/heby/mal/{goal}");

        page.ShouldContain("Ett utfall, Helår 2026: 12,5 st. Streckad linje: målvärde.");
        page.ShouldContain("r=\"5\" fill=\"#004b87\"");
        page.ShouldContain(">12,5</text>");
        page.ShouldContain("<tr><th scope=\"row\">Helår 2026</th><td class=\"num\">12,5</td><td class=\"num\">15</td></tr>");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_history_leaves_out_empty_fields_and_shows_a_list_as_its_items(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var (_, goal) = await HebyWithAGoalAsync(admin);
        var url = $"/api/v1/tenants/heby/goals/{goal}";
        var read = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(url))!;
        read["title"] = "Fler läser böcker";
        read["description"] = "";
        read["agenda2030"] = new System.Text.Json.Nodes.JsonArray(4, 11);
        (await admin.PutAsJsonAsync(url, read)).IsSuccessStatusCode.ShouldBeTrue();

        var html = await admin.GetStringAsync($"/k/heby/historik/Goal/{goal}");

        html.ShouldContain("<ins>Fler läser böcker</ins>");
        html.ShouldContain("<dt>Agenda 2030</dt>");
        html.ShouldContain("<ins>4, 11</ins>");
        html.ShouldNotContain("[");
        html.ShouldNotContain("<dt>Beskrivning</dt>", customMessage: "no description before, an empty one after: no change");
        html.ShouldNotContain("<dd></dd>", customMessage: "the new goal's empty fields were not added");
    }

    /// <summary>The <c>article</c> of the scorecard's page that holds the goal.</summary>
    private static string Article(string html, Guid goal) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<article class=\"goal\".*?</article>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Value).Single(a => a.Contains($"id=\"m-{goal}\"", StringComparison.Ordinal));

    private static async Task AssessAsync(HttpClient admin, Guid goal, string status)
    {
        var url = $"/api/v1/tenants/{Demo.DemoTenant.Slug}/goals/{goal}/assessments/2026-T2";
        var held = await admin.GetAsync(url);
        int? version = held.IsSuccessStatusCode ? (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
        var saved = await admin.PutAsJsonAsync(url, new { status, motivation = "Så bedömer vi det.", analysis = "Analys.", actions = "Åtgärd.", version });
        saved.IsSuccessStatusCode.ShouldBeTrue(await saved.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_scorecard_names_the_rules_suggestion_only_when_the_assessment_differs_from_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var slug = Demo.DemoTenant.Slug;
        // A unit whose follow-up is still open, with two goals or more.
        var open = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/periods/2026-T2/workflow")).EnumerateArray()
            .Where(u => u.GetProperty("state").GetString() is "open" or "Open").Select(u => u.GetProperty("unitId").GetGuid()).ToList();
        Guid unit = default;
        List<(Guid Id, string Suggested)> goals = [];
        foreach (var candidate in open)
        {
            (unit, goals) = (candidate, [.. ScorecardJson.Goals(await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units/{candidate}/scorecard?periodKey=2026-T2"))
                .Select(g => (g.GetProperty("id").GetGuid(), g.GetProperty("suggested").GetProperty("key").GetString()!)).Take(2)]);
            if (goals.Count == 2)
            {
                break;
            }
        }

        goals.Count.ShouldBe(2);
        var (same, other) = (goals[0], goals[1]);
        await AssessAsync(admin, same.Id, same.Suggested);
        await AssessAsync(admin, other.Id, other.Suggested == "uppfyllt" ? "ej-uppfyllt" : "uppfyllt");

        var html = await admin.GetStringAsync($"/k/{slug}/malkort/{unit}?period=2026-T2");

        Article(html, same.Id).ShouldContain("<span class=\"muted\">(bedömd)</span>");
        Article(html, same.Id).ShouldNotContain("regeln ger");
        Article(html, other.Id).ShouldContain("(bedömd; regeln ger ");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task After_a_follow_up_is_locked_its_goals_and_activities_are_not_offered_for_assessment_or_report(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var slug = Demo.DemoTenant.Slug;
        var admin = await app.ClientAsync();
        var unit = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Biblioteket").GetProperty("id").GetGuid();
        var card = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units/{unit}/scorecard?periodKey=2026-T2");
        var goal = ScorecardJson.Goals(card).First().GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/activities", new
        {
            title = "Sagostunder", goalId = goal, responsibleUnitId = unit, startDate = "2026-01-01", endDate = "2026-12-31", status = "inProgress", progress = 20,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var editor = await app.MemberClientAsync(slug, Domain.Tenancy.TenantRole.Editor, unit);
        var pages = new[] { $"/k/{slug}/malkort/{unit}?period=2026-T2", $"/k/{slug}/mal/{goal}?period=2026-T2" };
        foreach (var page in pages)
        {
            var open = await editor.GetStringAsync(page);
            open.ShouldContain($"/bedomning/{goal}?period=2026-T2", customMessage: page);
            open.ShouldContain("/rapportera?period=2026-T2", customMessage: page);
        }

        var state = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/periods/2026-T2/workflow")).EnumerateArray()
            .Single(u => u.GetProperty("unitId").GetGuid() == unit);
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/units/{unit}/periods/2026-T2/workflow",
            new { action = "lock", reason = "Rapporten har gått till nämnden.", version = state.GetProperty("version").GetInt32() })).IsSuccessStatusCode.ShouldBeTrue();

        foreach (var page in pages)
        {
            var closed = await editor.GetStringAsync(page);
            closed.ShouldNotContain("/bedomning/", customMessage: page);
            closed.ShouldNotContain("/rapportera?period=2026-T2", customMessage: page);
            closed.ShouldContain("Stängd för ändringar (låst)", customMessage: page);
        }

        (await editor.GetStringAsync(pages[0])).ShouldNotContain("Rapportera utfall");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_activity_report_page_lists_the_newest_period_first(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var slug = Demo.DemoTenant.Slug;
        var admin = await app.ClientAsync();
        var activity = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/activities"))[0].GetProperty("id").GetGuid();

        var html = await admin.GetStringAsync($"/k/{slug}/aktivitet/{activity}/rapportera");

        var keys = System.Text.RegularExpressions.Regex.Matches(html, "<option value=\"(\\d{4}[^\"]*)\"").Select(m => Domain.Periods.PeriodRef.Parse(m.Groups[1].Value)).ToList();
        keys.Count.ShouldBeGreaterThan(1);
        keys.ShouldBe(keys.OrderByDescending(k => k).ToList());
    }

    [Fact]
    public async Task The_page_for_a_mistyped_address_is_in_the_language_the_person_chose()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite");
        var client = await app.ClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/k/ingen-sadan/sida");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add("Cookie", $"{Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName}={Uri.EscapeDataString(Ui.Language.CookieValue("en")!)}");

        var answer = await client.SendAsync(request);

        answer.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = await answer.Content.ReadAsStringAsync();
        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("The page does not exist.");
    }
}
