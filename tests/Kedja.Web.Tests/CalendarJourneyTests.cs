using System.Net.Http.Json;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// The calendar in the browser (issue 16): an administrator of a municipality with a delår and an annual report moves
/// the delår to April and adds a forecast in October, and sees it in the calendar with its deadline.
/// </summary>
[Collection(Browser.Collection)]
public sealed class CalendarJourneyTests(Browser browser)
{
    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} ({page.Url})");
    }

    [BrowserFact]
    public async Task An_administrator_chooses_April_for_the_delar_and_adds_a_forecast_in_October_with_its_deadline()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true);
        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "delar", name = "Delårs kommun", template = Templates.ModelTemplates.Heby, firstYear = 2026 })).EnsureSuccessStatusCode();
        var (email, password) = await app.MemberAsync("delar", TenantRole.Admin);

        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);
        await page.GotoAsync("/k/delar/styrmodell/kalender");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Uppföljningskalender");
        (await page.GetByRole(AriaRole.Rowheader, new() { Name = "Delår 2026" }).CountAsync()).ShouldBe(1);
        await NoViolationsAsync(page, "kalenderredigering");

        await page.GetByLabel("Delåret slutar med").SelectOptionAsync("4");
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Spara månaden" }).ClickAsync());
#pragma warning restore CS0612
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Delåret slutar nu med april.");
        (await page.Locator("#p-2026-D04 th").InnerTextAsync()).ShouldStartWith("Delår jan–apr 2026");
        (await page.Locator("#sista-2026-D04").InputValueAsync()).ShouldBe("2026-05-20");
        await NoViolationsAsync(page, "kalenderredigering-delar-april");

        await page.GetByLabel("Prognostillfälle", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("År", new() { Exact = true }).SelectOptionAsync("2026");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Månad", Exact = true }).SelectOptionAsync("10");
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Lägg till", Exact = true }).ClickAsync());
#pragma warning restore CS0612
        page.Url.ShouldContain("klart=true#p-2026-P10");
        var row = page.Locator("#p-2026-P10");
        (await row.Locator("th").InnerTextAsync()).ShouldContain("Prognos oktober 2026");
        (await row.Locator("th").InnerTextAsync()).ShouldContain("Prognostillfälle: bara prognoser, inga utfall.");

        // The deadline follows the nearest period with one: the annual report's 45 days, at the same distance from its end.
        (await row.Locator("#sista-2026-P10").InputValueAsync()).ShouldBe("2026-12-15");
        var (scope, db) = app.DbFor("delar");
        using (scope)
        {
            (await db.Periods.SingleAsync(p => p.Key == "2026-P10")).Deadline.ShouldBe(new DateOnly(2026, 12, 15));
        }

        await page.SetViewportSizeAsync(1366, 900);
        await NoViolationsAsync(page, "kalenderredigering-prognos-1366");
        await page.SetViewportSizeAsync(320, 800);
        await NoViolationsAsync(page, "kalenderredigering-prognos-320");
    }
}
