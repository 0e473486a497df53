using System.Net;
using System.Text.RegularExpressions;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The sign-in cookie's session as an attacker with a copy of it would try it (ADR 21).</summary>
public class CookieSessionTests
{
    private static Task<string> TokenAsync(HttpClient client, string url) => KedjaApp.AntiforgeryTokenAsync(client, url);

    /// <summary>Signs in through the form; returns the client (with its cookies) and the session cookie as sent.</summary>
    private static async Task<(HttpClient Client, string Cookie)> SignInAsync(KedjaApp app, string? back = null)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var answer = await KedjaApp.PostSignInFormAsync(client, back: back);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kedja=", StringComparison.Ordinal)).Split(';')[0];
        return (client, cookie);
    }

    private static async Task<HttpResponseMessage> WithCookieAsync(KedjaApp app, string cookie, string url = "/")
    {
        var replay = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await replay.SendAsync(request);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_is_refused_afterwards()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var (client, cookie) = await SignInAsync(app);
        (await WithCookieAsync(app, cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var signOut = await client.PostAsync("/logga-ut", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync(client, "/profil") }));
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var replayed = await WithCookieAsync(app, cookie);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        replayed.Headers.Location!.ToString().ShouldStartWith("/logga-in");
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_however_busy_it_has_been()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var (client, _) = await SignInAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(7));
        (await client.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK, "renewed while in use (sliding)");
        app.Clock.Advance(TimeSpan.FromHours(5.5));
        var late = await client.GetAsync("/profil");
        late.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        late.Headers.Location!.ToString().ShouldStartWith("/logga-in");
    }

    [Fact]
    public async Task A_return_address_with_letters_a_header_cannot_carry_is_encoded_and_a_forged_host_never_reaches_a_redirect()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var (_, cookie) = await SignInAsync(app, back: "/k/exempelkommun/malkort?x=ö");
        cookie.ShouldStartWith("kedja=");

        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/k/exempelkommun") { Headers = { Host = "evil.example" } };
        var redirect = await anonymous.SendAsync(forged);
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.IsAbsoluteUri.ShouldBeFalse();
        redirect.Headers.Location.ToString().ShouldBe("/logga-in?tillbaka=%2Fk%2Fexempelkommun");

        var (signedIn, _) = await SignInAsync(app);
        var back = await signedIn.GetAsync("/logga-in?tillbaka=/%C3%B6");
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        back.Headers.Location!.OriginalString.ShouldBe("/%C3%B6");

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
            (await db.AuditEntries.IgnoreQueryFilters().CountAsync(e => e.Action == "SignedIn")).ShouldBeGreaterThanOrEqualTo(2);
        }
    }
}
