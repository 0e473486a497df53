using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.AssignmentFlow;

/// <summary>
/// An assignment in the browser: a committee's secretary gives it, the unit reports on it in two periods, and the
/// committee closes it; every page without an accessibility violation on a laptop and on a phone.
/// </summary>
[Collection(Browser.Collection)]
public sealed class AssignmentJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task SubmitAsync(IPage page, string button)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());
#pragma warning restore CS0612
    }

    /// <summary>axe-core finds nothing at 1366 and at 320 pixels wide, and a picture of each to look at.</summary>
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

    [BrowserFact]
    public async Task A_committee_gives_an_assignment_the_unit_reports_on_it_twice_and_the_committee_closes_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var (unit, committee, _) = await AssignmentApiTests.OrganisationAsync(app);
        var (giverEmail, giverPassword) = await app.MemberAsync(Slug, TenantRole.Editor, committee.Id);
        var (unitEmail, unitPassword) = await app.MemberAsync(Slug, TenantRole.Editor, unit.Id);
        // The demo has assignments of its own: the new one gets the next number, and the list grows by one.
        int number;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            number = (await db.Assignments.MaxAsync(a => (int?)a.Number) ?? 0) + 1;
        }

        var giver = await browser.PageAsync(app);
        await Browser.SignInAsync(giver, giverEmail, giverPassword);
        await giver.GotoAsync($"/k/{Slug}/uppdrag");
        (await giver.Locator("h1").InnerTextAsync()).ShouldBe("Uppdrag");
        var rows = await giver.Locator("tbody tr").CountAsync();
        await NoViolationsAsync(giver, "uppdrag-lista-fore");
        await giver.GetByRole(AriaRole.Link, new() { Name = "Ge ett nytt uppdrag" }).ClickAsync();
        (await giver.Locator("h1").InnerTextAsync()).ShouldBe("Ge ett nytt uppdrag");
        (await giver.GetByLabel("Enhet som gav uppdraget").InputValueAsync()).ShouldBe(committee.Id.ToString());
        await NoViolationsAsync(giver, "uppdrag-ny");

        // Both a date and a period, the date before the decision: every error at once, beside its field, nothing lost.
        await giver.GetByLabel("Rubrik").FillAsync("Utred fler platser i fritidsverksamheten");
        await giver.GetByLabel("Uppdraget", new() { Exact = true }).FillAsync("Nämnden ger förvaltningen i uppdrag att utreda hur fler platser kan ordnas.");
        await giver.GetByLabel("Beslutsdatum").FillAsync("2026-03-10");
        await giver.GetByLabel("Paragraf (§)").FillAsync("§ 12");
        await giver.GetByLabel("Ansvarig enhet").SelectOptionAsync(unit.Id.ToString());
        await giver.GetByLabel("Datum", new() { Exact = true }).FillAsync("2026-01-01");
        await giver.GetByLabel("Uppföljningsperiod").SelectOptionAsync("2026-T3");
        await SubmitAsync(giver, "Ge uppdraget");
        (await giver.Locator("#fel-dueDate").InnerTextAsync()).ShouldBe("Uppdraget kan inte vara klart före beslutsdagen.");
        (await giver.Locator("#fel-duePeriodKey").InnerTextAsync()).ShouldBe("Ange antingen ett datum eller en period då uppdraget ska vara klart, inte båda.");
        (await giver.GetByLabel("Rubrik").InputValueAsync()).ShouldBe("Utred fler platser i fritidsverksamheten");
        await NoViolationsAsync(giver, "uppdrag-ny-fel");

        await giver.GetByLabel("Datum", new() { Exact = true }).FillAsync("");
        await SubmitAsync(giver, "Ge uppdraget");
        Regex.IsMatch(giver.Url, $"/k/{Slug}/uppdrag/[0-9a-f-]{{36}}\\?klart=uppdrag-givet").ShouldBeTrue(giver.Url);
        (await giver.Locator("h1").InnerTextAsync()).ShouldBe($"Uppdrag {number}: Utred fler platser i fritidsverksamheten");
        (await giver.Locator("p.done").InnerTextAsync()).ShouldBe("Uppdraget är givet.");
        var detail = new Uri(giver.Url).AbsolutePath;
        await NoViolationsAsync(giver, "uppdrag-givet");

        // The unit reports in two periods: in progress, then done.
        var reporter = await browser.PageAsync(app);
        await Browser.SignInAsync(reporter, unitEmail, unitPassword);
        foreach (var (period, status, text) in new[] { ("2026-T2", "Pågår", "Utredningen har börjat."), ("2026-T3", "Klart", "Utredningen är klar och lämnad till nämnden.") })
        {
            await reporter.GotoAsync(detail);
            await reporter.GetByLabel("Rapportera för perioden").SelectOptionAsync(period);
            await SubmitAsync(reporter, "Rapportera");
            (await reporter.Locator("h1").InnerTextAsync()).ShouldBe("Rapportera uppdraget");
            await reporter.GetByLabel(status, new() { Exact = true }).CheckAsync();
            await reporter.GetByLabel("Vad har gjorts?").FillAsync(text);
            if (period == "2026-T2")
            {
                await NoViolationsAsync(reporter, "uppdrag-rapport");
            }

            await SubmitAsync(reporter, "Spara rapporten");
            (await reporter.Locator("p.done").InnerTextAsync()).ShouldBe("Rapporten är sparad.");
            (await reporter.Locator("main").InnerTextAsync()).ShouldContain(text);
        }

        // The unit cannot close it: no closing form for them.
        (await reporter.GetByRole(AriaRole.Button, new() { Name = "Avsluta uppdraget" }).CountAsync()).ShouldBe(0);
        await NoViolationsAsync(reporter, "uppdrag-rapporterat");

        // The committee sees it done on its start page, and closes it.
        await giver.GotoAsync($"/k/{Slug}");
        (await giver.Locator("#uppdrag-att-avsluta").InnerTextAsync()).ShouldBe("Uppdrag att avsluta");
        await NoViolationsAsync(giver, "uppdrag-startsida");
        await giver.GotoAsync(detail);
        (await giver.Locator("main").InnerTextAsync()).ShouldContain("Den ansvariga enheten har rapporterat uppdraget som klart.");
        await giver.GetByLabel("Återrapporterat och avslutat").CheckAsync();
        await SubmitAsync(giver, "Avsluta uppdraget");
        (await giver.Locator("p.done").InnerTextAsync()).ShouldBe("Uppdraget är avslutat.");
        (await giver.Locator("main").InnerTextAsync()).ShouldContain("Öppna uppdraget igen");
        await NoViolationsAsync(giver, "uppdrag-avslutat");

        await giver.GotoAsync($"/k/{Slug}/uppdrag");
        (await giver.Locator("tbody tr").CountAsync()).ShouldBe(rows + 1);
        (await giver.Locator("tbody tr", new() { HasText = "Utred fler platser i fritidsverksamheten" }).InnerTextAsync()).ShouldContain("Återrapporterat och avslutat");
        await NoViolationsAsync(giver, "uppdrag-lista");
    }
}
