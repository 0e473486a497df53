using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests;

/// <summary>
/// Every bad request and every framework error answers a Problem Details with a Swedish title, in Production as in
/// Development, and writes nothing. A server error tells nothing about its cause outside Development.
/// </summary>
public class ProblemDetailsTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";
    private const string Unreadable = "Uppgifterna kunde inte läsas. Inget har sparats.";

    public static TheoryData<string, string> ProvidersAndEnvironments()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in TestDatabase.Providers)
        {
            data.Add(provider, "Production");
            data.Add(provider, "Development");
        }

        return data;
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Problem)> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", await response.Content.ReadAsStringAsync());
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    internal static string Title(JsonElement problem) => problem.GetProperty("title").GetString()!;

    internal static string[] Errors(JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    private static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    [Theory]
    [MemberData(nameof(ProvidersAndEnvironments))]
    public async Task Unreadable_bodies_and_query_values_answer_400_in_Swedish_and_write_nothing(string provider, string environment)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, environment: environment);
        var admin = await app.ClientAsync();
        var units = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units");
        var unitId = units[0].GetProperty("id").GetGuid();
        var audit = await AuditCountAsync(app);

        var malformed = await ProblemAsync(await admin.PostAsync($"{Base}/units", Json("{\"name\": \"Halv")));
        malformed.Status.ShouldBe(HttpStatusCode.BadRequest);
        Title(malformed.Problem).ShouldBe(Unreadable);

        var wrongType = await ProblemAsync(await admin.PostAsync($"{Base}/units", Json("{\"name\": 5, \"kind\": \"unit\", \"isActive\": true}")));
        wrongType.Status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(wrongType.Problem, "$.name").ShouldHaveSingleItem().ShouldContain("kan inte läsas");

        var unknownEnum = await ProblemAsync(await admin.PostAsync($"{Base}/units", Json("{\"name\": \"Planet\", \"kind\": \"planet\", \"isActive\": true}")));
        unknownEnum.Status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(unknownEnum.Problem, "$.kind").ShouldNotBeEmpty();

        foreach (var empty in new[] { "null", "" })
        {
            var nothing = await ProblemAsync(await admin.PostAsync($"{Base}/units", Json(empty)));
            nothing.Status.ShouldBe(HttpStatusCode.BadRequest);
            Title(nothing.Problem).ShouldBe(Unreadable);
            Errors(nothing.Problem, "$").ShouldHaveSingleItem().ShouldContain("saknar innehåll");
        }

        var notAGuid = await ProblemAsync(await admin.GetAsync($"{Base}/goals?unitId=inte-ett-id"));
        notAGuid.Status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(notAGuid.Problem, "unitId").ShouldHaveSingleItem().ShouldBe("Värdet saknas eller har fel format.");

        var notANumber = await ProblemAsync(await admin.DeleteAsync($"{Base}/units/{unitId}?version=senaste"));
        notANumber.Status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(notANumber.Problem, "version").ShouldNotBeEmpty();

        // Every optional query value, on reading and on removing, in the tenant and in the public view.
        var goalId = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals"))[0].GetProperty("id").GetGuid();
        foreach (var (method, url, field) in new[]
        {
            (HttpMethod.Get, $"{Base}/goals?levelId=1", "levelId"),
            (HttpMethod.Get, $"{Base}/indicators?goalId={unitId}x", "goalId"),
            (HttpMethod.Get, $"{Base}/activities?programId=nej", "programId"),
            (HttpMethod.Get, $"{Base}/audit?take=alla", "take"),
            (HttpMethod.Get, $"{Base}/goals/{goalId}/planning?year=i%20år", "year"),
            (HttpMethod.Get, $"/api/v1/public/{DemoTenant.Slug}/goals?unitId=x", "unitId"),
            (HttpMethod.Get, $"/api/v1/public/{DemoTenant.Slug}/indicators?goalId=x", "goalId"),
            (HttpMethod.Delete, $"{Base}/goals/{goalId}?version=1.5", "version"),
            (HttpMethod.Delete, $"{Base}/indicators/{unitId}?version=ett", "version"),
            (HttpMethod.Delete, $"{Base}/activities/{unitId}?version=ett", "version"),
            (HttpMethod.Delete, $"{Base}/members/{unitId}?version=ett", "version"),
        })
        {
            var bad = await ProblemAsync(await admin.SendAsync(new HttpRequestMessage(method, url)));
            bad.Status.ShouldBe(HttpStatusCode.BadRequest, url);
            Title(bad.Problem).ShouldBe(Unreadable, url);
            Errors(bad.Problem, field).ShouldHaveSingleItem().ShouldBe("Värdet saknas eller har fel format.", url);
        }

        (await AuditCountAsync(app)).ShouldBe(audit);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).GetArrayLength().ShouldBe(units.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(ProvidersAndEnvironments))]
    public async Task Framework_errors_answer_with_Swedish_titles(string provider, string environment)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, environment: environment);
        var admin = await app.ClientAsync();

        var unauthorized = await ProblemAsync(await app.CreateClient().GetAsync("/api/v1/tenants"));
        unauthorized.Status.ShouldBe(HttpStatusCode.Unauthorized);
        Title(unauthorized.Problem).ShouldBe("Du behöver logga in. Skicka en giltig token i Authorization-huvudet.");

        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var forbidden = await ProblemAsync(await reader.PostAsJsonAsync($"{Base}/units", new { name = "Obehörig", kind = "unit", isActive = true }));
        forbidden.Status.ShouldBe(HttpStatusCode.Forbidden);
        Title(forbidden.Problem).ShouldBe("Din roll i kommunen räcker inte för det här.");

        foreach (var path in new[] { "/api/v1/finns-inte", $"{Base}/goals/inte-ett-id" })
        {
            var notFound = await ProblemAsync(await admin.GetAsync(path));
            notFound.Status.ShouldBe(HttpStatusCode.NotFound);
            Title(notFound.Problem).ShouldBe("Det som efterfrågas finns inte.");
        }

        var method = await ProblemAsync(await admin.DeleteAsync("/api/v1/tenants"));
        method.Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
        Title(method.Problem).ShouldBe("Metoden är inte tillåten på den här adressen.");

        var mediaType = await ProblemAsync(await admin.PostAsync($"{Base}/units", Json("{\"name\": \"Text\"}", "text/plain")));
        mediaType.Status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        Title(mediaType.Problem).ShouldBe("Innehållstypen stöds inte. Skicka JSON med Content-Type: application/json.");
    }

    [Theory]
    [MemberData(nameof(ProvidersAndEnvironments))]
    public async Task A_server_error_answers_500_in_Swedish_and_shows_its_cause_only_in_Development(string provider, string environment)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, environment: environment);
        var admin = await app.ClientAsync();
        await BreakGoalLinksAsync(app);

        var response = await admin.GetAsync($"{Base}/goals");
        var body = await response.Content.ReadAsStringAsync();
        var (status, problem) = await ProblemAsync(response);

        status.ShouldBe(HttpStatusCode.InternalServerError);
        Title(problem).ShouldBe("Ett oväntat fel inträffade i Kedja. Försök igen om en stund.");
        if (environment == "Production")
        {
            body.ShouldNotContain("goal_links", Case.Insensitive);
            body.ShouldNotContain("exception", Case.Insensitive);
            problem.TryGetProperty("detail", out _).ShouldBeFalse();
        }
        else
        {
            problem.GetProperty("detail").GetString()!.ShouldContain("goal_links");
        }
    }

    [Fact]
    public async Task Every_framework_status_has_a_Swedish_title_in_Production()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), environment: "Production");
        foreach (var status in new[] { 400, 401, 403, 404, 405, 413, 415, 429, 500 })
        {
            using var scope = app.Services.CreateScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Response.StatusCode = status;
            context.Response.Body = new MemoryStream();

            (await scope.ServiceProvider.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = status },
                Exception = status == 500 ? new InvalidOperationException("hemlig orsak") : null,
            })).ShouldBeTrue();

            context.Response.Body.Position = 0;
            var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
            var title = Title(problem);
            title.ShouldNotBe(Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), $"{status}");
            title.ShouldBe(Kedja.Web.Infrastructure.SwedishProblems.Title(status), $"{status}");
            title.ShouldContain(" ");
            problem.ToString().ShouldNotContain("hemlig orsak");
        }
    }

    /// <summary>
    /// The generated request delegates answer an optional value that does not parse (a nullable parameter) with a bare
    /// 400 that names nothing; handlers take such values as text and read them with QueryValue (ADR 18).
    /// </summary>
    [Fact]
    public async Task No_endpoint_binds_an_optional_value_the_framework_would_refuse_without_naming_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var handlers = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()).OfType<System.Reflection.MethodInfo>().ToList();
        handlers.Count.ShouldBeGreaterThan(40);
        var nullable = (from handler in handlers
                        from parameter in handler.GetParameters()
                        where Nullable.GetUnderlyingType(parameter.ParameterType) is not null
                        select $"{handler.DeclaringType?.Name}.{handler.Name}({parameter.Name})").ToList();
        nullable.ShouldBeEmpty();
    }

    internal static async Task<int> AuditCountAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.AuditEntries.CountAsync();
        }
    }

    /// <summary>A table the goal list reads disappears: the kind of fault a request cannot cause, but a server can have.</summary>
    private static async Task BreakGoalLinksAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE goal_links");
        }
    }
}
