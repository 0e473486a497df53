using System.Net;
using System.Net.Http.Headers;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>A person's own account in the browser: a new password ends other sessions; API tokens made and revoked.</summary>
[Collection(Browser.Collection)]
public sealed class ProfileTests(Browser browser)
{

    [BrowserFact]
    public async Task A_new_password_ends_the_other_sessions_but_not_this_one_and_a_token_is_shown_once_works_and_is_revoked()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var page = await browser.PageAsync(app);
        var elsewhere = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);
        await Browser.SignInAsync(elsewhere, email, password);

        await page.GotoAsync("/profil");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Mitt konto");
        await Browser.ScreenshotAsync(page, "profil");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty("axe-core on the profile");

        // A token, shown once; it works against the API.
        await page.GetByLabel("Namn").FillAsync("Rapportskript");
        await page.GetByRole(AriaRole.Button, new() { Name = "Skapa nyckel" }).ClickAsync();
        var secret = (await page.Locator("code.secret").InnerTextAsync()).Trim();
        secret.ShouldStartWith("kedja_");
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        (await api.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await page.GotoAsync("/profil");
        (await page.Locator("code.secret").CountAsync()).ShouldBe(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Återkalla Rapportskript" }).ClickAsync();
        (await api.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // A wrong current password is said beside its field.
        await page.GetByLabel("Nuvarande lösenord").FillAsync("inte-mitt-lösenord");
        await page.GetByLabel("Nytt lösenord").FillAsync("Fyra-gröna-päron-på-fatet");
        await page.GetByLabel("Upprepa det nya lösenordet").FillAsync("Fyra-gröna-päron-på-fatet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Byt lösenord" }).ClickAsync();
        (await page.Locator("#fel-currentPassword").InnerTextAsync()).ShouldBe("Det nuvarande lösenordet stämmer inte.");

        await page.GetByLabel("Nuvarande lösenord").FillAsync(password);
        await page.GetByLabel("Nytt lösenord").FillAsync("Fyra-gröna-päron-på-fatet");
        await page.GetByLabel("Upprepa det nya lösenordet").FillAsync("Fyra-gröna-päron-på-fatet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Byt lösenord" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldStartWith("Lösenordet är bytt.");

        // This browser goes on; the other session has ended; the old password no longer signs in.
        await page.GotoAsync($"/k/{DemoTenant.Slug}");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Att göra");
        await elsewhere.GotoAsync($"/k/{DemoTenant.Slug}");
        elsewhere.Url.ShouldContain("/logga-in");
        await elsewhere.GetByLabel("E-postadress").FillAsync(email);
        await elsewhere.GetByLabel("Lösenord").FillAsync(password);
        await elsewhere.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        (await elsewhere.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Fel e-postadress eller lösenord.");
    }
}
