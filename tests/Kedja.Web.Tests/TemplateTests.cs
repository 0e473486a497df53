using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>Each built-in template reproduces its source model and works at once as a new tenant.</summary>
public class TemplateTests
{
    private static async Task<(KedjaApp App, HttpClient Admin, JsonElement Model, JsonElement Units)> Create(string provider, string template, string slug)
    {
        var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Testkommun", kommunkod = "1234", template, firstYear = 2027 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var model = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/model"))[0];
        var units = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/units");
        return (app, admin, model, units);
    }

    private static List<string> Names(JsonElement array, string property = "name") =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    private static Guid Id(JsonElement array, string name) =>
        array.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<Guid> AddUnit(KedjaApp app, string slug, string name, Domain.Organisation.UnitKind kind, Guid parent)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            var unit = new Domain.Organisation.OrgUnit { Name = name, Kind = kind, ParentId = parent };
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            return unit.Id;
        }
    }

    private static async Task<HttpResponseMessage> AddGoal(HttpClient admin, string slug, Guid level, Guid owner, Guid? dimension, string title, params Guid[] parents) =>
        await admin.PostAsJsonAsync($"/api/v1/tenants/{slug}/goals", new { levelId = level, ownerUnitId = owner, dimensionId = dimension, title, sortOrder = 0, contributes = parents.Select(p => new { goalId = p, weight = 1m }), agenda2030 = new[] { 11 } });

    [Fact]
    public void Templates_are_listed_with_their_structure()
    {
        var templates = ModelTemplates.List();

        templates.Select(t => t.Name).ShouldBe(["Balanserad styrning, fem perspektiv", "Vision och nio politiska mål", "Målpyramid", "Inriktningar och effektmål", "Balanserade målkort, fyra perspektiv"]);
        ModelTemplates.MandateStart(2026).ShouldBe(2023);
        ModelTemplates.MandateStart(2027).ShouldBe(2027);
        ModelTemplates.MandateStart(2030).ShouldBe(2027);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kil_five_perspectives_with_strategies_and_operational_targets(string provider)
    {
        var (app, admin, model, units) = await Create(provider, ModelTemplates.Kil, "kil");
        await using var _ = app;

        Names(model.GetProperty("dimensions")).ShouldBe(["Ekonomi", "Medborgare", "Medarbetare", "Miljö", "Utveckling"]);
        var strategic = model.GetProperty("levels")[0];
        strategic.GetProperty("name").GetString().ShouldBe("Strategiskt mål");
        strategic.GetProperty("hasStrategies").GetBoolean().ShouldBeTrue();
        strategic.GetProperty("horizonMinYears").GetInt32().ShouldBe(1);
        strategic.GetProperty("horizonMaxYears").GetInt32().ShouldBe(5);

        // A strategic goal with a strategy and an indicator with an operational target for the year, through the document.
        var doc = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/kil/export"))!;
        var goalId = Guid.NewGuid();
        var council = Id(units, "Kommunfullmäktige");
        doc["goals"] = new JsonArray(JsonNode.Parse(JsonSerializer.Serialize(new
        {
            id = goalId, modelId = model.GetProperty("id").GetGuid(), levelId = strategic.GetProperty("id").GetGuid(), ownerUnitId = council,
            dimensionId = model.GetProperty("dimensions")[0].GetProperty("id").GetGuid(), title = "Stark ekonomi", agenda2030 = Array.Empty<int>(), sortOrder = 0,
            contributes = Array.Empty<object>(), strategies = new[] { new { id = Guid.NewGuid(), title = "Långsiktig investeringsplan", description = (string?)null, sortOrder = 0 } },
        }, JsonSerializerOptions.Web)));
        doc["indicators"] = new JsonArray(JsonNode.Parse(JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), name = "Soliditet", unitOfMeasure = "%", decimals = 1, direction = "higherIsBetter", periodicity = "year", source = "manual",
            ownerUnitId = council, goalId, weight = 1, sortOrder = 0, targets = new[] { new { periodKey = "2027", value = 25m, min = (decimal?)null, max = (decimal?)null, note = "Operativt mål" } },
        }, JsonSerializerOptions.Web)));
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=kil-2", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var (scope, db) = app.DbFor("kil-2");
        using (scope)
        {
            (await db.Strategies.SingleAsync()).Title.ShouldBe("Långsiktig investeringsplan");
            (await db.Targets.SingleAsync()).Note.ShouldBe("Operativt mål");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kumla_nine_areas_of_which_namnder_use_seven_and_programs_do_not_count(string provider)
    {
        var (app, admin, model, units) = await Create(provider, ModelTemplates.Kumla, "kumla");
        await using var _ = app;
        var dimensions = model.GetProperty("dimensions");
        dimensions.GetArrayLength().ShouldBe(9);
        var forCommittees = dimensions.EnumerateArray().Where(d =>
        {
            var allowed = d.GetProperty("allowedUnitKinds").EnumerateArray().Select(k => k.GetString()).ToList();
            return allowed.Count == 0 || allowed.Contains("committee");
        }).Select(d => d.GetProperty("name").GetString()).ToList();
        forCommittees.Count.ShouldBe(7);
        forCommittees.ShouldNotContain("Ekonomi");
        forCommittees.ShouldNotContain("Medarbetare");

        var council = Id(units, "Kommunfullmäktige");
        var committee = await AddUnit(app, "kumla", "Tekniska nämnden", Domain.Organisation.UnitKind.Committee, council);
        var levels = model.GetProperty("levels");
        var economy = Id(dimensions, "Ekonomi");
        var kfGoal = await AddGoal(admin, "kumla", levels[0].GetProperty("id").GetGuid(), council, economy, "Ansvarsfull ekonomi");
        kfGoal.StatusCode.ShouldBe(HttpStatusCode.Created);
        var kfId = (await kfGoal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var refused = await AddGoal(admin, "kumla", levels[1].GetProperty("id").GetGuid(), committee, economy, "Nämndens ekonomimål", kfId);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("får inte sätta mål inom 'Ekonomi'");
        var service = Id(dimensions, "Service och bemötande");
        (await AddGoal(admin, "kumla", levels[1].GetProperty("id").GetGuid(), committee, service, "Snabb felanmälan", kfId)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var doc = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/kumla/export"))!;
        Names(JsonDocument.Parse(doc["programs"]!.ToJsonString()).RootElement).ShouldBe(["Miljöprogram", "Digitaliseringsprogram"], ignoreOrder: true);

        // An indicator under a program never takes part in the goal's fulfilment, even if it names a goal owner's unit.
        var program = doc["programs"]![0]!["id"]!.GetValue<Guid>();
        var (scope, db) = app.DbFor("kumla");
        using (scope)
        {
            var indicator = new Domain.Indicators.Indicator { Name = "Andel miljöbilar", UnitOfMeasure = "%", Periodicity = Domain.Periods.PeriodKind.Tertial, OwnerUnitId = committee, ProgramId = program };
            indicator.Targets.Add(new Domain.Indicators.IndicatorTarget { PeriodKey = "2027", Value = 50m });
            db.Indicators.Add(indicator);
            db.Outcomes.Add(new Domain.Indicators.Outcome { IndicatorId = indicator.Id, PeriodKey = "2027-T1", Value = 10m, RecordedBy = "test", RecordedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var card = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/kumla/units/{council}/scorecard?periodKey=2027-T1");
        var goal = ScorecardJson.Goals(card).First();
        goal.GetProperty("status").GetProperty("key").GetString().ShouldBe("ej-bedomt");
        goal.GetProperty("trace").EnumerateArray().ShouldAllBe(t => t.GetProperty("name").GetString() != "Andel miljöbilar");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Karlskoga_pyramid_with_companies_reporting_yearly(string provider)
    {
        var (app, admin, model, units) = await Create(provider, ModelTemplates.Karlskoga, "karlskoga");
        await using var _ = app;
        var levels = model.GetProperty("levels");
        Names(levels).ShouldBe(["Fullmäktigemål", "Nämnd- och bolagsmål", "Förvaltningsmål"]);
        levels[2].GetProperty("requiresParent").GetBoolean().ShouldBeTrue();
        model.GetProperty("cadence").GetString().ShouldBe("tertial");
        model.GetProperty("cadenceOverrides")[0].GetProperty("unitKind").GetString().ShouldBe("company");

        var council = Id(units, "Kommunfullmäktige");
        var company = await AddUnit(app, "karlskoga", "Kommunens Energi AB", Domain.Organisation.UnitKind.Company, council);
        var kf = await (await AddGoal(admin, "karlskoga", levels[0].GetProperty("id").GetGuid(), council, null, "Hållbar energi")).Content.ReadFromJsonAsync<JsonElement>();
        var companyGoal = await AddGoal(admin, "karlskoga", levels[1].GetProperty("id").GetGuid(), company, null, "Mer förnybar fjärrvärme", kf.GetProperty("id").GetGuid());
        companyGoal.StatusCode.ShouldBe(HttpStatusCode.Created);
        var orphan = await AddGoal(admin, "karlskoga", levels[2].GetProperty("id").GetGuid(), council, null, "Förvaltningsmål utan koppling");
        orphan.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var t1 = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/karlskoga/units/{company}/scorecard?periodKey=2027-T1");
        ScorecardJson.Goals(t1).First().GetProperty("explanation").GetString().ShouldBe("Bolag följs inte upp i T1 2027.");
        var t3 = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/karlskoga/units/{company}/scorecard?periodKey=2027-T3");
        ScorecardJson.Goals(t3).First().GetProperty("explanation").GetString()!.ShouldNotContain("följs inte upp");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Heby_inriktningar_and_effektmal_with_documents_and_agenda_2030(string provider)
    {
        var (app, admin, model, units) = await Create(provider, ModelTemplates.Heby, "heby");
        await using var _ = app;
        Names(model.GetProperty("levels")).ShouldBe(["Inriktning", "Effektmål", "Verksamhetsmål"]);
        model.GetProperty("cadence").GetString().ShouldBe("interimAndAnnual");
        var periods = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/periods");
        Names(periods, "key").Take(2).ShouldBe(["2027-D", "2027"]);

        var council = Id(units, "Kommunfullmäktige");
        var direction = await (await AddGoal(admin, "heby", model.GetProperty("levels")[0].GetProperty("id").GetGuid(), council, null, "En växande landsbygd")).Content.ReadFromJsonAsync<JsonElement>();
        direction.GetProperty("agenda2030").EnumerateArray().Select(n => n.GetInt32()).ShouldBe([11]);

        var doc = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/heby/export"))!;
        doc["documents"] = new JsonArray(JsonNode.Parse(JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), kind = "policy", title = "Landsbygdspolicy", description = (string?)null, decidedByUnitId = council, decidedOn = "2027-02-15",
            validFrom = "2027-03-01", validTo = (string?)null, url = (string?)null, goalIds = new[] { direction.GetProperty("id").GetGuid() },
        }, JsonSerializerOptions.Web)));
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=heby-2", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var again = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/heby-2/export"))!;
        again["documents"]![0]!["title"]!.GetValue<string>().ShouldBe("Landsbygdspolicy");
        again["documents"]![0]!["goalIds"]![0]!.GetValue<Guid>().ShouldBe(direction.GetProperty("id").GetGuid());
        again["goals"]![0]!["agenda2030"]![0]!.GetValue<int>().ShouldBe(11);

        doc["goals"]![0]!["agenda2030"] = new JsonArray(18);
        var bad = await admin.PostAsync("/api/v1/tenants/import?slug=heby-3", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Agenda 2030 har mål 1-17");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hagfors_four_perspectives_three_scorecard_levels_three_tertials(string provider)
    {
        var (app, admin, model, _) = await Create(provider, ModelTemplates.Hagfors, "hagfors");
        await using var _ = app;
        Names(model.GetProperty("dimensions")).ShouldBe(["Medborgare och kund", "Medarbetare", "Arbetsprocess", "Ekonomi"]);
        Names(model.GetProperty("levels")).ShouldBe(["Övergripande målkort", "Avdelningens målkort", "Enhetens målkort"]);
        model.GetProperty("levels").EnumerateArray().ShouldAllBe(l => l.GetProperty("horizonMaxYears").GetInt32() == 3);
        var periods = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/hagfors/periods");
        Names(periods, "key").Where(k => k.StartsWith("2027", StringComparison.Ordinal)).ShouldBe(["2027-T1", "2027-T2", "2027-T3"]);
        periods.GetArrayLength().ShouldBe(12);
    }
}
