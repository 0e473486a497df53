using System.Net;
using Kedja.Web.Demo;
using Kedja.Web.Tests.Reports;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal's pages in a browser (issue 13): axe-core finds nothing at a laptop's width and at a 320 px phone's, the
/// phone never scrolls sideways, the menu and the search work from the keyboard, and the search without JavaScript.
/// </summary>
[Collection(Browser.Collection)]
public sealed class PortalBrowserTests(Browser browser)
{
    private const string Portal = $"/p/{DemoTenant.Slug}";

    private async Task<IPage> PageAsync(KedjaApp app, int width, bool javaScript = true)
    {
        var context = await browser.Chromium.NewContextAsync(new()
        {
            BaseURL = app.ServerAddress.ToString(),
            Locale = "sv-SE",
            ViewportSize = new() { Width = width, Height = 900 },
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    [BrowserFact]
    public async Task Every_portal_page_type_has_no_accessibility_violation_at_1366_and_320_pixels_and_no_sideways_scrolling_on_the_phone()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        // A frozen report, so that the reports page lists one.
        var admin = await app.ClientAsync();
        var job = (await ReportJobTests.OrderAsync(admin, new { unitId = await ReportJobTests.UnitAsync(app), periodKey = "2026-T1", templateKey = "tertialrapport", format = "html" }))
            .GetProperty("id").GetGuid();
        await ReportJobTests.WaitAsync(admin, job);
        (await admin.PostAsync($"/api/v1/tenants/{DemoTenant.Slug}/reports/{job}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var pages = new Dictionary<string, string>
        {
            ["start"] = Portal,
            ["aktiviteter"] = $"{Portal}/aktiviteter",
            ["aktiviteter-2025"] = $"{Portal}/aktiviteter?period=2025-T3",
            ["agenda-2030"] = $"{Portal}/agenda-2030",
            ["rapporter"] = $"{Portal}/rapporter",
            ["sok"] = $"{Portal}/sok?q=skola",
            ["sok-inga"] = $"{Portal}/sok?q=finnsinte",
            ["sok-tom"] = $"{Portal}/sok",
            ["sok-for-lang"] = $"{Portal}/sok?q={new string('x', 101)}",
            ["oppna-data"] = $"{Portal}/oppna-data",
            ["finns-inte"] = $"{Portal}/finns-inte",
        };
        var findings = new List<string>();
        foreach (var width in new[] { 1366, 320 })
        {
            var page = await PageAsync(app, width);
            foreach (var (name, url) in pages)
            {
                var response = await page.GotoAsync(url);
                response!.Status.ShouldBe(name == "finns-inte" ? 404 : 200, url);
                await Browser.ScreenshotAsync(page, $"portal-{name}-{width}");
                findings.AddRange((await Browser.AccessibilityAsync(page)).Select(v => $"{width} {url}: {v}"));
                var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
                var (scroll, client) = (widths[0], widths[1]);
                if (scroll > client)
                {
                    findings.Add($"{width} {url}: scrolls sideways ({scroll} px wide in {client} px)");
                }
            }

            if (width == 320)
            {
                // The checks bite: a too wide element scrolls sideways, an image without a text alternative is a violation.
                await page.EvaluateAsync("() => { const wide = document.createElement('div'); wide.style.width = '400px'; wide.append(document.createElement('img')); document.querySelector('main').append(wide); }");
                (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeGreaterThan(320);
                (await Browser.AccessibilityAsync(page)).ShouldContain(v => v.StartsWith("image-alt", StringComparison.Ordinal));
            }

            await page.Context.CloseAsync();
        }

        findings.ShouldBeEmpty(string.Join("\n", findings));
    }

    [BrowserFact]
    public async Task The_menu_and_the_search_work_from_the_keyboard_and_the_search_without_JavaScript()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var page = await PageAsync(app, 320, javaScript: false);
        await page.GotoAsync(Portal);

        // Tab order: the skip link, the menu, the search field.
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).ShouldBe("Till innehållet");
        var menu = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            menu.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        }

        menu.ShouldBe(["Start", "Aktiviteter", "Agenda 2030", "Rapporter", "Öppna data"]);
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("sokord");

        // Without JavaScript: the form sends the query in the address.
        await page.Keyboard.TypeAsync("Inflytande vardag");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/sok?q=", StringComparison.Ordinal));
        new Uri(page.Url).PathAndQuery.ShouldBe($"{Portal}/sok?q=Inflytande+vardag");
        (await page.Locator("p[role=status]").InnerTextAsync()).ShouldBe("1 träff för ”Inflytande vardag”.");
        (await page.GetByRole(AriaRole.Link, new() { Name = "Äldre har inflytande över sin vardag" }).GetAttributeAsync("href")).ShouldStartWith($"{Portal}/mal/");

        // From the menu by the keyboard to the Agenda 2030 page, then marked as the current one.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Portalens sidor" }).GetByRole(AriaRole.Link, new() { Name = "Agenda 2030" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/agenda-2030", StringComparison.Ordinal));
        (await page.Locator("nav.portal-nav a[aria-current=page]").InnerTextAsync()).ShouldBe("Agenda 2030");
        await page.Context.CloseAsync();
    }
}
