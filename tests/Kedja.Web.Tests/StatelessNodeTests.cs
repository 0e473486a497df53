using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Rate limits with two or three app hosts on one database (issue 17): attempts spread over the nodes are counted
/// together, so an attacker who rotates nodes gets no extra tries.
/// </summary>
public class SharedRateLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe(RateLimits.Title);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sign_in_attempts_split_over_three_nodes_are_counted_together_and_rotating_nodes_gives_no_extra_try(string provider)
    {
        var settings = new Dictionary<string, string?> { ["Kedja:Accounts:SignInPermitsPerAddress"] = "4" };
        await using var a = await KedjaApp.StartAsync(provider, settings: settings);
        await using var b = a.OtherNode();
        await using var c = a.OtherNode();
        KedjaApp[] nodes = [a, b, c];
        const string Attacker = "203.0.113.50";

        // Showing the sign-in page is no attempt.
        for (var i = 0; i < 6; i++)
        {
            (await nodes[i % 3].ClientFrom(Attacker).GetAsync("/logga-in")).StatusCode.ShouldBe(HttpStatusCode.OK, $"view {i + 1}");
        }

        // Four guesses, one node after another: each is answered (401), none refused.
        for (var i = 0; i < 4; i++)
        {
            var answer = await nodes[i % 3].ClientFrom(Attacker).PostAsJsonAsync("/api/v1/auth/tokens", new { email = $"gissning{i}@example.se", password = "Fel-lösenord-1" })
                .WaitAsync(Patience);
            answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"attempt {i + 1} on node {i % 3}");
        }

        // The fifth is refused whichever node it reaches; so are the sixth and seventh on the other nodes.
        foreach (var node in nodes)
        {
            await ShouldBeRefusedAsync(await node.ClientFrom(Attacker).PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword }));
        }

        // Another address is not held back by the attacker's count.
        (await b.ClientFrom("203.0.113.51").PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Forgot_password_limits_per_address_and_per_account_hold_across_nodes(string provider)
    {
        await using var a = await KedjaApp.StartAsync(provider, realLimits: true);
        await using var b = a.OtherNode();

        // Showing the form is no attempt: seven views leave all five tries.
        for (var i = 0; i < 7; i++)
        {
            (await (i % 2 == 0 ? a : b).ClientFrom("198.51.100.160").GetAsync("/konto/glomt")).StatusCode.ShouldBe(HttpStatusCode.OK, $"view {i + 1}");
        }

        // Five per address in 15 minutes (ADR 11): alternate nodes, the sixth is refused on either.
        for (var i = 0; i < 5; i++)
        {
            (await (i % 2 == 0 ? a : b).ClientFrom("198.51.100.160").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = $"person{i}@example.se" }))
                .StatusCode.ShouldBe(HttpStatusCode.Accepted, $"request {i + 1}");
        }

        await ShouldBeRefusedAsync(await b.ClientFrom("198.51.100.160").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = "person9@example.se" }));
        await ShouldBeRefusedAsync(await a.ClientFrom("198.51.100.160").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = "person9@example.se" }));

        // Three per account: from three addresses over two nodes, then the fourth is refused on both nodes.
        for (var i = 0; i < 3; i++)
        {
            (await (i % 2 == 0 ? a : b).ClientFrom($"198.51.100.{170 + i}").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail }))
                .StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await ShouldBeRefusedAsync(await b.ClientFrom("198.51.100.178").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail }));
        await ShouldBeRefusedAsync(await a.ClientFrom("198.51.100.179").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Set_password_and_the_calendar_feed_are_limited_across_nodes_with_their_own_answers(string provider)
    {
        var settings = new Dictionary<string, string?> { ["Kedja:Accounts:SetPasswordPermitsPerAddress"] = "2", ["Kedja:Calendar:PermitsPerMinute"] = "3" };
        await using var a = await KedjaApp.StartAsync(provider, settings: settings);
        await using var b = a.OtherNode();

        (await a.ClientFrom("198.51.100.190").PostAsJsonAsync("/api/v1/auth/password/set", new { secret = "gissad-kod-1", newPassword = "Eget-val-2026-ok" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await b.ClientFrom("198.51.100.190").PostAsJsonAsync("/api/v1/auth/password/set", new { secret = "gissad-kod-2", newPassword = "Eget-val-2026-ok" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await ShouldBeRefusedAsync(await a.ClientFrom("198.51.100.190").PostAsJsonAsync("/api/v1/auth/password/set", new { secret = "gissad-kod-3", newPassword = "Eget-val-2026-ok" }));

        // The page behind the mailed link shares the limit and answers a person in Swedish.
        var refused = await b.ClientFrom("198.51.100.190").GetAsync("/konto/losenord?kod=gissad-kod-4");
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("sekund");

        var feed = $"/kalender/{new string('B', 43)}.ics";
        (await a.ClientFrom("198.51.100.191").GetAsync(feed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await b.ClientFrom("198.51.100.191").GetAsync(feed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await a.ClientFrom("198.51.100.191").GetAsync(feed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await b.ClientFrom("198.51.100.191").GetAsync(feed)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_hits_on_two_nodes_let_exactly_the_permits_through_and_ended_windows_are_cleared(string provider)
    {
        await using var a = await KedjaApp.StartAsync(provider);
        await using var b = a.OtherNode();
        var limit = new RateLimit("203.0.113.77", 25, TimeSpan.FromMinutes(5));

        async Task<TimeSpan?> HitAsync(KedjaApp node)
        {
            using var scope = node.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<RateCounter>().HitAsync("test", limit, CancellationToken.None);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => HitAsync(i % 2 == 0 ? a : b))));
        results.Count(r => r is null).ShouldBe(25);
        // A window may be opened by a hit that read the clock a moment after this one did, so a wait may pass the window's
        // length by those milliseconds.
        results.Where(r => r is not null).ShouldAllBe(r => r!.Value > TimeSpan.Zero && r.Value <= TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));

        // After the window: allowed again, and housekeeping on either node deletes the ended window's row.
        a.Clock.Advance(TimeSpan.FromMinutes(6));
        b.Clock.Advance(TimeSpan.FromMinutes(6));
        using (var scope = b.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<RateCounter>().ForgetEndedAsync(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);
            (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().RateLimitWindows.CountAsync(w => w.Policy == "test")).ShouldBe(0);
        }

        (await HitAsync(a)).ShouldBeNull();
    }
}

/// <summary>
/// Two app hosts on one database as two servers behind a round-robin load balancer (issue 17): a session, an
/// antiforgery token and every read are good on either node.
/// </summary>
public class StatelessNodeTests
{
    private static async Task<string> TokenAsync(HttpClient client, string url) =>
        Regex.Match(await client.GetStringAsync(url), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>A browser's client on this node, sharing one cookie jar with the other node's (same host name, as behind one balancer).</summary>
    private static HttpClient Browser(KedjaApp node, CookieContainer jar) =>
        new(new CookieContainerHandler(jar) { InnerHandler = node.Server.CreateHandler() }) { BaseAddress = new Uri("http://localhost") };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_session_and_an_antiforgery_token_from_node_a_are_accepted_by_node_b(string provider)
    {
        await using var a = await KedjaApp.StartAsync(provider);
        await using var b = a.OtherNode();
        var jar = new CookieContainer();
        using var onA = Browser(a, jar);
        using var onB = Browser(b, jar);

        // The sign-in form comes from A and is posted to B: B accepts A's antiforgery token.
        var signIn = await onB.PostAsync("/logga-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(onA, "/logga-in"), ["Email"] = KedjaApp.AdminEmail, ["losenord"] = KedjaApp.AdminPassword,
        }));
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        jar.GetCookies(new Uri("http://localhost")).Any(c => c.Name == "kedja").ShouldBeTrue("signed in through B");

        // The session B issued is good on A, and a form A renders for it is accepted by B.
        var profileOnA = await onA.GetAsync("/profil");
        profileOnA.StatusCode.ShouldBe(HttpStatusCode.OK);
        var signOut = await onB.PostAsync("/logga-ut", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync(onA, "/profil") }));
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect, "B accepts the token A rendered");
        jar.GetCookies(new Uri("http://localhost")).Any(c => c.Name == "kedja" && !c.Expired).ShouldBeFalse("signed out through B");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_write_through_node_a_is_seen_at_once_by_a_scorecard_read_and_soon_by_the_portal_on_node_b(string provider)
    {
        await using var a = await KedjaApp.StartAsync(provider, seedDemo: true);
        await using var b = a.OtherNode();
        var onA = await a.ClientAsync();
        var onB = b.CreateClient();
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
        var tenant = $"/api/v1/tenants/{DemoTenant.Slug}";
        var library = (await onB.GetFromJsonAsync<JsonElement>($"{tenant}/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Biblioteket").GetProperty("id").GetGuid();
        var card = $"{tenant}/units/{library}/scorecard?periodKey=2026-T2";

        // B holds the card; A changes a goal's title; B's next read shows it.
        var first = await onB.GetStringAsync(card);
        var goal = ScorecardJson.Goals(JsonDocument.Parse(first).RootElement).First().GetProperty("id").GetGuid();
        var doc = (await onA.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"{tenant}/goals/{goal}"))!;
        doc["title"] = "Fler besökare på lördagar, sett från nod B";
        (await onA.PutAsJsonAsync($"{tenant}/goals/{goal}", doc)).StatusCode.ShouldBe(HttpStatusCode.OK);
        ScorecardJson.Goals(await onB.GetFromJsonAsync<JsonElement>(card)).Single(g => g.GetProperty("id").GetGuid() == goal)
            .GetProperty("title").GetString().ShouldBe("Fler besökare på lördagar, sett från nod B");

        // The published portal on B: A publishes a period; B shows it within its freshness window (100 ms).
        var anonymous = b.CreateClient();
        const string Start = $"/p/{DemoTenant.Slug}";
        (await anonymous.GetStringAsync(Start)).ShouldNotContain("T2 2026");
        var version = (await onA.GetFromJsonAsync<JsonElement>($"{tenant}/periods")).EnumerateArray()
            .Single(p => p.GetProperty("key").GetString() == "2026-T2").GetProperty("version").GetInt32();
        (await onA.PutAsJsonAsync($"{tenant}/periods/2026-T2/publication", new { isPublished = true, version })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(150);
        (await anonymous.GetStringAsync(Start)).ShouldContain("T2 2026");
    }
}
