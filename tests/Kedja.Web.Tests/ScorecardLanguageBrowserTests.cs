using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>The scorecard's fulfilment per perspective and its explanations in a real browser, in both languages, axe-core clean.</summary>
[Collection(Browser.Collection)]
public sealed class ScorecardLanguageBrowserTests(Browser browser)
{
    [BrowserFact]
    public async Task The_committees_scorecard_counts_its_goals_per_perspective_and_explains_them_in_the_chosen_language()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid committee;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            committee = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
        }

        var page = await browser.PageAsync(app);
        await page.GotoAsync($"/k/{DemoTenant.Slug}/malkort/{committee}?period=2026-T2");
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, $"/malkort/{committee}");

        // The table beside the chart counts every goal of the card once, in the row of its perspective.
        var section = page.Locator("section.fulfilment");
        (await section.Locator("svg[role=img] desc").TextContentAsync()).ShouldNotBeNullOrWhiteSpace();
        var goals = await page.Locator("article.goal").CountAsync();
        goals.ShouldBeGreaterThan(0);
        var totals = await section.Locator("tbody tr td:last-child").AllTextContentsAsync();
        totals.Sum(int.Parse).ShouldBe(goals);
        foreach (var row in await section.Locator("tbody tr").AllAsync())
        {
            var cells = (await row.Locator("td").AllTextContentsAsync()).Select(int.Parse).ToList();
            cells[..^1].Sum().ShouldBe(cells[^1]);
        }

        await Browser.ScreenshotAsync(page, "scorecard-fulfilment-sv");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the scorecard with its fulfilment chart");
        var swedish = await page.Locator("p.explanation").First.InnerTextAsync();
        swedish.ShouldContain(" av ");

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.Locator("section.fulfilment h2", new() { HasText = "Goal fulfilment" }).WaitForAsync();
        var english = await page.Locator("p.explanation").First.InnerTextAsync();
        english.ShouldNotBe(swedish);
        english.ShouldContain(" of ");
        english.ShouldNotContain(" av ");
        (await page.Locator("section.fulfilment thead").InnerTextAsync()).ShouldNotContain("uppfyllt", Case.Insensitive);
        await Browser.ScreenshotAsync(page, "scorecard-fulfilment-en");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the scorecard in English");
    }
}
