using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Planning in the browser: an administrator writes a unit's goal under its nämnd's goal, with strategies and an
/// indicator with targets, changes it while someone else does through the API, and removes the indicator again.
/// </summary>
[Collection(Browser.Collection)]
public sealed class GoalEditJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;
    private const string Base = $"/api/v1/tenants/{Slug}";

    [BrowserFact]
    public async Task An_administrator_writes_a_goal_with_strategies_and_an_indicator_sees_it_everywhere_meets_a_conflicting_edit_and_removes_the_indicator()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library, parent;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            parent = await db.Goals.Where(g => g.Title == "Fler deltar i kultur och fritid").Select(g => g.Id).SingleAsync();
        }

        // The municipality lets its förvaltningsmål have strategies (Kil's critical success factors).
        var api = await app.ClientAsync();
        var model = (await api.GetFromJsonAsync<JsonArray>($"{Base}/model"))![0]!.AsObject();
        model["levels"]!.AsArray().Single(l => (int)l!["depth"]! == 2)!["hasStrategies"] = true;
        (await api.PutAsJsonAsync($"{Base}/model/{model["id"]}", model)).EnsureSuccessStatusCode();

        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        var card = $"/k/{Slug}/malkort/{library}?period=2026-T2";
        await page.GotoAsync(card);
        await page.GetByRole(AriaRole.Link, new() { Name = "Nytt mål", Exact = true }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Nytt mål för Biblioteket");
        await Browser.ScreenshotAsync(page, "mal-ny");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on a new goal");

        // A goal under the nämnd's goal, with two strategies and a weight written the Swedish way.
        const string title = "Fler unga lånar e-böcker";
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Beskrivning", new() { Exact = true }).FillAsync("Unga som inte kommer till biblioteket nås där de är.");
        await page.GetByLabel("Från år").FillAsync("2026");
        await page.GetByLabel("Till och med år").FillAsync("2027");
        await page.GetByLabel("Mål som målet bidrar till, rad 1").SelectOptionAsync(parent.ToString());
        await page.GetByLabel("Vikt, rad 1").FillAsync("0,5");
        await page.GetByLabel("Strategi 1", new() { Exact = true }).FillAsync("Bokbuss till skolorna");
        await page.GetByLabel("Strategi 2", new() { Exact = true }).FillAsync("Läsombud på fritidsgårdarna");
        await page.Locator("input[name=Agenda][value='4']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara målet" }).ClickAsync();
        await ArriveAsync(page, "/mal/[0-9a-f-]{36}$");
        var goalUrl = new Uri(page.Url).AbsolutePath;
        var goalId = Guid.Parse(goalUrl[(goalUrl.LastIndexOf('/') + 1)..]);
        var goalPage = await page.Locator("main").InnerTextAsync();
        goalPage.ShouldContain(title);
        goalPage.ShouldContain("Bokbuss till skolorna");
        goalPage.ShouldContain("Läsombud på fritidsgårdarna");
        goalPage.ShouldContain("Fler deltar i kultur och fritid");
        await Browser.ScreenshotAsync(page, "mal-med-lankar");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the goal page with its edit links");
        await page.GotoAsync(card);
        (await page.Locator("main").InnerTextAsync()).ShouldContain(title);

        // An indicator measured each tertial, with a target for the year and one for T2, in decimal comma.
        await page.GotoAsync(goalUrl);
        await page.GetByRole(AriaRole.Link, new() { Name = "Ny indikator" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Ny indikator");
        await page.GetByLabel("Namn", new() { Exact = true }).FillAsync("Unga låntagare av e-böcker");
        await page.GetByLabel("Måttenhet").FillAsync("antal");
        await page.GetByLabel("Hur ofta mäts den?").SelectOptionAsync(new SelectOptionValue { Label = "Varje tertial" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Uppdatera tabellen" }).ClickAsync();
        await page.GetByLabel("Målvärde för Helår 2026").FillAsync("1 200,5");
        await page.GetByLabel("Målvärde för T2 2026").FillAsync("400");
        await Browser.ScreenshotAsync(page, "indikator-ny");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on a new indicator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara indikatorn" }).ClickAsync();
        await ArriveAsync(page, $"/mal/{goalId}$");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Unga låntagare av e-böcker");
        Guid indicatorId;
        var (check, checkDb) = app.DbFor(Slug);
        using (check)
        {
            var indicator = await checkDb.Indicators.Include(i => i.Targets).SingleAsync(i => i.GoalId == goalId);
            indicator.Targets.OrderBy(t => t.PeriodKey).Select(t => (t.PeriodKey, t.Value)).ShouldBe([("2026", 1200.5m), ("2026-T2", 400m)]);
            indicatorId = indicator.Id;
        }

        // Someone changes the goal through the API while the administrator has it open: nothing typed is lost.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ändra mål" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Ändra målet");
        (await page.GetByRole(AriaRole.Link, new() { Name = "Historik för målet" }).GetAttributeAsync("href")).ShouldBe($"/k/{Slug}/historik/Goal/{goalId}");
        await Browser.ScreenshotAsync(page, "mal-andra");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on changing a goal");
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync("Fler unga lånar e-böcker och ljudböcker");
        var theirs = (await api.GetFromJsonAsync<JsonObject>($"{Base}/goals/{goalId}"))!;
        theirs["title"] = "Fler unga läser digitalt";
        (await api.PutAsJsonAsync($"{Base}/goals/{goalId}", theirs)).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara målet" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Någon annan har sparat målet medan du ändrade det.");
        (await page.GetByLabel("Titel", new() { Exact = true }).InputValueAsync()).ShouldBe("Fler unga lånar e-böcker och ljudböcker");
        (await page.Locator("#nu-title").InnerTextAsync()).ShouldBe("Nu sparat: Fler unga läser digitalt");
        (await page.GetByLabel("Strategi 1", new() { Exact = true }).InputValueAsync()).ShouldBe("Bokbuss till skolorna");
        await Browser.ScreenshotAsync(page, "mal-konflikt");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on a conflicting save");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara målet" }).ClickAsync();
        await ArriveAsync(page, $"/mal/{goalId}$");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Fler unga lånar e-böcker och ljudböcker");

        // The indicator is removed again, after a confirmation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ändra indikatorn Unga låntagare av e-böcker" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Ändra indikatorn");
        (await page.GetByLabel("Målvärde för Helår 2026").InputValueAsync()).ShouldBe("1200,5");
        await Browser.ScreenshotAsync(page, "indikator-andra");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on changing an indicator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ta bort indikatorn …" }).ClickAsync();
        (await page.Locator("#ta-bort").InnerTextAsync()).ShouldBe("Vill du ta bort indikatorn ”Unga låntagare av e-böcker”?");
        await Browser.ScreenshotAsync(page, "indikator-ta-bort");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on removing an indicator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort indikatorn" }).ClickAsync();
        await ArriveAsync(page, $"/mal/{goalId}$");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Unga låntagare av e-böcker");
        var (gone, goneDb) = app.DbFor(Slug);
        using (gone)
        {
            (await goneDb.Indicators.AnyAsync(i => i.Id == indicatorId)).ShouldBeFalse();
        }

        // With nothing built on it, the goal itself can be removed too; the unit's scorecard no longer lists it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ändra mål" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ta bort målet …" }).ClickAsync();
        (await page.Locator("#ta-bort").InnerTextAsync()).ShouldBe("Vill du ta bort målet ”Fler unga lånar e-böcker och ljudböcker”?");
        await Browser.ScreenshotAsync(page, "mal-ta-bort");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on removing a goal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort målet" }).ClickAsync();
        await ArriveAsync(page, $"/malkort/{library}$");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Fler unga lånar e-böcker");
    }

    /// <summary>Waits for the page a save leads to; a refusal fails with what the page said instead of a timeout.</summary>
    private static async Task ArriveAsync(IPage page, string path)
    {
        // A click that posts a form waits for the answer to begin; the answer is either the next page or the form again.
        await page.WaitForLoadStateAsync(LoadState.Load);
        Regex.IsMatch(new Uri(page.Url).AbsolutePath, path).ShouldBeTrue($"{page.Url}: {await page.Locator("main").InnerTextAsync()}");
    }
}
