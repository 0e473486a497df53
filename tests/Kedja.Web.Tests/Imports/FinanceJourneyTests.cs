using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// A controller in the browser (issue 16): maps the cost centres, uploads an SIE file, reads the preview, imports it,
/// sees the budget lines the import wrote and the unit's budget page with the frame and outcome; axe-core on each page,
/// screenshots at 1366 and 320 px.
/// </summary>
[Collection(Browser.Collection)]
public sealed class FinanceJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    [BrowserFact]
    public async Task A_controller_maps_uploads_an_sie_file_previews_imports_and_sees_the_budget()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        await FinanceImportTests.ForgetDemoMappingAsync(app);
        Guid ledning, skolor;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var council = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).FirstAsync();
            var a = new OrgUnit { Name = "Förvaltningsledning", ParentId = council, Kind = UnitKind.Unit };
            var b = new OrgUnit { Name = "Skolorna i Ängby", ParentId = council, Kind = UnitKind.Unit };
            db.Units.AddRange(a, b);
            await db.SaveChangesAsync();
            (ledning, skolor) = (a.Id, b.Id);
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Admin);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);

        async Task LookAsync(string name, string what)
        {
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {what}");
            await page.SetViewportSizeAsync(1366, 900);
            await Browser.ScreenshotAsync(page, name + "-1366");
            await page.SetViewportSizeAsync(320, 800);
            await Browser.ScreenshotAsync(page, name + "-320");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {what} at 320 px");
            await page.SetViewportSizeAsync(1280, 900);
        }

        await page.GotoAsync($"/k/{Slug}/import");
        await page.GetByRole(AriaRole.Link, new() { Name = "Budget och utfall från ekonomisystemet (SIE eller CSV) importeras på en egen sida." }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Budget och utfall från ekonomisystemet");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ange kopplingen" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Koppling till ekonomisystemet");
        await LookAsync("ekonomi-koppling", "the mapping page");
        await page.GetByLabel("Ansvar från, rad 1").FillAsync("100");
        await page.GetByLabel("Enhet, rad 1").SelectOptionAsync(ledning.ToString());
        await page.GetByLabel("Ansvar från, rad 2").FillAsync("200");
        await page.GetByLabel("Ansvar till, rad 2").FillAsync("299");
        await page.GetByLabel("Enhet, rad 2").SelectOptionAsync(skolor.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara kopplingen" }).ClickAsync();
        await page.Locator("p.notice", new() { HasText = "Kopplingen är sparad." }).WaitForAsync();

        var file = Path.Combine(Path.GetTempPath(), "bokslut-2026.se");
        await File.WriteAllBytesAsync(file, FinanceImportTests.GoodSie());
        await page.GetByRole(AriaRole.Link, new() { Name = "← Budget och utfall från ekonomisystemet" }).ClickAsync();
        await page.GetByLabel("Fil", new() { Exact = true }).SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kontrollera filen" }).ClickAsync();
        await page.Locator("#sammanfattning").WaitForAsync(new() { Timeout = 30_000 });
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Filen har inga fel. Importera den för att spara budget och utfall.");
        var changes = await page.Locator("table.import-rows").InnerTextAsync();
        changes.ShouldContain("Budgetram (året)");
        changes.ShouldContain("190");
        await LookAsync("ekonomi-forhandsgranskning", "the preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Importera" }).ClickAsync();
        await page.Locator("#tillstand", new() { HasText = "Importerad" }).WaitForAsync(new() { Timeout = 30_000 });
        var budget = await page.Locator("section[aria-labelledby=budget]").InnerTextAsync();
        budget.ShouldContain("Personalkostnader");
        budget.ShouldContain("Förvaltningsledning");
        await LookAsync("ekonomi-importerad", "the imported file's page");

        await page.GetByRole(AriaRole.Link, new() { Name = "Förvaltningsledning" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/budget/{ledning}", StringComparison.Ordinal));
        var main = await page.Locator("main").InnerTextAsync();
        main.ShouldContain("190");
        main.ShouldContain("95");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the unit's budget page");
        await Browser.ScreenshotAsync(page, "ekonomi-budgetsida");

        // The same file again says nothing is new.
        await page.GotoAsync($"/k/{Slug}/ekonomi/import");
        await page.GetByLabel("Fil", new() { Exact = true }).SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kontrollera filen" }).ClickAsync();
        await page.Locator("#sammanfattning").WaitForAsync(new() { Timeout = 30_000 });
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Allt i filen finns redan. En import ändrar inget.");
        File.Delete(file);
    }
}
