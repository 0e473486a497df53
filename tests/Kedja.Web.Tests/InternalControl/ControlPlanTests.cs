using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>The committees' internal control plans, their follow-up and the board's summary through the API (ADR 46).</summary>
public class ControlPlanTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private const string Period = "2026-T3";

    /// <summary>
    /// The demo's units the tests use: a committee without any internal control plan of its own (the demo has decided plans for some
    /// committees, see DemoTenant), the administration that serves it alone, a workplace under that administration, another committee
    /// without a plan, and the executive board.
    /// </summary>
    internal sealed record Units(Guid Committee, string CommitteeName, Guid Department, Guid Workplace, Guid Neighbour, Guid Board);

    internal static Units DemoUnits(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var units = db.Units.AsNoTracking().ToList();
            var services = db.UnitServices.AsNoTracking().ToList();
            var planned = db.ControlPlans.AsNoTracking().Select(p => p.UnitId).ToHashSet();
            var free = units.Where(u => u.Kind == UnitKind.Committee && !planned.Contains(u.Id)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
            OrgUnit? OwnAdministration(OrgUnit committee) => units.FirstOrDefault(a => a.Kind == UnitKind.Administration && a.ParentId == committee.Id
                && services.Where(s => s.AdministrationId == a.Id).All(s => s.CommitteeId == committee.Id));
            var committee = free.FirstOrDefault(c => OwnAdministration(c) is { } a && units.Any(u => u.ParentId == a.Id && u.Kind == UnitKind.Unit))
                ?? throw new InvalidOperationException("The demo has no committee without a control plan whose administration serves it alone.");
            var department = OwnAdministration(committee)!;
            var workplace = units.Where(u => u.ParentId == department.Id && u.Kind == UnitKind.Unit).OrderBy(u => u.Name, StringComparer.Ordinal).First();
            var neighbour = free.First(c => c.Id != committee.Id);
            return new Units(committee.Id, committee.Name, department.Id, workplace.Id, neighbour.Id, units.Single(u => u.Kind == UnitKind.ExecutiveBoard).Id);
        }
    }

    /// <summary>A risk in a unit's register, assessed for the year at likelihood × consequence, written straight to the database.</summary>
    internal static Guid AddRisk(KedjaApp app, Guid unitId, string title, int year, int likelihood, int consequence)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var number = (db.Risks.Select(r => (int?)r.Number).Max() ?? 0) + 1;
            var risk = new Risk { Number = number, UnitId = unitId, Title = title, FirstYear = year - 1, Category = "Ekonomi och redovisning" };
            risk.Assessments.Add(new RiskAssessment { RiskId = risk.Id, Year = year, Likelihood = likelihood, Consequence = consequence, AssessedBy = "Controller", AssessedAt = DateTime.UtcNow });
            db.Risks.Add(risk);
            db.SaveChanges();
            return risk.Id;
        }
    }

    private static object Action(Guid unitId, Guid? riskId, string title = "Stickprov på leverantörsfakturor", Guid? id = null, string period = Period) => new
    {
        id = id ?? Guid.Empty, riskId, title, method = "Stickprov", scope = "20 fakturor", responsibleUnitId = unitId, responsiblePerson = "Ekonom", periodKey = period,
        reportTo = "Barn- och utbildningsnämnden",
    };

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<List<string>> ErrorFields(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_decided_plan_changes_only_with_a_reason_and_the_audit_trail_carries_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = DemoUnits(app);
        var high = AddRisk(app, units.Department, "Felaktiga utbetalningar", 2026, 4, 3);
        var other = AddRisk(app, units.Committee, "Jäv vid upphandling", 2026, 2, 4);
        var foreign = AddRisk(app, units.Neighbour, "Socialnämndens risk", 2026, 4, 4);
        var committee = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Committee);

        var plan = await Created(await committee.PostAsJsonAsync($"{Base}/control-plans", new
        {
            unitId = units.Committee, year = 2026, status = "decided", description = "Plan för 2026", riskIds = new[] { high }, actions = new[] { Action(units.Department, high) },
        }));
        plan.GetProperty("status").GetString().ShouldBe("proposal");
        plan.GetProperty("statusName").GetString().ShouldBe("Förslag");
        var url = $"{Base}/control-plans/{plan.GetProperty("id").GetGuid()}";
        (await committee.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2026 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Before the decision a change needs no reason; a stale version is refused.
        var version = plan.GetProperty("version").GetInt32();
        (await ErrorFields(await committee.PutAsJsonAsync(url, new { riskIds = new[] { high, foreign }, actions = plan.GetProperty("actions"), version }))).ShouldBe(["riskIds[1]"]);
        var changed = await Ok(await committee.PutAsJsonAsync(url, new { description = "Plan för 2026, reviderad", riskIds = new[] { high, other }, actions = plan.GetProperty("actions"), version }));
        changed.GetProperty("riskIds").GetArrayLength().ShouldBe(2);
        (await committee.PutAsJsonAsync(url, new { description = "Gammal", riskIds = new[] { high }, actions = plan.GetProperty("actions"), version }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // The decision needs a date and a paragraph, and is the plan's own unit's to make.
        version = changed.GetProperty("version").GetInt32();
        (await ErrorFields(await committee.PostAsJsonAsync($"{url}/decision", new { decidedOn = (string?)null, decisionParagraph = " ", version })))
            .ShouldBe(["decidedOn", "decisionParagraph"], ignoreOrder: true);
        var department = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Department);
        (await department.PostAsJsonAsync($"{url}/decision", new { decidedOn = "2026-02-18", decisionParagraph = "§ 12", version })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var decided = await Ok(await committee.PostAsJsonAsync($"{url}/decision", new { decidedOn = "2026-02-18", decisionParagraph = "§ 12", version }));
        decided.GetProperty("statusName").GetString().ShouldBe("Beslutad");
        decided.GetProperty("decisionParagraph").GetString().ShouldBe("§ 12");

        // Locked: sending back what was read changes nothing; a change without a reason is refused and nothing changes.
        version = decided.GetProperty("version").GetInt32();
        var same = await Ok(await committee.PutAsJsonAsync(url, decided));
        same.GetProperty("version").GetInt32().ShouldBe(version);
        var noReason = await committee.PutAsJsonAsync(url, new { description = "Utan skäl", riskIds = new[] { high }, actions = decided.GetProperty("actions"), version });
        (await ErrorFields(noReason)).ShouldBe(["changeReason"]);
        var actions = decided.GetProperty("actions").EnumerateArray().Select(a => (object)a).Append(Action(units.Department, null, "Avstämning av kassa", period: "2026-T2")).ToList();
        (await ErrorFields(await committee.PutAsJsonAsync(url, new { description = "Plan för 2026, reviderad", riskIds = new[] { high, other }, actions, version, changeReason = "  " })))
            .ShouldBe(["changeReason"]);
        (await Ok(await committee.GetAsync(url))).GetProperty("actions").GetArrayLength().ShouldBe(1);

        var withReason = await Ok(await committee.PutAsJsonAsync(url, new
        {
            description = "Plan för 2026, reviderad", riskIds = new[] { high }, actions, version, changeReason = "Kassan tillkom efter revisionens rapport",
        }));
        withReason.GetProperty("actions").GetArrayLength().ShouldBe(2);
        withReason.GetProperty("riskIds").EnumerateArray().Select(r => r.GetGuid()).ShouldBe([high]);
        withReason.GetProperty("status").GetString().ShouldBe("decided");

        // Echoing the stored reason does not justify the next change.
        (await ErrorFields(await committee.PutAsJsonAsync(url, new
        {
            description = "Ännu en ändring", riskIds = new[] { high }, actions = withReason.GetProperty("actions"), version = withReason.GetProperty("version").GetInt32(),
            changeReason = "Kassan tillkom efter revisionens rapport",
        }))).ShouldBe(["changeReason"]);

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Entity == nameof(ControlPlan) && e.EntityId == plan.GetProperty("id").GetGuid().ToString() && e.Action == "Modified")
                .OrderByDescending(e => e.Id).FirstAsync();
            entry.After.ShouldNotBeNull().ShouldContain("Kassan tillkom efter revisionens rapport");
            (await db.AuditEntries.AsNoTracking().CountAsync(e => e.Entity == nameof(ControlAction) && e.Action == "Added" && e.After!.Contains("Avstämning av kassa"))).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_department_reports_a_deviation_with_findings_only_while_its_follow_up_is_open(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = DemoUnits(app);
        var committee = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Committee);
        var plan = await Created(await committee.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2026, actions = new[] { Action(units.Department, null) } }));
        var actionId = plan.GetProperty("actions")[0].GetProperty("id").GetGuid();
        var actionUrl = $"{Base}/control-actions/{actionId}";
        var department = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Department);
        var admin = await app.ClientAsync();

        // The department sees its control action (not the committee's plan) and must say what a deviation was.
        (await department.GetAsync($"{Base}/control-plans/{plan.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Ok(await department.GetAsync(actionUrl))).GetProperty("title").GetString().ShouldBe("Stickprov på leverantörsfakturor");
        (await ErrorFields(await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withDeviation", findings = " " }))).ShouldBe(["findings"]);
        (await ErrorFields(await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "notPerformed" }))).ShouldBe(["reason"]);

        // Submitted: the result waits; reopened: it is accepted.
        (await department.PostAsJsonAsync($"{Base}/units/{units.Department}/periods/{Period}/workflow", new { action = "submit", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var waiting = await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withDeviation", findings = "3 av 20 fakturor saknade attest." });
        waiting.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await waiting.Content.ReadAsStringAsync()).ShouldContain("inskickad");
        (await Ok(await department.GetAsync(actionUrl))).GetProperty("results").GetArrayLength().ShouldBe(0);
        (await department.PostAsJsonAsync($"{Base}/control-actions/{actionId}/measures", new { periodKey = Period, text = "Påminn om attest", status = "notStarted" }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync($"{Base}/units/{units.Department}/periods/{Period}/workflow", new { action = "reopen", reason = "Resultat saknas", version = 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var reported = await Ok(await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withDeviation", findings = "3 av 20 fakturor saknade attest." }));
        reported.GetProperty("results")[0].GetProperty("outcome").GetString().ShouldBe("withDeviation");
        var resultVersion = reported.GetProperty("resultVersions").GetProperty(Period).GetInt32();
        (await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withoutRemark" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var measure = await Created(await department.PostAsJsonAsync($"{actionUrl}/measures", new { periodKey = Period, text = "Påminn om attest", owner = "Ekonomichef", deadline = "2027-01-31", status = "notStarted" }));
        measure.GetProperty("statusName").GetString().ShouldBe("Ej påbörjad");
        var measureUrl = $"{actionUrl}/measures/{measure.GetProperty("id").GetGuid()}";

        // Submitted again: the measure's progress is kept up to date, its text (part of the report) waits.
        (await department.PostAsJsonAsync($"{Base}/units/{units.Department}/periods/{Period}/workflow", new { action = "submit", version = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withoutRemark", version = resultVersion })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var mv = measure.GetProperty("version").GetInt32();
        (await department.PutAsJsonAsync(measureUrl, new { text = "Annan text", owner = "Ekonomichef", deadline = "2027-01-31", status = "inProgress", version = mv }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var done = await Ok(await department.PutAsJsonAsync(measureUrl, new { text = "Påminn om attest", owner = "Ekonomichef", deadline = "2027-01-31", status = "done", version = mv }));
        done.GetProperty("doneOn").ValueKind.ShouldBe(JsonValueKind.String);
        (await department.PutAsJsonAsync(measureUrl, new { text = "Påminn om attest", status = "inProgress", version = mv })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await department.DeleteAsync($"{measureUrl}?version={done.GetProperty("version").GetInt32()}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_measures_follow_the_committee_into_next_years_plan_until_done(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = DemoUnits(app);
        var committee = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Committee);
        var earlier = await Created(await committee.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2025, actions = new[] { Action(units.Department, null, period: "2025-T3") } }));
        var actionId = earlier.GetProperty("actions")[0].GetProperty("id").GetGuid();
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        Guid open, closed;
        using (scope)
        {
            var t3 = db.Periods.Single(p => p.Key == "2025-T3").Id;
            var a = new ControlMeasure { ActionId = actionId, PeriodId = t3, Text = "Ny rutin för attest", Deadline = new DateOnly(2025, 12, 31), Status = MeasureStatus.InProgress };
            var b = new ControlMeasure { ActionId = actionId, PeriodId = t3, Text = "Utbildning i inköp", Status = MeasureStatus.Done, DoneOn = new DateOnly(2025, 11, 3) };
            db.ControlMeasures.AddRange(a, b);
            await db.SaveChangesAsync();
            (open, closed) = (a.Id, b.Id);
        }

        var plan = await Created(await committee.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2026 }));
        var carried = plan.GetProperty("carriedMeasures").EnumerateArray().ToList();
        carried.Select(c => c.GetProperty("measure").GetProperty("id").GetGuid()).ShouldBe([open]);
        carried[0].GetProperty("year").GetInt32().ShouldBe(2025);

        // Done (in the follow-up of a locked earlier year, since progress is not a report): no longer carried.
        var measureUrl = $"{Base}/control-actions/{actionId}/measures/{open}";
        (await Ok(await committee.PutAsJsonAsync(measureUrl, new { text = "Ny rutin för attest", deadline = "2025-12-31", status = "done", doneOn = "2025-12-20", version = carried[0].GetProperty("version").GetInt32() })))
            .GetProperty("status").GetString().ShouldBe("done");
        (await Ok(await committee.GetAsync($"{Base}/control-plans/{plan.GetProperty("id").GetGuid()}"))).GetProperty("carriedMeasures").GetArrayLength().ShouldBe(0);
        closed.ShouldNotBe(open);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_units_editor_sees_nothing_a_reader_cannot_change_and_the_board_sees_every_committee(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = DemoUnits(app);
        var board = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Board);
        static int WithoutPlan(JsonElement summary) => summary.EnumerateArray().Count(s => s.GetProperty("statusName").GetString() == "Ingen plan");
        var before = await board.GetFromJsonAsync<JsonElement>($"{Base}/internal-control/summary?year=2026");
        before.EnumerateArray().Single(s => s.GetProperty("unitId").GetGuid() == units.Committee).GetProperty("statusName").GetString().ShouldBe("Ingen plan");
        var committee = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Committee);
        var plan = await Created(await committee.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2026, actions = new[] { Action(units.Department, null) } }));
        var url = $"{Base}/control-plans/{plan.GetProperty("id").GetGuid()}";
        var actionUrl = $"{Base}/control-actions/{plan.GetProperty("actions")[0].GetProperty("id").GetGuid()}";
        var body = new { description = "Kapad", riskIds = Array.Empty<Guid>(), actions = Array.Empty<object>(), version = plan.GetProperty("version").GetInt32() };

        var neighbour = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, units.Neighbour);
        (await neighbour.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.GetAsync(actionUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.GetFromJsonAsync<JsonElement>($"{Base}/control-plans?year=2026")).GetArrayLength().ShouldBe(0);
        (await neighbour.PutAsJsonAsync(url, body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.PostAsJsonAsync($"{url}/decision", new { decidedOn = "2026-02-18", decisionParagraph = "§ 1", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withoutRemark" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.PostAsJsonAsync($"{Base}/control-plans", new { unitId = units.Committee, year = 2027 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var neighbourSummary = await neighbour.GetFromJsonAsync<JsonElement>($"{Base}/internal-control/summary?year=2026");
        neighbourSummary.EnumerateArray().Select(s => s.GetProperty("unitId").GetGuid()).ShouldBe([units.Neighbour]);
        neighbourSummary[0].GetProperty("statusName").GetString().ShouldBe("Ingen plan");

        // The committee's plan may not point at another committee's units.
        (await ErrorFields(await committee.PutAsJsonAsync(url, new { riskIds = Array.Empty<Guid>(), actions = new[] { Action(units.Neighbour, null) }, version = plan.GetProperty("version").GetInt32() })))
            .ShouldBe(["actions[0].responsibleUnitId"]);

        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.GetAsync(actionUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.PutAsJsonAsync(url, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PutAsJsonAsync($"{actionUrl}/results/{Period}", new { outcome = "withoutRemark" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var summary = await board.GetFromJsonAsync<JsonElement>($"{Base}/internal-control/summary?year=2026");
        var row = summary.EnumerateArray().Single(s => s.GetProperty("unitId").GetGuid() == units.Committee);
        (row.GetProperty("actions").GetInt32(), row.GetProperty("notReported").GetInt32(), row.GetProperty("statusName").GetString()).ShouldBe((1, 1, "Förslag"));
        summary.GetArrayLength().ShouldBe(before.GetArrayLength());
        WithoutPlan(summary).ShouldBe(WithoutPlan(before) - 1);
        WithoutPlan(summary).ShouldBeGreaterThan(0);
        (await board.PutAsJsonAsync(url, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Another municipality's people find none of it.
        var system = await app.ClientAsync();
        (await system.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", kommunkod = "1234", template = ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.GetAsync($"/api/v1/tenants/annan/control-plans/{plan.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/tenants/annan/control-actions/{plan.GetProperty("actions")[0].GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/v1/tenants/annan/control-plans")).GetArrayLength().ShouldBe(0);
    }

    /// <summary>
    /// A plan's risks come from its unit's registers: a risk a decided plan chose is not moved out of them (which would change
    /// the locked plan without a reason and leave it unsaveable), while a move within the plan's units stays allowed.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_risk_a_decided_plan_chose_is_not_moved_out_of_the_plans_units(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = DemoUnits(app);
        var risk = AddRisk(app, units.Department, "Felaktiga utbetalningar", 2026, 4, 3);
        var admin = await app.ClientAsync();
        var plan = await Created(await admin.PostAsJsonAsync($"{Base}/control-plans", new
        {
            unitId = units.Committee, year = 2026, riskIds = new[] { risk }, actions = new[] { Action(units.Department, risk) },
        }));
        var url = $"{Base}/control-plans/{plan.GetProperty("id").GetGuid()}";
        await Ok(await admin.PostAsJsonAsync($"{url}/decision", new { decidedOn = "2026-02-18", decisionParagraph = "§ 12", version = plan.GetProperty("version").GetInt32() }));

        var riskUrl = $"{Base}/risks/{risk}";
        var read = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(riskUrl))!;
        var away = read.DeepClone().AsObject();
        away["unitId"] = units.Neighbour.ToString();
        (await ErrorFields(await admin.PutAsJsonAsync(riskUrl, away))).ShouldBe(["unitId"]);
        (await admin.GetFromJsonAsync<JsonElement>(riskUrl)).GetProperty("unitId").GetGuid().ShouldBe(units.Department);

        var up = read.DeepClone().AsObject();
        up["unitId"] = units.Committee.ToString();
        (await Ok(await admin.PutAsJsonAsync(riskUrl, up))).GetProperty("unitId").GetGuid().ShouldBe(units.Committee);
        (await admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("riskIds").EnumerateArray().Select(r => r.GetGuid()).ShouldBe([risk]);
    }
}
