using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Templates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>One way into a tenant for API endpoints, pages and jobs (ADR 17).</summary>
public class TenantAccessTests
{
    private static async Task CreateTenant(HttpClient admin, string slug)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug, name = $"Kommunen {slug}", kommunkod = "1234", template = ModelTemplates.Heby });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The answer without what differs from request to request (the trace id).</summary>
    internal static async Task<(HttpStatusCode Status, string Body)> AnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json") == true && JsonNode.Parse(body) is JsonObject problem)
        {
            problem.Remove("traceId");
            body = problem.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        return (response.StatusCode, body);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_page_under_a_tenant_route_lets_members_in_and_answers_others_as_if_the_tenant_did_not_exist(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        await CreateTenant(admin, "alfa");
        await CreateTenant(admin, "beta");
        var alfaReader = await app.MemberClientAsync("alfa", TenantRole.Reader);

        var page = await alfaReader.GetAsync("/k/alfa");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>Att göra</h1>");
        html.ShouldContain("Kommunen alfa");
        html.ShouldContain("Du kan läsa allt i kommunen.");

        var otherTenant = await AnswerAsync(await alfaReader.GetAsync("/k/beta"));
        var noTenant = await AnswerAsync(await alfaReader.GetAsync("/k/gamma"));
        otherTenant.Status.ShouldBe(HttpStatusCode.NotFound);
        otherTenant.ShouldBe(noTenant);
        otherTenant.Body.ShouldContain(TenantAccess.NotFoundMessage);
        otherTenant.Body.ShouldContain("<h1>Sidan kan inte visas</h1>");
        otherTenant.Body.ShouldNotContain("beta");

        // The API gives a stranger the same message, as Problem Details.
        var api = await AnswerAsync(await alfaReader.GetAsync("/api/v1/tenants/beta/units"));
        (await AnswerAsync(await alfaReader.GetAsync("/api/v1/tenants/gamma/units"))).ShouldBe(api);
        api.Status.ShouldBe(HttpStatusCode.NotFound);
        api.Body.ShouldContain(TenantAccess.NotFoundMessage);

        // Whoever is not signed in is sent to sign in, whether the tenant exists or not, and back afterwards; a system
        // administrator gets in.
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var slug in new[] { "alfa", "gamma" })
        {
            var answer = await anonymous.GetAsync($"/k/{slug}");
            answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            answer.Headers.Location!.ToString().ShouldEndWith($"/logga-in?tillbaka=%2Fk%2F{slug}");
        }

        (await admin.GetStringAsync("/k/beta")).ShouldContain("Du är administratör");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_role_too_low_is_refused_with_403_only_to_members(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        await CreateTenant(admin, "alfa");
        var reader = await app.MemberClientAsync("alfa", TenantRole.Reader);

        var refused = await reader.GetAsync("/api/v1/tenants/alfa/members");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain(TenantAccess.ForbiddenMessage);
        (await reader.GetAsync("/api/v1/tenants/beta/members")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_enters_a_tenant_as_the_system_and_an_unknown_tenant_is_named(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        await CreateTenant(await app.ClientAsync(), "alfa");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var entered = await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync("alfa");
            entered.Error.ShouldBeNull();
            var context = scope.ServiceProvider.GetRequiredService<TenantContext>();
            context.ShouldBeSameAs(entered.Value);
            (context.Slug, context.Role, context.IsSystemAdmin, context.UserId).ShouldBe(("alfa", TenantRole.Admin, true, ""));
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            db.Scope.Slug.ShouldBe("alfa");
            (await db.Units.CountAsync()).ShouldBeGreaterThan(0);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var missing = await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync("gamma");
            missing.Error!.Kind.ShouldBe(ServiceErrorKind.NotFound);
            missing.Error.Message.ShouldBe("Kommunen 'gamma' finns inte.");
            scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Scope.TenantId.ShouldBeNull();
        }
    }

    private static string Route(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.TrimStart('/');

    /// <summary>A route that names a tenant and forgets to ask for membership would serve anyone; none may exist.</summary>
    [Fact]
    public async Task Every_endpoint_and_page_under_a_tenant_route_asks_for_membership_or_is_the_published_view()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite");
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.GetParameter("slug") is not null).ToList();
        endpoints.Count.ShouldBeGreaterThan(40);
        endpoints.ShouldContain(e => Route(e) == "/k/{slug}");

        foreach (var endpoint in endpoints)
        {
            var route = Route(endpoint);
            if (route.StartsWith("/api/v1/public/", StringComparison.Ordinal))
            {
                endpoint.Metadata.GetMetadata<IAllowAnonymous>().ShouldNotBeNull(route);
                endpoint.Metadata.GetMetadata<ITenantAccessMetadata>().ShouldBeNull(route);
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.ShouldBe(["GET"], route);
            }
            else if (route.StartsWith("/p/", StringComparison.Ordinal))
            {
                // The public portal (ADR 41): anonymous pages that read only the published view and take no form.
                endpoint.Metadata.GetMetadata<IAllowAnonymous>().ShouldNotBeNull(route);
                endpoint.Metadata.GetMetadata<ITenantAccessMetadata>().ShouldBeNull(route);
                var page = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>();
                page?.HandlerMethods.Select(h => h.HttpMethod).ShouldAllBe(m => m == "Get", route);
            }
            else if (route.StartsWith("/inloggning/oidc/", StringComparison.Ordinal))
            {
                // Sign-in through the tenant's own provider (ADR 45): reached before anyone is signed in; GET only.
                endpoint.Metadata.GetMetadata<IAllowAnonymous>().ShouldNotBeNull(route);
                endpoint.Metadata.GetMetadata<ITenantAccessMetadata>().ShouldBeNull(route);
                var page = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>();
                page?.HandlerMethods.Select(h => h.HttpMethod).ShouldAllBe(m => m == "Get", route);
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ShouldBe(["GET"], route);
            }
            else
            {
                endpoint.Metadata.GetMetadata<ITenantAccessMetadata>().ShouldNotBeNull(route);
                endpoint.Metadata.GetMetadata<IAllowAnonymous>().ShouldBeNull(route);
            }
        }
    }
}
