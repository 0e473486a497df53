using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>The history and planning pages in a real browser: reached by their links, read in both languages, axe-core clean.</summary>
[Collection(Browser.Collection)]
public sealed class HistoryAndPlanningBrowserTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty(name);
    }

    [BrowserFact]
    public async Task An_administrator_follows_a_goals_history_and_plans_next_year_with_the_actions_carried_forward()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var admin = await app.ClientAsync();
        var goals = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/goals");
        var goal = goals!.First(g => g!["title"]!.GetValue<string>() == "Biblioteket når fler barn och unga")!.AsObject();
        var id = goal["id"]!.GetValue<Guid>();
        goal["title"] = "Biblioteket når fler barn, unga och äldre";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{id}", goal)).EnsureSuccessStatusCode();
        var assessment = await admin.GetAsync($"/api/v1/tenants/{Slug}/goals/{id}/assessments/2026-T2");
        int? version = assessment.IsSuccessStatusCode ? (await assessment.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>() : null;
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{id}/assessments/2026-T2",
            new { status = "ej-uppfyllt", motivation = "Färre lån.", analysis = "Färre besök.", actions = "Sagostunder på lördagar.", version })).EnsureSuccessStatusCode();

        var page = await browser.PageAsync(app);
        await page.GotoAsync($"/k/{Slug}/mal/{id}");
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, $"/mal/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Hela historiken, med målets strategier, kopplingar och bedömningar" }).ClickAsync();
        await page.WaitForURLAsync($"**/historik/Goal/{id}");
        var history = await page.Locator("main").InnerTextAsync();
        history.ShouldContain("Rubrik");
        history.ShouldContain("Biblioteket når fler barn, unga och äldre");
        history.ShouldContain("Bedömning: lades till");
        await NoViolationsAsync(page, "historik");

        // From the unit's scorecard to the planning of the next year: the open action is there, and is closed.
        await page.GotoAsync($"/k/{Slug}/malkort/{goal["ownerUnitId"]}?period=2026-T2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Planering för 2027" }).ClickAsync();
        await page.WaitForURLAsync("**/planering/**");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Planering 2027: Biblioteket");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Sagostunder på lördagar.");
        await NoViolationsAsync(page, "planering");
        await page.GetByRole(AriaRole.Button, new() { Name = "Markera som genomförd: åtgärderna från T2 2026 för Biblioteket når fler barn, unga och äldre" }).ClickAsync();
        await page.WaitForURLAsync("**stangd=2026-T2**");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("markerade som genomförda");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Sagostunder på lördagar.");
        await NoViolationsAsync(page, "planering-stangd");

        // In English the pages speak English.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.GotoAsync($"/k/{Slug}/historik/Goal/{id}");
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("History");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Title");
        await NoViolationsAsync(page, "history-en");
        await page.GotoAsync($"/k/{Slug}/planering/{goal["ownerUnitId"]}?ar=2027");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Planning 2027: Biblioteket");
        await NoViolationsAsync(page, "planning-en");
    }
}
