using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>A form with several errors at once in a real browser (ADR 28): each beside its field, axe-core clean, and the saved page saying so.</summary>
[Collection(Browser.Collection)]
public sealed class FormRoundBrowserTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} ({page.Url})");
    }

    [BrowserFact]
    public async Task An_editor_sees_an_unreadable_progress_and_the_rules_errors_of_an_activity_together_and_then_that_it_was_saved()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library, goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library && g.Title == "Biblioteket når fler barn och unga").Select(g => g.Id).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var editor = await browser.PageAsync(app);
        await Browser.SignInAsync(editor, email, password);
        await editor.GotoAsync($"/k/{Slug}/aktivitet/ny?mal={goal}");
        await editor.GetByLabel("Aktivitet", new() { Exact = true }).FillAsync("Bokcirkel för unga");
        await editor.GetByLabel("Hör till").SelectOptionAsync("");
        await editor.GetByLabel("Startdatum").FillAsync("2026-09-01");
        await editor.GetByLabel("Slutdatum").FillAsync("2026-05-01");
        await editor.GetByLabel("Framdrift (%)").FillAsync("mycket");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara aktiviteten" }).ClickAsync();
        await editor.Locator("#fel-progress").WaitForAsync();

        (await editor.Locator("#fel-progress").InnerTextAsync()).ShouldBe("Ange framdriften som ett heltal, 0-100.");
        (await editor.Locator("#fel-endDate").InnerTextAsync()).ShouldBe("Slutdatum kan inte vara före startdatum.");
        (await editor.Locator("#fel-goalId").CountAsync()).ShouldBe(1, "the missing goal or program in the same round");
        (await editor.GetByLabel("Framdrift (%)").GetAttributeAsync("aria-describedby"))!.ShouldContain("fel-progress");
        (await editor.GetByLabel("Framdrift (%)").InputValueAsync()).ShouldBe("mycket");
        (await editor.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("Rätta det som är markerat och spara igen.");
        await AccessibleAsync(editor, "formular-flera-fel");

        await editor.GetByLabel("Hör till").SelectOptionAsync($"m:{goal}");
        await editor.GetByLabel("Slutdatum").FillAsync("2026-12-31");
        await editor.GetByLabel("Framdrift (%)").FillAsync("10");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara aktiviteten" }).ClickAsync();
        await editor.WaitForURLAsync(new Regex($"/mal/{goal}\\?klart=aktivitet-skapad$"));
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Aktiviteten är sparad.");
        await AccessibleAsync(editor, "formular-sparat");
    }
}
