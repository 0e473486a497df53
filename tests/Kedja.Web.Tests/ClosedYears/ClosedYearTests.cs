using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Organisation;
using Kedja.Web.Templates;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.ClosedYears;

/// <summary>Issue 16: a locked year reads as it was reported, and a correction after closing is made and marked.</summary>
public class ClosedYearTests
{
    internal const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";
    internal const string Closed = "2025-T3";
    private const string OpenPeriod = "2026-T2";

    /// <summary>A tertial indicator owned by an enhet, and the enhet.</summary>
    internal static (Guid Indicator, Guid Unit) UnitIndicator(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var units = db.Units.AsNoTracking().ToDictionary(u => u.Id);
            var indicator = db.Indicators.AsNoTracking().Where(i => i.Periodicity == PeriodKind.Tertial && i.GoalId != null).OrderBy(i => i.Name).ThenBy(i => i.Id).AsEnumerable()
                .First(i => units[i.OwnerUnitId].Kind == UnitKind.Unit && units[i.OwnerUnitId].ParentId is not null);
            return (indicator.Id, indicator.OwnerUnitId);
        }
    }

    internal static async Task<int> WorkflowVersion(HttpClient client, Guid unitId, string period) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Base}/periods/{period}/workflow")).EnumerateArray()
            .Single(u => u.GetProperty("unitId").GetGuid() == unitId).GetProperty("version").GetInt32();

    /// <summary>The indicator's line on a card, wherever on the card it stands.</summary>
    internal static JsonElement Line(JsonElement card, Guid indicator)
    {
        IEnumerable<JsonElement> All(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => new[] { e }.Concat(e.EnumerateObject().SelectMany(p => All(p.Value))),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(All),
            _ => [],
        };
        return All(card).First(e => e.TryGetProperty("unitOfMeasure", out _) && e.GetProperty("id").GetGuid() == indicator);
    }

    internal static async Task<JsonElement> Card(HttpClient client, Guid unit, string period) =>
        await client.GetFromJsonAsync<JsonElement>($"{Base}/units/{unit}/scorecard?periodKey={period}");

    internal static Task<HttpResponseMessage> PutOutcome(HttpClient client, Guid indicator, string period, decimal value, int? version) =>
        client.PutAsJsonAsync($"{Base}/indicators/{indicator}/outcomes/{period}", new { value, version });

    internal static async Task<int?> OutcomeVersion(HttpClient client, Guid indicator, string period)
    {
        var response = await client.GetAsync($"{Base}/indicators/{indicator}/outcomes/{period}");
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_locked_year_reads_as_reported_and_a_correction_with_a_reason_is_marked_in_history_scorecard_report_and_portal(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (indicator, unit) = UnitIndicator(app);
        var admin = await app.ClientAsync();
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", kommunkod = "1234", template = ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var otherAdmin = await app.MemberClientAsync("annan", TenantRole.Admin);

        // The demo locked 2025 before locked cards were kept: reopened, the unit reports 2025-T3 and the administrator locks it.
        var reopened = await admin.PostAsJsonAsync($"{Base}/units/{unit}/periods/{Closed}/workflow",
            new { action = "reopen", reason = "Ett utfall saknas", version = await WorkflowVersion(admin, unit, Closed) });
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK, await reopened.Content.ReadAsStringAsync());
        var reported = await PutOutcome(editor, indicator, Closed, 41m, await OutcomeVersion(editor, indicator, Closed));
        reported.StatusCode.ShouldBe(HttpStatusCode.OK, await reported.Content.ReadAsStringAsync());
        var before = Line(await Card(admin, unit, Closed), indicator);
        before.GetProperty("outcome").GetDecimal().ShouldBe(41m);
        var reportedTarget = before.GetProperty("target").GetRawText();
        var lockStep = await admin.PostAsJsonAsync($"{Base}/units/{unit}/periods/{Closed}/workflow",
            new { action = "lock", version = await WorkflowVersion(admin, unit, Closed) });
        lockStep.StatusCode.ShouldBe(HttpStatusCode.OK, await lockStep.Content.ReadAsStringAsync());

        // The targets of 2025 and 2026 change afterwards: the open period shows it, the locked one does not.
        var definition = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/indicators/{indicator}"))!;
        var targets = definition["targets"]!.AsArray();
        foreach (var target in targets.OfType<JsonObject>().Where(t => (string?)t["periodKey"] is { } key && (key.StartsWith("2025") || key.StartsWith("2026"))))
        {
            target["value"] = 12345m;
            target["min"] = null;
            target["max"] = null;
        }

        targets.Add(new JsonObject { ["periodKey"] = OpenPeriod, ["value"] = 12345m });
        targets.Add(new JsonObject { ["periodKey"] = Closed, ["value"] = 12345m });
        var changed = await admin.PutAsJsonAsync($"{Base}/indicators/{indicator}", definition);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        Line(await Card(admin, unit, OpenPeriod), indicator).GetProperty("target").GetDecimal().ShouldBe(12345m);
        var asReported = Line(await Card(reader, unit, Closed), indicator);
        asReported.GetProperty("target").GetRawText().ShouldBe(reportedTarget);
        asReported.GetProperty("outcome").GetDecimal().ShouldBe(41m);

        // A correction needs the administrator of this municipality and a reason.
        var version = await WorkflowVersion(admin, unit, Closed);
        var noReason = await admin.PostAsJsonAsync($"{Base}/corrections", new { unitId = unit, periodKey = Closed, reason = " ", version });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("Ange varför den låsta uppföljningen rättas");
        (await editor.PostAsJsonAsync($"{Base}/corrections", new { unitId = unit, periodKey = Closed, reason = "Fel siffra i september", version }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherAdmin.PostAsJsonAsync($"{Base}/corrections", new { unitId = unit, periodKey = Closed, reason = "Fel siffra i september", version }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherAdmin.GetAsync($"{Base}/corrections")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PutOutcome(admin, indicator, Closed, 77m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var started = await admin.PostAsJsonAsync($"{Base}/corrections", new { unitId = unit, periodKey = Closed, reason = "Fel siffra i september", version });
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        (await admin.PostAsJsonAsync($"{Base}/corrections", new { unitId = unit, periodKey = Closed, reason = "En gång till", version }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Only the administrator who opened the correction changes the locked follow-up; the unit's editor still cannot.
        (await PutOutcome(editor, indicator, Closed, 55m, await OutcomeVersion(editor, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var corrected = await PutOutcome(admin, indicator, Closed, 77m, await OutcomeVersion(admin, indicator, Closed));
        corrected.StatusCode.ShouldBe(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        (await admin.PostAsJsonAsync($"{Base}/corrections/finish", new { unitId = unit, periodKey = Closed, version }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var finished = await admin.PostAsJsonAsync($"{Base}/corrections/finish", new { unitId = unit, periodKey = Closed, version = version + 1 });
        finished.StatusCode.ShouldBe(HttpStatusCode.OK, await finished.Content.ReadAsStringAsync());
        (await PutOutcome(admin, indicator, Closed, 99m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Marked on the scorecard's period: the corrected card, and the correction with its reason and what it changed.
        Line(await Card(reader, unit, Closed), indicator).GetProperty("outcome").GetDecimal().ShouldBe(77m);
        var listed = (await reader.GetFromJsonAsync<JsonElement>($"{Base}/corrections?periodKey={Closed}&unitId={unit}")).EnumerateArray().Single();
        var marker = listed.GetProperty("marker").GetString()!;
        marker.ShouldStartWith("Rättad 20");
        marker.ShouldEndWith(": Fel siffra i september");
        listed.GetProperty("changes").EnumerateArray().ShouldContain(c => c.GetProperty("field").GetString() == "Utfall"
            && c.GetProperty("before").GetString() == "41" && c.GetProperty("after").GetString() == "77");
        var page = await admin.GetStringAsync($"/k/{DemoTenant.Slug}/rattelser");
        page.ShouldContain("Fel siffra i september");

        // In the indicator's history.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var history = await scope.ServiceProvider.GetRequiredService<ItemHistory>().ForAsync("Indicator", indicator);
            history.Entries.ShouldContain(e => e.Entity == "Outcome" && e.Correction == marker);
            history.Entries.Where(e => e.Correction is not null).ShouldAllBe(e => e.Entity == "Outcome");
        }

        // In the unit's report of the period.
        var (report, _) = await ReportBuilderTests.BuildAsync(app, DemoTenant.Slug, _ => Task.FromResult(unit), Closed, "tertialrapport");
        var html = System.Net.WebUtility.HtmlDecode(ReportBuilderTests.Html(report));
        html.ShouldContain("Rättelser efter låsning");
        html.ShouldContain(marker);

        // In the portal, once the period is published.
        var period = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods")).EnumerateArray().Single(p => p.GetProperty("key").GetString() == Closed);
        if (!period.GetProperty("isPublished").GetBoolean())
        {
            (await admin.PutAsJsonAsync($"{Base}/periods/{Closed}/publication", new { isPublished = true, version = period.GetProperty("version").GetInt32() }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var anonymous = app.CreateClient();
        var published = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/{DemoTenant.Slug}/periods/{Closed}/scorecard?unitId={unit}");
        published.GetProperty("corrections").EnumerateArray().Single().GetProperty("marker").GetString().ShouldBe(marker);
        Line(published, indicator).GetProperty("outcome").GetDecimal().ShouldBe(77m);
        JsonSerializer.Serialize(published).ShouldNotContain(KedjaApp.AdminEmail);
    }
}
