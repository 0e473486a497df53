using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Kolada.Tests;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Kolada;

/// <summary>
/// A yearly indicator linked to Kolada shows in a tertial's scorecard as the latest available value with its year (the
/// engine says so), where an unlinked yearly indicator says it is measured yearly; fetched values count the same.
/// </summary>
public sealed class LatestAvailableTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static JsonElement IndicatorOnCard(JsonElement card, string name) =>
        Walk(card).First(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.GetString() == name && e.TryGetProperty("explanation", out _));

    private static IEnumerable<JsonElement> Walk(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Walk))
        {
            yield return child;
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_yearly_Kolada_indicator_shows_its_latest_available_value_with_its_year_in_a_tertial(string provider)
    {
        await using var fake = await FakeKolada.StartAsync();
        fake.AddMunicipality("1280", "Malmö");
        fake.AddKpi(new FakeKpi("N00945", "Öppettimmar vid folkbibliotek per vecka", IsDividedByGender: false));
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?>
        {
            ["Kedja:Kolada:BaseUrl"] = fake.BaseUrl, ["Kedja:Kolada:MaxRetries"] = "1", ["Kedja:Kolada:RetryBaseDelaySeconds"] = "0",
        });
        var admin = await app.ClientAsync();
        Guid library, hours;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            hours = await db.Indicators.Where(i => i.Name == "Öppettimmar per vecka").Select(i => i.Id).SingleAsync();
            await db.Outcomes.Where(o => o.IndicatorId == hours && o.PeriodKey == "2025").ExecuteDeleteAsync();

            // Kolada's figure for a year comes months after the year's follow-up: here the library's is still open for it.
            await db.UnitPeriodStatuses.Where(s => s.UnitId == library && db.Periods.Any(p => p.Id == s.PeriodId && p.EndDate == new DateOnly(2025, 12, 31))).ExecuteDeleteAsync();
        }

        async Task<JsonElement> CardAsync() => IndicatorOnCard(await admin.GetFromJsonAsync<JsonElement>($"{Base}/units/{library}/scorecard?periodKey=2026-T2"), "Öppettimmar per vecka");

        (await CardAsync()).GetProperty("explanation").GetString().ShouldBe("Mäts årsvis och har inget mätvärde som ska följas upp i perioden.");

        var indicator = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/indicators/{hours}"))!;
        indicator["koladaKpiId"] = "N00945";
        indicator["koladaMunicipalityId"] = "1280";
        (await admin.PutAsJsonAsync($"{Base}/indicators/{hours}", indicator)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var linked = await CardAsync();
        linked.GetProperty("explanation").GetString()!.ShouldStartWith("Senaste tillgängliga värde, från helår 2024. Utfall ");
        linked.GetProperty("outcomePeriod").GetString().ShouldBe("2024");

        // Kolada publishes 2025: fetched, it is the latest available (the library follows the figure without judging it).
        fake.SetValue("N00945", "1280", 2025, 61m);
        (await admin.PostAsync($"{Base}/indicators/{hours}/kolada/fetch", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var fetched = await CardAsync();
        fetched.GetProperty("explanation").GetString().ShouldBe("Senaste tillgängliga värde, från helår 2025. Utfall 61 timmar. Neutral indikator: följs utan bedömning.");
        fetched.GetProperty("outcomePeriod").GetString().ShouldBe("2025");
    }
}
