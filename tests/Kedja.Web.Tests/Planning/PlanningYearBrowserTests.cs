using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Planning;

/// <summary>Next year's planning in a real browser (issue 16): open next year, accept the proposals, activate; axe-core clean at 1366 and 320 px.</summary>
[Collection(Browser.Collection)]
public sealed class PlanningYearBrowserTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>Screenshots and axe-core at desktop width and on a phone.</summary>
    private static async Task NoViolationsAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1366, 320 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(page, $"{name}-{width}");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"{name} at {width} px");
        }

        await page.SetViewportSizeAsync(1366, 900);
    }

    [BrowserFact]
    public async Task An_administrator_opens_next_year_accepts_the_proposals_and_activates_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        await PlanningYearTests.ForgetDemoDraftAsync(app);
        var next = app.Clock.GetUtcNow().Year + 1;
        var page = await browser.PageAsync(app);
        await page.GotoAsync($"/k/{Slug}/styrmodell");
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/styrmodell");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Planera nästa år ({next})" }).ClickAsync();
        await page.WaitForURLAsync($"**/planeringsar/{next}");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe($"Planering av {next}");
        await NoViolationsAsync(page, "planeringsar-oppna");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Öppna planeringen av {next}" }).ClickAsync();
        await page.GetByLabel($"Förläng styrmodellen").CheckAsync();
        await NoViolationsAsync(page, "planeringsar-val");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara valen" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Valen är sparade.");

        await page.GetByRole(AriaRole.Link, new() { Name = "2. Förslag till målvärden" }).ClickAsync();
        await page.WaitForURLAsync("**/forslag");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Trend från");
        await NoViolationsAsync(page, "planeringsar-forslag");
        await page.GetByRole(AriaRole.Button, new() { Name = "Godta alla förslag som visas" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Målvärdena är sparade.");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("0 av");

        await page.GetByRole(AriaRole.Link, new() { Name = "3. Sammanfattning och aktivering" }).ClickAsync();
        await page.WaitForURLAsync("**/sammanfattning");
        var summary = await page.Locator("main").InnerTextAsync();
        summary.ShouldContain($"förlängs till {next}");
        summary.ShouldContain("Godtagna målvärden:");
        await NoViolationsAsync(page, "planeringsar-sammanfattning");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Aktivera {next}" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe($"{next} är aktiverat.");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Ångra aktiveringen" }).CountAsync()).ShouldBe(1);
        await NoViolationsAsync(page, "planeringsar-aktiverat");
    }
}
