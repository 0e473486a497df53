using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests;

/// <summary>What the newcomer's walk before closing issue 9 found, each as it would have been caught.</summary>
public class ClosingWalkTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_council_named_as_its_kind_is_named_once_on_its_scorecard_and_in_the_unit_lists(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "heby", name = "Heby kommun", template = ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var council = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Kommunfullmäktige").GetProperty("id").GetGuid();

        (await admin.GetStringAsync($"/k/heby/malkort/{council}")).ShouldContain("<h1>Kommunfullmäktige</h1>");
        foreach (var page in new[] { "/k/heby", "/k/heby/malkort", "/k/heby/organisation" })
        {
            var html = await admin.GetStringAsync(page);
            html.ShouldContain("Kommunfullmäktige", customMessage: page);
            html.ShouldNotContain("<span class=\"muted\">Kommunfullmäktige", customMessage: page);
        }

        // A kind that says more than the name is still written beside it.
        (await admin.GetStringAsync("/k/heby/malkort")).ShouldContain("<span class=\"muted\">Kommunstyrelse</span>");
    }
}
