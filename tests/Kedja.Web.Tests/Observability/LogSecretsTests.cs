using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Microsoft.Extensions.Logging;

namespace Kedja.Web.Tests.Observability;

/// <summary>
/// No password, token, code, cookie or e-mail address in any log line (issue 18, ADR 51): the sign-in journeys run
/// with every category at Trace, and every message, exception and scope value written is searched for what the
/// journeys used.
/// </summary>
public sealed partial class LogSecretsTests
{
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sign_in_forgot_password_the_mailed_link_tokens_and_two_factor_write_no_secret_or_address_to_the_log(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            // The test host's own console would print all of it.
            ["Logging:Console:LogLevel:Default"] = "None",
        });
        var log = new ScopedLogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var secrets = new List<string> { KedjaApp.AdminPassword, KedjaApp.AdminEmail };

        // A password sign-in in the browser (the session cookie), a wrong one, and an API token.
        var browser = TwoFactorTests.Browserlike(app);
        var signedIn = await KedjaApp.PostSignInFormAsync(browser);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        secrets.AddRange(CookieValues(signedIn));
        (await KedjaApp.PostSignInFormAsync(TwoFactorTests.Browserlike(app), password: "Fel-lösenord-9876")).StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        secrets.Add("Fel-lösenord-9876");
        var tokenAnswer = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        secrets.Add(token);
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await admin.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // An invitation: the mailed link sets the first password.
        const string invited = "inbjuden.person@example.se";
        const string chosen = "Kastanj-Violett-2026";
        secrets.AddRange([invited, chosen]);
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/members", new { email = invited, role = "editor" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = KedjaApp.LinkSecret((await app.WaitForMailsAsync(invited)).Last());
        secrets.Add(invitation);
        await SetPasswordAsync(app, invitation, chosen);

        // Forgot password: the form, the mailed link, a new password.
        var (member, memberPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor);
        const string renewed = "Ekorre-Blandning-4711";
        secrets.AddRange([member, memberPassword, renewed]);
        (await TwoFactorTests.PostFormAsync(app.CreateClient(), "/konto/glomt", "/konto/glomt", new() { ["Email"] = member })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reset = KedjaApp.LinkSecret((await app.WaitForMailsAsync(member)).Last());
        secrets.Add(reset);
        await SetPasswordAsync(app, reset, renewed);

        // Two-factor: enrolment (the key, the first code, the recovery codes), then a sign-in with a code.
        app.Clock.Freeze();
        var (_, key, recovery) = await TwoFactorTests.EnrolAsync(app, member, renewed);
        secrets.Add(key);
        secrets.AddRange(recovery);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = TwoFactorTests.Browserlike(app);
        var pending = await KedjaApp.PostSignInFormAsync(second, member, renewed);
        secrets.AddRange(CookieValues(pending));
        var code = TwoFactorTests.CodeNow(app, key);
        secrets.Add(code);
        var done = await TwoFactorTests.CodeAsync(second, code);
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        secrets.AddRange(CookieValues(done));

        await Task.Delay(200); // the mail worker's last lines
        var lines = log.Lines.ToList();
        lines.Count.ShouldBeGreaterThan(100, "every level was captured");
        lines.ShouldContain(l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal), "ASP.NET Core's own lines too");
        var found = secrets.Where(s => s.Length >= 6).SelectMany(s => lines.Where(l => l.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(l => $"{s}: {l}")).Take(5).ToList();
        found.ShouldBeEmpty();
        lines.Select(l => EmailAddress().Match(l)).Where(m => m.Success).Select(m => m.Value).Distinct().ShouldBeEmpty("no e-mail address at all");
    }

    private static async Task SetPasswordAsync(KedjaApp app, string code, string password)
    {
        var browser = app.CreateClient(new() { HandleCookies = true });
        var url = $"/konto/losenord?kod={Uri.EscapeDataString(code)}";
        var response = await TwoFactorTests.PostFormAsync(browser, url, url, new() { ["kod"] = code, ["nytt"] = password, ["upprepa"] = password });
        (await response.Content.ReadAsStringAsync()).ShouldContain("role=\"status\"");
    }

    /// <summary>The values of the cookies an answer sets (the session, the pending second step, antiforgery).</summary>
    private static IEnumerable<string> CookieValues(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Select(c => c[(c.IndexOf('=') + 1)..]).Where(v => v.Length >= 16)
            : [];

    /// <summary>Every line written, at every level, with its category, exception and the values of its scopes.</summary>
    private sealed class ScopedLogCapture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopedLogCapture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder($"{category} [{logLevel}]: {formatter(state, exception)} {exception}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (name, value) in values)
                    {
                        line.Append($" {name}={value}");
                    }
                }

                owner.scopes.ForEachScope((scope, text) =>
                {
                    text.Append(" => ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (name, value) in pairs)
                        {
                            text.Append($" {name}={value}");
                        }
                    }
                }, line);
                owner.Lines.Enqueue(line.ToString());
            }
        }
    }
}
