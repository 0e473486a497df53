using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Deque.AxeCore.Commons;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Every page of the app, as the app itself lists them, in Swedish and in English: axe-core finds nothing, no text is a
/// resource key shown for want of its translation, and the English interface has no Swedish word left. A page added
/// later is visited without anyone adding it here; one whose route needs an id nobody supplies fails the test.
/// </summary>
[Collection(Browser.Collection)]
public sealed partial class EveryPageTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private const string CultureCookie = ".AspNetCore.Culture";

    /// <summary>What a key shown instead of its text looks like: "Goal.Title", "Scorecard.Reason".</summary>
    [GeneratedRegex(@"(?<![\w.@/-])[A-Z][A-Za-z0-9]+(?:\.[A-Z][A-Za-z0-9]*)+(?![\w.-])")]
    private static partial Regex ResourceKey();

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("[åäöÅÄÖ]")]
    private static partial Regex SwedishLetter();

    /// <summary>
    /// Common words of a Swedish interface without å, ä or ö (those are caught by the letters themselves), for texts
    /// written into a page rather than taken from the resources.
    /// </summary>
    private static readonly string[] SwedishWords =
        ["och", "att", "inte", "eller", "med", "till", "som", "det", "ett", "en", "av", "alla", "Spara", "Avbryt", "Visa", "Enhet", "Enheter", "Utfall",
         "Tillbaka", "Skapa", "Namn", "Rubrik", "Beskrivning", "Indikator", "Indikatorer", "Aktivitet", "Aktiviteter", "Uppfyllt", "Uppdatera", "Ny", "Nytt", "Nya",
         "Inga", "Ingen", "Inget", "Redigera", "Styrmodell", "Kommun", "Skicka", "Logga", "Kod", "Typ", "Kalender", "Nivå", "Skala", "Perspektiv", "Klar", "Godkänn", "Lås"];

    /// <summary>
    /// Who visits a page: a person signed in as the system administrator (who may open every page of every tenant and
    /// create tenants), or nobody (sign-in, forgotten password, set password).
    /// </summary>
    private sealed record Visit(string Route, string Url, bool SignedIn);

    [BrowserFact]
    public async Task Every_page_in_Swedish_and_in_English_has_no_accessibility_violation_and_no_untranslated_text()
    {
        var clock = Stopwatch.StartNew();
        // Kolada as a fake on 127.0.0.1, so that the comparison page shows a comparison (chart, tables, suggestions).
        await using var kolada = await Kedja.Kolada.Tests.FakeKolada.StartAsync();
        Kolada.BenchmarkingTests.Fill(kolada);
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true,
            settings: new Dictionary<string, string?> { ["Kedja:Kolada:BaseUrl"] = kolada.BaseUrl });
        var admin = await app.ClientAsync();
        // The portal's assignments and internal control pages exist only while the municipality publishes them.
        await PublicReadTests.SwitchAsync(admin, true, true);
        var values = await ParameterValuesAsync(app);
        var invited = $"{Guid.NewGuid():N}@test.kedja";
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/members", new { email = invited, role = "reader" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var code = KedjaApp.LinkSecret((await app.WaitForMailsAsync(invited)).Single());
        // Query strings a page needs to show what it is for: the set-password page the form of a real invitation.
        var queries = new Dictionary<string, string>
        {
            ["/konto/losenord"] = $"?kod={Uri.EscapeDataString(code)}",
            ["/k/{slug}/mal/ny"] = $"?enhet={values["unitId"]}",
            ["/k/{slug}/indikator/ny"] = $"?mal={values["goalId"]}",
            ["/k/{slug}/indikator/{indicatorId:guid}/jamforelse"] = "?grupp=G1",
        };
        var tenantData = TenantData([await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/export"),
            .. Templates.ModelTemplates.Keys.Select(k => JsonSerializer.SerializeToElement(Templates.ModelTemplates.Build(k, "mall", "Mall", null, 2027))),
            // Report templates are the municipality's, named as its reports are: in Swedish.
            JsonSerializer.SerializeToElement(Kedja.Web.Reports.ReportTemplates.Defaults),
            // Kedja's default risk scale is the municipality's until it saves its own: its labels and categories are Swedish.
            JsonSerializer.SerializeToElement(Domain.InternalControl.RiskScale.Default()),
            // The finance import's proposed budget lines and the CSV twin's column names are Swedish in both languages.
            JsonSerializer.SerializeToElement(Kedja.Web.Imports.Finance.FinanceMappings.ProposedAccounts),
            JsonSerializer.SerializeToElement(Kedja.Web.Imports.Finance.FinanceImports.CsvColumns),
            // Kolada's names of municipalities, groups and key figures are Swedish in both languages.
            JsonSerializer.SerializeToElement(Kolada.BenchmarkingTests.KoladaTexts)]);

        var visits = new List<Visit>();
        var missing = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                     .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is PageActionDescriptor)
                     .DistinctBy(e => e.RoutePattern.RawText).OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var url = RouteParameter().Replace(route, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : $"{{{m.Groups[1].Value}}}");
            if (url.Contains('{', StringComparison.Ordinal))
            {
                missing.Add(route);
                continue;
            }

            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && endpoint.Metadata.GetMetadata<ITenantAccessMetadata>() is null;
            visits.Add(new Visit(route, url + queries.GetValueOrDefault(route, ""), !anonymous));
        }

        missing.ShouldBeEmpty("routes with a parameter this test has no demo value for: add one to ParameterValuesAsync");
        visits.Count.ShouldBeGreaterThan(30);

        var english = Resources("Texts.en.resx");
        var resources = Resources("Texts.resx").Keys.Concat(english.Keys).ToHashSet(StringComparer.Ordinal);
        // A Swedish text that is also English ("Budget"), or that the English texts name ("an en-word"), tells nothing.
        var englishWords = english.Values.SelectMany(v => Regex.Split(v, @"[^\w-]+")).SelectMany(w => w.Split('-').Append(w)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var swedish = SwedishWordsRegex(BrowserJourneyTests.SwedishOnly().Concat(SwedishWords).Where(w => !englishWords.Contains(w)));
        var (axeTime, loadTime) = (TimeSpan.Zero, TimeSpan.Zero);
        var checkedAddresses = new HashSet<(string, string)>();
        var findings = new List<string>();
        var signedOut = await browser.PageAsync(app);
        var signedIn = await browser.PageAsync(app);
        var axe = new BundledAxeScriptProvider().GetScript();
        await signedOut.Context.AddInitScriptAsync(axe);
        await signedIn.Context.AddInitScriptAsync(axe);
        await Browser.SignInAsync(signedIn, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        foreach (var language in new[] { "sv", "en" })
        {
            foreach (var page in new[] { signedOut, signedIn })
            {
                await page.Context.AddCookiesAsync([new() { Name = CultureCookie, Value = $"c=sv-SE|uic={language}", Url = app.ServerAddress.ToString() }]);
            }

            foreach (var visit in visits)
            {
                // The public portal is Swedish whatever the visitor chose inside Kedja (ADR 41): checked in Swedish only.
                if (language == "en" && visit.Route.StartsWith("/p/", StringComparison.Ordinal))
                {
                    continue;
                }

                var page = visit.SignedIn ? signedIn : signedOut;
                var loading = Stopwatch.StartNew();
                var response = await page.GotoAsync(visit.Url);
                loadTime += loading.Elapsed;
                var where = $"{language} {visit.Route} ({page.Url})";
                if (response?.Status != 200)
                {
                    findings.Add($"{where}: answered {response?.Status}");
                    continue;
                }

                (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe(language, where);
                if (language == "en")
                {
                    await Browser.ScreenshotAsync(page, "varje-sida-" + language + visit.Route.Replace('/', '-').Replace("{", "").Replace("}", "").Replace(':', '_'));
                }

                var checking = Stopwatch.StartNew();
                // A page that only sends on (sign-out, language) ends on one checked already: once per address and language.
                if (checkedAddresses.Add((language, page.Url)))
                {
                    var violations = await page.EvaluateAsync<string[]>(AxeScript);
                    findings.AddRange(violations.Select(v => $"{where}: {v}"));
                }

                axeTime += checking.Elapsed;
                var found = await page.EvaluateAsync<JsonElement>(TextsScript);
                var texts = new Texts(found.GetProperty("all").GetString()!, [.. found.GetProperty("chrome").EnumerateArray().Select(t => t.GetString() ?? "")]);
                findings.AddRange(ResourceKey().Matches(texts.All).Select(m => m.Value).Where(key => resources.Contains(key) || key.Split('.').Length == 2).Distinct()
                    .Select(key => $"{where}: shows the key {key} instead of its text"));
                if (language == "en")
                {
                    // The tenant's own texts are cut out only where something Swedish was seen: most texts have none.
                    bool Swedish(string text) => SwedishLetter().IsMatch(text) || swedish.IsMatch(text);
                    foreach (var chrome in texts.Chrome.Where(Swedish).Select(t => Without(t, tenantData)).Where(Swedish).Distinct())
                    {
                        findings.Add($"{where}: Swedish in the English interface: \"{chrome.Trim()}\"");
                    }
                }
            }
        }

        Console.WriteLine($"{visits.Count} pages in two languages in {clock.Elapsed.TotalSeconds:0} s (loading {loadTime.TotalSeconds:0} s, axe-core {axeTime.TotalSeconds:0} s)");
        // The check bites: an image without a text alternative, put on the last page, is a violation.
        await signedIn.EvaluateAsync("() => document.querySelector('main').append(document.createElement('img'))");
        (await signedIn.EvaluateAsync<string[]>(AxeScript)).ShouldContain(v => v.StartsWith("image-alt", StringComparison.Ordinal));
        findings.ShouldBeEmpty(string.Join("\n", findings));
    }

    /// <summary>
    /// axe-core's rules as <see cref="Browser.AccessibilityAsync"/> runs them (every rule on by default, any impact),
    /// from the script each page of the context loaded with it: handing the script over at each check took ten times as
    /// long as the check (2.5 s against 0.1–0.3 s a page).
    /// </summary>
    private const string AxeScript = """
        async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
          .map(v => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.map(n => n.target.join(' ')).join(' | ')}`)
        """;

    private sealed record Texts(string All, string[] Chrome);

    /// <summary>
    /// Everything a person reads or hears on the page (text, labels for assistive technology, chart descriptions), and
    /// apart from it the interface's own words: headings, labels, legends, table headers, buttons, navigation. The
    /// engine's explanation of a status is left out of the English check: it is written in Swedish by the engine.
    /// </summary>
    private const string TextsScript = """
        () => {
          const attributes = [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt],input[type=submit][value],input[type=button][value]')]
            .flatMap(e => ['aria-label', 'title', 'placeholder', 'alt', 'value'].filter(a => e.hasAttribute(a) && (a !== 'value' || e.type === 'submit' || e.type === 'button')).map(a => e.getAttribute(a)));
          const svg = [...document.querySelectorAll('svg title, svg desc, title')].map(e => e.textContent);
          const all = [document.body.innerText, ...attributes, ...svg].join('\n');
          const chrome = [...document.querySelectorAll('h1, h2, h3, h4, label, legend, th, button, caption, summary, dt, nav, header, footer, option, input[type=submit]')]
            .filter(e => !e.closest('.explanation'))
            .map(e => e.tagName === 'INPUT' ? e.value : e.innerText)
            .concat([...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')), [document.title]);
          return { all, chrome };
        }
        """;

    /// <summary>An id from the demo tenant for each route parameter of the app's pages.</summary>
    private static async Task<Dictionary<string, string>> ParameterValuesAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            var goal = await db.Goals.Where(g => g.OwnerUnitId == library && db.Indicators.Any(i => i.GoalId == g.Id)).Select(g => g.Id).FirstAsync();
            // The committee over the library: it has a budget frame, goals and indicators of its own.
            var committee = await db.Units.Where(u => u.Kind == Domain.Organisation.UnitKind.Committee && db.BudgetFrames.Any(b => b.UnitId == u.Id)).Select(u => u.Id).FirstAsync();
            var job = await Reports.ReportPageTests.FinishedJobAsync(db, committee);
            var import = await Imports.OutcomeImportTests.CheckedImportAsync(app);
            // A risk for the risk's page, when the demo's register has none.
            var risk = await db.Risks.Select(r => (Guid?)r.Id).FirstOrDefaultAsync();
            if (risk is null)
            {
                var added = new Domain.InternalControl.Risk { Number = 1, UnitId = committee, Title = "Felaktiga utbetalningar", FirstYear = 2026 };
                db.Risks.Add(added);
                await db.SaveChangesAsync();
                risk = added.Id;
            }

            return new()
            {
                ["slug"] = Slug,
                ["unitId"] = committee.ToString(),
                ["goalId"] = goal.ToString(),
                // One linked to Kolada: its comparison page has something to compare, and its form shows the Kolada fields.
                ["indicatorId"] = (await db.Indicators.Where(i => i.GoalId != null && i.KoladaKpiId == "N09803").Select(i => i.Id).SingleAsync()).ToString(),
                ["activityId"] = (await db.Activities.Where(a => a.GoalId != null).Select(a => a.Id).FirstAsync()).ToString(),
                ["programId"] = (await db.Programs.Select(p => p.Id).FirstAsync()).ToString(),
                ["assignmentId"] = (await AssignmentFlow.AssignmentApiTests.SomeAssignmentAsync(app)).ToString(),
                ["documentId"] = (await db.Documents.Select(d => d.Id).FirstAsync()).ToString(),
                ["jobId"] = job.ToString(),
                ["importId"] = import.ToString(),
                ["riskId"] = risk.Value.ToString(),
                ["reorganisationId"] = (await Organisation.ReorganisationTests.SomeReorganisationAsync(app)).ToString(),
                ["entity"] = nameof(Domain.Goals.Goal),
                ["id"] = goal.ToString(),
                ["key"] = "tertialrapport",
                ["periodKey"] = "2026-T2",
                ["year"] = "2026",
                ["actionId"] = (await InternalControl.ControlPlanPageTests.SomeControlActionAsync(db, committee)).ToString(),
            };
        }
    }

    /// <summary>
    /// Every text the tenant wrote itself (unit names, goal titles, scale names ...), from its exported document, and the
    /// templates' texts a new tenant starts from: those stay Swedish in English. Longest first, so that a name is cut out
    /// whole before a shorter one inside it.
    /// </summary>
    private static List<string> TenantData(IEnumerable<JsonElement> documents)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                case JsonValueKind.String when element.GetString()?.Trim() is { Length: >= 3 } text && !Guid.TryParse(text, out _):
                    // Whole, and sentence by sentence: a page may show only a description's first sentence.
                    texts.Add(text);
                    texts.UnionWith(text.Split(". ").Select(sentence => sentence.Trim()).Where(sentence => sentence.Length >= 3));
                    break;
            }
        }

        foreach (var document in documents)
        {
            Collect(document);
        }

        return [.. texts.OrderByDescending(t => t.Length)];
    }

    private static string Without(string text, List<string> tenantData) =>
        tenantData.Aggregate(text, (rest, data) => rest.Contains(data, StringComparison.Ordinal) ? rest.Replace(data, " ", StringComparison.Ordinal) : rest);

    private static Regex SwedishWordsRegex(IEnumerable<string> words) =>
        new($"(?<!\\w)(?:{string.Join("|", words.Distinct().OrderByDescending(w => w.Length).Select(Regex.Escape))})(?!\\w)");

    private static Dictionary<string, string> Resources(string file) =>
        XDocument.Load(Path.Combine(BrowserJourneyTests.ResourceFolder(), file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
}
