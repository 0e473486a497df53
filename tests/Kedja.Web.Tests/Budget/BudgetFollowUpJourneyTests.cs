using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Budget;

/// <summary>
/// Budget in follow-up in the browser: an editor reports a forecast over the frame with its comment, the administrator
/// finds the unit under "Över budget utan förklaring" on the start page, the editor explains the deviation (an empty
/// explanation is refused beside its field), and the scorecard shows the budget card with the explanation and who gave
/// it. axe-core on every page and state.
/// </summary>
[Collection(Browser.Collection)]
public sealed class BudgetFollowUpJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name}");
    }

    [BrowserFact]
    public async Task A_forecast_over_budget_shows_on_the_start_page_until_it_is_explained_and_the_scorecard_shows_the_explanation()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid kfn;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            kfn = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, kfn);
        var editor = await browser.PageAsync(app);
        await Browser.SignInAsync(editor, email, password);
        await editor.GotoAsync($"/k/{Slug}/budget/{kfn}?ar=2026");
        // The demo's October forecast period has a report form of its own; this journey reports T3.
        var t3 = editor.GetByRole(AriaRole.Region, new() { Name = "Rapportera T3" });
        await t3.GetByLabel("Utfall hittills i år (tkr)").FillAsync("50 000");
        await t3.GetByLabel("Helårsprognos (tkr)").FillAsync("70 100");
        await t3.GetByLabel("Kommentar till prognosen").FillAsync("Fler elever i kulturskolan än beräknat.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara T3 2026" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Utfall och prognos är sparade.");
        (await editor.Locator("table.budget tbody tr", new() { HasText = "T3 2026" }).InnerTextAsync()).ShouldContain("-1\u00a0200 tkr (underskott)");
        (await editor.Locator("main").InnerTextAsync()).ShouldContain("Kommentar till prognosen: Fler elever i kulturskolan än beräknat.");
        await AccessibleAsync(editor, "budget-prognos-over");

        // The administrator's start page lists the unit, linked to its budget page.
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GotoAsync($"/k/{Slug}");
        var over = admin.Locator("section[aria-labelledby='over-budget']");
        (await over.Locator("h2").InnerTextAsync()).ShouldBe("Över budget utan förklaring");
        (await over.Locator("tr", new() { HasText = "Kultur- och fritidsnämnden" }).InnerTextAsync()).ShouldContain("-1\u00a0200 tkr (underskott)");
        await AccessibleAsync(admin, "start-over-budget");
        foreach (var width in new[] { 1366, 320 })
        {
            await admin.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(admin, $"start-over-budget-{width}");
        }

        await admin.SetViewportSizeAsync(1280, 900);

        // The editor explains: an empty explanation is refused beside its field, then the explanation is saved.
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara förklaringen" }).ClickAsync();
        (await editor.Locator("#fel-explanation").InnerTextAsync()).ShouldBe("Skriv förklaringen till avvikelsen mot budget.");
        await AccessibleAsync(editor, "budget-forklaring-fel");
        await editor.GetByLabel("Varför avviker prognosen från ramen?").FillAsync("Kulturskolan tog emot 40 fler elever; nämnden begär tilläggsanslag.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara förklaringen" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Förklaringen är sparad.");
        (await editor.Locator("main").InnerTextAsync()).ShouldContain($"Förklaring till avvikelsen: Kulturskolan tog emot 40 fler elever; nämnden begär tilläggsanslag. (förklarat av {email}");
        await AccessibleAsync(editor, "budget-forklarad");
        foreach (var width in new[] { 1366, 320 })
        {
            await editor.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(editor, $"budget-forklarad-{width}");
        }

        // Off the start page; on the scorecard, with who explained.
        await admin.GotoAsync($"/k/{Slug}");
        (await admin.Locator("section[aria-labelledby='over-budget'] tr", new() { HasText = "Kultur- och fritidsnämnden" }).CountAsync()).ShouldBe(0);
        await admin.GotoAsync($"/k/{Slug}/malkort/{kfn}?period=2026-T3");
        var card = await admin.Locator("section.budget-card").InnerTextAsync();
        card.ShouldContain("Budget 2026");
        card.ShouldContain("68\u00a0900 tkr");
        card.ShouldContain("70\u00a0100 tkr");
        card.ShouldContain("-1\u00a0200 tkr (underskott)");
        card.ShouldContain("Kulturskolan tog emot 40 fler elever");
        card.ShouldContain($"förklarat av {email}");
        await AccessibleAsync(admin, "malkort-budget");
        foreach (var width in new[] { 1366, 320 })
        {
            await admin.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(admin, $"malkort-budget-{width}");
        }
    }
}
