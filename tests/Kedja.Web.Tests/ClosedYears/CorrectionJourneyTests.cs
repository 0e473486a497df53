using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Demo;
using Kedja.Web.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.ClosedYears;

/// <summary>
/// Issue 16 in the browser: the administrator corrects a closed year with a reason and sees it marked on the correction,
/// the scorecard, the list, the history and the portal; no accessibility violation on a laptop and on a phone.
/// </summary>
[Collection(Browser.Collection)]
public sealed class CorrectionJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;
    private const string Closed = "2025-T3";

    private static async Task ClickAsync(IPage page, string button)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());
#pragma warning restore CS0612
    }

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
    public async Task The_administrator_corrects_a_closed_year_with_a_reason_and_sees_it_marked()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid unit, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var units = db.Units.AsNoTracking().ToDictionary(u => u.Id);
            var found = db.Indicators.AsNoTracking().Where(i => i.Periodicity == PeriodKind.Tertial && i.GoalId != null).OrderBy(i => i.Name).ThenBy(i => i.Id).AsEnumerable()
                .First(i => units[i.OwnerUnitId].Kind == UnitKind.Unit && units[i.OwnerUnitId].ParentId is not null);
            (unit, indicator) = (found.OwnerUnitId, found.Id);
            db.UnitPeriodStatuses.Any(s => s.UnitId == unit && s.State == WorkflowState.Locked && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == Closed)).ShouldBeTrue();
        }

        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        await page.GotoAsync($"/k/{Slug}/malkort/{unit}?period={Closed}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Rätta den låsta uppföljningen" }).ClickAsync();
        await page.WaitForURLAsync($"**/perioder/{Closed}/rattelse/{unit}");
        await NoViolationsAsync(page, "rattelse-paborja");

        await page.GetByLabel("Skäl till rättelsen (minst 5 tecken)").FillAsync("Septembers utfall var fel");
        await ClickAsync(page, "Påbörja rättelse");
        (await page.Locator("#pagar").InnerTextAsync()).ShouldBe("Rättelse 1 pågår");
        await NoViolationsAsync(page, "rattelse-pagar");

        // The administrator corrects the outcome (as the outcome page would, through the same service).
        var admin = await app.ClientAsync();
        var outcome = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/indicators/{indicator}/outcomes/{Closed}");
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/indicators/{indicator}/outcomes/{Closed}", new { value = 4711m, version = outcome.GetProperty("version").GetInt32() }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await page.ReloadAsync();
        await ClickAsync(page, "Avsluta rättelsen");
        var marker = $"Rättad {Kedja.Web.Ui.Language.InSweden(DateTime.UtcNow):yyyy-MM-dd}: Septembers utfall var fel";
        (await page.Locator("main").InnerTextAsync()).ShouldContain(marker);
        (await page.Locator("main table").InnerTextAsync()).ShouldContain("4711");
        await NoViolationsAsync(page, "rattelse-avslutad");

        await page.GotoAsync($"/k/{Slug}/malkort/{unit}?period={Closed}");
        (await page.Locator(".corrections").InnerTextAsync()).ShouldContain(marker);
        (await page.Locator(".as-reported").InnerTextAsync()).ShouldContain("rättades");
        await NoViolationsAsync(page, "rattelse-malkort");

        await page.GotoAsync($"/k/{Slug}/rattelser");
        (await page.Locator("main").InnerTextAsync()).ShouldContain(marker);
        await NoViolationsAsync(page, "rattelser");

        await page.GotoAsync($"/k/{Slug}/historik/Indicator/{indicator}");
        (await page.Locator(".corrected").First.InnerTextAsync()).ShouldBe(marker);

        await page.GotoAsync(PortalUrls.Unit(Slug, unit, Closed));
        (await page.Locator(".corrections").InnerTextAsync()).ShouldContain(marker);
        await NoViolationsAsync(page, "rattelse-portal");
    }
}
