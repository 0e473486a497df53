using Microsoft.Playwright;

namespace Kedja.Web.Tests.Security;

/// <summary>ADR 55 in the browser: the own script's "Visa lösenord" (ASVS 2.1.12) and the strength meter (2.1.8).</summary>
[Collection(Browser.Collection)]
public sealed class OwnAccountBrowserTests(Browser browser)
{
    [BrowserFact]
    public async Task Show_password_reveals_and_hides_the_typed_value_on_the_sign_in_page()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true);
        var page = await browser.PageAsync(app);
        await page.GotoAsync("/logga-in");
        var field = page.Locator("#losenord");
        await field.FillAsync("hemligt-och-långt");
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Visa lösenord" });
        (await toggle.GetAttributeAsync("aria-pressed")).ShouldBe("false");
        (await field.GetAttributeAsync("type")).ShouldBe("password");

        await toggle.ClickAsync();
        (await field.GetAttributeAsync("type")).ShouldBe("text");
        (await toggle.GetAttributeAsync("aria-pressed")).ShouldBe("true");
        (await field.InputValueAsync()).ShouldBe("hemligt-och-långt");

        await toggle.ClickAsync();
        (await field.GetAttributeAsync("type")).ShouldBe("password");
        (await toggle.GetAttributeAsync("aria-pressed")).ShouldBe("false");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task The_strength_meter_under_a_new_password_rates_a_repeated_or_common_password_weak_and_a_long_phrase_strong()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var (email, password) = await app.MemberAsync(Demo.DemoTenant.Slug, Domain.Tenancy.TenantRole.Editor);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);
        await page.GotoAsync("/profil");
        var meter = page.Locator("#nytt ~ .strength meter");
        var text = page.Locator("#nytt ~ .strength span");
        (await meter.GetAttributeAsync("aria-label"))!.ShouldStartWith("Lösenordets styrka");
        (await page.Locator("#nuvarande ~ .strength").CountAsync()).ShouldBe(0, "the current password gets no meter");

        await page.Locator("#nytt").FillAsync("aaaaaaaaaaaa");
        (await text.InnerTextAsync()).ShouldBe("Mycket svagt");
        await page.Locator("#nytt").FillAsync("lösenord1234");
        (await text.InnerTextAsync()).ShouldBe("Mycket svagt");
        await page.Locator("#nytt").FillAsync("Sommar2026!!");
        (await text.InnerTextAsync()).ShouldBe("Godtagbart");
        await page.Locator("#nytt").FillAsync("Tre-röda-äpplen-i-korgen");
        (await text.InnerTextAsync()).ShouldBe("Mycket starkt");
        (await meter.EvaluateAsync<double>("m => m.value")).ShouldBe(4);
        await page.Locator("#nytt").FillAsync("");
        (await text.InnerTextAsync()).ShouldBe("");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty();
    }
}
