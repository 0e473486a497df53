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
}
