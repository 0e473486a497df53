using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using Kedja.Web.Demo;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// The ASVS 4.0.3 level-2 requirements (docs/security.md) that had a control but no test: cookie flags (3.4.x),
/// CSRF on every form and none through the API (4.2.2, 13.2.3), character sets, no listing, no CORS (14.4.1, 4.3.2,
/// 14.5.3). Each starts one app on SQLite: what they check does not depend on the database.
/// </summary>
public sealed class AsvsTests
{
    private const string Sqlite = nameof(Data.DatabaseProvider.Sqlite);
    private static readonly Uri Https = new("https://kedja.example.se/");

    private static Task<string> TokenAsync(HttpClient client, string url) => KedjaApp.AntiforgeryTokenAsync(client, url);

    private static async Task<(HttpClient Client, HttpResponseMessage SignIn)> SignInAsync(KedjaApp app)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = Https });
        var answer = await KedjaApp.PostSignInFormAsync(client);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (client, answer);
    }

    [Fact]
    public async Task Session_cookies_are_secure_http_only_and_same_site_over_https()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite);
        var form = await app.CreateClient(new() { BaseAddress = Https }).GetAsync("/logga-in");
        var (_, signIn) = await SignInAsync(app);

        var cookies = form.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        cookies.ShouldContain(c => c.StartsWith("kedja=", StringComparison.Ordinal));
        cookies.ShouldContain(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        foreach (var cookie in cookies.Where(c => !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)))
        {
            var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
            var name = cookie.Split('=')[0];
            attributes.ShouldContain("secure", $"{name} utan Secure");
            attributes.ShouldContain("httponly", $"{name} utan HttpOnly");
            attributes.ShouldContain(a => a == "samesite=lax" || a == "samesite=strict", $"{name} utan SameSite");
            attributes.ShouldNotContain(a => a.StartsWith("domain=", StringComparison.Ordinal), $"{name} delas med andra värdar");
        }
    }

    [Fact]
    public async Task The_api_never_accepts_a_session_cookie_so_no_page_elsewhere_can_write_through_it()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, seedDemo: true);
        var (browser, _) = await SignInAsync(app);
        (await browser.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await browser.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var create = await browser.PostAsJsonAsync("/api/v1/tenants", new { slug = "csrf-kommun", name = "CSRF", firstYear = 2026 });
        create.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Slug == "csrf-kommun")).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task No_page_or_form_endpoint_skips_its_antiforgery_check_outside_the_api()
    {
        // Razor Pages check the token on every POST unless a page or handler opts out; none may.
        var web = typeof(Program).Assembly;
        var optedOut = web.GetTypes()
            .Where(t => typeof(PageModel).IsAssignableFrom(t) || typeof(ControllerBase).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttribute<IgnoreAntiforgeryTokenAttribute>(inherit: true) is not null
                || t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).Any(m => m.GetCustomAttribute<IgnoreAntiforgeryTokenAttribute>() is not null))
            .Select(t => t.FullName)
            .ToList();
        optedOut.ShouldBeEmpty();

        // Endpoints that read forms without the check are the API's uploads, which take bearer tokens only (above).
        await using var app = await KedjaApp.StartAsync(Sqlite);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var unchecked_ = endpoints
            .Where(e => e.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false })
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(route => !route.StartsWith("/api/", StringComparison.Ordinal) && !route.StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        unchecked_.ShouldBeEmpty();

        // And a page form posted without its token (from another site) is refused and does nothing.
        var (browser, _) = await SignInAsync(app);
        var signOut = await browser.PostAsync("/logga-ut", new FormUrlEncodedContent(new Dictionary<string, string>()));
        signOut.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Text_and_json_answers_name_their_character_set()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, seedDemo: true);
        var admin = await app.ClientAsync();
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["page"] = await anonymous.GetAsync("/logga-in"),
            ["json"] = await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/units"),
            ["problem 404"] = await admin.GetAsync("/api/v1/finns-inte"),
            ["problem 400"] = await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals?unitId=x"),
            ["css"] = await anonymous.GetAsync("/css/kedja.css"),
            ["svg"] = await anonymous.GetAsync("/favicon.svg"),
        };
        foreach (var (name, answer) in answers)
        {
            var type = answer.Content.Headers.ContentType;
            type.ShouldNotBeNull($"{name} saknar Content-Type");
            if (type.MediaType!.EndsWith("json", StringComparison.Ordinal) && type.CharSet is null)
            {
                // RFC 8259: JSON is UTF-8 and its media types define no charset parameter (ASVS 14.4.1 asks it of text/* and XML).
                continue;
            }

            type.CharSet.ShouldNotBeNull($"{name} ({type.MediaType}) saknar teckenkodning");
            type.CharSet!.ToLowerInvariant().ShouldBe("utf-8", name);
        }

        // 4.3.2 and 12.5.1: no listing, no repository files, nothing outside wwwroot.
        foreach (var path in new[] { "/.git/config", "/css/", "/wwwroot/css/kedja.css", "/appsettings.json", "/Kedja.Web.dll" })
        {
            var answer = await anonymous.GetAsync(path);
            answer.StatusCode.ShouldBeOneOf([HttpStatusCode.NotFound, HttpStatusCode.Redirect], path);
        }

        // 14.5.3: no CORS answer for a foreign origin, so other sites cannot read the API with a member's token.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/{DemoTenant.Slug}/units");
        request.Headers.Add("Origin", "https://angripare.example");
        request.Headers.Authorization = admin.DefaultRequestHeaders.Authorization;
        var cross = await anonymous.SendAsync(request);
        cross.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
