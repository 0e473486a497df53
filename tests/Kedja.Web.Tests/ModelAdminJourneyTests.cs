using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// A new municipality set up in the browser: the system administrator creates it from the Kumla template, reads and
/// changes its model, adds a unit, sets a deadline and invites the first administrator; axe-core on every page.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ModelAdminJourneyTests(Browser browser)
{
    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} ({page.Url})");
    }

    private static async Task SavedAsync(IPage page, string text = "Ändringen är sparad.") =>
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain(text);

    [BrowserFact]
    public async Task A_system_administrator_creates_a_municipality_from_the_Kumla_template_shapes_its_model_and_organisation_and_invites_its_administrator()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ny kommun" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Ny kommun");
        await NoViolationsAsync(page, "ny-kommun");

        // A wrong kommunkod is refused beside its field, in Swedish; what was typed stays.
        await page.GetByLabel("Kommunens namn").FillAsync("Kumla kommun");
        await page.GetByLabel("Kommunkod").FillAsync("18");
        await page.GetByLabel("Mandatperiodens första år").FillAsync("2027");
        await page.Locator("input[value='vision-nio-mal']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa kommunen" }).ClickAsync();
        (await page.Locator("#fel-kommunkod").InnerTextAsync()).ShouldBe("Kommunkoden ska vara fyra siffror, t.ex. 1780.");
        (await page.GetByLabel("Kommunens namn").InputValueAsync()).ShouldBe("Kumla kommun");
        await NoViolationsAsync(page, "ny-kommun-fel");
        await page.GetByLabel("Kommunkod").FillAsync("1881");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa kommunen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/k/kumla-kommun\\?klart=kommun-skapad$"));
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Att göra");
        (await page.Locator("p.done").InnerTextAsync()).ShouldStartWith("Kommunen är skapad.");

        // The model, as every member reads it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Styrmodell", Exact = true }).ClickAsync();
        var main = await page.Locator("main").InnerTextAsync();
        main.ShouldContain("Vision och nio politiska mål");
        main.ShouldContain("Demokrati och delaktighet");
        main.ShouldContain("Förslaget räknas fram ur andelen uppfyllt underlag: Uppfyllt från 75\u00a0%, Delvis uppfyllt från 40\u00a0%; annars Ej uppfyllt.");
        await NoViolationsAsync(page, "styrmodell");

        await page.GetByRole(AriaRole.Link, new() { Name = "Namn, vision och år" }).ClickAsync();
        await NoViolationsAsync(page, "styrmodell-andra");
        await page.GetByLabel("Vision").FillAsync("Kumla – där alla kan växa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara", Exact = true }).ClickAsync();
        await SavedAsync(page);

        // A dimension renamed.
        await page.GotoAsync("/k/kumla-kommun/styrmodell/perspektiv");
        await NoViolationsAsync(page, "styrmodell-perspektiv");
        var row = page.GetByRole(AriaRole.Form, new() { Name = "Ändra Kultur och fritid" });
        await row.GetByLabel("Namn").FillAsync("Kultur, fritid och idrott");
        await row.GetByRole(AriaRole.Button, new() { Name = "Spara Kultur och fritid" }).ClickAsync();
        await SavedAsync(page);
        (await page.GetByRole(AriaRole.Form, new() { Name = "Ändra Kultur, fritid och idrott" }).CountAsync()).ShouldBe(1);

        await page.GotoAsync("/k/kumla-kommun/styrmodell/nivaer");
        await NoViolationsAsync(page, "styrmodell-nivaer");
        await page.GotoAsync("/k/kumla-kommun/styrmodell/skala");
        await NoViolationsAsync(page, "styrmodell-skala");

        // A deadline: one before the period ends is refused beside the field; a right one is kept.
        await page.GotoAsync("/k/kumla-kommun/styrmodell/kalender");
        await NoViolationsAsync(page, "styrmodell-kalender");
        await page.GetByLabel("Sista dag att rapportera för T1 2027").FillAsync("2027-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara sista dag för T1 2027" }).ClickAsync();
        (await page.Locator(".field-error").InnerTextAsync()).ShouldContain("kan inte vara före periodens slut (2027-04-30)");
        await NoViolationsAsync(page, "styrmodell-kalender-fel");
        await page.GetByLabel("Sista dag att rapportera för T1 2027").FillAsync("2027-05-25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara sista dag för T1 2027" }).ClickAsync();
        await SavedAsync(page);
        (await page.GetByLabel("Sista dag att rapportera för T1 2027").InputValueAsync()).ShouldBe("2027-05-25");

        // A unit under the council; its own page and its scorecard.
        await page.GotoAsync("/k/kumla-kommun/organisation");
        await NoViolationsAsync(page, "organisation");
        await page.GetByLabel("Ligger under").SelectOptionAsync(new SelectOptionValue { Label = "Kommunfullmäktige" });
        await page.GetByLabel("Namn", new() { Exact = true }).FillAsync("Kultur- och fritidsnämnden");
        await page.GetByLabel("Typ").SelectOptionAsync(new SelectOptionValue { Label = "Nämnd" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till enheten" }).ClickAsync();
        await SavedAsync(page, "Enheten är tillagd.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ändra Kultur- och fritidsnämnden" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Kultur- och fritidsnämnden");
        await NoViolationsAsync(page, "organisation-enhet");
        await page.GetByLabel("Kortnamn").FillAsync("KFN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara enheten" }).ClickAsync();
        await SavedAsync(page, "Enheten är sparad.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Målkort för Kultur- och fritidsnämnden" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/malkort/[0-9a-f-]+$"));
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Kultur- och fritidsnämnden");

        // The first administrator of the new municipality is invited.
        await page.GotoAsync("/k/kumla-kommun/behorigheter");
        await page.GetByLabel("E-postadress").FillAsync("controller@kumla.example");
        await page.GetByLabel("Roll").SelectOptionAsync(new SelectOptionValue { Label = "Administratör" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Bjud in" }).ClickAsync();
        await SavedAsync(page, "controller@kumla.example har fått en roll i kommunen.");
    }
}
