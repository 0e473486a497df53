using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Forecasts;

/// <summary>
/// A unit's editor forecasts the year in the outcome grid with a comment, sees it with its status on the scorecard and
/// on the goal page, and says the goal's assessment rests on it; every page free of axe-core violations at 1366 and 320 px.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ForecastJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task NoViolationsAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1366, 320 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(page, $"{name}-{width}");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} at {width} px ({page.Url})");
        }

        await page.SetViewportSizeAsync(1366, 900);
    }

    private static string Flat(string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [BrowserFact]
    public async Task An_editor_forecasts_the_year_in_the_grid_and_sees_it_on_the_scorecard_and_in_the_assessment()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library;
        Guid indicator;
        string goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            var first = await db.Indicators.Where(i => i.OwnerUnitId == library && i.GoalId != null).OrderBy(i => i.SortOrder).ThenBy(i => i.Name).FirstAsync();
            (indicator, goal) = (first.Id, await db.Goals.Where(g => g.Id == first.GoalId).Select(g => g.Title).SingleAsync());
            await db.Targets.Where(t => t.IndicatorId == indicator && t.PeriodKey == "2026").ExecuteDeleteAsync();
            db.Targets.Add(new Domain.Indicators.IndicatorTarget { IndicatorId = indicator, PeriodKey = "2026", Value = 2m });
            await db.SaveChangesAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);
        await page.GotoAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");
        (await page.GetByRole(AriaRole.Heading, new() { Name = "Helårsprognos 2026" }).CountAsync()).ShouldBe(1);
        var row = page.Locator("tr", new() { Has = page.Locator($"input[name$='.IndicatorId'][value='{indicator}']") }).Last;
        var value = row.Locator("input[name$='.Value']");
        var comment = row.Locator("textarea");

        // Not a number: said beside the field, nothing saved.
        await value.FillAsync("ett och sex");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await row.Locator(".field-error").InnerTextAsync()).ShouldBe("Skriv ett tal, t.ex. 12,5.");
        (await value.InputValueAsync()).ShouldBe("ett och sex");
        await NoViolationsAsync(page, "prognos-fel");

        await value.FillAsync("1,6");
        await comment.FillAsync("Sommarens läsutmaning nådde färre än väntat.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 prognos sparad.");
        (await value.InputValueAsync()).ShouldBe("1,6");
        Flat(await row.InnerTextAsync()).ShouldContain("Prognos: uppfylls delvis, 1,6 antal mot målet 2 antal");
        await NoViolationsAsync(page, "prognos-utfall");

        // The scorecard: the forecast beside the outcome, with its status as colour, symbol and text, and the comment.
        await page.GetByRole(AriaRole.Link, new() { Name = "Till enhetens målkort" }).ClickAsync();
        var table = page.Locator("table.indicators", new() { Has = page.GetByRole(AriaRole.Columnheader, new() { Name = "Prognos helår" }) }).First;
        var line = table.Locator("tr", new() { Has = page.Locator(".forecast") }).First;
        Flat(await line.InnerTextAsync()).ShouldContain("1,6");
        var cell = line.Locator("td", new() { Has = page.Locator(".forecast") });
        (await cell.Locator(".status").InnerTextAsync()).ShouldContain("Delvis uppfyllt");
        (await cell.Locator(".status svg circle").GetAttributeAsync("fill")).ShouldNotBeNullOrEmpty();
        (await line.InnerTextAsync()).ShouldContain("Sommarens läsutmaning nådde färre än väntat.");
        await NoViolationsAsync(page, "prognos-malkort");

        // The goal page shows the outcome so far, the forecast, the year's target and last year together.
        await page.GotoAsync($"/k/{Slug}/mal/{await GoalIdAsync(app, goal)}?period=2026-T2");
        Flat(await page.Locator("main").InnerTextAsync()).ShouldContain("Prognos: uppfylls delvis, 1,6 antal mot målet 2 antal");
        await NoViolationsAsync(page, "prognos-mal");

        // The assessment may rest on the forecast, and the scorecard says so.
        await page.GotoAsync($"/k/{Slug}/bedomning/{await GoalIdAsync(app, goal)}?period=2026-T2");
        await page.GetByLabel("Bedömningen bygger på helårsprognosen").CheckAsync();
        await NoViolationsAsync(page, "prognos-bedomning");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/malkort/", StringComparison.Ordinal));
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Bedömningen bygger på helårsprognosen.");
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var goalId = await db.Goals.Where(g => g.Title == goal).Select(g => g.Id).SingleAsync();
            (await db.Assessments.Where(a => a.GoalId == goalId && db.Periods.Any(p => p.Id == a.PeriodId && p.Key == "2026-T2")).Select(a => a.BasedOnForecast).SingleAsync())
                .ShouldBeTrue();
        }
    }

    private static async Task<Guid> GoalIdAsync(KedjaApp app, string title)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Goals.Where(g => g.Title == title).Select(g => g.Id).SingleAsync();
        }
    }
}
