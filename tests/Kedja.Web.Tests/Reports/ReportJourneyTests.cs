using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Reports;

/// <summary>A report in the browser: ordered from the scorecard, waited for on its page (which refreshes itself), downloaded, frozen.</summary>
[Collection(Browser.Collection)]
public sealed class ReportJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    [BrowserFact]
    public async Task An_administrator_orders_a_report_from_the_scorecard_downloads_it_and_freezes_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await page.GotoAsync($"/k/{Slug}/malkort/{library}?period=2026-T2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Skapa rapport" }).ClickAsync();

        // The form starts from the scorecard's unit and period.
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Rapporter");
        (await page.GetByLabel("Enhet", new() { Exact = true }).InputValueAsync()).ShouldBe(library.ToString());
        (await page.GetByLabel("Period", new() { Exact = true }).InputValueAsync()).ShouldBe("2026-T2");
        await Browser.ScreenshotAsync(page, "rapporter");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the reports page");
        await page.GetByLabel("Rapportmall").SelectOptionAsync("malkortsrapport");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Webbsida för utskrift (html)" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Beställ rapporten" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/k/{Slug}/rapporter/[0-9a-f-]{{36}}$"));
        await Browser.ScreenshotAsync(page, "rapport-jobb");

        // The page refreshes itself until the report is done.
        await page.Locator("#tillstand", new() { HasText = "Klar" }).WaitForAsync(new() { Timeout = 60_000 });
        (await page.Locator("meta[http-equiv='refresh']").CountAsync()).ShouldBe(0);
        await Browser.ScreenshotAsync(page, "rapport-klar");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the finished report's page");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Ladda ner") }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"kedja-{Guid.NewGuid():N}.html");
        await download.SaveAsAsync(path);
        var html = await File.ReadAllTextAsync(path);
        File.Delete(path);
        html.ShouldContain("Målkortsrapport");
        html.ShouldContain("Biblioteket");
        download.SuggestedFilename.ShouldEndWith(".html");

        // Freezing asks first.
        await page.GetByRole(AriaRole.Button, new() { Name = "Frys rapporten" }).ClickAsync();
        await Browser.ScreenshotAsync(page, "rapport-frys-fraga");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the freeze question");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, frys rapporten" }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Rapporten är fryst");
        await page.GetByRole(AriaRole.Link, new() { Name = "← Rapporter" }).ClickAsync();
        (await page.Locator("#frysta + p + h3").InnerTextAsync()).ShouldContain("2026");
        await Browser.ScreenshotAsync(page, "rapporter-fryst");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the reports page with a frozen report");
    }
}
