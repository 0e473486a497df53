using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>Guessing, lock-out abuse, enumeration by timing, token lifetimes and the 401 challenge (issue 6).</summary>
public class SignInTests
{
    private static Task<HttpResponseMessage> SignIn(KedjaApp app, string address, string email, string password) =>
        app.ClientFrom(address).PostAsJsonAsync("/api/v1/auth/tokens", new { email, password });

    private static async Task<KedjaUser> Admin(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>().FindByEmailAsync(KedjaApp.AdminEmail))!;
    }

    private static async Task ShouldBeTooManyAttempts(HttpResponseMessage response, int? retryAfter = null)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var seconds = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        seconds.ShouldBeGreaterThanOrEqualTo(1);
        if (retryAfter is { } expected)
        {
            // Whole seconds, rounded up, from the moment of the failure; a slow machine may have used up one of them.
            seconds.ShouldBeInRange(expected - 1, expected);
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe(RateLimits.Title);
        problem.GetProperty("detail").GetString().ShouldBe(seconds == 1 ? "Försök igen om 1 sekund." : $"Försök igen om {seconds} sekunder.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_hundred_wrong_passwords_get_429_with_retry_after_and_the_owner_still_signs_in_from_another_address(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, realLimits: true);

        // A hundred guesses in an instant: on a busy machine the first delay (2 s) could otherwise run out between two.
        app.Clock.Freeze();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? firstRefusal = null;
        for (var i = 0; i < 100; i++)
        {
            var response = await SignIn(app, "198.51.100.7", KedjaApp.AdminEmail, $"Gissning-{i}-abc");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                firstRefusal ??= response;
            }
        }

        statuses.Count(s => s == HttpStatusCode.Unauthorized).ShouldBeLessThanOrEqualTo(5);
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(95);
        await ShouldBeTooManyAttempts(firstRefusal!);

        var admin = await Admin(app);
        admin.LockoutEnd.ShouldBeNull();
        (await SignIn(app, "203.0.113.9", KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Delays_grow_per_address_and_attempts_while_delayed_do_not_count_against_the_account(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        const string attacker = "198.51.100.8";
        for (var i = 0; i < 5; i++)
        {
            (await SignIn(app, attacker, KedjaApp.AdminEmail, $"Gissning-{i}-abc")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await ShouldBeTooManyAttempts(await SignIn(app, attacker, KedjaApp.AdminEmail, "Gissning-x-abc"), retryAfter: 2);

        // Even the right password waits: nothing is checked, nothing counts.
        await ShouldBeTooManyAttempts(await SignIn(app, attacker, KedjaApp.AdminEmail, KedjaApp.AdminPassword));
        (await Admin(app)).AccessFailedCount.ShouldBe(5);

        app.Clock.Advance(TimeSpan.FromSeconds(3));
        (await SignIn(app, attacker, KedjaApp.AdminEmail, "Gissning-6-abc")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await ShouldBeTooManyAttempts(await SignIn(app, attacker, KedjaApp.AdminEmail, "Gissning-7-abc"), retryAfter: 4);
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        (await SignIn(app, attacker, KedjaApp.AdminEmail, "Gissning-8-abc")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await ShouldBeTooManyAttempts(await SignIn(app, attacker, KedjaApp.AdminEmail, "Gissning-9-abc"), retryAfter: 8);
        (await Admin(app)).AccessFailedCount.ShouldBe(7);

        // The delays are in the database, where every app node sees them.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            (await db.SignInThrottles.CountAsync(t => t.Subject.StartsWith("a:" + attacker) && t.BlockedUntil != null)).ShouldBe(1);
            (await db.SignInThrottles.AnyAsync(t => t.Subject.Contains("admin"))).ShouldBeFalse();
        }

        (await SignIn(app, "203.0.113.10", KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_lock_out_ends_failing_on_purpose_during_it_does_not_prolong_it_and_it_never_keeps_the_owner_out(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        for (var i = 0; i < 10; i++)
        {
            (await SignIn(app, $"198.51.100.{20 + i}", KedjaApp.AdminEmail, $"Gissning-{i}-abc")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var lockedUntil = (await Admin(app)).LockoutEnd;
        lockedUntil.ShouldNotBeNull();

        // The lock-out holds against an address that failed on the account, even with the right password ...
        var locked = await SignIn(app, "198.51.100.20", KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("tillfälligt spärrat");

        // ... but the owner, from an address that never failed on it, is not kept out by guesses from elsewhere.
        (await SignIn(app, "203.0.113.12", KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);

        for (var i = 0; i < 15; i++)
        {
            (await SignIn(app, $"198.51.100.{40 + i}", KedjaApp.AdminEmail, $"Mer-{i}-gissning")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var admin = await Admin(app);
        admin.LockoutEnd.ShouldBe(lockedUntil);
        admin.AccessFailedCount.ShouldBe(0);

        // Identity's lock-out runs on the real clock; end it as five minutes passing would.
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(KedjaApp.AdminEmail))!, DateTimeOffset.UtcNow.AddSeconds(-1));
        }

        (await SignIn(app, "198.51.100.20", KedjaApp.AdminEmail, KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Forgot_and_set_password_are_rate_limited_per_address_and_per_account(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, realLimits: true);
        var one = app.ClientFrom("198.51.100.60");
        for (var i = 0; i < 5; i++)
        {
            (await one.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = $"person{i}@example.se" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await ShouldBeTooManyAttempts(await one.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = "person9@example.se" }));

        for (var i = 0; i < 3; i++)
        {
            (await app.ClientFrom($"198.51.100.{70 + i}").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail }))
                .StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await ShouldBeTooManyAttempts(await app.ClientFrom("198.51.100.79").PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail }));

        var guesser = app.ClientFrom("198.51.100.80");
        for (var i = 0; i < 10; i++)
        {
            (await guesser.PostAsJsonAsync("/api/v1/auth/password/set", new { secret = $"gissad-kod-{i}", newPassword = "Eget-val-2026-ok" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        await ShouldBeTooManyAttempts(await guesser.PostAsJsonAsync("/api/v1/auth/password/set", new { secret = "gissad-kod-x", newPassword = "Eget-val-2026-ok" }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Unknown_and_known_addresses_with_a_wrong_password_answer_in_the_same_time(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, productionHashing: true);
        var known = new List<double>();
        var unknown = new List<double>();
        async Task<double> Time(string address, string email)
        {
            var watch = Stopwatch.StartNew();
            (await SignIn(app, address, email, "Fel-lösenord-123")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            return watch.Elapsed.TotalMilliseconds;
        }

        await Time("10.9.9.1", KedjaApp.AdminEmail);
        await Time("10.9.9.2", "ingen.alls@example.se");
        for (var i = 0; i < 7; i++)
        {
            known.Add(await Time($"10.9.{i}.1", KedjaApp.AdminEmail));
            unknown.Add(await Time($"10.9.{i}.2", $"ingen{i}@example.se"));
        }

        var k = Median(known);
        var u = Median(unknown);
        u.ShouldBeGreaterThan(k * 0.5, $"known {k:0} ms, unknown {u:0} ms");
        u.ShouldBeLessThan(k * 2, $"known {k:0} ms, unknown {u:0} ms");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deployed_Kedja_hashes_a_new_password_with_100000_pbkdf2_rounds_not_the_tests_few(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, environment: "Production", productionHashing: true);
        const string password = "Ett-nytt-lösenord-2026";
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = KedjaApp.AdminPassword, newPassword = password }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var hash = Convert.FromBase64String((await Admin(app)).PasswordHash!);
        hash[0].ShouldBe((byte)0x01, "Identity's version 3 format: PBKDF2 with HMAC-SHA512");
        var rounds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4));
        rounds.ShouldBe(100_000u);
        rounds.ShouldBe((uint)new PasswordHasherOptions().IterationCount);
        (await SignIn(app, "192.0.2.44", KedjaApp.AdminEmail, password)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_lives_one_to_365_days_90_by_default_and_the_list_shows_when_it_expires(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var anonymous = app.CreateClient();
        foreach (var days in new long[] { 0, -1, 366, int.MaxValue })
        {
            var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword, expiresInDays = days });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("En token gäller från 1 till 365 dagar");
        }

        var client = await app.ClientAsync();
        var year = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword, expiresInDays = 365, name = "år" });
        year.StatusCode.ShouldBe(HttpStatusCode.OK);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var list = (await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/tokens")).EnumerateArray().ToList();
        list.Count.ShouldBe(2);
        list[0].GetProperty("expiresAt").GetDateTime().ShouldBe(now.AddDays(90), TimeSpan.FromMinutes(1));
        list[1].GetProperty("expiresAt").GetDateTime().ShouldBe(now.AddDays(365), TimeSpan.FromMinutes(1));

        app.Clock.Advance(TimeSpan.FromDays(91));
        (await client.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var yearClient = app.CreateClient();
        yearClient.DefaultRequestHeaders.Authorization = new("Bearer", (await year.Content.ReadFromJsonAsync<TokenResponse>())!.Token);
        (await yearClient.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_401_names_the_bearer_scheme_and_explains_in_swedish(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var anonymous = app.CreateClient();
        var none = await anonymous.GetAsync("/api/v1/tenants");
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        none.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Du behöver logga in. Skicka en giltig token i Authorization-huvudet.");

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "kedja_inte-en-riktig-token");
        var bad = await anonymous.GetAsync("/api/v1/tenants");
        bad.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        bad.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Bearer");
        bad.Headers.WwwAuthenticate.Single().Parameter!.ShouldContain("invalid_token");
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!.ShouldContain("Token är ogiltig");

        // A failed sign-in for a token is a 401 of the same scheme.
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = "Fel-lösenord-123" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Fel e-postadress eller lösenord.");

        var right = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword });
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        right.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }
}
