using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Budget;
using Kedja.Domain.Finance;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Imports.Finance;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// The issue-16 data in the tenant document (review 16, finding 17): the delår's month, whether a model takes forecasts,
/// the scale's forecast wording, forecast-only and moved delår periods, the indicators' forecasts, assessments based on
/// them, the budget's comments, explanations and draft frames, the finance mapping and the monthly budget lines. An
/// export imports into a fresh tenant and exports the same bytes; a document without them imports as before; a bad one is
/// refused whole with every Swedish error at its path.
/// </summary>
public partial class RoundTripTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_issue_16_data_comes_back_byte_for_byte_from_a_fresh_tenant(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await ForgetDemoIssue16FieldsAsync(app);
        var admin = await app.ClientAsync();
        int year;
        Guid draftUnit;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var model = await db.Models.Include(m => m.Scale).SingleAsync();
            var tertial = (await db.Periods.Where(p => p.Kind == PeriodKind.Tertial).ToListAsync()).OrderBy(p => p.EndDate).First();
            year = tertial.Year;
            model.InterimEndMonth = 4;
            model.Scale.OrderBy(s => s.SortOrder).First().ForecastPhrase = "går mot att uppfyllas";
            var forecastPeriod = new PeriodRef(year, PeriodKind.Forecast, 10);
            var delar = PeriodRef.Interim(year, 4);
            FollowUpPeriod Period(PeriodRef p) => new()
            {
                Key = p.Key, Year = p.Year, Kind = p.Kind, Name = p.Label, StartDate = p.Start, EndDate = p.End, Deadline = p.End.AddDays(20),
            };
            var added = Period(forecastPeriod);
            db.Periods.AddRange(added, Period(delar));

            var indicators = await db.Indicators.Where(i => i.Source != ValueSource.Kolada).ToListAsync();
            var split = indicators.OrderBy(i => i.Id.ToString()).First();
            var plain = indicators.OrderBy(i => i.Id.ToString()).Skip(1).First();
            var at = new DateTime(year, 5, 10, 8, 30, 0, DateTimeKind.Utc);
            db.IndicatorForecasts.AddRange(
                new IndicatorForecast { IndicatorId = split.Id, PeriodId = tertial.Id, Year = year, Value = 1.6m, ValueWomen = 1.4m, ValueMen = 1.8m, Comment = "Fler placeringar under våren.", RecordedBy = "Anna Controller", RecordedAt = at },
                new IndicatorForecast { IndicatorId = plain.Id, PeriodId = added.Id, Year = year, Value = 42m, RecordedBy = "Bo Ekonom", RecordedAt = at.AddMonths(5) });

            var assessment = await db.Assessments.OrderBy(a => a.GoalId).ThenBy(a => a.PeriodId).FirstAsync();
            assessment.BasedOnForecast = true;

            var frames = await db.BudgetFrames.Include(f => f.Outcomes).ToListAsync();
            var reported = frames.OrderBy(f => f.UnitId).First(f => f.Outcomes.Count > 0);
            var outcome = reported.Outcomes.OrderBy(o => o.PeriodKey, StringComparer.Ordinal).First();
            (outcome.Forecast, outcome.ForecastComment) = (reported.Amount + 1200m, "Höga kostnader för försörjningsstöd.");
            (outcome.DeviationExplanation, outcome.ExplainedBy, outcome.ExplainedAt) = ("Fler hushåll söker stöd; åtgärdsplan beslutad i maj.", "Cilla Chef", at.AddDays(3));

            // A draft frame of the model's last year, for a unit without a frame that year.
            year = model.LastYear;
            var framed = frames.Where(f => f.Year == year).Select(f => f.UnitId).ToHashSet();
            var units = (await db.Units.Select(u => u.Id).ToListAsync()).OrderBy(u => u.ToString()).ToList();
            draftUnit = units.First(u => !framed.Contains(u));
            db.BudgetFrames.Add(new BudgetFrame { UnitId = draftUnit, Year = year, Amount = 98_500m, IsDraft = true, Note = "Utkast från planeringen." });

            db.FinanceMappings.Add(new FinanceMapping
            {
                Dimension = 1, ResultFrom = 3000, ResultTo = 8999, Units = [new("100", "199", units[0]), new("200", null, units[1])], Accounts = [.. FinanceMappings.ProposedAccounts],
            });
            db.BudgetLineMonths.AddRange(
                new BudgetLineMonth { UnitId = units[0], Year = tertial.Year, Month = 1, Line = "Personalkostnader", Budget = 812.5m, Actual = 799.25m },
                new BudgetLineMonth { UnitId = units[0], Year = tertial.Year, Month = 2, Line = "Intäkter", Budget = -120m, Actual = -131m });
            await db.SaveChangesAsync();
        }

        var export = await admin.GetStringAsync($"{Base}/export");

        (await ReimportedAsync(admin, DemoTenant.Slug, export)).ShouldBe(export);

        ValidatesAgainstTheSchema(export, DemoTenant.Slug);
        var doc = JsonNode.Parse(export)!;
        var exported = doc["models"]![0]!;
        ((int)exported["interimEndMonth"]!, (bool)exported["allowsIndicatorForecasts"]!).ShouldBe((4, true));
        exported["scale"]!.AsArray().Select(s => (string?)s!["forecastPhrase"]).ShouldContain("går mot att uppfyllas");
        doc["periods"]!.AsArray().Select(p => (string)p!["key"]!).ShouldContain(k => k.EndsWith("-P10"));
        doc["periods"]!.AsArray().Select(p => (string)p!["key"]!).ShouldContain(k => k.EndsWith("-D04"));
        doc["forecasts"]!.AsArray().Count.ShouldBe(2);
        doc["forecasts"]!.AsArray().Select(f => (string?)f!["comment"]).ShouldContain("Fler placeringar under våren.");
        doc["assessments"]!.AsArray().Count(a => a!["basedOnForecast"] is not null).ShouldBe(1);
        doc["budget"]!.AsArray().Single(b => (bool)b!["isDraft"]!)!["amount"]!.GetValue<decimal>().ShouldBe(98_500m);
        doc["budget"]!.AsArray().SelectMany(b => b!["outcomes"]!.AsArray()).Count(o => (string?)o!["explainedBy"] == "Cilla Chef").ShouldBe(1);
        doc["finance"]!["mapping"]!["units"]!.AsArray().Count.ShouldBe(2);
        doc["finance"]!["lines"]!.AsArray().Count.ShouldBe(2);

        // The copy's draft is still a draft, read by no budget page; its model's delår still ends in April.
        var (copyScope, copy) = app.DbFor($"{DemoTenant.Slug}-kopia");
        using (copyScope)
        {
            (await copy.BudgetFrames.SingleAsync(f => f.UnitId == draftUnit && f.Year == year)).IsDraft.ShouldBeTrue();
            (await copy.Models.SingleAsync()).InterimEndMonth.ShouldBe(4);
            (await copy.IndicatorForecasts.CountAsync()).ShouldBe(2);
            (await copy.FinanceMappings.SingleAsync()).Units.Count.ShouldBe(2);
        }

        // The model API neither moves the delår (the calendar does, with its periods) nor strands the forecasts made.
        var current = await ModelAsync(admin);
        var moved = current.DeepClone();
        moved["interimEndMonth"] = 6;
        Errors(await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/model/{current["id"]}", moved)), "interimEndMonth").ShouldNotBeEmpty();
        var closed = current.DeepClone();
        closed["allowsIndicatorForecasts"] = false;
        Errors(await RefusedAsync(await admin.PutAsJsonAsync($"{Base}/model/{current["id"]}", closed)), "allowsIndicatorForecasts").ShouldNotBeEmpty();
        await RoundTripAsync(admin, () => ModelAsync(admin), $"{Base}/model/{current["id"]}");
    }

    /// <summary>
    /// The demo carries issue 16's data in the fields a document from before issue 16 lacks (forecasts and their
    /// comments, explanations, an assessment on forecasts, a finance file, a draft 2027); a tenant from then had none.
    /// </summary>
    private static async Task ForgetDemoIssue16FieldsAsync(KedjaApp app)
    {
        await Planning.PlanningYearTests.ForgetDemoDraftAsync(app);
        await Imports.FinanceImportTests.ForgetDemoMappingAsync(app);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.IndicatorForecasts.ExecuteDeleteAsync()).ShouldBeGreaterThan(0, "the demo forecasts");
            (await db.BudgetLineMonths.ExecuteDeleteAsync()).ShouldBeGreaterThan(0, "the demo imports a finance file");
            await db.BudgetOutcomes.ExecuteUpdateAsync(o => o
                .SetProperty(x => x.ForecastComment, (string?)null).SetProperty(x => x.DeviationExplanation, (string?)null)
                .SetProperty(x => x.ExplainedBy, (string?)null).SetProperty(x => x.ExplainedAt, (DateTime?)null));
            await db.Assessments.ExecuteUpdateAsync(a => a.SetProperty(x => x.BasedOnForecast, false));
        }
    }

    /// <summary>A document written before issue 16 (none of its fields) imports as it did, and exports as the original's export.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_document_without_the_issue_16_fields_imports_unchanged(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await ForgetDemoIssue16FieldsAsync(app);
        var admin = await app.ClientAsync();
        var export = await admin.GetStringAsync($"{Base}/export");
        var old = JsonNode.Parse(export)!.AsObject();
        old.Remove("forecasts").ShouldBeTrue();
        old.Remove("finance").ShouldBeTrue();
        foreach (var model in old["models"]!.AsArray())
        {
            model!.AsObject().Remove("interimEndMonth").ShouldBeTrue();
            model.AsObject().Remove("allowsIndicatorForecasts").ShouldBeTrue();
            foreach (var step in model["scale"]!.AsArray())
            {
                step!.AsObject().Remove("forecastPhrase").ShouldBeTrue();
            }
        }

        foreach (var frame in old["budget"]!.AsArray())
        {
            frame!.AsObject().Remove("isDraft").ShouldBeTrue();
            foreach (var outcome in frame["outcomes"]!.AsArray())
            {
                foreach (var field in new[] { "forecastComment", "deviationExplanation", "explainedBy", "explainedAt" })
                {
                    outcome!.AsObject().Remove(field).ShouldBeTrue();
                }
            }
        }

        // The demo assesses one goal on its forecast; a document from before issue 16 has no such field.
        foreach (var assessment in old["assessments"]!.AsArray())
        {
            assessment!.AsObject().Remove("basedOnForecast");
        }

        old.ToJsonString().ShouldNotContain("basedOnForecast");
        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=fore", new StringContent(old.ToJsonString(), Encoding.UTF8, "application/json"));

        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var again = await admin.GetStringAsync("/api/v1/tenants/fore/export");
        again.Replace("\"slug\":\"fore\"", $"\"slug\":\"{DemoTenant.Slug}\"", StringComparison.Ordinal).ShouldBe(export);

        // A model that takes no forecasts stays so, and the model API neither moves the delår nor strands forecasts.
        var closed = JsonNode.Parse(export)!.AsObject();
        closed["models"]![0]!["allowsIndicatorForecasts"] = false;
        closed["models"]![0]!["interimEndMonth"] = 5;
        var second = await admin.PostAsync("/api/v1/tenants/import?slug=utan-prognos", new StringContent(closed.ToJsonString(), Encoding.UTF8, "application/json"));
        second.StatusCode.ShouldBe(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        var model2 = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/utan-prognos/export"))!["models"]![0]!;
        ((bool)model2["allowsIndicatorForecasts"]!, (int)model2["interimEndMonth"]!).ShouldBe((false, 5));
    }

    /// <summary>Every rule of the new sections and fields, each at its path; the document without them passes.</summary>
    [Fact]
    public void Bad_issue_16_data_is_refused_with_every_swedish_error_at_its_path()
    {
        var doc = DemoTenant.Build();
        TenantDocumentValidator.Validate(doc).ShouldBeEmpty();
        var model = doc.Models[0];
        var tertial = doc.Periods.First(p => PeriodRef.Parse(p.Key).Kind == PeriodKind.Tertial).Key;
        var own = doc.Indicators.First(i => i.Source != ValueSource.Kolada);
        var kolada = doc.Indicators.First(i => i.Source == ValueSource.Kolada);
        var missing = Guid.NewGuid();
        var at = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        var frame = doc.Budget.Select((b, i) => (b, i)).First(x => x.b.Outcomes.Count > 0);
        var outcome = frame.b.Outcomes[0];
        var broken = doc with
        {
            Models = [model with { InterimEndMonth = 12, Scale = [model.Scale[0] with { ForecastPhrase = new string('x', 500) }, .. model.Scale.Skip(1)] }],
            Forecasts =
            [
                new ForecastDoc(missing, tertial, 1m, null, null, null, "Anna", at),
                new ForecastDoc(kolada.Id, tertial, 1m, null, null, null, "Anna", at),
                new ForecastDoc(own.Id, "2026-P09", 1m, null, null, null, "Anna", at),
                new ForecastDoc(own.Id, tertial, 1m, null, null, null, "", at),
                new ForecastDoc(own.Id, tertial, 2m, null, null, null, "Bo", at),
            ],
            Budget =
            [
                .. doc.Budget.Take(frame.i),
                frame.b with
                {
                    IsDraft = true,
                    Outcomes = [outcome with { Forecast = null, ForecastComment = "Prognosen vilar på våren.", DeviationExplanation = "Dyrt.", ExplainedBy = null }],
                },
                .. doc.Budget.Skip(frame.i + 1),
            ],
            Finance = new FinanceDoc
            {
                Mapping = new FinanceMappingDoc(0, 3000, 8999, [new("100", null, missing)], [new(3000, 4999, "Intäkter"), new(4000, 4500, "Personal")]),
                Lines = [new BudgetLineMonthDoc(own.OwnerUnitId, 2026, 13, "Intäkter", 1m, 1m), new BudgetLineMonthDoc(missing, 2026, 1, "Intäkter", 1m, 1m),
                    new BudgetLineMonthDoc(own.OwnerUnitId, 2026, 1, "Personal", 1m, 1m), new BudgetLineMonthDoc(own.OwnerUnitId, 2026, 1, "Personal ", 2m, 2m)],
            },
        };

        var errors = TenantDocumentValidator.Validate(broken);

        errors["$.models[0].interimEndMonth"].ShouldBe([CalendarEditing.InterimMonthRule]);
        errors.ShouldContainKey("$.models[0].scale[0].forecastPhrase");
        errors["$.forecasts[0].indicatorId"].ShouldBe([$"Indikatorn {missing} finns inte."]);
        errors["$.forecasts[1].indicatorId"].ShouldBe(["Indikatorn hämtas från Kolada och tar ingen helårsprognos."]);
        errors["$.forecasts[2].periodKey"].ShouldBe(["Uppföljningsperioden '2026-P09' finns inte."]);
        errors["$.forecasts[3].recordedBy"].ShouldBe(["Vem som lämnade prognosen måste anges."]);
        errors["$.forecasts[4].periodKey"].ShouldBe([$"Prognosen från {PeriodRef.Parse(tertial).Label} finns redan för indikatorn."]);
        var path = $"$.budget[{frame.i}]";
        errors[$"{path}.outcomes"].ShouldBe(["Ett utkast till budgetram har inga utfall; utfall rapporteras när året har aktiverats."]);
        errors[$"{path}.outcomes[0].forecastComment"].ShouldBe(["Kommentaren hör till helårsprognosen. Ange prognosen eller ta bort kommentaren."]);
        errors[$"{path}.outcomes[0].explainedBy"].ShouldBe(["Vem som förklarade avvikelsen måste anges."]);
        errors[$"{path}.outcomes[0].explainedAt"].ShouldBe(["Ange när avvikelsen förklarades."]);
        errors["$.finance.mapping.dimension"].ShouldBe(["Dimensionen ska vara ett nummer från 1 till 9999 (1 är kostnadsställe i SIE)."]);
        errors["$.finance.mapping.units[0].unitId"].ShouldBe(["Enheten för ansvar 100 finns inte."]);
        errors["$.finance.mapping.accounts[1].from"].ShouldBe(["Kontona 4000–4500 överlappar 3000–4999 (Intäkter); ett konto får höra till en budgetrad."]);
        errors["$.finance.lines[0].month"].ShouldBe(["Månaden anges med 1 (januari) till 12 (december)."]);
        errors["$.finance.lines[1].unitId"].ShouldBe([$"Enheten {missing} finns inte."]);
        errors["$.finance.lines[3].line"].ShouldBe(["Budgetraden 'Personal' för månad 1 2026 finns redan för enheten."]);

        // A model that takes no forecasts refuses them; left-out sections given as null are refused rather than read as none.
        var closed = doc with { Models = [model with { AllowsIndicatorForecasts = false }], Forecasts = [new ForecastDoc(own.Id, tertial, 1m, null, null, null, "Anna", at)] };
        TenantDocumentValidator.Validate(closed)["$.forecasts[0].indicatorId"].ShouldBe([$"Styrmodellen för {PeriodRef.Parse(tertial).Year} tar inga helårsprognoser för indikatorer."]);
        TenantDocumentValidator.Validate(doc with { Forecasts = null!, Finance = null! }).Keys.ShouldBe(["$.forecasts", "$.finance"], ignoreOrder: true);
    }

    /// <summary>All or nothing: a document with one bad forecast leaves no tenant behind, though its other forecast and lines are good.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_document_with_a_bad_forecast_imports_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var doc = DemoTenant.Build();
        var own = doc.Indicators.First(i => i.Source != ValueSource.Kolada);
        var tertial = doc.Periods.First(p => PeriodRef.Parse(p.Key).Kind == PeriodKind.Tertial).Key;
        var bad = doc with
        {
            Forecasts = [new ForecastDoc(own.Id, tertial, 1m, null, null, "Bra", "Anna", DateTime.UnixEpoch), new ForecastDoc(own.Id, "2099-P03", 1m, null, null, null, "Anna", DateTime.UnixEpoch)],
            Finance = new FinanceDoc { Lines = [new BudgetLineMonthDoc(own.OwnerUnitId, 2026, 1, "Intäkter", 1m, 1m)] },
        };
        var body = JsonSerializer.Serialize(bad, app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options);

        var response = await admin.PostAsync("/api/v1/tenants/import?slug=halv", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await RefusedAsync(response);
        Errors(problem, "$.forecasts[1].periodKey").ShouldBe(["Uppföljningsperioden '2099-P03' finns inte."]);
        (await admin.GetAsync("/api/v1/tenants/halv/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
