using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using Kedja.Data;
using Kedja.Web.Auth.TwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// Security keys and passkeys (WebAuthn, ADR 56, ASVS 2.3.2) in Chromium with the DevTools virtual authenticator: a
/// key registered on the page, sign-out, sign-in with password and key; then what an attacker would try over HTTP with
/// a captured answer and another person's challenge, credential and key, and a relying party whose origins do not
/// include the browser's.
/// </summary>
[Collection(Browser.Collection)]
public sealed partial class SecurityKeyTests(Browser browser)
{
    private const string OtherEmail = "annan.person@test.kedja";

    private const string OtherPassword = "Member-password-1";

    [GeneratedRegex("name=\"utmaning\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex ChallengePattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();

    [BrowserTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_key_is_registered_and_signs_in_and_challenges_answers_and_keys_are_each_persons_own_and_used_once(string provider)
    {
        // The refusals below count as failed second steps; the test is not about the delays they earn.
        await using var app = await KedjaApp.StartAsync(provider, kestrel: true,
            settings: new Dictionary<string, string?> { ["Kedja:Accounts:FreeFailuresPerAccount"] = "50" });
        var otherId = await NewUserAsync(app);

        // "localhost", not 127.0.0.1: a relying-party id must be a domain name, and browsers refuse an IP address.
        var address = new UriBuilder(app.ServerAddress) { Host = "localhost" }.Uri;
        var page = await VirtualKeyPageAsync(browser, address);

        // Register: the first second factor turns two-factor on, with recovery codes shown once, and a mail.
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        await page.GotoAsync(SecondFactor.KeysPath);
        // Another person's registration challenge, posted with an answer the browser made for this person's: refused
        // (first, while the authenticator holds no credential that the options exclude).
        var other = await SignedInAsync(app, address, OtherEmail, OtherPassword);
        var othersChallenge = ChallengePattern().Match(await other.GetStringAsync(SecondFactor.KeysPath)).Groups[1].Value;
        await page.Locator("input[name=utmaning]").EvaluateAsync("(e, v) => e.value = v", othersChallenge);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till nyckel" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Nyckeln kunde inte läggas till.");
        await KeyCountAsync(app).ShouldBeAsync(0);

        await page.GetByLabel("Namn på nyckeln (valfritt)").FillAsync("Blå nyckeln");
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        page.PageError += (_, error) => console.Add(error);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till nyckel" }).ClickAsync();
        await page.Locator("[role=status], #nyckel-fel:visible").First.WaitForAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Säkerhetsnyckeln är tillagd.", Case.Sensitive, string.Join("\n", console) + await AuditAsync(app));
        (await page.Locator("ol.recovery-codes li").CountAsync()).ShouldBe(RecoveryCodes.Count);
        (await page.Locator("table.security-keys").InnerTextAsync()).ShouldContain("Blå nyckeln");
        (await app.WaitForMailsAsync(KedjaApp.AdminEmail)).ShouldContain(m => m.Subject == "Ny säkerhetsnyckel i Kedja");
        var adminKey = await OnlyKeyAsync(app, KedjaApp.AdminEmail);

        // Another person cannot remove the key (not found, and it stays).
        var removal = await PostAsync(other, SecondFactor.KeysPath, SecondFactor.KeysPath + "?handler=Remove", new() { ["id"] = adminKey.Id.ToString() });
        removal.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await KeyCountAsync(app).ShouldBeAsync(1);

        // Sign out; the password now leads to the key step. An older challenge of the same person is refused.
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/logga-in", StringComparison.Ordinal));
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, SecondFactor.KeyPath);
        var older = await page.Locator("input[name=utmaning]").InputValueAsync();
        await page.ReloadAsync();
        await page.Locator("input[name=utmaning]").EvaluateAsync("(e, v) => e.value = v", older);
        await page.GetByRole(AriaRole.Button, new() { Name = "Använd säkerhetsnyckel" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Nyckeln godtogs inte.");

        var posted = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.Contains(SecondFactor.KeyPath, StringComparison.Ordinal) && request.PostData is { } body)
            {
                posted.Add(body);
            }
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Använd säkerhetsnyckel" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/inloggning/", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GotoAsync("/profil");
        page.Url.ShouldEndWith("/profil", Case.Sensitive, "signed in with password and key");
        var used = await OnlyKeyAsync(app, KedjaApp.AdminEmail);
        used.LastUsedAt.ShouldNotBeNull();
        used.SignCount.ShouldBeGreaterThan(adminKey.SignCount, "the virtual authenticator counts its signatures");

        // The captured answer replayed, with its own (used) challenge and with a fresh one: both refused.
        var captured = HttpUtility.ParseQueryString(posted.Single());
        var attacker = Http(app, address);
        (await KedjaApp.PostSignInFormAsync(attacker)).Headers.Location!.OriginalString.ShouldBe(SecondFactor.KeyPath);
        var (token, fresh) = await FormAsync(attacker, SecondFactor.KeyPath);
        (await attacker.PostAsync(SecondFactor.KeyPath, Form(token, captured["utmaning"]!, captured["svar"]!))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (token, fresh) = await FormAsync(attacker, SecondFactor.KeyPath);
        (await attacker.PostAsync(SecondFactor.KeyPath, Form(token, fresh, captured["svar"]!))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await attacker.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the replay signed nobody in");

        // Another person with a key of their own cannot sign in with this person's key's answer.
        await AddStrangeKeyAsync(app, otherId);
        var otherSignIn = Http(app, address);
        (await KedjaApp.PostSignInFormAsync(otherSignIn, OtherEmail, OtherPassword)).Headers.Location!.OriginalString.ShouldBe(SecondFactor.KeyPath);
        var (theirToken, theirs) = await FormAsync(otherSignIn, SecondFactor.KeyPath);
        (await otherSignIn.PostAsync(SecondFactor.KeyPath, Form(theirToken, theirs, captured["svar"]!))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await otherSignIn.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "still not signed in");

        // A relying party whose origins leave out the browser's refuses the key's answer (the library checks it).
        var origins = app.Services.GetRequiredService<IOptions<SecurityKeyOptions>>().Value.Origins;
        origins.Add("https://kedja.example.se");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/logga-in", StringComparison.Ordinal));
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, SecondFactor.KeyPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Använd säkerhetsnyckel" }).ClickAsync();
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("Nyckeln godtogs inte.");
        origins.Clear();

        // Back at the right origin: sign in, remove the last key, and two-factor is off as turning the app off leaves it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Använd säkerhetsnyckel" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/inloggning/", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GotoAsync(SecondFactor.KeysPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ta bort Blå nyckeln" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Säkerhetsnyckeln är borttagen.");
        await KeyCountAsync(app).ShouldBeAsync(1, "the other person's key stays");
        (await app.WaitForMailsAsync(KedjaApp.AdminEmail, 2)).ShouldContain(m => m.Subject == "Säkerhetsnyckel borttagen i Kedja");
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var admin = await db.Users.SingleAsync(u => u.Email == KedjaApp.AdminEmail);
            (await db.RecoveryCodes.CountAsync(c => c.UserId == admin.Id)).ShouldBe(0);
            (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "SecurityKeyAdded" || a.Action == "SecurityKeyRemoved")).ShouldBe(2);
        }

        var again = Http(app, address);
        (await KedjaApp.PostSignInFormAsync(again)).Headers.Location!.OriginalString.ShouldNotContain("/inloggning/tvastegs");
    }

    /// <summary>A Chromium page on <paramref name="address"/> with DevTools' virtual authenticator (ctap2/usb, presence simulated).</summary>
    internal static async Task<IPage> VirtualKeyPageAsync(Browser browser, Uri address)
    {
        var context = await browser.Chromium.NewContextAsync(new() { BaseURL = address.ToString(), Locale = "sv-SE", ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "usb", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        return page;
    }

    /// <summary>The refusals audited so far, with the library's reason: what a failure message needs.</summary>
    private static async Task<string> AuditAsync(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        return string.Join("\n", await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action == "SecurityKeyRefused").Select(a => a.After).ToListAsync());
    }

    /// <summary>A client without redirects on the browser's origin (localhost), so that only what the test changes differs.</summary>
    private static HttpClient Http(KedjaApp app, Uri address) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = address };

    private static async Task<string> NewUserAsync(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
        var user = new KedjaUser { UserName = OtherEmail, Email = OtherEmail, EmailConfirmed = true };
        (await users.CreateAsync(user, OtherPassword)).Succeeded.ShouldBeTrue();
        return user.Id;
    }

    /// <summary>A key row of the other person's, so that they have a key step (its public key is never reached).</summary>
    private static async Task AddStrangeKeyAsync(KedjaApp app, string userId)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        db.SecurityKeys.Add(new SecurityKey { UserId = userId, CredentialId = Guid.NewGuid().ToByteArray(), PublicKey = [1, 2, 3], Name = "Nyckel 1", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<SecurityKey> OnlyKeyAsync(KedjaApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var id = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        return await db.SecurityKeys.AsNoTracking().SingleAsync(k => k.UserId == id);
    }

    private static async Task<int> KeyCountAsync(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().SecurityKeys.CountAsync();
    }

    private static async Task<HttpClient> SignedInAsync(KedjaApp app, Uri address, string email, string password)
    {
        var client = Http(app, address);
        (await KedjaApp.PostSignInFormAsync(client, email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    /// <summary>The antiforgery token and the challenge of one rendering of a key page (each rendering makes a new challenge).</summary>
    private static async Task<(string Token, string Challenge)> FormAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return (AntiforgeryPattern().Match(html).Groups[1].Value, ChallengePattern().Match(html).Groups[1].Value);
    }

    private static FormUrlEncodedContent Form(string token, string challenge, string answer) =>
        new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["utmaning"] = challenge, ["svar"] = answer });

    /// <summary>A form post with the antiforgery token of the page it is on.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = AntiforgeryPattern().Match(await client.GetStringAsync(page)).Groups[1].Value;
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }
}

internal static class CountAssertions
{
    public static async Task ShouldBeAsync(this Task<int> count, int expected, string? why = null) => (await count).ShouldBe(expected, why);
}
