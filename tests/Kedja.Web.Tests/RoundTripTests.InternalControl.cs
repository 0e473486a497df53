using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Kedja.Domain.Assignments;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Internal control and assignments (issue 15) in the tenant document: export → import into a fresh tenant → export gives
/// the same bytes, a document without the sections imports as before, a bad one is refused whole with every Swedish error
/// at its path, and the demo and each template's example carry a year of both that passes the schema.
/// </summary>
public partial class RoundTripTests
{
    /// <summary>Built once: JsonSchema.Net registers a schema by its $id for the whole process.</summary>
    private static readonly Lazy<JsonSchema> TenantSchema = new(() => JsonSchema.FromText(Portal.OpenDataTests.RepositoryFile(DocumentSchema.RelativePath)));

    /// <summary>Imports the export under a new slug and exports that: the same bytes but for the slug.</summary>
    private static async Task<string> ReimportedAsync(HttpClient admin, string slug, string export)
    {
        var copy = $"{slug}-kopia";
        var imported = await admin.PostAsync($"/api/v1/tenants/import?slug={copy}", new StringContent(export, Encoding.UTF8, "application/json"));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var again = await admin.GetStringAsync($"/api/v1/tenants/{copy}/export");
        var slugged = $"\"slug\":\"{copy}\"";
        again.IndexOf(slugged, StringComparison.Ordinal).ShouldBe(export.IndexOf($"\"slug\":\"{slug}\"", StringComparison.Ordinal));
        return again.Replace(slugged, $"\"slug\":\"{slug}\"", StringComparison.Ordinal);
    }

