using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;
using Kedja.Web.Ui;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// The engine's explanations, period names, status names of the standard scale and the global goals are said in the
/// reader's language, from one held result; the API keeps its Swedish sentences.
/// </summary>
public class ExplanationLanguageTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> ReadAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", $"{Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName}={Uri.EscapeDataString(Language.CookieValue(language)!)}");
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_read_in_English_explains_in_English_what_the_API_and_the_Swedish_page_say_in_Swedish(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library).OrderBy(g => g.SortOrder).Select(g => g.Id).FirstAsync();
        }

        var reader = await app.MemberClientAsync(Slug, Domain.Tenancy.TenantRole.Reader);
        var card = (await reader.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/units/{library}/scorecard?periodKey=2026-T2"))!;
        var explanations = card["groups"]!.AsArray().SelectMany(g => g!["goals"]!.AsArray()).Select(g => g!["explanation"]!.GetValue<string>()).ToList();
        explanations.ShouldNotBeEmpty();
        explanations.ShouldAllBe(e => e.Contains(" av ") || e.StartsWith("Inga ") || e.StartsWith("Målet "), "the API speaks Swedish");

        var url = $"/k/{Slug}/malkort/{library}?period=2026-T2";
        var swedish = await ReadAsync(reader, url, Language.Swedish);
        var english = await ReadAsync(reader, url, Language.English);
        foreach (var explanation in explanations)
        {
            swedish.ShouldContain(explanation);
            english.ShouldNotContain(explanation);
        }

        english.ShouldContain(" of ");
        english.ShouldMatch("indicators? (is|are) met|None of \\d+ indicators? has");
        english.ShouldContain("T2 2026");
        english.ShouldNotContain("Delvis uppfyllt");
        english.ShouldNotContain(">Uppfyllt");

        var goalPage = await ReadAsync(reader, $"/k/{Slug}/mal/{goal}?period=2026-T2", Language.English);
        goalPage.ShouldNotContain(" indikatorer ");
        goalPage.ShouldNotContain("Utfall ");

        var agenda = await ReadAsync(reader, $"/k/{Slug}/agenda-2030?period=2026-T2", Language.English);
        agenda.ShouldContain("1. No poverty");
        agenda.ShouldContain("17. Partnerships for the goals");
        agenda.ShouldNotContain("Ingen fattigdom");
        (await ReadAsync(reader, $"/k/{Slug}/agenda-2030?period=2026-T2", Language.Swedish)).ShouldContain("1. Ingen fattigdom");
    }
}
