using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>The main journeys in a real browser on a real Kestrel server, each page checked by axe-core (WCAG 2.1 AA).</summary>
[Collection(Browser.Collection)]
public sealed class BrowserJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>Fills and sends the sign-in form without waiting for where it leads (for a refused sign-in).</summary>
    private static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
    }

    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} ({page.Url})");
    }

    [BrowserFact]
    public async Task A_person_signs_in_sees_what_to_do_opens_a_scorecard_switches_period_and_signs_out()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var page = await browser.PageAsync(app);

        // Straight to a tenant page: sent to sign in, and back there afterwards.
        await page.GotoAsync($"/k/{Slug}");
        page.Url.ShouldContain("/logga-in?tillbaka=");
        await NoViolationsAsync(page, "logga-in");

        await SubmitSignInAsync(page, KedjaApp.AdminEmail, "fel-lösenord-123");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Fel e-postadress eller lösenord.");
        await NoViolationsAsync(page, "logga-in-fel");

        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, $"/k/{Slug}");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Att göra");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Uppföljning: T2 2026");
        await NoViolationsAsync(page, "att-gora");

        // A unit in the list leads to its scorecard for the period followed up now (the deadlines above link to the next).
        await page.Locator("table[aria-describedby=lage]").GetByRole(AriaRole.Link, new() { Name = "Biblioteket", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/malkort/[0-9a-f-]+\\?period=2026-T2$"));
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Biblioteket");
        var goals = page.Locator("article.goal");
        (await goals.CountAsync()).ShouldBeGreaterThan(0);
        // Status is told in words beside its colour and symbol.
        (await goals.First.Locator(".status").First.InnerTextAsync()).Trim().ShouldNotBeEmpty();
        await NoViolationsAsync(page, "malkort");

        // A goal's own page: the chain, the indicators' history as a chart told in words and as a table.
        await page.GetByRole(AriaRole.Link, new() { Name = "Biblioteket når fler barn och unga", Exact = true }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Biblioteket når fler barn och unga");
        (await page.Locator("#ovan + ul li").CountAsync()).ShouldBeGreaterThan(0);
        var chart = page.Locator("svg.chart").First;
        (await chart.GetAttributeAsync("role")).ShouldBe("img");
        (await chart.Locator("desc").TextContentAsync())!.ShouldContain("utfall från");
        (await page.Locator("section.indicator table tbody tr").CountAsync()).ShouldBeGreaterThan(3);
        await NoViolationsAsync(page, "mal");
        await page.GoBackAsync();

        // Another period, the same unit.
        await page.GetByLabel("Period").SelectOptionAsync("2025-T3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Visa" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("period=2025-T3"));
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Biblioteket");

        // Up the organisation, and the list of every unit.
        await page.Locator(".crumbs a").ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldNotStartWith("Biblioteket");
        await page.GotoAsync($"/k/{Slug}/malkort");
        await NoViolationsAsync(page, "malkort-enheter");

        // The global goals with the municipality's goals under them, and a search in Swedish terms.
        await page.GetByRole(AriaRole.Link, new() { Name = "Agenda 2030", Exact = true }).ClickAsync();
        var agenda = await page.Locator("#g4").Locator("..").InnerTextAsync();
        agenda.ShouldContain("4. God utbildning för alla");
        agenda.ShouldContain("Biblioteket når fler barn och unga");
        await NoViolationsAsync(page, "agenda-2030");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sök", Exact = true }).ClickAsync();
        await page.GetByLabel("Sökord").FillAsync("BIBLIOTEKET NÅR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sök", Exact = true }).ClickAsync();
        (await page.Locator("main ul").First.InnerTextAsync()).ShouldContain("Biblioteket når fler barn och unga");
        await NoViolationsAsync(page, "sok");
        await page.GetByLabel("Sökord").FillAsync("bibliotek nar");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sök", Exact = true }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Biblioteket når fler barn och unga", customMessage: "a is not å in Swedish");

        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync("**/logga-in");
        await page.GotoAsync($"/k/{Slug}");
        page.Url.ShouldContain("/logga-in");
    }

    [BrowserFact]
    public async Task Chosen_English_shows_no_Swedish_word_of_the_interface()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var page = await browser.PageAsync(app);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Sign in");
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("en");

        await page.GetByLabel("Email address").FillAsync(KedjaApp.AdminEmail);
        await page.GetByLabel("Password").FillAsync(KedjaApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/k/{Slug}");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("To do");
        await NoViolationsAsync(page, "att-gora-en");

        var swedish = SwedishOnly();
        // The municipality's own names (a unit called Kommunfullmäktige) are its data, not the interface's words.
        var (scope, db) = app.DbFor(Slug);
        List<string> names;
        using (scope)
        {
            names = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Units.Select(u => u.Name));
            // So are the titles of its assignments, which the start page lists ("Skolornas lokalbehov till 2030").
            names.AddRange(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Assignments.Select(a => a.Title)));
        }

        var text = names.OrderByDescending(n => n.Length).Aggregate(await page.Locator("body").InnerTextAsync(), (t, name) => t.Replace(name, "", StringComparison.Ordinal));
        // Whole words: the English "Programmes" holds the Swedish "Program" without being Swedish.
        swedish.Where(words => Regex.IsMatch(text, $"(?<!\\w){Regex.Escape(words)}(?!\\w)")).ShouldBeEmpty();
        // Figures stay Swedish: a decimal comma, dates in Swedish.
        (await page.Locator("main").InnerTextAsync()).ShouldContain("september 2026");
    }

    /// <summary>The interface's Swedish texts that differ from their English ones (placeholders cut out).</summary>
    internal static List<string> SwedishOnly()
    {
        static Dictionary<string, string> Read(string file) => XDocument.Load(Path.Combine(ResourceFolder(), file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        var sv = Read("Texts.resx");
        var en = Read("Texts.en.resx");
        return [.. sv.Where(p => en.GetValueOrDefault(p.Key) != p.Value)
            .SelectMany(p => Regex.Split(p.Value, "\\{\\d+\\}"))
            .Select(part => part.Trim(' ', '.', ':', '(', ')', '·'))
            .Where(part => part.Length >= 4)];
    }

    internal static string ResourceFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Kedja.slnx")) && !Directory.Exists(Path.Combine(folder.FullName, "src", "Kedja.Web")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder!.FullName, "src", "Kedja.Web", "Ui");
    }
}