    private static void ValidatesAgainstTheSchema(string export, string what)
    {
        var result = TenantSchema.Value.Evaluate(JsonDocument.Parse(export).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        result.IsValid.ShouldBeTrue($"{what}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_demo_s_internal_control_and_assignments_come_back_byte_for_byte_from_a_fresh_tenant(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var export = await admin.GetStringAsync($"{Base}/export");

        (await ReimportedAsync(admin, DemoTenant.Slug, export)).ShouldBe(export);

        ValidatesAgainstTheSchema(export, DemoTenant.Slug);
        var doc = JsonNode.Parse(export)!;
        doc["internalControl"]!["settings"]!["likelihood"]!.AsArray().Count.ShouldBe(4);
        doc["internalControl"]!["risks"]!.AsArray().Count.ShouldBeInRange(8, 12);
        doc["internalControl"]!["plans"]!.AsArray().SelectMany(p => p!["actions"]!.AsArray()).SelectMany(a => a!["measures"]!.AsArray()).ShouldNotBeEmpty();
        doc["assignments"]!.AsArray().Count.ShouldBeInRange(6, 10);

        // The schema can fail on the new sections too: an outcome that is not one of the three.
        doc["internalControl"]!["plans"]![0]!["actions"]![0]!["results"]![0]!["outcome"] = "godkänd";
        TenantSchema.Value.Evaluate(JsonDocument.Parse(doc.ToJsonString()).RootElement).IsValid.ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_document_without_internal_control_and_assignments_imports_with_the_defaults(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var doc = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!.AsObject();
        doc.Remove("internalControl").ShouldBeTrue();
        doc.Remove("assignments").ShouldBeTrue();
        // The demo's planning of 2027 carries control actions forward; without internal control it has nothing to name.
        doc.Remove("planningYears");

        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=utan", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var export = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/utan/export"))!;
        export["internalControl"]!.ToJsonString().ShouldBe("""{"settings":null,"risks":[],"plans":[]}""");
        export["assignments"]!.ToJsonString().ShouldBe("[]");
        var (scope, db) = app.DbFor("utan");
        using (scope)
        {
            // No settings row: the tenant is on the default scale.
            (await db.RiskSettings.CountAsync()).ShouldBe(0);
            (await db.Goals.CountAsync()).ShouldBeGreaterThan(0);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bad_internal_control_or_assignment_is_refused_with_every_swedish_error_at_its_path_and_nothing_is_imported(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var doc = JsonNode.Parse(await admin.GetStringAsync($"{Base}/export"))!;
        var control = doc["internalControl"]!;
        var plans = control["plans"]!.AsArray();
        int PlanOf(Func<JsonNode, bool> match) => plans.Select((p, i) => (p, i)).First(x => match(x.p!)).i;

        // A result with a deviation and no findings.
        var (dp, da) = plans.SelectMany((p, i) => p!["actions"]!.AsArray().Select((a, j) => (i, j, a)))
            .Where(x => x.a!["results"]!.AsArray().Any(r => (string)r!["outcome"]! == "withDeviation")).Select(x => (x.i, x.j)).First();
        var results = plans[dp]!["actions"]![da]!["results"]!.AsArray();
        var dr = results.Select((r, k) => (r, k)).First(x => (string)x.r!["outcome"]! == "withDeviation").k;
        results[dr]!["findings"] = null;

        // A step outside the 4 × 4 scale.
        control["risks"]![0]!["assessments"]![0]!["likelihood"] = 5;

        // A control action of a 2026 plan followed up in a 2025 tertial.
        var p2026 = PlanOf(p => (int)p["year"]! == 2026);
        plans[p2026]!["actions"]![1]!["periodKey"] = "2025-T2";

        // A missing risk in another plan, a risk of a unit that does not exist, a goal that does not exist.
        var pOther = PlanOf(p => (int)p["year"]! == 2026 && p != plans[p2026]);
        var (missingRisk, missingUnit, missingGoal) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        plans[pOther]!["riskIds"]!.AsArray().Add(missingRisk.ToString());
        var riskIndex = plans[pOther]!["riskIds"]!.AsArray().Count - 1;
        control["risks"]![1]!["unitId"] = missingUnit.ToString();

        // A report that closes the assignment: only the giver closes.
        var assignments = doc["assignments"]!.AsArray();
        var reported = assignments.Select((a, i) => (a, i)).First(x => x.a!["reports"]!.AsArray().Count > 0).i;
        assignments[reported]!["reports"]![0]!["status"] = "closed";
        var linked = assignments.Select((a, i) => (a, i)).First(x => x.a!["goalIds"]!.AsArray().Count > 0).i;
        assignments[linked]!["goalIds"]![0] = missingGoal.ToString();
        var audit = await ProblemDetailsTests.AuditCountAsync(app);

        var response = await admin.PostAsync("/api/v1/tenants/import?slug=trasig", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

        var (status, problem) = await ProblemDetailsTests.ProblemAsync(response);
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("title").GetString()!.ShouldContain("Inget har sparats");
        var action = $"$.internalControl.plans[{dp}].actions[{da}]";
        Errors(problem, $"{action}.results[{dr}].findings").ShouldBe(["Beskriv avvikelsen: vad kontrollen visade."]);
        Errors(problem, "$.internalControl.risks[0].assessments[0].likelihood").ShouldBe(["Sannolikheten anges med ett steg från 1 till 4."]);
        Errors(problem, $"$.internalControl.plans[{p2026}].actions[1].periodKey").ShouldBe(["Kontrollmomentet följs upp i en period under planens år (2026)."]);
        Errors(problem, $"$.internalControl.plans[{pOther}].riskIds[{riskIndex}]").ShouldBe([$"Risken {missingRisk} finns inte."]);
        Errors(problem, "$.internalControl.risks[1].unitId").ShouldBe([$"Enheten {missingUnit} finns inte."]);
        Errors(problem, $"$.assignments[{reported}].reports[0].status").ShouldBe(["Bara den som gav uppdraget avslutar det; rapportera ej påbörjat, pågår eller klart."]);
        Errors(problem, $"$.assignments[{linked}].goalIds[0]").ShouldBe([$"Målet {missingGoal} finns inte."]);

        (await admin.GetAsync("/api/v1/tenants/trasig/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ProblemDetailsTests.AuditCountAsync(app)).ShouldBe(audit);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.Tenants.CountAsync()).ShouldBe(1);
            (await db.Risks.IgnoreQueryFilters().CountAsync()).ShouldBe(await db.Risks.CountAsync());
            (await db.Assignments.IgnoreQueryFilters().CountAsync()).ShouldBe(await db.Assignments.CountAsync());
        }
    }

    /// <summary>Ids are the document's, so a document that says the same action, measure or number twice is refused, not half written.</summary>
    [Fact]
    public void A_document_that_repeats_an_action_a_measure_a_plan_or_a_number_is_refused()
    {
        var doc = DemoTenant.Build();
        var (plans, risks, assignments) = (doc.InternalControl.Plans, doc.InternalControl.Risks, doc.Assignments);
        var twice = plans[1] with { Actions = [.. plans[1].Actions, plans[0].Actions[0]] };
        var measured = plans.SelectMany(p => p.Actions).First(a => a.Measures.Count > 0);
        var copied = plans[2] with { Actions = [plans[2].Actions[0] with { Measures = [measured.Measures[0]] }, .. plans[2].Actions.Skip(1)] };
        var samePlan = plans[0] with { Id = Guid.NewGuid(), Actions = [] };
        var broken = doc with
        {
            InternalControl = doc.InternalControl with
            {
                Plans = [plans[0], twice, copied, .. plans.Skip(3), samePlan],
                Risks = [.. risks.SkipLast(1), risks[^1] with { Number = risks[0].Number }],
            },
            Assignments = [.. assignments.SkipLast(1), assignments[^1] with { Number = assignments[0].Number }],
        };

        var errors = TenantDocumentValidator.Validate(broken);

        errors[$"$.internalControl.plans[1].actions[{plans[1].Actions.Count}].id"].ShouldBe([$"Id {plans[0].Actions[0].Id} förekommer flera gånger."]);
        errors.ShouldContainKey("$.internalControl.plans[2].actions[0].measures[0].id");
        errors[$"$.internalControl.plans[{plans.Count}].year"].ShouldBe([$"Enheten har redan en plan för {plans[0].Year}."]);
        errors[$"$.internalControl.risks[{risks.Count - 1}].number"].ShouldBe([$"Numret {risks[0].Number} har redan en annan risk."]);
        errors[$"$.assignments[{assignments.Count - 1}].number"].ShouldBe([$"Numret {assignments[0].Number} har redan ett annat uppdrag."]);
        TenantDocumentValidator.Validate(doc).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Risks_and_assignments_without_a_number_get_the_next_after_the_document_s_highest(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        var doc = DemoTenant.Build();
        var (risks, assignments) = (doc.InternalControl.Risks, doc.Assignments);
        var numbered = doc with
        {
            InternalControl = doc.InternalControl with { Risks = [.. risks.Select((r, i) => i is 2 or 5 ? r with { Number = 0 } : r)] },
            Assignments = [assignments[0] with { Number = 0 }, .. assignments.Skip(1)],
        };
        var body = JsonSerializer.Serialize(numbered, app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options);

        var imported = await admin.PostAsync("/api/v1/tenants/import?slug=numrerad", new StringContent(body, Encoding.UTF8, "application/json"));

        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var export = JsonSerializer.Deserialize<TenantDocument>(await admin.GetStringAsync("/api/v1/tenants/numrerad/export"),
            app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options)!;
        export.InternalControl.Risks.Select(r => (r.Id, r.Number)).ShouldBe([
            .. risks.Where((_, i) => i is not (2 or 5)).Select(r => (r.Id, r.Number)),
            (risks[2].Id, risks.Count + 1), (risks[5].Id, risks.Count + 2)]);
        export.Assignments.Select(a => (a.Id, a.Number)).ShouldBe([.. assignments.Skip(1).Select(a => (a.Id, a.Number)), (assignments[0].Id, assignments.Count + 1)]);
    }

    /// <summary>
    /// The demo shows a year of internal control and assignments, and its results and reports are where the follow-up has
    /// been done: in tertials whose follow-up the responsible unit has submitted or that are locked, never in a later one.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_demo_has_decided_plans_results_a_carried_measure_and_an_overdue_assignment(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using var owned = scope;
        var periods = await db.Periods.ToDictionaryAsync(p => p.Id);
        var states = await db.UnitPeriodStatuses.ToDictionaryAsync(s => (s.UnitId, s.PeriodId), s => s.State);
        var units = await db.Units.ToDictionaryAsync(u => u.Id);
        var plans = await db.ControlPlans.Include(p => p.Risks).Include(p => p.Actions).ThenInclude(a => a.Results).ToListAsync();
        var actions = await db.ControlActions.Include(a => a.Measures).ToListAsync();
        var risks = await db.Risks.Include(r => r.Assessments).ToListAsync();
        var assignments = await db.Assignments.Include(a => a.Reports).Include(a => a.Goals).ToListAsync();
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        bool Reported(Guid unit, Guid period) => states.GetValueOrDefault((unit, period)) is WorkflowState.Submitted or WorkflowState.Locked;
        string Where(Guid unit, Guid period) => $"{units[unit].Name} {periods[period].Key}";

        // Registers of three committees, some risks assessed two years running.
        risks.Select(r => r.UnitId).Distinct().Count().ShouldBe(3);
        risks.ShouldAllBe(r => r.Category != null && r.Process != null && r.Owner != null);
        risks.Count(r => r.Assessments.Count == 2).ShouldBeGreaterThanOrEqualTo(4);

        // This year's plans are decided with date and paragraph, their actions spread over the tertials; results only where followed up.
        var year = plans.Max(p => p.Year);
        var current = plans.Where(p => p.Year == year).ToList();
        current.Count.ShouldBe(3);
        current.ShouldAllBe(p => p.Status == ControlPlanStatus.Decided && p.DecidedOn != null && p.DecisionParagraph!.StartsWith("§ "));
        current.SelectMany(p => p.Actions).Count().ShouldBeInRange(6, 10);
        current.SelectMany(p => p.Actions).Select(a => periods[a.PeriodId].Key).Distinct().Order().ShouldBe([$"{year}-T1", $"{year}-T2", $"{year}-T3"]);
        var allResults = plans.SelectMany(p => p.Actions).SelectMany(a => a.Results.Select(r => (Action: a, Result: r))).ToList();
        allResults.Where(x => !Reported(x.Action.ResponsibleUnitId, x.Result.PeriodId)).Select(x => Where(x.Action.ResponsibleUnitId, x.Result.PeriodId))
            .ShouldBeEmpty("a result is the responsible unit's report of a followed-up period");
        var results = allResults.Where(x => periods[x.Result.PeriodId].Year == year).Select(x => x.Result).ToList();
        results.Count(r => r.Outcome == ControlOutcome.WithoutRemark).ShouldBeGreaterThan(results.Count / 2);
        results.Where(r => r.Outcome == ControlOutcome.WithDeviation).ShouldAllBe(r => !string.IsNullOrWhiteSpace(r.Findings));
        results.Count(r => r.Outcome == ControlOutcome.WithDeviation).ShouldBeInRange(1, 2);
        results.Where(r => r.Outcome == ControlOutcome.NotPerformed).ShouldHaveSingleItem().Reason.ShouldNotBeNullOrWhiteSpace();
        results.ShouldNotContain(r => periods[r.PeriodId].Key == $"{year}-T3");

        // An open measure from last year's plan follows into this year's.
        var planYear = plans.SelectMany(p => p.Actions.Select(a => (a.Id, p.Year))).ToDictionary(x => x.Id, x => x.Year);
        var measures = actions.SelectMany(a => a.Measures).ToList();
        RiskScale.CarriedInto(year, measures, m => planYear[m.ActionId]).Where(m => m.Status != MeasureStatus.Done).ShouldNotBeEmpty();

        // Assignments from the council, the board and a committee, reported on where followed up; some closed, one overdue, some on goals.
        assignments.Count.ShouldBeInRange(6, 10);
        assignments.Select(a => a.Giver).Distinct().Order().ShouldBe([AssignmentGiver.Council, AssignmentGiver.ExecutiveBoard, AssignmentGiver.Committee]);
        assignments.Count(a => AssignmentDue.IsClosed(a.Status)).ShouldBeGreaterThanOrEqualTo(2);
        assignments.Count(a => a.Goals.Count > 0).ShouldBeGreaterThanOrEqualTo(3);
        assignments.Where(a => AssignmentDue.IsOverdue(a, AssignmentDue.DueOn(a, p => periods[p].EndDate), today)).ShouldNotBeEmpty();
        var reports = assignments.SelectMany(a => a.Reports.Select(r => (Assignment: a, Report: r))).ToList();
        reports.Count.ShouldBeGreaterThanOrEqualTo(assignments.Count);
        reports.Where(x => !Reported(x.Assignment.ResponsibleUnitId, x.Report.PeriodId) || AssignmentDue.IsClosed(x.Report.Status))
            .Select(x => Where(x.Assignment.ResponsibleUnitId, x.Report.PeriodId)).ShouldBeEmpty("a report is the responsible unit's, of a followed-up period");
    }

    /// <summary>Each template's example has a smaller year of both, passes the schema and comes back byte for byte.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_template_example_has_a_plan_results_and_assignments_and_comes_back_byte_for_byte(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = "false", ["Kedja:Demo:Examples"] = "true" });
        var admin = await app.ClientAsync();
        var options = app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options;
        foreach (var key in ModelTemplates.Keys)
        {
            var slug = TemplateExamples.SlugFor(key);
            var export = await admin.GetStringAsync($"/api/v1/tenants/{slug}/export");

            (await ReimportedAsync(admin, slug, export)).ShouldBe(export, slug);

            ValidatesAgainstTheSchema(export, slug);
            var doc = JsonSerializer.Deserialize<TenantDocument>(export, options)!;
            TenantDocumentValidator.Validate(doc).ShouldBeEmpty(slug);
            doc.InternalControl.Settings.ShouldBeNull(slug);
            var plan = doc.InternalControl.Plans.ShouldHaveSingleItem(slug);
            (plan.Status, plan.RiskIds.Count, plan.Actions.Count).ShouldBe((ControlPlanStatus.Decided, 4, 4), slug);
            doc.InternalControl.Risks.Count.ShouldBe(4, slug);
            plan.Actions.SelectMany(a => a.Results).Count().ShouldBeInRange(1, 3, slug);
            plan.Actions.SelectMany(a => a.Results).ShouldContain(r => r.Outcome == ControlOutcome.WithDeviation, slug);
            doc.Assignments.Count.ShouldBeInRange(2, 3, slug);
            doc.Assignments.ShouldContain(a => a.Status == AssignmentStatus.Closed, slug);

            // Results and reports only where the responsible unit has reported the period.
            var ready = doc.Workflow.Where(w => w.State != WorkflowState.Open).Select(w => (w.UnitId, w.PeriodKey)).ToHashSet();
            plan.Actions.SelectMany(a => a.Results.Select(r => (a.ResponsibleUnitId, r.PeriodKey))).Where(x => !ready.Contains(x)).ShouldBeEmpty(slug);
            doc.Assignments.SelectMany(a => a.Reports.Select(r => (a.ResponsibleUnitId, r.PeriodKey))).Where(x => !ready.Contains(x)).ShouldBeEmpty(slug);
        }
    }
}
