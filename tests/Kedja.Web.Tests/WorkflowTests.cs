using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class WorkflowTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    /// <summary>A tertial indicator owned by an enhet, the enhet and the unit above it.</summary>
    private static (Guid Indicator, Guid Unit, Guid Parent) UnitIndicator(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var units = db.Units.AsNoTracking().ToDictionary(u => u.Id);
            var indicator = db.Indicators.AsNoTracking().Where(i => i.Periodicity == PeriodKind.Tertial).AsEnumerable()
                .First(i => units[i.OwnerUnitId].Kind == UnitKind.Unit && units[i.OwnerUnitId].ParentId is not null);
            return (indicator.Id, indicator.OwnerUnitId, units[indicator.OwnerUnitId].ParentId!.Value);
        }
    }

    private static async Task<JsonElement> StateOf(HttpClient client, Guid unitId, string period) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Base}/periods/{period}/workflow")).EnumerateArray().Single(u => u.GetProperty("unitId").GetGuid() == unitId);

    private static Task<HttpResponseMessage> Step(HttpClient client, Guid unitId, string period, string action, int version, string? reason = null) =>
        client.PostAsJsonAsync($"{Base}/units/{unitId}/periods/{period}/workflow", new { action, reason, version });

    private static async Task<int> OutcomeVersion(HttpClient client, Guid indicator, string period) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{indicator}/outcomes")).EnumerateArray()
            .Single(o => o.GetProperty("periodKey").GetString() == period).GetProperty("version").GetInt32();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_submits_the_level_above_approves_the_controller_locks_and_only_reopening_with_a_reason_opens_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (indicator, unit, parent) = UnitIndicator(app);
        var unitEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit);
        var aboveEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, parent);
        var admin = await app.ClientAsync();
        const string period = "2026-T3";
        var outcomeUrl = $"{Base}/indicators/{indicator}/outcomes/{period}";

        (await unitEditor.PutAsJsonAsync(outcomeUrl, new { value = 10m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var open = await StateOf(unitEditor, unit, period);
        open.GetProperty("state").GetString().ShouldBe("open");
        open.GetProperty("version").GetInt32().ShouldBe(0);

        var submitted = await Step(unitEditor, unit, period, "submit", 0);
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        (await Step(unitEditor, unit, period, "submit", 0)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // A submitted follow-up keeps its results.
        var change = await unitEditor.PutAsJsonAsync(outcomeUrl, new { value = 99m, version = await OutcomeVersion(unitEditor, indicator, period) });
        change.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await change.Content.ReadAsStringAsync()).ShouldContain("T3 2026 är inskickad");
        (await unitEditor.GetFromJsonAsync<JsonElement>($"{Base}/indicators/{indicator}/outcomes")).EnumerateArray()
            .Single(o => o.GetProperty("periodKey").GetString() == period).GetProperty("value").GetDecimal().ShouldBe(10m);

        // Nobody approves their own follow-up; sending it back needs a reason.
        (await Step(unitEditor, unit, period, "approve", 1)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var noReason = await Step(aboveEditor, unit, period, "reopen", 1, " ");
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("Ange varför uppföljningen öppnas igen.");

        (await Step(aboveEditor, unit, period, "approve", 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(aboveEditor, unit, period, "lock", 2)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Step(admin, unit, period, "lock", 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(aboveEditor, unit, period, "reopen", 3, "Septembers utfall var fel")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var reopened = await Step(admin, unit, period, "reopen", 3, "Septembers utfall var fel");
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK);
        var state = await StateOf(admin, unit, period);
        state.GetProperty("state").GetString().ShouldBe("open");
        state.GetProperty("reopenReason").GetString().ShouldBe("Septembers utfall var fel");
        state.GetProperty("changedBy").GetString().ShouldBe(KedjaApp.AdminEmail);

        (await unitEditor.PutAsJsonAsync(outcomeUrl, new { value = 12m, version = await OutcomeVersion(unitEditor, indicator, period) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // Only this unit's row of the period: the demo's own workflow steps (2025 locked, T2 sent in) are beside it.
        Guid statusId;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var periodId = db.Periods.Single(p => p.Key == period).Id;
            statusId = db.UnitPeriodStatuses.Single(s => s.UnitId == unit && s.PeriodId == periodId).Id;
        }
        var audit = await admin.GetFromJsonAsync<JsonElement>($"{Base}/audit?entity=UnitPeriodStatus&entityId={statusId}");
        var steps = audit.EnumerateArray().Select(a => a.GetProperty("after").GetString()!).ToList();
        steps.Count.ShouldBe(4);
        steps[0].ShouldContain("Septembers utfall var fel");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_submitted_committee_cannot_change_its_assessments_and_the_controller_locks_a_whole_period(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        Guid goalId;
        int assessmentVersion;
        string assessedStatus;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            // The demo's nämnder have sent in T2 2026.
            var period = db.Periods.Single(p => p.Key == "2026-T2");
            var submittedUnits = db.UnitPeriodStatuses.Where(s => s.PeriodId == period.Id && s.State == WorkflowState.Submitted).Select(s => s.UnitId).ToList();
            var assessment = db.Assessments.Where(a => a.PeriodId == period.Id).AsEnumerable()
                .First(a => submittedUnits.Contains(db.Goals.Single(g => g.Id == a.GoalId).OwnerUnitId));
            (goalId, assessmentVersion, assessedStatus) = (assessment.GoalId, assessment.Version, assessment.StatusKey);
        }

        var change = await admin.PutAsJsonAsync($"{Base}/goals/{goalId}/assessments/2026-T2",
            new { status = assessedStatus, motivation = "Ändrad i efterhand", analysis = "Ny analys", version = assessmentVersion });
        change.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await change.Content.ReadAsStringAsync()).ShouldContain("måste öppnas igen");

        var units = await admin.GetFromJsonAsync<JsonElement>($"{Base}/units");
        var lockAll = await admin.PostAsync($"{Base}/periods/2026-T3/lock", null);
        lockAll.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lockAll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("locked").GetInt32()
            .ShouldBe(units.EnumerateArray().Count(u => u.GetProperty("isActive").GetBoolean()));
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods/2026-T3/workflow")).EnumerateArray()
            .ShouldAllBe(u => u.GetProperty("state").GetString() == "locked");
        var again = await (await admin.PostAsync($"{Base}/periods/2026-T3/lock", null)).Content.ReadFromJsonAsync<JsonElement>();
        again.GetProperty("locked").GetInt32().ShouldBe(0);

        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.PostAsync($"{Base}/periods/2026-T3/lock", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_controller_publishes_a_period_with_the_version_read(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var period = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods")).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "2026-T2");
        period.GetProperty("isPublished").GetBoolean().ShouldBeFalse();
        var version = period.GetProperty("version").GetInt32();

        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        (await editor.PutAsJsonAsync($"{Base}/periods/2026-T2/publication", new { isPublished = true, version })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var published = await admin.PutAsJsonAsync($"{Base}/periods/2026-T2/publication", new { isPublished = true, version });
        published.StatusCode.ShouldBe(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        var body = await published.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("isPublished").GetBoolean().ShouldBeTrue();
        body.GetProperty("publishedBy").GetString().ShouldBe(KedjaApp.AdminEmail);

        (await admin.PutAsJsonAsync($"{Base}/periods/2026-T2/publication", new { isPublished = false, version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods")).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "2026-T2")
            .GetProperty("isPublished").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Whoever_submitted_a_follow_up_cannot_approve_it_whatever_their_role(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (_, unit, parent) = UnitIndicator(app);
        const string period = "2026-T3";
        var unlimited = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        var department = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, parent);
        var admin = await app.ClientAsync();

        // An editor without a unit limit submits and approves the same follow-up.
        (await Step(unlimited, unit, period, "submit", 0)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var own = await Step(unlimited, unit, period, "approve", 1);
        own.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await own.Content.ReadAsStringAsync()).ShouldContain("kan inte själv godkänna");

        // An editor limited to the department, for a unit below it.
        (await Step(department, unit, period, "reopen", 1, "Skickades in av misstag")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(department, unit, period, "submit", 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(department, unit, period, "approve", 3)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The system administrator is no exception.
        (await Step(admin, unit, period, "reopen", 3, "Ska skickas in av enheten")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(admin, unit, period, "submit", 4)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Step(admin, unit, period, "approve", 5)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Step(admin, unit, period, "lock", 5)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // A follow-up submitted before the submitter's account was recorded is known by who changed it last.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var periodId = db.Periods.Single(p => p.Key == period).Id;
            await db.UnitPeriodStatuses.Where(s => s.UnitId == unit && s.PeriodId == periodId).ExecuteUpdateAsync(s => s.SetProperty(x => x.SubmittedByUserId, (string?)null));
        }

        (await Step(admin, unit, period, "approve", 5)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Someone else above the unit approves.
        var approved = await Step(department, unit, period, "approve", 5);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        (await StateOf(admin, unit, period)).GetProperty("state").GetString().ShouldBe("approved");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Companies_that_report_yearly_have_no_tertial_follow_up_to_submit_or_lock(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var company = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray()
            .First(u => u.GetProperty("kind").GetString() == "company").GetProperty("id").GetGuid();
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, company);

        var tertial = await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods/2026-T1/workflow");
        tertial.EnumerateArray().ShouldNotContain(u => u.GetProperty("unitId").GetGuid() == company);
        var submit = await Step(editor, company, "2026-T1", "submit", 0);
        submit.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await submit.Content.ReadAsStringAsync()).ShouldContain("följs inte upp i T1 2026");
        var locked = await (await admin.PostAsync($"{Base}/periods/2026-T1/lock", null)).Content.ReadFromJsonAsync<JsonElement>();
        (locked.GetProperty("locked").GetInt32() + locked.GetProperty("alreadyLocked").GetInt32()).ShouldBe(tertial.GetArrayLength());

        // The year's last tertial closes the company's year: it reports then.
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods/2026-T3/workflow")).EnumerateArray()
            .ShouldContain(u => u.GetProperty("unitId").GetGuid() == company);
        (await Step(editor, company, "2026-T3", "submit", 0)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
