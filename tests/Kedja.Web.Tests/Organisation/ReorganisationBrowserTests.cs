using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Organisation;

/// <summary>An administrator merges two units from next New Year's Day in a real browser, axe-core clean, and last year's card stays as it was.</summary>
[Collection(Browser.Collection)]
public sealed class ReorganisationBrowserTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty(name);
    }

    [BrowserFact]
    public async Task An_administrator_merges_two_units_from_new_year_and_reads_last_years_scorecard_unchanged()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var admin = await app.ClientAsync();
        var units = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/units")).EnumerateArray().ToList();
        var library = units.Single(u => u.GetProperty("name").GetString() == "Biblioteket").GetProperty("id").GetGuid();
        var cardBefore = await admin.GetStringAsync($"/api/v1/tenants/{Slug}/units/{library}/scorecard?periodKey=2026-T2");
        var titles = ScorecardJson.Goals(JsonDocument.Parse(cardBefore).RootElement).Select(g => g.GetProperty("title").GetString()!).ToList();
        titles.ShouldNotBeEmpty();

        var page = await browser.PageAsync(app);
        await page.GotoAsync($"/k/{Slug}/organisation/omorganisationer");
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/organisation/omorganisationer");
        // The demo plans one merger of its own (the home-care units); nothing touches the library yet.
        var listed = await page.Locator("main").InnerTextAsync();
        listed.ShouldContain("Hemtjänst norr och Hemtjänst söder slås ihop till Hemtjänsten");
        listed.ShouldNotContain("Biblioteket");
        await NoViolationsAsync(page, "omorganisationer");

        await page.GetByRole(AriaRole.Link, new() { Name = "Planera en omorganisation" }).ClickAsync();
        await page.WaitForURLAsync("**/omorganisationer/ny");
        await page.GetByLabel("Namn på omorganisationen").FillAsync("Kultur och fritid samlas");
        await page.GetByLabel("Gäller från och med").FillAsync("2027-01-01");
        await page.GetByLabel("Biblioteket", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Nytt namn").FillAsync("Kultur och fritid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planera och visa förslag till koppling" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        // One unit is not a merge: said beside the units, in Swedish, and nothing planned.
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Välj minst två olika enheter att slå ihop.");
        await NoViolationsAsync(page, "omorganisation-fel");
        await page.GetByLabel("Badhuset", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Planera och visa förslag till koppling" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/omorganisationer/[0-9a-f-]{36}$"));
        var main = await page.Locator("main").InnerTextAsync();
        main.ShouldContain("Biblioteket och Badhuset slås ihop till Kultur och fritid");
        foreach (var title in titles)
        {
            main.ShouldContain(title);
        }

        await NoViolationsAsync(page, "omorganisation-koppling");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bekräfta omorganisationen" }).ClickAsync();
        await page.WaitForURLAsync("**klart=bekraftad");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Omorganisationen är bekräftad.");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Bekräftad");

        // Planned changes show on the organisation page; last year's card reads as before.
        await page.GotoAsync($"/k/{Slug}/organisation");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Från 2027-01-01: Biblioteket och Badhuset slås ihop till Kultur och fritid");
        await NoViolationsAsync(page, "organisation-planerad");
        await page.GotoAsync($"/k/{Slug}/malkort/{library}?period=2026-T2");
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Biblioteket");
        var card = await page.Locator("main").InnerTextAsync();
        foreach (var title in titles)
        {
            card.ShouldContain(title);
        }

        await NoViolationsAsync(page, "malkort-fore-omorganisationen");
        (await admin.GetStringAsync($"/api/v1/tenants/{Slug}/units/{library}/scorecard?periodKey=2026-T2")).ShouldBe(cardBefore);
    }
}
