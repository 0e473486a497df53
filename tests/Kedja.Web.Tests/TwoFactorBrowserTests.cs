using Kedja.Web.Auth.TwoFactor;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Two-factor in Chromium as a system administrator who must use it meets it: enrol by typing the key the page shows into
/// an "app" (Otp.NET here), sign out, sign in with a code. The pages are checked with axe-core and for sideways
/// scrolling at a laptop's and a 320 px phone's width, and left as screenshots to look at.
/// </summary>
[Collection(Browser.Collection)]
public sealed class TwoFactorBrowserTests(Browser browser)
{
    /// <summary>axe-core, sideways scrolling and a screenshot at both widths, returning to the first.</summary>
    private static async Task LookAsync(IPage page, string name, List<string> findings)
    {
        foreach (var width in new[] { 320, 1366 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(page, $"tvastegs-{name}-{width}");
            findings.AddRange((await Browser.AccessibilityAsync(page)).Select(v => $"{name} {width}: {v}"));
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1])
            {
                findings.Add($"{name} {width}: scrolls sideways ({widths[0]} px wide in {widths[1]} px)");
            }
        }
    }

    [BrowserFact]
    public async Task A_system_administrator_enrols_from_the_key_on_the_page_signs_out_and_signs_in_with_a_code()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true,
            settings: new Dictionary<string, string?> { ["Kedja:Accounts:RequireTwoFactorForSystemAdmins"] = "true" });
        app.Clock.Freeze();
        var findings = new List<string>();
        var page = await browser.PageAsync(app);

        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, SecondFactor.EnrolPath);
        await page.GotoAsync("/profil");
        page.Url.ShouldEndWith(SecondFactor.EnrolPath, Case.Sensitive, "nothing else is reached before enrolment");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("måste ha tvåstegsverifiering");
        (await page.Locator("svg.qr").CountAsync()).ShouldBe(1);
        await LookAsync(page, "anmalan", findings);

        var key = (await page.Locator("#nyckel").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("Skriv koden med sex siffror som appen visar").FillAsync(TwoFactorTests.CodeNow(app, key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Slå på" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Tvåstegsverifiering är påslagen");
        (await page.Locator("ol.recovery-codes li").CountAsync()).ShouldBe(RecoveryCodes.Count);
        await LookAsync(page, "reservkoder", findings);

        await page.GetByRole(AriaRole.Link, new() { Name = "Fortsätt till Kedja" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/logga-in", StringComparison.Ordinal));

        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, SecondFactor.CodePath);
        await LookAsync(page, "kod", findings);
        await page.GetByLabel("Kod", new() { Exact = true }).FillAsync("000000" == TwoFactorTests.CodeNow(app, key) ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Koden stämmer inte");
        await LookAsync(page, "fel-kod", findings);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Kod", new() { Exact = true }).FillAsync(TwoFactorTests.CodeNow(app, key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/inloggning/", StringComparison.Ordinal));
        await page.GotoAsync("/profil");
        page.Url.ShouldEndWith("/profil");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tvåstegsverifiering" }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Du har 10 oanvända reservkoder.");
        await LookAsync(page, "pagslagen", findings);

        findings.ShouldBeEmpty(string.Join("\n", findings));
    }
}
