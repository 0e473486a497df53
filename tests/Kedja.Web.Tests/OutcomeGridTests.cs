using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>A redaktör reports a unit's outcomes for a period in the grid, in a real browser.</summary>
[Collection(Browser.Collection)]
public sealed class OutcomeGridTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;


    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    private static async Task<decimal?> ValueAsync(KedjaApp app, Guid indicatorId, string key)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Outcomes.Where(o => o.IndicatorId == indicatorId && o.PeriodKey == key).Select(o => o.Value).SingleOrDefaultAsync();
        }
    }

    private static string Flat(string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [BrowserFact]
    public async Task An_editor_saves_outcomes_with_a_decimal_comma_is_told_what_is_wrong_and_sees_another_persons_newer_value()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var library = await UnitAsync(app, "Biblioteket");
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);

        var grid = $"/k/{Slug}/utfall/{library}?period=2026-T2";
        await page.GotoAsync(grid);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Utfall: Biblioteket");
        await Browser.ScreenshotAsync(page, "utfall");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the grid");
        var first = page.Locator("input.figure").First;
        var indicatorId = Guid.Parse((await page.Locator("input[name='Rows[0].IndicatorId']").GetAttributeAsync("value"))!);
        var key = (await page.Locator("input[name='Rows[0].PeriodKey']").GetAttributeAsync("value"))!;
        var before = await ValueAsync(app, indicatorId, key);

        // Not a number: the field says so, what was typed stays, nothing is saved.
        await first.FillAsync("tolv");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await page.Locator(".field-error").First.InnerTextAsync()).ShouldBe("Skriv ett tal, t.ex. 12,5.");
        (await first.InputValueAsync()).ShouldBe("tolv");
        (await first.GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await ValueAsync(app, indicatorId, key)).ShouldBe(before);
        await Browser.ScreenshotAsync(page, "utfall-fel");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the grid with an error");

        // Every error in one round: a value outside the plausible range is named beside the one that is no number.
        var secondId = Guid.Parse((await page.Locator("input[name='Rows[1].IndicatorId']").GetAttributeAsync("value"))!);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            await db.Indicators.Where(i => i.Id == secondId).ExecuteUpdateAsync(u => u.SetProperty(i => i.PlausibleMax, 10m));
        }

        await page.Locator("input.figure").Nth(1).FillAsync("999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        var said = await page.Locator(".field-error").AllInnerTextsAsync();
        said.ShouldContain("Skriv ett tal, t.ex. 12,5.");
        said.ShouldContain(m => m.StartsWith("Värdet 999 ligger utanför det rimliga för indikatorn (högst 10).", StringComparison.Ordinal));
        await page.GotoAsync(grid);

        // A Swedish figure: spaces between thousands, a decimal comma.
        await first.FillAsync("1 234,5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 utfall sparade.");
        (await ValueAsync(app, indicatorId, key)).ShouldBe(1234.5m);
        (await first.InputValueAsync()).ShouldBe("1234,5");

        // The unit's scorecard shows it at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Till enhetens målkort" }).ClickAsync();
        Flat(await page.Locator("main").InnerTextAsync()).ShouldContain("1 234,5");

        // Two people at the same grid: the second save is refused, shows the first person's value, keeps what was typed.
        var other = await browser.PageAsync(app);
        await Browser.SignInAsync(other, email, password);
        await page.GotoAsync(grid);
        await other.GotoAsync(grid);
        await other.Locator("input.figure").First.FillAsync("77");
        await other.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await other.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 utfall sparade.");

        await first.FillAsync("88");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await page.Locator(".field-error").First.InnerTextAsync()).ShouldContain("Någon annan har sparat");
        (await page.Locator(".theirs").First.InnerTextAsync()).ShouldStartWith("Nu sparat: 77 av " + email);
        (await first.InputValueAsync()).ShouldBe("88");
        (await ValueAsync(app, indicatorId, key)).ShouldBe(77m);
        await Browser.ScreenshotAsync(page, "utfall-konflikt");

        // Having seen theirs, saving again makes one's own stand.
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 utfall sparade.");
        (await ValueAsync(app, indicatorId, key)).ShouldBe(88m);
    }

    [BrowserFact]
    public async Task An_editor_reads_but_cannot_save_outside_their_units_and_a_reader_nowhere()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var library = await UnitAsync(app, "Biblioteket");
        var pool = await UnitAsync(app, "Badhuset");
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);

        await page.GotoAsync($"/k/{Slug}/utfall/{pool}?period=2026-T2");
        (await page.Locator("input.figure").CountAsync()).ShouldBe(0);
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Du kan läsa utfallen men inte ändra dem.");

        // A post made by hand to the other unit's grid (with a valid antiforgery token from the own grid) saves nothing.
        await page.GotoAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");
        var form = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector('form[method=post]:not(.inline)')))");
        var indicator = (await app.DbFor(Slug).Db.Indicators.Where(i => i.OwnerUnitId == pool).Select(i => new { i.Id, i.Periodicity }).ToListAsync())
            .First(i => i.Periodicity == Domain.Periods.PeriodKind.Tertial);
        form["Rows[0].IndicatorId"] = indicator.Id.ToString();
        form["Rows[0].Value"] = "999";
        form["Rows[0].Original"] = "";
        var response = await page.APIRequest.PostAsync($"/k/{Slug}/utfall/{pool}?period=2026-T2", new() { Form = FormOf(page, form) });
        // The batch rules answer a row outside the editor's units as that row's error (as for an import), not with 403.
        response.Status.ShouldBe(400);
        (await response.TextAsync()).ShouldContain(Indicators.OutcomeRecording.OutsideScope);
        (await ValueAsync(app, indicator.Id, "2026-T2")).ShouldNotBe(999m);

        var reader = await app.MemberAsync(Slug, TenantRole.Reader);
        var readerPage = await browser.PageAsync(app);
        await Browser.SignInAsync(readerPage, reader.Email, reader.Password);
        await readerPage.GotoAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");
        (await readerPage.Locator("input.figure").CountAsync()).ShouldBe(0);
    }

    private static IFormData FormOf(IPage page, Dictionary<string, string> values)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in values)
        {
            form.Set(name, value);
        }

        return form;
    }
}
