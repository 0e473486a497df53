using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Kolada.Tests;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Kolada;

/// <summary>An editor finds a key figure by its name on the indicator's Kolada page and links the indicator to it, without knowing Kolada's ids.</summary>
public sealed class KoladaLinkingTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_searches_Koladas_catalogue_by_name_and_links_the_indicator_for_the_municipality(string provider)
    {
        await using var fake = await FakeKolada.StartAsync();
        fake.AddKpi(new FakeKpi("N00945", "Öppettimmar vid folkbibliotek per vecka", IsDividedByGender: false));
        fake.AddKpi(new FakeKpi("N00090", "Sjukfrånvaro totalt, kommun, andel (%)", IsDividedByGender: true));
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?>
        {
            ["Kedja:Kolada:BaseUrl"] = fake.BaseUrl, ["Kedja:Kolada:MaxRetries"] = "0",
        });
        Guid library, hours;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            hours = await db.Indicators.Where(i => i.Name == "Öppettimmar per vecka").Select(i => i.Id).SingleAsync();
        }

        var signedIn = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var editor = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        editor.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        var page = $"/k/{Slug}/indikator/{hours}/kolada";

        var search = await editor.GetAsync(page + "?sok=folkbibliotek");
        var found = await search.Content.ReadAsStringAsync();
        search.StatusCode.ShouldBe(HttpStatusCode.OK, found);
        found.ShouldContain("Öppettimmar vid folkbibliotek per vecka");
        found.ShouldNotContain("Sjukfrånvaro totalt");
        (await editor.GetStringAsync(page + "?sok=ab")).ShouldContain("Skriv minst tre tecken");
        (await reader.GetStringAsync(page + "?sok=folkbibliotek")).ShouldNotContain("Öppettimmar vid folkbibliotek per vecka", Case.Sensitive, "a reader gets no search");

        var chosen = await editor.GetStringAsync(page + "?valj=N00945");
        chosen.ShouldContain("Indikatorn kopplas till nyckeltalet N00945.");
        var token = await TokenAsync(editor, page + "?valj=N00945");
        var version = Regex.Match(chosen, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var posted = await editor.PostAsync(page + "?handler=Link", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kpi"] = "N00945", ["kommun"] = "1280", ["enhet"] = "", ["kon"] = "Total", ["version"] = version,
        }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var after = await editor.GetStringAsync(posted.Headers.Location!.ToString());
        after[after.IndexOf("<main", StringComparison.Ordinal)..].ShouldContain("N00945");

        // A second post with the version read before is a conflict, not an overwrite.
        var stale = await editor.PostAsync(page + "?handler=Link", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kpi"] = "N00090", ["kommun"] = "1280", ["kon"] = "Women", ["version"] = version,
        }));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var linked = await db.Indicators.AsNoTracking().SingleAsync(i => i.Id == hours);
            (linked.KoladaKpiId, linked.KoladaMunicipalityId, linked.KoladaGender, linked.Source).ShouldBe(("N00945", "1280", KoladaGender.Total, ValueSource.Kolada));
            (await db.AuditEntries.AnyAsync(e => e.Entity == nameof(Indicator) && e.EntityId == hours.ToString() && e.After!.Contains("N00945"))).ShouldBeTrue();
        }

        // Kolada gone: the search says so in Swedish; the page still answers.
        fake.ScriptAlways("/kpi", FakeResponse.ServerError(500));
        var down = await editor.GetAsync(page + "?sok=sjukfrånvaro");
        down.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await down.Content.ReadAsStringAsync()).ShouldContain("Kolada svarar inte just nu");

        // Said at once the next time, without asking Kolada again during the pause.
        var asked = fake.Requests.Count;
        (await editor.GetStringAsync(page + "?sok=behöriga")).ShouldContain("Kolada svarar inte just nu");
        fake.Requests.Count.ShouldBe(asked);
    }
    [Theory]
    [InlineData("koladaKpiId", "N0094", "”N0094” är inget nyckeltals-id i Kolada.")]
    [InlineData("koladaKpiId", "../x", "”../x” är inget nyckeltals-id i Kolada.")]
    [InlineData("koladaMunicipalityId", "Malmö", "”Malmö” är ingen kommunkod.")]
    [InlineData("koladaOuId", "skola-1", "”skola-1” är inget enhets-id i Kolada.")]
    public async Task Koladas_ids_are_refused_in_a_shape_Kolada_does_not_use(string field, string value, string message)
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var (scope, db) = app.DbFor(Slug);
        Guid hours;
        using (scope)
        {
            hours = await db.Indicators.Where(i => i.Name == "Öppettimmar per vecka").Select(i => i.Id).SingleAsync();
        }

        var indicator = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/indicators/{hours}"))!;
        indicator["koladaKpiId"] = "N00945";
        indicator["koladaMunicipalityId"] = "1280";
        indicator[field] = value;
        var saved = await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/indicators/{hours}", indicator);
        saved.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await saved.Content.ReadAsStringAsync()).ShouldContain(message);
    }
}
