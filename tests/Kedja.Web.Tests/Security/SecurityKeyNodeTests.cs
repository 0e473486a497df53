using System.Net;
using System.Text;
using Kedja.Web.Auth.TwoFactor;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// The security-key step on two app nodes over one database (ADR 56, twenty-first session): the challenge is a row, so
/// a key's answer to a challenge node A issued is accepted by node B, and the challenge is then gone for every node –
/// the same answer replayed through A is refused. The challenge is taken in one DELETE … RETURNING, so of two nodes
/// taking it at once only one can have it.
/// </summary>
[Collection(Browser.Collection)]
public sealed class SecurityKeyNodeTests(Browser browser)
{
    [BrowserTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_challenge_issued_by_one_node_is_answered_on_another_and_the_answer_replayed_on_the_first_is_refused(string provider)
    {
        var settings = new Dictionary<string, string?> { ["Kedja:Accounts:FreeFailuresPerAccount"] = "50" };
        await using var a = await KedjaApp.StartAsync(provider, kestrel: true, settings: settings);
        // "localhost", not 127.0.0.1: browsers refuse WebAuthn on an IP address.
        var address = new UriBuilder(a.ServerAddress) { Host = "localhost" }.Uri;
        var origin = address.GetLeftPart(UriPartial.Authority);
        // B is reached by another address (the test server): the browser's origin is A's, as behind a load balancer
        // the one public origin is configured on every node.
        await using var b = a.OtherNode(new Dictionary<string, string?>(settings)
        {
            ["Kedja:SecurityKeys:RelyingPartyId"] = "localhost",
            ["Kedja:SecurityKeys:Origins:0"] = origin,
        });

        var page = await SecurityKeyTests.VirtualKeyPageAsync(browser, address);
        var context = page.Context;

        // A key registered through A; then the password step through A leads to the key step, whose challenge A issues.
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");
        await page.GotoAsync(SecondFactor.KeysPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lägg till nyckel" }).ClickAsync();
        await page.Locator("[role=status], #nyckel-fel:visible").First.WaitForAsync();
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Säkerhetsnyckeln är tillagd.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/logga-in", StringComparison.Ordinal));
        await Browser.SignInAsync(page, KedjaApp.AdminEmail, KedjaApp.AdminPassword, SecondFactor.KeyPath);

        // The browser's answer is held back from A and carried to B instead, with the browser's cookies (the pending
        // second step and antiforgery), as a load balancer would send the post to another node.
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**" + SecondFactor.KeyPath, async route =>
        {
            if (route.Request.Method == "POST")
            {
                answered.TrySetResult(route.Request.PostData ?? "");
                await route.AbortAsync();
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Använd säkerhetsnyckel" }).ClickAsync();
        var answer = await answered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        answer.ShouldContain("svar=");
        var cookies = string.Join("; ", (await context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

        var onB = b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var accepted = await onB.SendAsync(Post(answer, cookies));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect, "node B takes the challenge node A issued");
        accepted.Headers.Location!.OriginalString.ShouldNotContain("/inloggning/");
        var signedIn = string.Join("; ", accepted.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => !c.EndsWith('=')));

        using var toA = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        var profile = new HttpRequestMessage(HttpMethod.Get, "/profil");
        profile.Headers.Add("Cookie", signedIn);
        (await toA.SendAsync(profile)).StatusCode.ShouldBe(HttpStatusCode.OK, "the session B began holds on A");

        // The same answer through A, with the same pending cookie: the challenge is gone from the database.
        var replayed = await toA.SendAsync(Post(answer, cookies));
        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await replayed.Content.ReadAsStringAsync()).ShouldContain("Nyckeln godtogs inte.");
        await context.CloseAsync();
    }

    private static HttpRequestMessage Post(string form, string cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SecondFactor.KeyPath)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("Cookie", cookies);
        return request;
    }
}
