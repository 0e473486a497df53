using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// Each of the five templates has an example municipality with a public portal (issue 13, ADR 43): made from the
/// template, with goals on its own levels, published follow-ups the public sees and a later one with data it does not.
/// </summary>
public sealed partial class TemplateExamplePortalTests
{
    /// <summary>The latest published follow-up and the later, unpublished one of each example, by the template's calendar.</summary>
    private static readonly Dictionary<string, (string Latest, string LatestName, string Unpublished)> Periods = new()
    {
        [ModelTemplates.Kil] = ("2025", "Helår 2025", "2026-D"),
        [ModelTemplates.Kumla] = ("2026-T1", "T1 2026", "2026-T2"),
        [ModelTemplates.Karlskoga] = ("2026-T1", "T1 2026", "2026-T2"),
        [ModelTemplates.Heby] = ("2025", "Helår 2025", "2026-D"),
        [ModelTemplates.Hagfors] = ("2026-T1", "T1 2026", "2026-T2"),
    };

    private static readonly Dictionary<string, string?> Seeding = new() { ["Kedja:Demo:Seed"] = "false", ["Kedja:Demo:Examples"] = "true" };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_template_s_example_has_a_public_portal_with_its_published_results_and_nothing_later(string provider)
    {
        // An empty database with the examples switched on, as a demo installation starts.
        await using var app = await KedjaApp.StartAsync(provider, settings: Seeding);
        var admin = await app.ClientAsync();
        var anonymous = app.CreateClient();
        var tenants = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants");
        tenants.EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldBe(TemplateExamples.Slugs, ignoreOrder: true);

        foreach (var template in ModelTemplates.List())
        {
            var slug = TemplateExamples.SlugFor(template.Key);
            var (latest, latestName, unpublished) = Periods[template.Key];

            // The model is the template's: its perspectives or areas and its levels, each of them used.
            var model = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/model"))[0];
            model.GetProperty("templateKey").GetString().ShouldBe(template.Key);
            Names(model.GetProperty("dimensions")).ShouldBe(template.Dimensions, slug);
            Names(model.GetProperty("levels")).ShouldBe(template.Levels, slug);
            var vision = model.GetProperty("vision").GetString()!;
            vision.Length.ShouldBeGreaterThan(20, slug);
            var goals = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/goals");
            var levelsUsed = goals.EnumerateArray().Select(g => g.GetProperty("levelId").GetGuid()).ToHashSet();
            model.GetProperty("levels").EnumerateArray().ShouldAllBe(l => levelsUsed.Contains(l.GetProperty("id").GetGuid()), $"{slug}: a goal on every level");

            // Published follow-ups up to the latest, and a later one with data that is not published.
            var periods = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/periods")).EnumerateArray().ToList();
            var published = periods.Where(p => p.GetProperty("isPublished").GetBoolean()).OrderBy(p => p.GetProperty("endDate").GetString(), StringComparer.Ordinal)
                .Select(p => p.GetProperty("key").GetString()!).ToList();
            published.Count.ShouldBeGreaterThanOrEqualTo(2, slug);
            published[^1].ShouldBe(latest, slug);
            published.ShouldNotContain(unpublished);

            // The council's scorecard of the latest published follow-up, as the administration sees it.
            var units = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units");
            var council = units.EnumerateArray().Single(u => u.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetGuid();
            var card = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units/{council}/scorecard?periodKey={latest}");
            var councilGoals = ScorecardJson.Goals(card).Select(g => (Title: g.GetProperty("title").GetString()!, Status: g.GetProperty("status").GetProperty("label").GetString()!)).ToList();
            councilGoals.Count.ShouldBeGreaterThanOrEqualTo(4, slug);
            councilGoals.ShouldAllBe(g => g.Status != "Ej bedömt", $"{slug}: every council goal is assessed in {latest}");

            // The portal shows the vision and each council goal with that status, without signing in.
            var page = await anonymous.GetAsync($"/p/{slug}");
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            page.StatusCode.ShouldBe(HttpStatusCode.OK, slug);
            html.ShouldContain($"Mål och resultat i {TemplateExamples.NameFor(template.Key)}");
            html.ShouldContain(vision);
            html.ShouldContain($"målen {latestName}");
            var items = ListItem().Matches(html).Select(m => Tags().Replace(m.Groups[1].Value, "")).ToList();
            foreach (var (title, status) in councilGoals)
            {
                items.ShouldContain(i => i.Contains(title) && i.Contains(status), $"{slug}: {title} – {status}");
            }

            (await anonymous.GetAsync($"/p/{slug}?period={published[0]}")).StatusCode.ShouldBe(HttpStatusCode.OK, slug);
            (await anonymous.GetAsync($"/p/{slug}?period={unpublished}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{slug}: {unpublished} is not published");

            // Its own data passes the document validator and makes a municipality again through the importer.
            var exported = await admin.GetStringAsync($"/api/v1/tenants/{slug}/export");
            var doc = JsonSerializer.Deserialize<TenantDocument>(exported, app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options)!;
            TenantDocumentValidator.Validate(doc).ShouldBeEmpty(slug);
            var copy = await admin.PostAsync($"/api/v1/tenants/import?slug={slug}-kopia", new StringContent(exported, Encoding.UTF8, "application/json"));
            copy.StatusCode.ShouldBe(HttpStatusCode.Created, await copy.Content.ReadAsStringAsync());

            // The later follow-up has outcomes and assessments of its own, which only the administration sees.
            doc.Outcomes.ShouldContain(o => IsWithin(o.PeriodKey, unpublished), $"{slug}: outcomes in {unpublished}");
            doc.Assessments.ShouldContain(a => a.PeriodKey == unpublished, slug);

            // Real-looking content: measures with targets, some from Kolada, assessed with analyses, activities, Agenda 2030.
            doc.Indicators.ShouldContain(i => i.KoladaKpiId != null && i.Source == ValueSource.Kolada, slug);
            doc.Outcomes.ShouldContain(o => o.Source == ValueSource.Kolada, slug);
            doc.Indicators.Where(i => i.Direction != Direction.Neutral).ShouldAllBe(i => i.Targets.Count > 0, slug);
            doc.Assessments.ShouldContain(a => a.PeriodKey == latest && a.Actions != null, $"{slug}: actions where a goal is not met");
            doc.Assessments.Where(a => a.PeriodKey == latest).ShouldAllBe(a => !string.IsNullOrWhiteSpace(a.Analysis), slug);
            doc.Assessments.Where(a => a.PeriodKey == latest && a.DeviatesFromRule).ShouldHaveSingleItem(slug).Motivation.ShouldNotBeNullOrWhiteSpace(slug);
            doc.Activities.Count.ShouldBeGreaterThanOrEqualTo(4, slug);
            doc.Goals.ShouldContain(g => g.Agenda2030.Count > 0, slug);
            doc.Tenant.Kommunkod.ShouldBeNull($"{slug} is no real municipality");
        }

        // Kil's strategic goals have strategies and operational targets; Kumla's nämnder use seven areas and report in programs;
        // Karlskoga's company follows up once a year; Heby steers with documents and budget frames.
        var kil = await ExportAsync(app, admin, ModelTemplates.Kil);
        kil.Goals.Where(g => g.Contributes.Count == 0).ShouldAllBe(g => g.Strategies.Count >= 2);
        kil.Indicators.SelectMany(i => i.Targets).ShouldAllBe(t => t.Note != null && t.Note.StartsWith("Operativt mål för "));
        var kumla = await ExportAsync(app, admin, ModelTemplates.Kumla);
        kumla.Goals.Count(g => g.OwnerUnitId == kumla.Units.Single(u => u.ParentId == null).Id).ShouldBe(9);
        kumla.Activities.Count(a => a.ProgramId != null).ShouldBeGreaterThanOrEqualTo(2);
        var karlskoga = await ExportAsync(app, admin, ModelTemplates.Karlskoga);
        var company = karlskoga.Units.Single(u => u.Kind == Domain.Organisation.UnitKind.Company).Id;
        karlskoga.Assessments.Where(a => karlskoga.Goals.Single(g => g.Id == a.GoalId).OwnerUnitId == company).Select(a => a.PeriodKey).ShouldBe(["2024-T3", "2025-T3"]);
        karlskoga.Indicators.ShouldContain(i => i.IsBasicMission);
        var heby = await ExportAsync(app, admin, ModelTemplates.Heby);
        heby.Documents.Select(d => d.Kind).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        heby.Budget.ShouldNotBeEmpty();
        heby.Goals.ShouldAllBe(g => g.Agenda2030.Count > 0);
    }

    [Fact]
    public async Task The_verb_adds_the_examples_that_are_missing_and_then_nothing()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true);
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = app.Provider.ToString(), ["ConnectionStrings:Kedja"] = app.ConnectionString, ["Kedja:Demo:Seed"] = "false",
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        (await Kedja.Web.Cli.Verbs.RunAsync(["seed-examples"], output, error, settings)).ShouldBe(0, error.ToString());
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldBe(TemplateExamples.Slugs);
        error.ToString().ShouldStartWith("Skapade 5 av 5 exempelkommuner på ");

        using var again = new StringWriter();
        using var againError = new StringWriter();
        (await Kedja.Web.Cli.Verbs.RunAsync(["seed-examples"], again, againError, settings)).ShouldBe(0);
        again.ToString().ShouldBeEmpty();
        againError.ToString().Trim().ShouldBe("Alla exempelkommuner finns redan; inget skapades.");

        // Beside the demo municipality, which is untouched.
        var admin = await app.ClientAsync();
        var slugs = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants")).EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ToList();
        slugs.ShouldBe([DemoTenant.Slug, .. TemplateExamples.Slugs], ignoreOrder: true);
        (await app.CreateClient().GetAsync($"/p/{TemplateExamples.SlugFor(ModelTemplates.Hagfors)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Development", null, null, true)]
    [InlineData("Production", null, null, false)]
    [InlineData("Production", "true", null, true)]
    [InlineData("Development", null, "false", false)]
    [InlineData("Production", "false", "true", true)]
    public void The_examples_come_with_the_demo_unless_told_otherwise(string environment, string? seed, string? examples, bool expected)
    {
        var options = new DemoOptions { Seed = seed is null ? null : bool.Parse(seed), Examples = examples is null ? null : bool.Parse(examples) };
        options.ExamplesIn(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment }).ShouldBe(expected);
    }

    private static async Task<TenantDocument> ExportAsync(KedjaApp app, HttpClient admin, string template) =>
        JsonSerializer.Deserialize<TenantDocument>(await admin.GetStringAsync($"/api/v1/tenants/{TemplateExamples.SlugFor(template)}/export"),
            app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options)!;

    /// <summary>Whether an outcome's period ends within the follow-up (a T2 outcome belongs to the interim report).</summary>
    private static bool IsWithin(string outcomeKey, string periodKey) =>
        Domain.Periods.PeriodRef.Parse(periodKey).PeriodsEndingWithin().Any(p => p.Key == outcomeKey)
        && Domain.Periods.PeriodRef.Parse(outcomeKey).End > Domain.Periods.PeriodRef.Parse(periodKey).Previous().End;

    private static List<string> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];

    [GeneratedRegex("<li>(.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ListItem();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
