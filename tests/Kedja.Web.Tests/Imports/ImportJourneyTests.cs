using System.Globalization;
using System.Text;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// An editor in the browser: downloads the template, fills it (saved as CSV, as Excel in Sweden does, with a typing
/// error), sees the preview name the error and import nothing, fixes the file and imports it.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ImportJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    [BrowserFact]
    public async Task An_editor_downloads_the_template_sees_the_error_in_the_preview_fixes_it_and_imports()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var committee = await OutcomeImportTests.UnitAsync(app, "Kultur- och fritidsnämnden");
        var library = await OutcomeImportTests.IndicatorAsync(app, "Besök på biblioteket per invånare");
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, committee);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);
        await page.GotoAsync($"/k/{Slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Importera", Exact = true }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Importera utfall");
        await Browser.ScreenshotAsync(page, "import");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the import page");

        await page.GetByLabel("Enhet").SelectOptionAsync(committee.ToString());
        await page.GetByLabel("År").SelectOptionAsync("2026");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Hämta mallen (.xlsx)" }).ClickAsync());
        download.SuggestedFilename.ShouldBe("Kedja-mall Kultur- och fritidsnämnden 2026.xlsx");
        var template = Path.Combine(Path.GetTempPath(), $"kedja-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(template);
        var table = ImportReader.Read(download.SuggestedFilename, await File.ReadAllBytesAsync(template)).Table!;
        File.Delete(template);

        // Saved from Excel as "CSV (semikolonavgränsad)": Windows-1252, decimal comma. 2026-T3 of the library gets a typo first.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        byte[] Saved(string typed)
        {
            var lines = new List<string> { string.Join(';', table.Header) };
            lines.AddRange(table.Lines.Select(l => string.Join(';', table.Header.Select((h, c) =>
                h == "Utfall" && l[table.Header.ToList().IndexOf("Indikator-id")].Text == library.Id.ToString() && l[table.Header.ToList().IndexOf("Period")].Text == "2026-T3"
                    ? typed
                    : l[c].Number is { } n ? n.ToString(CultureInfo.GetCultureInfo("sv-SE")) : l[c].Text))));
            return Encoding.GetEncoding(1252).GetBytes(string.Join("\r\n", lines) + "\r\n");
        }

        var wrong = Path.Combine(Path.GetTempPath(), "utfall-kfn.csv");
        await File.WriteAllBytesAsync(wrong, Saved("1,4x"));
        await page.GetByLabel("Fil", new() { Exact = true }).SetInputFilesAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kontrollera filen" }).ClickAsync();
        await page.Locator("#sammanfattning").WaitForAsync(new() { Timeout = 30_000 });
        var problems = await page.Locator("table.import-problems").InnerTextAsync();
        problems.ShouldContain("”1,4x” är inte ett tal.");
        problems.ShouldContain("Utfall");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Filen har 1 fel och kan inte importeras. Inget har sparats.");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Importera" }).CountAsync()).ShouldBe(0);
        await Browser.ScreenshotAsync(page, "import-fel");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on a preview with an error");

        await File.WriteAllBytesAsync(wrong, Saved("1,4"));
        await page.GetByRole(AriaRole.Link, new() { Name = "← Importera utfall" }).ClickAsync();
        await page.GetByLabel("Fil", new() { Exact = true }).SetInputFilesAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kontrollera filen" }).ClickAsync();
        await page.Locator("#sammanfattning").WaitForAsync(new() { Timeout = 30_000 });
        (await page.Locator("ul.import-counts").InnerTextAsync()).ShouldContain("1 med nya värden");
        (await page.Locator("table.import-rows").InnerTextAsync()).ShouldContain("Nytt");
        await Browser.ScreenshotAsync(page, "import-klar-att-importera");
        await page.GetByRole(AriaRole.Button, new() { Name = "Importera" }).ClickAsync();
        await page.Locator("#tillstand", new() { HasText = "Importerad" }).WaitForAsync(new() { Timeout = 30_000 });
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Importen är klar. Rader med nya värden: 1.");
        await Browser.ScreenshotAsync(page, "import-importerad");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on an imported file's page");
        File.Delete(wrong);

        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Outcomes.Where(o => o.IndicatorId == library.Id && o.PeriodKey == "2026-T3").Select(o => o.Value).SingleAsync()).ShouldBe(1.4m);
        }
    }
}
