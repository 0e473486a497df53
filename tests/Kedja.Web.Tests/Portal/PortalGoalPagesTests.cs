using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal's goal, unit and indicator pages (issue 13): what a resident reads of the demo municipality's published
/// periods, the links of the red thread and down the organisation, and that nothing unpublished, unknown or of another
/// municipality is there (a plain 404). The demo has published every period up to T1 2026, not T2 2026.
/// </summary>
public sealed partial class PortalGoalPagesTests
{
    internal const string Slug = DemoTenant.Slug;
    internal const string Published = "2026-T1";
    internal const string Unpublished = "2026-T2";

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    /// <summary>The page's links, as the browser would follow them (entities decoded).</summary>
    internal static List<string> Links(string html) => [.. Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>
    /// What a reader hears: the page's text without its markup, drawings and what is hidden from assistive technology
    /// (a status's symbol), entities decoded, every run of white space one space.
    /// </summary>
    internal static string Text(string html)
    {
        var said = Regex.Replace(html, "<svg.*?</svg>|<span aria-hidden=\"true\">[^<]*</span>", " ", RegexOptions.Singleline);
        return Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(said, "<[^>]+>", " ")), @"\s+", " ").Trim();
    }

    /// <summary>A text as <see cref="Text"/> reads it: every run of white space (a no-break space in "67 %" too) one space.</summary>
    internal static string Flat(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>The cells of each body row of the page's tables, as read.</summary>
    internal static List<string[]> Rows(string html) =>
        [.. Regex.Matches(html, "<tr>\\s*<th scope=\"row\">.*?</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline).Select(c => Text(c.Groups[1].Value)).ToArray())];

    internal static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}: {html}");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse($"{url} sets no cookie");
        html.ShouldContain("<html lang=\"sv\">");
        html.ShouldNotContain("method=\"post\"", Case.Insensitive);
        html.ShouldNotContain("__RequestVerificationToken");
        return html;
    }

    /// <summary>A committee's goal that contributes to a council goal and has goals below, indicators and an activity in 2026.</summary>
    internal sealed record Chosen(Guid Goal, string Title, Guid Owner, Guid Parent, List<Guid> Children, Guid Indicator, string Activity);

    /// <summary>
    /// Picks the goal and writes what a published assessment, an activity report and a strategy say into the published
    /// period, and markers ("HEMLIG") into the unpublished one, straight into the database.
    /// </summary>
    internal static async Task<Chosen> ChooseAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var periods = await db.Periods.ToDictionaryAsync(p => p.Key);
            var links = await db.GoalLinks.ToListAsync();
            var committees = await db.Units.Where(u => u.Kind == UnitKind.Committee).Select(u => u.Id).ToListAsync();
            var activities = await db.Activities.Where(a => a.GoalId != null).ToListAsync();
            var goals = await db.Goals.Where(g => committees.Contains(g.OwnerUnitId)).OrderBy(g => g.Title).ToListAsync();
            var indicators = await db.Indicators.Where(i => i.GoalId != null && i.ProgramId == null).ToListAsync();
            var goal = goals.First(g => links.Any(l => l.ChildGoalId == g.Id) && links.Any(l => l.ParentGoalId == g.Id) && indicators.Any(i => i.GoalId == g.Id));
            var activity = activities.FirstOrDefault(a => a.GoalId == goal.Id && a.StartDate <= new DateOnly(2026, 4, 30) && a.EndDate >= new DateOnly(2026, 1, 1));
            if (activity is null)
            {
                activity = activities.First(a => a.StartDate <= new DateOnly(2026, 4, 30) && a.EndDate >= new DateOnly(2026, 1, 1));
                activity.GoalId = goal.Id;
            }

            foreach (var (key, marker) in new[] { (Published, "PORTAL"), (Unpublished, "HEMLIG") })
            {
                var period = periods[key];
                var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.GoalId == goal.Id && a.PeriodId == period.Id);
                if (assessment is null)
                {
                    db.Assessments.Add(assessment = new Assessment { GoalId = goal.Id, PeriodId = period.Id, StatusKey = FulfilmentScale.Standard.Top.Key, AssessedBy = "chef@exempelkommun.se" });
                }

                (assessment.Motivation, assessment.Analysis, assessment.Actions) = ($"{marker}-motivering", $"{marker}-analys", $"{marker}-åtgärder");
                var comment = await db.ActivityComments.SingleOrDefaultAsync(c => c.ActivityId == activity.Id && c.PeriodId == period.Id);
                if (comment is null)
                {
                    db.ActivityComments.Add(comment = new ActivityComment { ActivityId = activity.Id, PeriodId = period.Id, Text = "", WrittenBy = "chef@exempelkommun.se" });
                }

                comment.Text = $"{marker}-aktivitetsrapport";
                comment.Status = ActivityStatus.Delayed;
            }

            db.Strategies.Add(new Strategy { GoalId = goal.Id, Title = "PORTAL-strategi", Description = "Så når vi målet." });
            goal.Agenda2030 = [4, 10];
            var indicator = indicators.First(i => i.GoalId == goal.Id);
            var hidden = await db.Outcomes.SingleOrDefaultAsync(o => o.IndicatorId == indicator.Id && o.PeriodKey == Unpublished);
            if (hidden is null)
            {
                db.Outcomes.Add(hidden = new Outcome { IndicatorId = indicator.Id, PeriodKey = Unpublished, RecordedBy = "controller@exempelkommun.se" });
            }

            (hidden.Value, hidden.Comment) = (919191m, "HEMLIG-utfall");
            await db.SaveChangesAsync();
            return new Chosen(goal.Id, goal.Title, goal.OwnerUnitId, links.First(l => l.ChildGoalId == goal.Id).ParentGoalId,
                [.. links.Where(l => l.ParentGoalId == goal.Id).Select(l => l.ChildGoalId)], indicator.Id, activity.Title);
        }
    }

    /// <summary>The goal as the public API's scorecard of its unit gives it for a period: status label and explanation.</summary>
    private static async Task<(string Label, string Explanation)> StatusAsync(HttpClient client, Guid unit, Guid goal, string period)
    {
        var card = await client.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/periods/{period}/scorecard?unitId={unit}");
        var found = ScorecardJson.Goals(card).Single(g => g.GetProperty("id").GetGuid() == goal);
        return (Flat(found.GetProperty("status").GetProperty("label").GetString()!), Flat(found.GetProperty("explanation").GetString()!));
    }

    /// <summary>A second municipality with a published period of its own, for ids that are not the demo's.</summary>
    internal static async Task<(Guid Goal, Guid Unit, Guid Indicator)> OtherTenantAsync(KedjaApp app)
    {
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", kommunkod = "1235", template = Templates.ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var (scope, db) = app.DbFor("annan");
        using (scope)
        {
            var model = await db.Models.Include(m => m.Levels).FirstAsync();
            model.Status = Domain.Model.ModelStatus.Active;
            var period = (await db.Periods.ToListAsync()).Where(p => p.StartDate.Year == model.FirstYear).OrderBy(p => p.StartDate).First();
            (period.IsPublished, period.PublishedAt, period.PublishedBy) = (true, DateTime.UtcNow, "controller@annan.se");
            var unit = await db.Units.FirstAsync(u => u.ParentId == null);
            var goal = new Goal { ModelId = model.Id, LevelId = model.Levels.OrderBy(l => l.Depth).First().Id, OwnerUnitId = unit.Id, Title = "Annans mål" };
            db.Goals.Add(goal);
            var indicator = new Indicator { Name = "Annans indikator", OwnerUnitId = unit.Id, GoalId = goal.Id };
            db.Indicators.Add(indicator);
            await db.SaveChangesAsync();
            return (goal.Id, unit.Id, indicator.Id);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anyone_reads_a_goal_with_its_status_history_red_thread_indicators_assessment_and_activities(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var chosen = await ChooseAsync(app);
        var anonymous = app.CreateClient();

        var html = await PageAsync(anonymous, $"/p/{Slug}/mal/{chosen.Goal}");
        var text = Text(html);
        var links = Links(html);
        text.ShouldContain(chosen.Title);
        text.ShouldContain("Nämnd- och bolagsmål", customMessage: "the goal's level");
        links.ShouldContain($"/p/{Slug}/enhet/{chosen.Owner}?period={Published}", "the owning unit is linked");

        // The status of the latest published period, with the engine's explanation in words.
        var (label, explanation) = await StatusAsync(anonymous, chosen.Owner, chosen.Goal, Published);
        text.ShouldContain($"Läget T1 2026: {label}");
        text.ShouldContain(explanation);
        html.ShouldContain("class=\"status\"");

        // Each earlier published period, with its status, linked to the goal in that period.
        var (earlier, _) = await StatusAsync(anonymous, chosen.Owner, chosen.Goal, "2025-T3");
        links.ShouldContain($"/p/{Slug}/mal/{chosen.Goal}?period=2025-T3");
        Regex.IsMatch(text, $@"T3 2025\s+{Regex.Escape(earlier)}").ShouldBeTrue("the history names T3 2025's status");

        // Den röda tråden: the council goal above and the goals below, each linked in the same period.
        links.ShouldContain($"/p/{Slug}/mal/{chosen.Parent}?period={Published}");
        chosen.Children.ShouldNotBeEmpty();
        foreach (var child in chosen.Children)
        {
            links.ShouldContain($"/p/{Slug}/mal/{child}?period={Published}");
        }

        links.ShouldContain($"/p/{Slug}/indikator/{chosen.Indicator}?period={Published}");
        foreach (var said in new[] { "PORTAL-motivering", "PORTAL-analys", "PORTAL-åtgärder", "PORTAL-strategi", "PORTAL-aktivitetsrapport", chosen.Activity,
                     "Mål 4: God utbildning för alla", "Mål 10: Minskad ojämlikhet" })
        {
            text.ShouldContain(said);
        }

        text.ShouldNotContain("HEMLIG");
        text.ShouldNotContain("919");
        text.ShouldNotContain("@exempelkommun.se", customMessage: "no person");

        // The parent's page leads back down to the goal.
        Links(await PageAsync(anonymous, $"/p/{Slug}/mal/{chosen.Parent}?period={Published}")).ShouldContain($"/p/{Slug}/mal/{chosen.Goal}?period={Published}");

        // An earlier period shows that period's status and its own assessment (or none), never the latest's.
        var then = Text(await PageAsync(anonymous, $"/p/{Slug}/mal/{chosen.Goal}?period=2025-T3"));
        then.ShouldContain($"Läget T3 2025: {earlier}");
        then.ShouldNotContain("PORTAL-analys");
        then.ShouldNotContain("Tidigare uppföljningar T1 2026");

        var other = await OtherTenantAsync(app);
        foreach (var missing in new[] { $"/p/{Slug}/mal/{chosen.Goal}?period={Unpublished}", $"/p/{Slug}/mal/{chosen.Goal}?period=2099-T1",
                     $"/p/{Slug}/mal/{chosen.Goal}?period=inte-en-period", $"/p/{Slug}/mal/{Guid.NewGuid()}", $"/p/{Slug}/mal/{other.Goal}",
                     $"/p/annan/mal/{chosen.Goal}", $"/p/finns-inte/mal/{chosen.Goal}", $"/p/{Slug}/mal/inte-ett-id" })
        {
            var response = await anonymous.GetAsync(missing);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, missing);
            response.Headers.Contains("Set-Cookie").ShouldBeFalse(missing);
        }

        (await anonymous.GetAsync($"/p/annan/mal/{other.Goal}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the other municipality's own goal is there");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anyone_goes_from_the_start_page_down_the_organisation_to_a_unit_and_its_goals(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, kfn, kff;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            kfn = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
            kff = await db.Units.Where(u => u.Name == "Kultur- och fritidsförvaltningen").Select(u => u.Id).SingleAsync();
        }

        var anonymous = app.CreateClient();
        var start = await PageAsync(anonymous, $"/p/{Slug}");
        var council = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/periods/{Published}/scorecard?unitId="
            + (await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/units")).EnumerateArray().First(u => u.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetGuid());
        foreach (var goal in ScorecardJson.Goals(council))
        {
            Links(start).ShouldContain($"/p/{Slug}/mal/{goal.GetProperty("id").GetGuid()}?period={Published}", "the start page links each council goal");
        }

        // Council → committee → department → unit, each by the link its parent's page offers.
        Links(start).ShouldContain($"/p/{Slug}/enhet/{kfn}?period={Published}");
        Text(start).ShouldContain("Kultur- och fritidsnämnden");
        var committee = await PageAsync(anonymous, $"/p/{Slug}/enhet/{kfn}?period={Published}");
        Links(committee).ShouldContain($"/p/{Slug}/enhet/{kff}?period={Published}");
        var department = await PageAsync(anonymous, $"/p/{Slug}/enhet/{kff}?period={Published}");
        Links(department).ShouldContain($"/p/{Slug}/enhet/{library}?period={Published}");
        Links(department).ShouldContain($"/p/{Slug}/enhet/{kfn}?period={Published}", "the way back up");

        var page = await PageAsync(anonymous, $"/p/{Slug}/enhet/{library}");
        var card = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/periods/{Published}/scorecard?unitId={library}");
        var text = Text(page);
        text.ShouldContain("Biblioteket");
        text.ShouldContain("Målen T1 2026");
        ScorecardJson.Goals(card).ShouldNotBeEmpty();
        foreach (var goal in ScorecardJson.Goals(card))
        {
            Links(page).ShouldContain($"/p/{Slug}/mal/{goal.GetProperty("id").GetGuid()}?period={Published}");
            text.ShouldContain(Flat(goal.GetProperty("explanation").GetString()!));
        }

        foreach (var group in ScorecardJson.Groups(card).Where(g => g.GetProperty("goals").GetArrayLength() > 0))
        {
            text.ShouldContain(group.GetProperty("name").GetString()!, customMessage: "each perspective is named");
        }

        foreach (var indicator in card.GetProperty("basicMission").EnumerateArray())
        {
            Links(page).ShouldContain($"/p/{Slug}/indikator/{indicator.GetProperty("id").GetGuid()}?period={Published}");
        }

        // The programmes the units follow (the demo's environment programme has indicators of its own).
        string? programPage = null;
        foreach (var unit in (await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/units")).EnumerateArray().Select(u => u.GetProperty("id").GetGuid()))
        {
            var unitCard = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/periods/{Published}/scorecard?unitId={unit}");
            if (unitCard.GetProperty("programs").GetArrayLength() > 0)
            {
                programPage = Text(await PageAsync(anonymous, $"/p/{Slug}/enhet/{unit}"));
                programPage.ShouldContain("Program: " + unitCard.GetProperty("programs")[0].GetProperty("name").GetString());
                break;
            }
        }

        programPage.ShouldNotBeNull("some unit follows a programme");

        // A unit that is no longer active keeps its page, says so, and is listed apart under its parent.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Units.SingleAsync(u => u.Id == library)).IsActive = false;
            await db.SaveChangesAsync();
        }

        var gone = Text(await PageAsync(anonymous, $"/p/{Slug}/enhet/{library}"));
        gone.ShouldContain("Biblioteket finns inte längre i kommunens organisation");
        var parent = Text(await PageAsync(anonymous, $"/p/{Slug}/enhet/{kff}"));
        parent.ShouldContain("Finns inte längre");
        Regex.IsMatch(parent, @"Finns inte längre\s+Biblioteket").ShouldBeTrue(parent);

        var other = await OtherTenantAsync(app);
        foreach (var missing in new[] { $"/p/{Slug}/enhet/{library}?period={Unpublished}", $"/p/{Slug}/enhet/{Guid.NewGuid()}", $"/p/{Slug}/enhet/{other.Unit}",
                     $"/p/annan/enhet/{library}" })
        {
            (await anonymous.GetAsync(missing)).StatusCode.ShouldBe(HttpStatusCode.NotFound, missing);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_indicator_page_draws_every_published_outcome_with_a_text_alternative_and_the_table_holds_the_same_numbers(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Indicator indicator;
        List<Outcome> outcomes;
        string goalTitle;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            // Split by gender and fetched from Kolada: every column of the table is in use.
            indicator = await db.Indicators.Include(i => i.Targets).OrderBy(i => i.Name)
                .FirstAsync(i => i.SplitByGender && i.KoladaKpiId != null && i.GoalId != null && i.Direction == Direction.HigherIsBetter);
            goalTitle = await db.Goals.Where(g => g.Id == indicator.GoalId).Select(g => g.Title).SingleAsync();
            // A value typed in by hand among Kolada's, and a value of a year nothing is published of.
            var typed = await db.Outcomes.Where(o => o.IndicatorId == indicator.Id).OrderBy(o => o.PeriodKey).FirstAsync();
            typed.Source = ValueSource.Manual;
            db.Outcomes.Add(new Outcome { IndicatorId = indicator.Id, PeriodKey = "2027", Value = 919191m, RecordedBy = "controller@exempelkommun.se" });
            await db.SaveChangesAsync();
            outcomes = [.. (await db.Outcomes.Where(o => o.IndicatorId == indicator.Id).ToListAsync()).Where(o => string.CompareOrdinal(o.PeriodKey, "2026") < 0)
                .OrderBy(o => o.PeriodKey, StringComparer.Ordinal)];
        }

        outcomes.Count.ShouldBeGreaterThan(1);
        var anonymous = app.CreateClient();
        var html = await PageAsync(anonymous, $"/p/{Slug}/indikator/{indicator.Id}");
        var text = Text(html);
        text.ShouldContain(indicator.Name);
        text.ShouldContain("Högre är bättre");
        text.ShouldContain(indicator.UnitOfMeasure);
        Links(html).ShouldContain($"/p/{Slug}/mal/{indicator.GoalId}?period={Published}", $"the goal {goalTitle} is linked");

        // The chart: an image with a title and a description in words, one marker per published outcome.
        var svg = Regex.Match(html, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline).Value;
        svg.ShouldContain("role=\"img\"");
        var title = Regex.Match(svg, "<title id=\"(\\w+)\">([^<]+)</title>");
        var desc = Regex.Match(svg, "<desc id=\"(\\w+)\">([^<]+)</desc>");
        svg.ShouldContain($"aria-labelledby=\"{title.Groups[1].Value} {desc.Groups[1].Value}\"");
        WebUtility.HtmlDecode(title.Groups[2].Value).ShouldBe(indicator.Name);
        var said = WebUtility.HtmlDecode(desc.Groups[2].Value);
        said.ShouldContain($"{outcomes.Count} utfall från Helår {outcomes[0].PeriodKey} till Helår {outcomes[^1].PeriodKey}");
        said.ShouldContain($"det senaste {Figure(outcomes[^1].Value)}");
        Regex.Count(svg, "<circle").ShouldBe(outcomes.Count);

        // The table: one row per period with the same outcome, women, men and target; "Källa: Kolada" on Kolada's values.
        var rows = Rows(html);
        rows.Count.ShouldBe(outcomes.Count);
        foreach (var (outcome, row) in outcomes.Zip(rows))
        {
            var target = indicator.Targets.SingleOrDefault(t => t.PeriodKey == outcome.PeriodKey)?.Value;
            var value = outcome.Source == ValueSource.Kolada ? $"{Figure(outcome.Value)} Källa: Kolada" : Figure(outcome.Value);
            row.ShouldBe([$"Helår {outcome.PeriodKey}", value, Figure(outcome.ValueWomen), Figure(outcome.ValueMen), Figure(target)]);
        }

        Regex.Count(text, "Källa: Kolada").ShouldBe(outcomes.Count(o => o.Source == ValueSource.Kolada));
        outcomes.ShouldContain(o => o.Source == ValueSource.Manual);
        html.ShouldContain("<th scope=\"col\" class=\"num\">Kvinnor</th>");
        text.ShouldNotContain("919");

        // Up to an earlier published period: the later outcomes are left out.
        var before = Text(await PageAsync(anonymous, $"/p/{Slug}/indikator/{indicator.Id}?period=2024-T3"));
        before.ShouldContain($"Helår {outcomes[0].PeriodKey}");
        before.ShouldNotContain("Helår 2025");

        var other = await OtherTenantAsync(app);
        foreach (var missing in new[] { $"/p/{Slug}/indikator/{indicator.Id}?period={Unpublished}", $"/p/{Slug}/indikator/{Guid.NewGuid()}",
                     $"/p/{Slug}/indikator/{other.Indicator}", $"/p/annan/indikator/{indicator.Id}" })
        {
            (await anonymous.GetAsync(missing)).StatusCode.ShouldBe(HttpStatusCode.NotFound, missing);
        }
    }

    private static string Figure(decimal? value) => Kedja.Web.Portal.PortalHtml.Figure(value);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Embeds_may_be_framed_by_the_municipalitys_own_sites_only_and_every_other_page_still_refuses_framing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, environment: "Production");
        var chosen = await ChooseAsync(app);
        var anonymous = app.CreateClient();
        string[] embeds = [$"/p/{Slug}/inbaddning/mal/{chosen.Goal}", $"/p/{Slug}/inbaddning/malkort/{chosen.Owner}", $"/p/{Slug}/inbaddning/indikator/{chosen.Indicator}"];
        string[] pages = [$"/p/{Slug}", $"/p/{Slug}/mal/{chosen.Goal}", $"/p/{Slug}/enhet/{chosen.Owner}", $"/p/{Slug}/indikator/{chosen.Indicator}"];

        async Task Refused(string url)
        {
            var response = await anonymous.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldBe(SecurityHeadersMiddleware.ContentSecurityPolicy, url);
            response.Headers.GetValues("X-Frame-Options").ShouldHaveSingleItem().ShouldBe("DENY", url);
        }

        // No sites set: nobody may frame anything.
        foreach (var url in embeds.Concat(pages))
        {
            await Refused(url);
        }

        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Tenants.SingleAsync(t => t.Slug == Slug)).EmbedOrigins = ["https://www.exempelkommun.se", "http://intranat.exempelkommun.se:8080", "x; script-src *"];
            await db.SaveChangesAsync();
        }

        foreach (var url in embeds)
        {
            var response = await anonymous.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldBe(
                "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors https://www.exempelkommun.se http://intranat.exempelkommun.se:8080", url);
            response.Headers.Contains("X-Frame-Options").ShouldBeFalse(url);
            response.Headers.Contains("Set-Cookie").ShouldBeFalse(url);
            html.ShouldContain("<html lang=\"sv\">");
            html.ShouldNotContain("<header");
            html.ShouldNotContain("<nav");
            html.ShouldMatch("<a href=\"/p/exempelkommun/(mal|enhet|indikator)/[0-9a-f-]+\\?period=2026-T1\" target=\"_blank\" rel=\"noopener\">Källa: Exempelkommun – se mer</a>");
        }

        foreach (var url in pages)
        {
            await Refused(url);
        }

        // An embed that is not there is refused like any other answer.
        var missing = await anonymous.GetAsync($"/p/{Slug}/inbaddning/mal/{chosen.Goal}?period={Unpublished}");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Headers.GetValues("X-Frame-Options").ShouldHaveSingleItem().ShouldBe("DENY");
        (await anonymous.GetAsync($"/p/{Slug}/inbaddning/indikator/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/p/{Slug}/inbaddning/malkort/{chosen.Owner}?period=2099")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_embed_shows_what_its_page_shows_for_the_same_period(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var chosen = await ChooseAsync(app);
        var anonymous = app.CreateClient();

        var goal = Text(await PageAsync(anonymous, $"/p/{Slug}/mal/{chosen.Goal}?period=2025-T2"));
        var goalEmbed = Text(await PageAsync(anonymous, $"/p/{Slug}/inbaddning/mal/{chosen.Goal}?period=2025-T2"));
        var (label, explanation) = await StatusAsync(anonymous, chosen.Owner, chosen.Goal, "2025-T2");
        foreach (var text in new[] { goal, goalEmbed })
        {
            text.ShouldContain($"Läget T2 2025: {label}");
            text.ShouldContain(explanation);
        }

        var card = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{Slug}/periods/2025-T2/scorecard?unitId={chosen.Owner}");
        var cardEmbed = await PageAsync(anonymous, $"/p/{Slug}/inbaddning/malkort/{chosen.Owner}?period=2025-T2");
        foreach (var g in ScorecardJson.Goals(card))
        {
            Links(cardEmbed).ShouldContain($"/p/{Slug}/mal/{g.GetProperty("id").GetGuid()}?period=2025-T2");
            Text(cardEmbed).ShouldContain(Flat($"{g.GetProperty("title").GetString()} {g.GetProperty("status").GetProperty("label").GetString()}"));
        }

        var indicatorPage = await PageAsync(anonymous, $"/p/{Slug}/indikator/{chosen.Indicator}?period=2025-T2");
        var indicatorEmbed = await PageAsync(anonymous, $"/p/{Slug}/inbaddning/indikator/{chosen.Indicator}?period=2025-T2");
        string Figures(string html) => Regex.Replace(Regex.Match(html, "<svg class=\"chart\".*?</table>", RegexOptions.Singleline).Value, "d[0-9a-f]{8}", "id");
        Figures(indicatorEmbed).ShouldNotBeEmpty();
        Figures(indicatorEmbed).ShouldBe(Figures(indicatorPage));
    }

    /// <summary>Only an origin goes into the embeds' policy: anything else could add a directive or open framing to all.</summary>
    [Theory]
    [InlineData("https://www.kil.se", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("https://*.kil.se", true)]
    [InlineData("https://kil.se/", false)]
    [InlineData("https://kil.se/sida", false)]
    [InlineData("kil.se", false)]
    [InlineData("https://kil.se\n", false)]
    [InlineData("https://kil.se; script-src *", false)]
    [InlineData("'self'", false)]
    [InlineData("*", false)]
    [InlineData("https://*", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://användare@kil.se", false)]
    public void An_embed_origin_is_a_scheme_a_host_and_perhaps_a_port(string value, bool origin) =>
        SecurityHeadersMiddleware.IsOrigin(value).ShouldBe(origin, value);
}
