using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Activities and programs in the browser: a unit's editor plans an activity under a goal, reports on it and sees it
/// on the scorecard, and meets a colleague's change; an administrator sets up a program with an activity in it.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ActivityProgramJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;
    private const string Period = "2026-T2";

    /// <summary>Presses a form's button and waits for the answer's page, whichever it is.</summary>
    /// <remarks>Playwright marks the navigation wait obsolete in favour of waiting for a URL, but a refused post answers on the
    /// URL it was sent to, so only the navigation itself tells that the answer has arrived.</remarks>
    private static async Task SubmitAsync(IPage page, string button)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());
#pragma warning restore CS0612
    }

    /// <summary>Where a form sent the browser, or why it stayed.</summary>
    private static async Task ShouldBeAtAsync(IPage page, string pattern) =>
        Regex.IsMatch(page.Url, pattern).ShouldBeTrue($"{page.Url}: {await page.ContentAsync()}");

    private static async Task NoViolationsAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} ({page.Url})");
    }

    [BrowserFact]
    public async Task An_editor_plans_an_activity_under_their_units_goal_reports_progress_sees_it_on_the_scorecard_and_meets_a_colleagues_change()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library, goalId;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goalId = await db.Goals.Where(g => g.OwnerUnitId == library && g.Title == "Biblioteket når fler barn och unga").Select(g => g.Id).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var editor = await browser.PageAsync(app);
        await Browser.SignInAsync(editor, email, password);
        await editor.GotoAsync($"/k/{Slug}/mal/{goalId}?period={Period}");
        await editor.GetByRole(AriaRole.Link, new() { Name = "Ny aktivitet", Exact = true }).ClickAsync();
        (await editor.Locator("h1").InnerTextAsync()).ShouldBe("Ny aktivitet");
        (await editor.GetByLabel("Hör till").InputValueAsync()).ShouldBe($"m:{goalId}");
        await NoViolationsAsync(editor, "aktivitet-ny");

        // A plan the rules refuse is shown with each error beside its field, nothing typed lost: what the form cannot
        // read and what the rules refuse in the same round (ADR 28).
        await editor.GetByLabel("Aktivitet", new() { Exact = true }).FillAsync("Sommarläsning på fritids");
        await editor.GetByLabel("Hör till").SelectOptionAsync("");
        await editor.GetByLabel("Startdatum").FillAsync("2026-09-01");
        await editor.GetByLabel("Slutdatum").FillAsync("2026-05-01");
        await editor.GetByLabel("Framdrift (%)").FillAsync("mycket");
        await SubmitAsync(editor, "Spara aktiviteten");
        (await editor.Locator("#fel-endDate").InnerTextAsync()).ShouldBe("Slutdatum kan inte vara före startdatum.");
        (await editor.Locator("#fel-progress").InnerTextAsync()).ShouldBe("Ange framdriften som ett heltal, 0-100.");
        (await editor.Locator("#fel-goalId").InnerTextAsync()).ShouldBe("En aktivitet hör till antingen ett mål eller ett program.");
        (await editor.GetByLabel("Framdrift (%)").GetAttributeAsync("aria-describedby"))!.ShouldContain("fel-progress");
        (await editor.GetByLabel("Framdrift (%)").InputValueAsync()).ShouldBe("mycket");
        (await editor.GetByLabel("Aktivitet", new() { Exact = true }).InputValueAsync()).ShouldBe("Sommarläsning på fritids");
        await NoViolationsAsync(editor, "aktivitet-ny-fel");

        await editor.GetByLabel("Hör till").SelectOptionAsync($"m:{goalId}");
        await editor.GetByLabel("Startdatum").FillAsync("2026-05-01");
        await editor.GetByLabel("Slutdatum").FillAsync("2026-12-31");
        await editor.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Pågår" });
        await editor.GetByLabel("Framdrift (%)").FillAsync("10");
        await SubmitAsync(editor, "Spara aktiviteten");
        await ShouldBeAtAsync(editor, $"/mal/{goalId}\\?klart=aktivitet-(skapad|sparad)$");
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Aktiviteten är sparad.");
        (await editor.Locator("section.goal-activities").InnerTextAsync()).ShouldContain("Sommarläsning på fritids");

        // The period's report, from the scorecard's row, and back to the scorecard.
        await editor.GotoAsync($"/k/{Slug}/malkort/{library}?period={Period}");
        await editor.GetByRole(AriaRole.Link, new() { Name = "Rapportera: Sommarläsning på fritids" }).ClickAsync();
        (await editor.Locator("h1").InnerTextAsync()).ShouldBe("Rapportera aktiviteten");
        (await editor.Locator("main").InnerTextAsync()).ShouldContain("Rapport för T2 2026");
        await NoViolationsAsync(editor, "aktivitet-rapportera");
        await editor.GetByLabel("Framdrift (%)").FillAsync("40");
        await editor.GetByLabel("Kommentar").FillAsync("Tre träffar i juni med fritidshemmen.");
        await SubmitAsync(editor, "Spara rapporten");
        await ShouldBeAtAsync(editor, $"/malkort/{library}\\?period={Period}");
        var card = await editor.Locator("main").InnerTextAsync();
        card.ShouldContain("Sommarläsning på fritids · Pågår · 40 %");
        card.ShouldContain("Tre träffar i juni med fritidshemmen.");

        // A colleague changes the activity while the editor has it open: the save is refused, nothing typed is lost,
        // and the colleague's value stands beside the editor's.
        await editor.GetByRole(AriaRole.Link, new() { Name = "Ändra: Sommarläsning på fritids" }).ClickAsync();
        (await editor.Locator("h1").InnerTextAsync()).ShouldBe("Ändra aktiviteten");
        await NoViolationsAsync(editor, "aktivitet-andra");
        var admin = await app.ClientAsync();
        var activities = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/activities?goalId={goalId}");
        var theirs = activities!.Single(a => (string)a!["title"]! == "Sommarläsning på fritids")!.AsObject();
        theirs["title"] = "Sommarläsning på alla fritidshem";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/activities/{theirs["id"]}", theirs)).EnsureSuccessStatusCode();

        await editor.GetByLabel("Beskrivning").FillAsync("Högläsning och boktips varje vecka.");
        await SubmitAsync(editor, "Spara ändringarna");
        (await editor.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Någon annan har ändrat aktiviteten");
        (await editor.GetByLabel("Beskrivning").InputValueAsync()).ShouldBe("Högläsning och boktips varje vecka.");
        (await editor.Locator("#theirs-title").InnerTextAsync()).ShouldBe("Sparat av någon annan: Sommarläsning på alla fritidshem");
        await NoViolationsAsync(editor, "aktivitet-konflikt");
        await editor.GetByLabel("Aktivitet", new() { Exact = true }).FillAsync("Sommarläsning på alla fritidshem");
        await SubmitAsync(editor, "Spara ändringarna");
        await ShouldBeAtAsync(editor, $"/mal/{goalId}\\?klart=aktivitet-(skapad|sparad)$");
        (await editor.Locator("section.goal-activities").InnerTextAsync()).ShouldContain("Sommarläsning på alla fritidshem");

        // Removing asks first, and one that has been reported on is kept (set Avbruten instead).
        await editor.GetByRole(AriaRole.Link, new() { Name = "Ändra: Sommarläsning på alla fritidshem" }).ClickAsync();
        await editor.GetByRole(AriaRole.Link, new() { Name = "Ta bort aktiviteten" }).ClickAsync();
        (await editor.Locator("#ta-bort").InnerTextAsync()).ShouldBe("Ta bort Sommarläsning på alla fritidshem?");
        await NoViolationsAsync(editor, "aktivitet-ta-bort");
        await SubmitAsync(editor, "Ja, ta bort");
        (await editor.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Sätt status Avbruten i stället");
    }

    [BrowserFact]
    public async Task An_administrator_sets_up_a_program_plans_an_activity_in_it_and_sees_it_outside_goal_fulfilment()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Program", Exact = true }).ClickAsync();
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Program");
        (await admin.Locator("tbody").InnerTextAsync()).ShouldContain("Miljöprogram 2023-2026");
        await NoViolationsAsync(admin, "program-lista");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Nytt program" }).ClickAsync();
        await NoViolationsAsync(admin, "program-ny");
        await admin.GetByLabel("Namn").FillAsync("Digitaliseringsprogram");
        await admin.GetByLabel("Ägare").SelectOptionAsync(new SelectOptionValue { Label = "Kommunstyrelsen" });
        await admin.GetByLabel("Från år").FillAsync("2027");
        await admin.GetByLabel("Till och med år").FillAsync("2026");
        await SubmitAsync(admin, "Spara programmet");
        (await admin.Locator("#fel-validToYear").InnerTextAsync()).ShouldBe("Slutåret kan inte vara före startåret.");
        await NoViolationsAsync(admin, "program-ny-fel");
        await admin.GetByLabel("Från år").FillAsync("2026");
        await admin.GetByLabel("Till och med år").FillAsync("2029");
        await SubmitAsync(admin, "Spara programmet");
        await ShouldBeAtAsync(admin, "/program/[0-9a-f-]+\\?klart=(program-skapat|aktivitet-skapad)$");
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Digitaliseringsprogram");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Ny aktivitet i programmet" }).ClickAsync();
        (await admin.GetByLabel("Hör till").Locator("option:checked").InnerTextAsync()).ShouldBe("Digitaliseringsprogram");
        await admin.GetByLabel("Aktivitet", new() { Exact = true }).FillAsync("E-tjänst för bygglov");
        await admin.GetByLabel("Ansvarig enhet").SelectOptionAsync(new SelectOptionValue { Label = "Bygglov och tillsyn" });
        await SubmitAsync(admin, "Spara aktiviteten");
        await ShouldBeAtAsync(admin, "/program/[0-9a-f-]+\\?klart=(program-skapat|aktivitet-skapad)$");
        var page = await admin.Locator("main").InnerTextAsync();
        page.ShouldContain("Utanför måluppfyllelsen");
        page.ShouldContain("E-tjänst för bygglov");
        page.ShouldContain("Bygglov och tillsyn");
        (await admin.GetByRole(AriaRole.Link, new() { Name = "Ny indikator i programmet" }).GetAttributeAsync("href"))!.ShouldContain("/indikator/ny?program=");
        (await admin.GetByRole(AriaRole.Link, new() { Name = "Historik" }).GetAttributeAsync("href"))!.ShouldContain("/historik/Program/");
        await NoViolationsAsync(admin, "program");

        // Its page for a reader: no edit links.
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Reader);
        var reader = await browser.PageAsync(app);
        await Browser.SignInAsync(reader, email, password);
        await reader.GotoAsync(admin.Url);
        (await reader.Locator("main").InnerTextAsync()).ShouldContain("E-tjänst för bygglov");
        (await reader.GetByRole(AriaRole.Link, new() { Name = "Ändra programmet" }).CountAsync()).ShouldBe(0);
        (await reader.GetByRole(AriaRole.Link, new() { Name = "Historik" }).CountAsync()).ShouldBe(0);

        // A program that holds an activity is kept, after the question.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ändra programmet" }).ClickAsync();
        await NoViolationsAsync(admin, "program-andra");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ta bort programmet" }).ClickAsync();
        await SubmitAsync(admin, "Ja, ta bort");
        (await admin.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Programmet har aktiviteter eller indikatorer");
        await NoViolationsAsync(admin, "program-ta-bort-nej");
    }
}
