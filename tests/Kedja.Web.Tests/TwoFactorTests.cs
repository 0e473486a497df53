using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Auth.TwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Kedja.Web.Tests;

/// <summary>
/// Two-factor for local accounts (ADR 45) as a person and an attacker meet it over HTTP: codes computed here with
/// Otp.NET from the key the enrolment page shows, time moved on the app's clock.
/// </summary>
public partial class TwoFactorTests
{
    private const string Otherwhere = "203.0.113.7";

    [GeneratedRegex("id=\"nyckel\">([A-Z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([0-9a-z]{5}-[0-9a-z]{5})</code></li>")]
    private static partial Regex RecoveryCodePattern();

    private static Dictionary<string, string?> RequiredForAdmins => new() { ["Kedja:Accounts:RequireTwoFactorForSystemAdmins"] = "true" };

    internal static HttpClient Browserlike(KedjaApp app, string? address = null)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        if (address is not null)
        {
            client.DefaultRequestHeaders.Add(KedjaApp.AddressHeader, address);
        }

        return client;
    }

    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await KedjaApp.AntiforgeryTokenAsync(client, page);
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    internal static Task<HttpResponseMessage> CodeAsync(HttpClient client, string code) =>
        PostFormAsync(client, SecondFactor.CodePath, SecondFactor.CodePath, new() { ["kod"] = code });

    /// <summary>What an authenticator app with this key shows on the app's clock now.</summary>
    internal static string CodeNow(KedjaApp app, string key, TimeSpan? skew = null) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp((app.Clock.GetUtcNow() + (skew ?? TimeSpan.Zero)).UtcDateTime);

    /// <summary>The key the enrolment page shows (the spaces between its groups taken out).</summary>
    private static async Task<string> KeyShownAsync(HttpClient session)
    {
        var page = await session.GetStringAsync(SecondFactor.EnrolPath);
        page.ShouldContain("<svg", Case.Sensitive, "the QR code is drawn into the page");
        page.ShouldNotContain("style=", Case.Insensitive, "no inline style: the CSP (default-src 'self') would refuse it");
        // No inline script: the site's one script file (ADR 55) is the only script tag.
        Regex.Replace(page, "<script src=\"/js/kedja.js\\?v=[^\"]+\" defer></script>", "").ShouldNotContain("<script", Case.Insensitive);
        var key = KeyPattern().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        key.Length.ShouldBe(32, "20 bytes in base32");
        return key;
    }

    /// <summary>Signs in with the password, enrols with a code and returns the key and the recovery codes shown once.</summary>
    internal static async Task<(HttpClient Session, string Key, List<string> RecoveryCodes)> EnrolAsync(KedjaApp app, string email = KedjaApp.AdminEmail, string password = KedjaApp.AdminPassword)
    {
        var session = Browserlike(app);
        (await KedjaApp.PostSignInFormAsync(session, email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var key = await KeyShownAsync(session);
        var on = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=On", new() { ["kod"] = CodeNow(app, key) });
        on.StatusCode.ShouldBe(HttpStatusCode.OK);
        on.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var codes = RecoveryCodePattern().Matches(await on.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        codes.Count.ShouldBe(RecoveryCodes.Count);
        codes.Distinct().Count().ShouldBe(RecoveryCodes.Count);
        return (session, key, codes);
    }

    private static async Task<List<Domain.Auditing.AuditEntry>> AccountAuditAsync(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Entity == AccountAudit.Account || a.Entity == AccountAudit.Token).OrderBy(a => a.Id).ToListAsync();
    }

    private static async Task<KedjaUser> AccountAsync(KedjaApp app, string email = KedjaApp.AdminEmail)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>().FindByEmailAsync(email))!;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_password_alone_gives_no_session_and_a_code_from_the_app_signs_in_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        app.Clock.Freeze();
        var (_, key, _) = await EnrolAsync(app);
        var account = await AccountAsync(app);
        account.TwoFactorEnabled.ShouldBeTrue();
        account.AuthenticatorKeyProtected.ShouldNotBeNull().ShouldNotContain(key, Case.Insensitive, "stored protected, not as the key");

        var client = Browserlike(app);
        var password = await KedjaApp.PostSignInFormAsync(client);
        password.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        password.Headers.Location!.ToString().ShouldBe(SecondFactor.CodePath);
        password.Headers.GetValues("Set-Cookie").ShouldNotContain(c => c.StartsWith("kedja=", StringComparison.Ordinal), "no session before the code");
        var pending = password.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kedja.tvastegs=", StringComparison.Ordinal));
        pending.ShouldContain("path=/inloggning/tvastegs", Case.Insensitive);
        pending.ShouldContain("httponly", Case.Insensitive);
        (await client.GetAsync("/profil")).Headers.Location!.ToString().ShouldStartWith("/logga-in", Case.Sensitive, "the password alone reaches nothing");

        var wrong = await CodeAsync(client, CodeNow(app, key) == "123456" ? "654321" : "123456");
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Koden stämmer inte");

        var replayed = await CodeAsync(client, CodeNow(app, key));
        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the code that turned two-factor on was used in this 30-second step");

        var tooOld = await CodeAsync(client, CodeNow(app, key, TimeSpan.FromSeconds(-90)));
        tooOld.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "one step either side, no more");

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = CodeNow(app, key);
        var right = await CodeAsync(client, code);
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        right.Headers.Location!.ToString().ShouldBe("/");
        right.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("kedja=", StringComparison.Ordinal));
        (await client.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = Browserlike(app);
        (await KedjaApp.PostSignInFormAsync(again)).Headers.Location!.ToString().ShouldBe(SecondFactor.CodePath);
        (await CodeAsync(again, code)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a code is accepted once, also in another sign-in");

        var audit = await AccountAuditAsync(app);
        audit.ShouldContain(a => a.Action == "TwoFactorEnabled" && a.EntityId == account.Id);
        audit.Count(a => a.Action == "TwoFactorFailed" && a.EntityId == account.Id).ShouldBe(4);
        audit.ShouldContain(a => a.Action == "SignedIn" && a.EntityId == account.Id && a.After!.Contains("\"how\":\"two-factor\""));
        audit.ShouldNotContain(a => a.After != null && (a.After.Contains(key, StringComparison.OrdinalIgnoreCase) || a.After.Contains(code, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_sign_ins_sending_the_same_code_at_once_get_one_session(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        app.Clock.Freeze();
        var (_, key, _) = await EnrolAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var clients = Enumerable.Range(0, 4).Select(_ => Browserlike(app)).ToList();
        foreach (var client in clients)
        {
            (await KedjaApp.PostSignInFormAsync(client)).Headers.Location!.ToString().ShouldBe(SecondFactor.CodePath);
        }

        var code = CodeNow(app, key);
        var forms = new List<FormUrlEncodedContent>();
        foreach (var client in clients)
        {
            forms.Add(new FormUrlEncodedContent(new Dictionary<string, string> { ["kod"] = code, ["__RequestVerificationToken"] = await KedjaApp.AntiforgeryTokenAsync(client, SecondFactor.CodePath) }));
        }

        var answers = await Task.WhenAll(clients.Select((client, i) => client.PostAsync(SecondFactor.CodePath, forms[i])));
        answers.Count(a => a.StatusCode == HttpStatusCode.Redirect).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recovery_code_signs_in_once_and_new_codes_replace_the_old(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var (session, _, codes) = await EnrolAsync(app);

        var first = Browserlike(app);
        await KedjaApp.PostSignInFormAsync(first);
        // Typed as from paper: upper case, a space for the dash, O for zero.
        var typed = codes[0].ToUpperInvariant().Replace('-', ' ').Replace('0', 'O');
        (await CodeAsync(first, typed)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await first.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var second = Browserlike(app);
        await KedjaApp.PostSignInFormAsync(second);
        (await CodeAsync(second, codes[0])).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "used once only");

        var page = await first.GetStringAsync(SecondFactor.EnrolPath);
        page.ShouldContain("Du har 9 oanvända reservkoder.");
        var renewed = await PostFormAsync(first, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Codes", []);
        renewed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = RecoveryCodePattern().Matches(await renewed.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        fresh.Count.ShouldBe(RecoveryCodes.Count);
        fresh.Intersect(codes).ShouldBeEmpty();

        var third = Browserlike(app);
        await KedjaApp.PostSignInFormAsync(third);
        (await CodeAsync(third, codes[1])).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "an old code no longer works");
        (await CodeAsync(third, fresh[1])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        session.Dispose();

        var audit = await AccountAuditAsync(app);
        audit.Count(a => a.Action == "RecoveryCodeUsed").ShouldBe(2);
        audit.ShouldContain(a => a.Action == "RecoveryCodesRenewed");
        audit.ShouldNotContain(a => a.After != null && codes.Concat(fresh).Any(c => a.After.Contains(c, StringComparison.Ordinal)));
        using var scope = app.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().RecoveryCodes.Select(c => c.CodeHash).ToListAsync();
        stored.Count.ShouldBe(RecoveryCodes.Count);
        stored.ShouldAllBe(hash => hash.Length == 64 && !fresh.Contains(hash));
    }

    [Fact]
    public async Task The_code_step_needs_the_password_step_of_the_last_five_minutes()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite));
        app.Clock.Freeze();
        var (_, key, _) = await EnrolAsync(app);

        var stranger = Browserlike(app);
        (await stranger.GetAsync(SecondFactor.CodePath)).Headers.Location!.ToString().ShouldBe(CookieSignIn.SignInPath);
        (await PostFormAsync(stranger, CookieSignIn.SignInPath, SecondFactor.CodePath, new() { ["kod"] = "123456" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var slow = Browserlike(app);
        await KedjaApp.PostSignInFormAsync(slow);
        var antiforgery = await KedjaApp.AntiforgeryTokenAsync(slow, SecondFactor.CodePath);
        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        (await slow.GetAsync(SecondFactor.CodePath)).Headers.Location!.ToString().ShouldBe(CookieSignIn.SignInPath);
        var late = await slow.PostAsync(SecondFactor.CodePath, new FormUrlEncodedContent(new Dictionary<string, string> { ["kod"] = CodeNow(app, key), ["__RequestVerificationToken"] = antiforgery }));
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await late.Content.ReadAsStringAsync()).ShouldContain("Logga in igen");
        (await slow.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Guessing_codes_from_many_addresses_is_delayed_for_the_account_and_a_delayed_code_is_not_checked()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), realLimits: true);
        app.Clock.Freeze();
        var (_, key, _) = await EnrolAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var right = CodeNow(app, key);
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            var guesser = Browserlike(app, $"198.51.100.{10 + i}");
            await KedjaApp.PostSignInFormAsync(guesser);
            (await CodeAsync(guesser, wrong)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var owner = Browserlike(app, Otherwhere);
        await KedjaApp.PostSignInFormAsync(owner);
        var held = await CodeAsync(owner, right);
        held.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "five wrong codes from anywhere delay the account's code step");
        held.Headers.RetryAfter.ShouldNotBeNull();

        app.Clock.Advance(TimeSpan.FromSeconds(3));
        var code = CodeNow(app, key);
        (await CodeAsync(owner, code)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the held code was not used up, and the wait is short");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_system_administrator_who_must_use_two_factor_reaches_only_enrolment_until_enrolled(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: RequiredForAdmins);
        app.Clock.Freeze();
        var session = Browserlike(app);
        var signIn = await KedjaApp.PostSignInFormAsync(session);
        signIn.Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath);

        foreach (var page in new[] { "/", "/profil", "/k/exempelkommun", "/k/exempelkommun/malkort", "/ny-kommun" })
        {
            var answer = await session.GetAsync(page);
            answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, page);
            answer.Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath, customMessage: page);
        }

        var token = await PostFormAsync(session, SecondFactor.EnrolPath, "/profil?handler=Token", new() { ["namn"] = "smyg", ["dagar"] = "5" });
        token.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await token.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Title.ShouldBe(TwoFactorGate.MustEnrol);
        (await session.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the API never takes the cookie");
        var password = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword });
        password.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "no token for a password alone");
        using (var scope = app.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().AccessTokens.CountAsync()).ShouldBe(0);
        }

        var enrolPage = await session.GetStringAsync(SecondFactor.EnrolPath);
        enrolPage.ShouldContain("Ditt konto måste ha tvåstegsverifiering");
        var key = await KeyShownAsync(session);
        var on = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=On", new() { ["kod"] = CodeNow(app, key) });
        on.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await session.GetAsync("/k/exempelkommun")).StatusCode.ShouldBe(HttpStatusCode.OK, "enrolled: the session goes on, now with two-factor");
        var made = await PostFormAsync(session, "/profil", "/profil?handler=Token", new() { ["namn"] = "skript", ["dagar"] = "5" });
        made.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await made.Content.ReadAsStringAsync()).ShouldContain("kedja_");

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var off = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Off", new() { ["kod"] = CodeNow(app, key) });
        off.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await off.Content.ReadAsStringAsync()).ShouldContain("kan inte stängas av");
        (await AccountAsync(app)).TwoFactorEnabled.ShouldBeTrue();

        // A lost phone: a recovery code moves the account to a new app, and until it is confirmed the session reaches
        // only enrolment again.
        var recoveryCode = RecoveryCodePattern().Match(await on.Content.ReadAsStringAsync()).Groups[1].Value;
        var change = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Change", new() { ["kod"] = recoveryCode });
        change.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        change.Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath);
        (await AccountAsync(app)).TwoFactorEnabled.ShouldBeFalse();
        (await session.GetAsync("/k/exempelkommun")).Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath);
        var newKey = await KeyShownAsync(session);
        newKey.ShouldNotBe(key);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        (await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=On", new() { ["kod"] = CodeNow(app, newKey) })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await session.GetAsync("/k/exempelkommun")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccountAuditAsync(app)).ShouldContain(a => a.Action == "TwoFactorAppChanged");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_municipality_that_requires_two_factor_sends_its_members_to_enrolment_and_their_profile_makes_no_token_without_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync("exempelkommun", Domain.Tenancy.TenantRole.Editor);
        var before = Browserlike(app);
        (await KedjaApp.PostSignInFormAsync(before, email, password)).Headers.Location!.ToString().ShouldBe("/");
        (await PostFormAsync(before, "/profil", "/profil?handler=Token", new() { ["namn"] = "före", ["dagar"] = "5" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Tenants.Where(t => t.Slug == "exempelkommun")
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RequireTwoFactor, true));
        }

        // The session from before the requirement goes on (until it ends), but makes no token without two-factor.
        var refused = await PostFormAsync(before, "/profil", "/profil?handler=Token", new() { ["namn"] = "efter", ["dagar"] = "5" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("En API-nyckel skapas bara när du har loggat in med en kod från appen");

        var after = Browserlike(app);
        (await KedjaApp.PostSignInFormAsync(after, email, password)).Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath);
        (await after.GetAsync("/k/exempelkommun")).Headers.Location!.ToString().ShouldBe(SecondFactor.EnrolPath);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email, password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var audit = await AccountAuditAsync(app);
        audit.Count(a => a.Entity == AccountAudit.Token && a.Action == "Created").ShouldBe(1);
        audit.ShouldContain(a => a.Action == "SignedIn" && a.After!.Contains("\"mustEnrol\":true"));
        audit.ShouldContain(a => a.Action == "TokenRefused");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_token_endpoint_answers_a_right_password_of_a_two_factor_account_exactly_as_a_wrong_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        await EnrolAsync(app);

        var right = await app.ClientFrom(Otherwhere).PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword });
        var wrong = await app.ClientFrom("203.0.113.8").PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = "Inte-ratt-losenord-1" });

        right.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        right.Headers.WwwAuthenticate.ToString().ShouldBe(wrong.Headers.WwwAuthenticate.ToString());
        static string Shape(string body) => Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
        Shape(await right.Content.ReadAsStringAsync()).ShouldBe(Shape(await wrong.Content.ReadAsStringAsync()));
        (await AccountAuditAsync(app)).ShouldContain(a => a.Action == "TokenRefused" && a.After!.Contains(Otherwhere));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_token_endpoint_refuses_a_right_password_of_a_two_factor_account_in_the_time_a_wrong_one_takes(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, productionHashing: true, settings: RequiredForAdmins);
        async Task<double> TimeAsync(string address, string password)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            (await app.ClientFrom(address).PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            return watch.Elapsed.TotalMilliseconds;
        }

        await TimeAsync("10.8.9.1", KedjaApp.AdminPassword);
        await TimeAsync("10.8.9.2", "Fel-lösenord-123");
        var right = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            right.Add(await TimeAsync($"10.8.{i}.1", KedjaApp.AdminPassword));
            wrong.Add(await TimeAsync($"10.8.{i}.2", "Fel-lösenord-123"));
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var (r, w) = (Median(right), Median(wrong));
        r.ShouldBeGreaterThan(w * 0.5, $"right {r:0} ms, wrong {w:0} ms");
        r.ShouldBeLessThan(w * 2, $"right {r:0} ms, wrong {w:0} ms");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_factor_is_turned_off_only_with_a_current_code_and_ends_the_other_sessions(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        app.Clock.Freeze();
        var (session, key, _) = await EnrolAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var other = Browserlike(app);
        await KedjaApp.PostSignInFormAsync(other);
        (await CodeAsync(other, CodeNow(app, key))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var wrong = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Off", new() { ["kod"] = "12345" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountAsync(app)).TwoFactorEnabled.ShouldBeTrue();

        var off = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=Off", new() { ["kod"] = CodeNow(app, key) });
        off.StatusCode.ShouldBe(HttpStatusCode.OK);
        var account = await AccountAsync(app);
        account.TwoFactorEnabled.ShouldBeFalse();
        (await KeyShownAsync(session)).ShouldNotBe(key, "the old key is gone; enrolling again starts with a new one");
        (await session.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK, "this session goes on");
        (await other.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "every other session ends");
        (await KedjaApp.PostSignInFormAsync(Browserlike(app))).Headers.Location!.ToString().ShouldBe("/");
        (await AccountAuditAsync(app)).ShouldContain(a => a.Action == "TwoFactorDisabled");
        using var scope = app.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().RecoveryCodes.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_wrong_code_at_enrolment_points_to_the_app_not_to_recovery_codes_that_do_not_exist_yet(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        app.Clock.Freeze();
        var session = Browserlike(app);
        (await KedjaApp.PostSignInFormAsync(session)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var key = await KeyShownAsync(session);

        var wrong = await PostFormAsync(session, SecondFactor.EnrolPath, SecondFactor.EnrolPath + "?handler=On", new() { ["kod"] = CodeNow(app, key) == "123456" ? "654321" : "123456" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await wrong.Content.ReadAsStringAsync();
        page.ShouldContain("Koden stämmer inte. Skriv de sex siffror som appen visar nu");
        page.ShouldNotContain("oanvänd reservkod", Case.Sensitive, "nobody has recovery codes before enrolling");
        (await AccountAsync(app)).TwoFactorEnabled.ShouldBeFalse();
        (await KeyShownAsync(session)).ShouldBe(key, "a wrong code keeps the key the app already holds");
    }
}
