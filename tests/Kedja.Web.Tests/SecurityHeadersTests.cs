using System.Net;
using Kedja.Web.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Tests;

/// <summary>Every response carries the headers that keep a browser from sniffing, framing or leaking it: also errors.</summary>
public class SecurityHeadersTests
{
    private const string Sqlite = nameof(Data.DatabaseProvider.Sqlite);

    [Theory]
    [InlineData("X-Content-Type-Options", "nosniff")]
    [InlineData("Referrer-Policy", "same-origin")]
    [InlineData("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")]
    [InlineData("X-Frame-Options", "DENY")]
    public async Task Every_response_carries_the_header_also_404_401_and_500(string header, string value)
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, seedDemo: true, environment: "Production");
        var admin = await app.ClientAsync();
        var anonymous = app.CreateClient();

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["200"] = await anonymous.GetAsync("/health"),
            ["200 JSON"] = await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/units"),
            ["400"] = await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals?unitId=x"),
            ["401"] = await anonymous.GetAsync("/api/v1/tenants"),
            ["404"] = await admin.GetAsync("/api/v1/finns-inte"),
        };
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE goal_links");
        }

        responses["500"] = await admin.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals");
        responses["500"].StatusCode.ShouldBe(HttpStatusCode.InternalServerError);

        foreach (var (name, response) in responses)
        {
            response.Headers.TryGetValues(header, out var values).ShouldBeTrue($"{header} saknas på {name}");
            values!.ShouldHaveSingleItem().ShouldBe(value, $"{header} på {name}");
        }
    }

    [Fact]
    public async Task Https_responses_carry_HSTS_and_plain_http_is_redirected_when_Kedja_knows_its_https_port()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, environment: "Production", settings: new Dictionary<string, string?> { ["Kedja:Https:Port"] = "443" });

        var secure = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://kedja.example.se/") }).GetAsync("/health");
        secure.StatusCode.ShouldBe(HttpStatusCode.OK);
        secure.Headers.GetValues("Strict-Transport-Security").ShouldHaveSingleItem().ShouldBe("max-age=31536000");

        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://kedja.example.se/"), AllowAutoRedirect = false }).GetAsync("/health");
        plain.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        plain.Headers.Location.ShouldBe(new Uri("https://kedja.example.se/health"));
        plain.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_the_https_port_the_host_names_in_its_standard_setting()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, environment: "Production", settings: new Dictionary<string, string?> { ["HTTPS_PORT"] = "8443" });

        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://kedja.example.se/"), AllowAutoRedirect = false }).GetAsync("/health");

        plain.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        plain.Headers.Location.ShouldBe(new Uri("https://kedja.example.se:8443/health"));
    }

    [Fact]
    public async Task Hsts_and_redirection_can_be_turned_off()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Kedja:Https:Port"] = "443", ["Kedja:Https:Redirect"] = "false", ["Kedja:Https:Hsts"] = "false",
        });

        var secure = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://kedja.example.se/") }).GetAsync("/health");
        secure.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://kedja.example.se/"), AllowAutoRedirect = false }).GetAsync("/health");
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Behind_a_proxy_on_the_same_host_Kedja_believes_its_https_and_Kestrel_names_no_server()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, environment: "Production", kestrel: true);
        var client = app.CreateClient();
        client.BaseAddress!.Port.ShouldNotBe(80, "Kestrel på en egen port, inte testservern");

        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { Host = "kedja.example.se" } };
        forwarded.Headers.Add("X-Forwarded-Proto", "https");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var response = await client.SendAsync(forwarded);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Server").ShouldBeFalse();
        response.Headers.GetValues("Strict-Transport-Security").ShouldHaveSingleItem().ShouldBe("max-age=31536000");
        response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");

        var notFound = await client.GetAsync("/finns-inte");
        notFound.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task Known_proxies_and_networks_come_from_configuration()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, settings: new Dictionary<string, string?>
        {
            ["Kedja:Proxy:KnownProxies:0"] = "10.0.0.5", ["Kedja:Proxy:KnownNetworks:0"] = "10.1.0.0/16",
        });

        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        options.KnownProxies.ShouldContain(IPAddress.Parse("10.0.0.5"));
        options.KnownIPNetworks.ShouldContain(System.Net.IPNetwork.Parse("10.1.0.0/16"));
        options.ForwardedHeaders.ShouldBe(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto);
    }

    [Fact]
    public async Task Trace_is_answered_405_everywhere_and_never_renders_a_page()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite, seedDemo: true);
        var admin = await app.ClientAsync();
        foreach (var path in new[] { $"/k/{DemoTenant.Slug}", "/logga-in", $"/api/v1/tenants/{DemoTenant.Slug}/units", $"/p/{DemoTenant.Slug}" })
        {
            foreach (var method in new[] { "TRACE", "TRACK" })
            {
                using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, $"{method} {path}");
                if (!path.StartsWith("/p/", StringComparison.Ordinal))
                {
                    (await response.Content.ReadAsStringAsync()).ShouldNotContain("<main", Case.Insensitive, $"{method} {path}: not the page itself");
                }
            }
        }
    }
}
