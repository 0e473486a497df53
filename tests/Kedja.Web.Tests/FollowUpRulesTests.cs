using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>One rule set for indicators, outcomes, activities and assessments, whichever way the data comes in.</summary>
public class FollowUpRulesTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_document_importer_refuses_what_the_API_refuses_with_the_same_words(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var doc = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!;
        var indicators = doc["indicators"]!.AsArray();
        var i = indicators.IndexOf(indicators.First(x => x!["periodicity"]!.GetValue<string>() == "tertial"));
        var indicatorId = indicators[i]!["id"]!.GetValue<string>();
        var outcomes = doc["outcomes"]!.AsArray();
        var o = outcomes.IndexOf(outcomes.First(x => x!["indicatorId"]!.GetValue<string>() == indicatorId));
        var activity = doc["activities"]![0]!;

        // A quarter's target on a tertial indicator, a yearly outcome of it, an activity under neither goal nor program.
        var indicator = JsonNode.Parse(await admin.GetStringAsync($"{Base}/indicators/{indicatorId}"))!;
        indicator["targets"] = JsonNode.Parse("""[{"periodKey":"2026-Q1","value":1,"min":null,"max":null,"note":null}]""");
        indicators[i]!["targets"] = indicator["targets"]!.DeepClone();
        outcomes[o]!["periodKey"] = "2019";
        var plan = JsonNode.Parse(await admin.GetStringAsync($"{Base}/activities/{activity["id"]}"))!;
        plan["goalId"] = null;
        plan["programId"] = null;
        activity["goalId"] = null;
        activity["programId"] = null;

        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var document = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        var viaIndicator = await Errors(await admin.PutAsync($"{Base}/indicators/{indicatorId}", Json(indicator)));
        var viaOutcome = await Errors(await admin.PutAsJsonAsync($"{Base}/indicators/{indicatorId}/outcomes/2019", new { value = 1m }));
        var viaActivity = await Errors(await admin.PutAsync($"{Base}/activities/{activity["id"]}", Json(plan)));

        Messages(document, $"$.indicators[{i}].targets[0].periodKey").ShouldBe(Messages(viaIndicator, "targets[0].periodKey"));
        Messages(viaIndicator, "targets[0].periodKey").ShouldHaveSingleItem().ShouldBe("Målvärdet för Kvartal 1 2026 passar inte en indikator som mäts per tertial.");
        Messages(document, $"$.outcomes[{o}].periodKey").ShouldBe(Messages(viaOutcome, "periodKey"));
        Messages(viaOutcome, "periodKey").ShouldHaveSingleItem().ShouldStartWith("Indikatorn mäts per tertial;");
        Messages(document, "$.activities[0].goalId").ShouldBe(Messages(viaActivity, "goalId"));
        Messages(viaActivity, "goalId").ShouldHaveSingleItem().ShouldBe("En aktivitet hör till antingen ett mål eller ett program.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_malformed_period_is_invalid_and_one_outside_the_calendar_is_not_found_wherever_it_is_given(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var assessment = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!["assessments"]!.AsArray().First(a => a!["actions"] is not null)!;
        var goal = $"{Base}/goals/{assessment["goalId"]}/assessments";
        var activity = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/activities"))[0];
        var progress = $"{Base}/activities/{activity.GetProperty("id").GetGuid()}/progress";
        var version = activity.GetProperty("version").GetInt32();
        var indicator = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray().First(i => i.GetProperty("periodicity").GetString() == "tertial");
        var outcomes = $"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes";

        foreach (var malformed in new[]
        {
            await admin.GetAsync($"{goal}/2026-T4"),
            await admin.PutAsJsonAsync($"{goal}/2026-T4", new { status = "uppfyllt" }),
            await admin.PutAsJsonAsync($"{goal}/2026-T4/actions", new { closed = true, version = 0 }),
            await admin.PutAsJsonAsync(progress, new { status = "inProgress", progress = 5, periodKey = "2026-T4", comment = "Text.", version }),
            await admin.GetAsync($"{outcomes}/2026-T4"),
            await admin.PutAsJsonAsync($"{outcomes}/2026-T4", new { value = 1m }),
        })
        {
            malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            Messages(await Errors(malformed), "periodKey").ShouldBe(["Ogiltig period '2026-T4'. Ange t.ex. 2025-T2 eller 2025."]);
        }

        foreach (var unknown in new[]
        {
            await admin.GetAsync($"{goal}/2031-T1"),
            await admin.PutAsJsonAsync($"{goal}/2031-T1", new { status = "uppfyllt" }),
            await admin.PutAsJsonAsync($"{goal}/2031-T1/actions", new { closed = true, version = 0 }),
            await admin.PutAsJsonAsync(progress, new { status = "inProgress", progress = 5, periodKey = "2031-T1", comment = "Text.", version }),
        })
        {
            unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Perioden finns inte i uppföljningskalendern.");
        }

        // An outcome needs only a well-formed period of the indicator's periodicity: results come before the calendar has them.
        (await admin.PutAsJsonAsync($"{outcomes}/2031-T1", new { value = 1m })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_import_records_many_outcomes_through_the_same_rules_all_or_nothing_and_twice_changes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var tertial = await db.Indicators.AsNoTracking().Where(i => i.Periodicity == Domain.Periods.PeriodKind.Tertial).OrderBy(i => i.Name).ToListAsync();
            var parents = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.ParentId);
            var own = tertial.First(i => !parents.ContainsValue(i.OwnerUnitId));
            var foreign = tertial.First(i => i.OwnerUnitId != own.OwnerUnitId);
            var context = scope.ServiceProvider.GetRequiredService<TenantContext>();
            (context.TenantId, context.Slug, context.Role, context.UnitScope) = (db.Scope.TenantId!.Value, DemoTenant.Slug, TenantRole.Editor, own.OwnerUnitId);
            var recording = scope.ServiceProvider.GetRequiredService<OutcomeRecording>();
            var before = await db.Outcomes.CountAsync();

            var refused = await recording.RecordAllAsync(
            [
                Row(own, "2026-T3", 10m, 1),
                Row(own, "2027-T1", 1e13m, 2),
                Row(foreign, "2026-T3", 3m, 3),
                Row(own, "2026-T3", 11m, 4),
            ]);
            refused.Error.ShouldNotBeNull().Kind.ShouldBe(ServiceErrorKind.Invalid);
            refused.Error.Errors!.Keys.ShouldBe(["[1].value", "[2].indicatorId", "[3].periodKey"], ignoreOrder: true);
            refused.Error.Errors["[2].indicatorId"].ShouldBe([OutcomeRecording.OutsideScope]);
            db.ChangeTracker.Clear();
            (await db.Outcomes.CountAsync()).ShouldBe(before);

            List<OutcomeEntry> rows = [Row(own, "2026-T3", 20m, 1), Row(own, "2027-T1", 21m, 2)];
            var recorded = await recording.RecordAllAsync(rows);
            recorded.Error.ShouldBeNull();
            recorded.Value!.Select(x => (x.Source, x.SourceReference, x.Value)).ShouldBe(rows.Select(r => (ValueSource.Import, r.SourceReference, r.Value)));

            // The same file again, with the versions the preview read: nothing but the versions moves.
            db.ChangeTracker.Clear();
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            var again = await recording.RecordAllAsync([.. rows.Zip(recorded.Value!, (r, x) => r with { Version = x.Version })]);
            again.Error.ShouldBeNull();
            again.Value!.Select(x => (Millisecond(x.RecordedAt), x.Revisions.Count)).ShouldBe(recorded.Value!.Select(x => (Millisecond(x.RecordedAt), 0)));
            again.Value!.Select(x => x.Version).ShouldBe(recorded.Value!.Select(x => x.Version + 1));
            (await db.Outcomes.CountAsync()).ShouldBe(before + 2);
        }

        static OutcomeEntry Row(Indicator indicator, string period, decimal value, int row) =>
            new(indicator.Id, period, value, null, null, null, null) { Source = ValueSource.Import, SourceReference = $"utfall.xlsx rad {row}" };

        // PostgreSQL keeps microseconds, .NET ticks of 100 ns.
        static long Millisecond(DateTime at) => at.Ticks / TimeSpan.TicksPerMillisecond;
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Errors(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    private static string[] Messages(JsonElement errors, string field) =>
        errors.TryGetProperty(field, out var messages) ? [.. messages.EnumerateArray().Select(m => m.GetString()!)] : [];
}
