using Kedja.Data;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// Staff of a municipality sign in through its own provider in a real browser (issue 14): the certified oidc-provider
/// on "localhost", the app on 127.0.0.1 (another site, as in production), the code flow with PKCE over plain http.
/// </summary>
[Collection(Browser.Collection)]
public sealed class SsoBrowserTests(Browser browser)
{
    private const string Alfa = "alfa";
    private const string Beta = "beta";

    private async Task<IPage> PageAsync(KedjaApp app, int width = 1366)
    {
        var context = await browser.Chromium.NewContextAsync(new()
        {
            BaseURL = app.ServerAddress.ToString(),
            Locale = "sv-SE",
            ViewportSize = new() { Width = width, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    private static async Task<(KedjaApp App, OidcTestProvider Provider)> StartAsync(string provider, params OidcAccount[] accounts)
    {
        var app = await KedjaApp.StartAsync(provider, kestrel: true, settings: SsoSetup.Settings);
        var origin = app.ServerAddress.ToString().TrimEnd('/');
        var oidc = await OidcTestProvider.StartAsync(
            [
                new OidcClient("kedja-alfa", "alfa-hemlighet", $"{origin}/inloggning/oidc/{Alfa}", $"{origin}/inloggning/oidc/{Alfa}/ut"),
                new OidcClient("kedja-beta", "beta-hemlighet", $"{origin}/inloggning/oidc/{Beta}", $"{origin}/inloggning/oidc/{Beta}/ut"),
            ],
            accounts);
        await SsoSetup.CreateTenantAsync(app, Alfa);
        await SsoSetup.CreateTenantAsync(app, Beta);
        await SsoSetup.ConfigureAsync(app, Alfa, oidc.Issuer, "kedja-alfa", "alfa-hemlighet", "alfa.example",
            ("alfa-redaktorer", TenantRole.Editor, null), ("alfa-admin", TenantRole.Admin, null));
        await SsoSetup.ConfigureAsync(app, Beta, oidc.Issuer, "kedja-beta", "beta-hemlighet", "beta.example", ("beta-lasare", TenantRole.Reader, null));
        return (app, oidc);
    }

    /// <summary>From the sign-in page through the provider's login page (which asks for the account) back to Kedja.</summary>
    private static async Task SignInThroughProviderAsync(IPage page, string email, string account, string expectedPath)
    {
        await page.GotoAsync("/logga-in?tillbaka=/k/" + Alfa);
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await AtProviderAsync(page);
        (await page.TitleAsync()).ShouldBe("Testinloggning");
        (await page.GetByLabel("Konto").InputValueAsync()).ShouldBe(email, "the address was passed on as login_hint");
        await page.GetByLabel("Konto").FillAsync(account);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains(expectedPath, StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>Waits for the provider's login page; when it does not come, fails with where the browser stopped.</summary>
    private static async Task AtProviderAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync(url => url.Contains("/interaction/", StringComparison.Ordinal), new() { Timeout = 20_000, WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"the browser stopped at {page.Url}: {await page.ContentAsync()}");
        }
    }

    private static async Task<TenantMembership?> MembershipAsync(KedjaApp app, string email)
    {
        var (scope, db) = app.DbFor(Alfa);
        using (scope)
        {
            return await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => db.Users.Any(u => u.Id == m.UserId && u.Email == email));
        }
    }

    [NodeBrowserTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Staff_sign_in_through_the_provider_with_the_role_of_their_group_sign_out_there_and_lose_access_when_the_group_goes(string provider)
    {
        var (app, oidc) = await StartAsync(provider, new OidcAccount("anna", "anna@alfa.example", "alfa-redaktorer", "annan-grupp"));
        await using var _ = app;
        await using var __ = oidc;
        var page = await PageAsync(app);

        await SignInThroughProviderAsync(page, "anna@alfa.example", "anna", "/k/" + Alfa);
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Inloggningen misslyckades");
        var membership = (await MembershipAsync(app, "anna@alfa.example")).ShouldNotBeNull();
        (membership.Role, membership.Source, membership.UnitId).ShouldBe((TenantRole.Editor, MembershipSource.Sso, (Guid?)null));
        var cookies = await page.Context.CookiesAsync();
        cookies.ShouldContain(c => c.Name == "kedja" && c.HttpOnly);
        cookies.ShouldNotContain(c => c.Name == "kedja.extern", "the provider's answer is not kept once the session has started");

        // Signing out ends the Kedja session and the provider's, and comes back to the sign-in page.
        oidc.SetAccounts(new OidcAccount("anna", "anna@alfa.example", "alfa-admin"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/logga-in", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var response = await page.GotoAsync("/k/" + Alfa);
        page.Url.ShouldContain("/logga-in");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "kedja");

        // The provider asks again (its session ended too); the new group gives the new role.
        await SignInThroughProviderAsync(page, "anna@alfa.example", "anna", "/k/" + Alfa);
        (await MembershipAsync(app, "anna@alfa.example"))!.Role.ShouldBe(TenantRole.Admin);

        // Out of every mapped group: the next sign-in is refused and the membership is gone.
        oidc.SetAccounts(new OidcAccount("anna", "anna@alfa.example", "annan-grupp"));
        var fresh = await PageAsync(app);
        await SignInThroughProviderAsync(fresh, "anna@alfa.example", "anna", "/inloggning/misslyckades");
        (await fresh.Locator("main").InnerTextAsync()).ShouldContain("Du har ingen behörighet i Kedja ännu. Kontakta kommunens administratör.");
        (await MembershipAsync(app, "anna@alfa.example")).ShouldBeNull();
        await fresh.GotoAsync("/k/" + Alfa);
        fresh.Url.ShouldContain("/logga-in");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var actions = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action.StartsWith("Sso") || (a.Action == "SignedIn" && a.After!.Contains("oidc")))
            .OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
        actions.ShouldBe(["SsoRoleGiven", "SignedIn", "SsoRoleChanged", "SignedIn", "SsoRoleRemoved", "SsoRefused"], ignoreOrder: true);
    }

    [NodeBrowserTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_sign_in_page_sends_an_address_of_a_municipality_with_its_own_sign_in_there_and_asks_anyone_else_for_a_password(string provider)
    {
        var (app, oidc) = await StartAsync(provider, new OidcAccount("bo", "bo@beta.example", "beta-lasare"));
        await using var _ = app;
        await using var __ = oidc;
        var findings = new List<string>();
        foreach (var width in new[] { 1366, 320 })
        {
            var page = await PageAsync(app, width);
            await page.GotoAsync("/logga-in");
            findings.AddRange((await Browser.AccessibilityAsync(page)).Select(f => $"e-post {width}: {f}"));
            await Browser.ScreenshotAsync(page, $"sso-inloggning-epost-{width}");

            // Another domain and no password: the page asks for it and counts nothing against anyone.
            await page.GetByLabel("E-postadress").FillAsync("ny@annanstans.example");
            await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            (await page.Locator("main").InnerTextAsync()).ShouldContain("Skriv ditt lösenord.");
            findings.AddRange((await Browser.AccessibilityAsync(page)).Select(f => $"lösenord {width}: {f}"));
            await Browser.ScreenshotAsync(page, $"sso-inloggning-losenord-{width}");

            // A password typed for an address of Beta is checked as a password; the page offers Beta's own sign-in.
            await page.GetByLabel("E-postadress").FillAsync("bo@beta.example");
            await page.GetByLabel("Lösenord").FillAsync("inte-ett-kedja-losenord");
            await page.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            (await page.Locator("main").InnerTextAsync()).ShouldContain("Fel e-postadress eller lösenord.");
            findings.AddRange((await Browser.AccessibilityAsync(page)).Select(f => $"kommunens {width}: {f}"));
            await Browser.ScreenshotAsync(page, $"sso-inloggning-kommunens-{width}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Logga in via kommunens inloggning" }).ClickAsync();
            await AtProviderAsync(page);

            await page.GotoAsync("/inloggning/misslyckades");
            (await page.Locator("main").InnerTextAsync()).ShouldContain("Inloggningen misslyckades, försök igen.");
            findings.AddRange((await Browser.AccessibilityAsync(page)).Select(f => $"misslyckades {width}: {f}"));
            await Browser.ScreenshotAsync(page, $"sso-misslyckades-{width}");
            (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue($"no sideways scrolling at {width}");
        }

        findings.ShouldBeEmpty();

        // Without JavaScript the address alone still leads to the provider.
        var context = await browser.Chromium.NewContextAsync(new() { BaseURL = app.ServerAddress.ToString(), Locale = "sv-SE", JavaScriptEnabled = false });
        var plain = await context.NewPageAsync();
        await plain.GotoAsync("/logga-in");
        await plain.GetByLabel("E-postadress").FillAsync("bo@beta.example");
        await plain.GetByRole(AriaRole.Button, new() { Name = "Logga in", Exact = true }).ClickAsync();
        await AtProviderAsync(plain);
    }
}
