using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kedja.Domain.Assignments;
using Kedja.Domain.Goals;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Demo;
using Kedja.Web.Public;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Issue 15's part of the leak test: the council's assignments and the committees' decided internal control plans reach
/// the portal only while the municipality publishes them, and then only what was decided – never a proposal, the risk
/// register, a control's findings or measures, a report still being written or of an unpublished period, nor an
/// assignment another giver gave.
/// </summary>
public partial class PublicReadTests
{
    /// <summary>What the portal shows once the switches are on.</summary>
    private static readonly string[] Decided = ["SYNLIGT-uppdrag", "SYNLIGT-uppdragstext", "SYNLIG-uppdragsrapport", "SYNLIGT-skäl", "SYNLIG-plan", "SYNLIGT-kontrollmoment",
        "SYNLIG-omfattning"];

    /// <summary>What the portal never shows, whatever is switched on (until T2 2026 is published, for its report).</summary>
    private static readonly string[] NeverDecided = ["DOLT-nämndsuppdrag", "DOLT-ksuppdrag", "DOLT-kommande-uppdrag", "DOLT-uppdragsrapport", "UTKAST-uppdragsrapport",
        "DOLT-förslag", "DOLT-förslagsmoment", "DOLT-kommande-plan", "DOLT-kommande-moment", "DOLT-risk", "DOLT-riskbeskrivning", "DOLT-riskmotivering", "DOLT-iakttagelse",
        "DOLT-åtgärd", "DOLT-orsak", "DOLT-ändringsskäl", "DOLT-ansvarig-person", "DOLT-framtida-mål"];

    /// <summary>
    /// The demo's own internal control and assignments (DemoTenant.ControlAndAssignments) that are decided and public once
    /// switched on: the council's assignments and the decided plans' control actions.
    /// </summary>
    private static readonly string[] DemoDecided = ["Gemensam bokningstjänst för lokaler och anläggningar", "Laddplatser vid kommunens anläggningar",
        "Skolornas lokalbehov till 2030", "Plan för kompetensförsörjning", "Ändrade bankuppgifter för leverantörer är kontrollerade",
        "Signeringslistor för läkemedel är kompletta"];

    /// <summary>
    /// The demo's own that the portal never shows: its risk register, what its controls found, its measures, and the
    /// assignments the executive board and the committees gave. Spaces are left out, as <see cref="Leaks"/> compares.
    /// </summary>
    private static readonly string[] DemoNeverDecided = [.. new[]
    {
        "Felaktiga utbetalningar till leverantörer", "Brister i läkemedelshanteringen", "Brukares privata pengar hanteras felaktigt",
        "Otillräcklig bemanning under semesterperioden", "Försöken har blivit fler i hela landet", "4 av 20 inköp saknade dokumentation",
        "I 3 av 25 signeringslistor saknades signaturer", "Temperaturen i två läkemedelsförråd var för hög", "Ärendesystemet byttes under perioden",
        "Utbildning i direktupphandling för beställare", "Ny rutin för överlämning av läkemedel vid skiftbyte", "Temperaturloggar och kylaggregat",
        "Handlingsplan mot hög frånvaro", "Nattpatrull i hela kommunen", "Kostnaderna för externa placeringar", "E-underskrift av avtal och beslut",
        "Redovisningsansvarig", "Systemförvaltare",
    }.Select(marker => marker.Replace(" ", "", StringComparison.Ordinal))];

    internal sealed record Decisions(Guid Assignment, Guid DraftAssignment, Guid ClosedAssignment, Guid Committee, Guid Goal);

    /// <summary>Writes assignments, a register, plans, results and measures straight into the database, as any entry point could have.</summary>
    internal static async Task<Decisions> MarkDecisionsAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var periods = await db.Periods.ToDictionaryAsync(p => p.Key);
            var (published, unpublished) = (periods[Published].Id, periods[Unpublished].Id);
            var units = await db.Units.ToListAsync();
            var council = units.Single(u => u.ParentId is null);
            // Committees without a plan of their own (a unit has one plan a year), whatever the demo holds.
            var planned = await db.ControlPlans.Select(p => p.UnitId).ToListAsync();
            var committees = units.Where(u => u.ParentId == council.Id && u.IsActive && !planned.Contains(u.Id)).OrderBy(u => u.Name).ToList();
            var (ready, drafting, other) = (committees[0], committees[1], committees[2]);
            var goal = await db.Goals.Where(g => g.ValidFromYear == null || g.ValidFromYear <= 2026).OrderBy(g => g.Title).FirstAsync();

            // The unit that reports on the published assignment marked T1 ready and T2 too; the drafting one has T1 open.
            foreach (var (unit, period, state) in new[] { (ready.Id, published, WorkflowState.Submitted), (ready.Id, unpublished, WorkflowState.Submitted), (drafting.Id, published, WorkflowState.Open) })
            {
                var row = await db.UnitPeriodStatuses.SingleOrDefaultAsync(s => s.UnitId == unit && s.PeriodId == period);
                if (row is null)
                {
                    db.UnitPeriodStatuses.Add(row = new UnitPeriodStatus { UnitId = unit, PeriodId = period });
                }

                row.State = state;
            }

            Assignment Give(int number, string title, AssignmentGiver giver, DateOnly decided, Guid responsible, AssignmentStatus status) => new()
            {
                Number = number, Title = title, Text = $"{title}stext", Giver = giver, GiverUnitId = giver == AssignmentGiver.Committee ? other.Id : null,
                DecidedOn = decided, DecisionParagraph = "§ 41", ResponsibleUnitId = responsible, Status = status,
            };

            // Reported in progress in T1 and done in T2: as long as T2 is not published, the portal says "Pågår".
            var assignment = Give(901, "SYNLIGT-uppdrag", AssignmentGiver.Council, new DateOnly(2026, 2, 10), ready.Id, AssignmentStatus.Done);
            assignment.Text = "SYNLIGT-uppdragstext";
            assignment.DuePeriodId = unpublished;
            var draft = Give(902, "Uppdrag med utkast", AssignmentGiver.Council, new DateOnly(2026, 2, 10), drafting.Id, AssignmentStatus.InProgress);
            var closed = Give(903, "Avslutat uppdrag", AssignmentGiver.Council, new DateOnly(2025, 6, 1), ready.Id, AssignmentStatus.NotDone);
            (closed.StatusReason, closed.ClosedOn, closed.ClosedBy, closed.DueDate) = ("SYNLIGT-skäl", new DateOnly(2026, 3, 1), "ordforande@exempelkommun.se", new DateOnly(2025, 12, 31));
            db.Assignments.AddRange(assignment, draft, closed,
                Give(904, "DOLT-nämndsuppdrag", AssignmentGiver.Committee, new DateOnly(2026, 1, 15), ready.Id, AssignmentStatus.InProgress),
                Give(905, "DOLT-ksuppdrag", AssignmentGiver.ExecutiveBoard, new DateOnly(2026, 1, 15), ready.Id, AssignmentStatus.InProgress),
                Give(906, "DOLT-kommande-uppdrag", AssignmentGiver.Council, new DateOnly(2027, 1, 15), ready.Id, AssignmentStatus.NotStarted));
            db.AssignmentReports.AddRange(
                new AssignmentReport { AssignmentId = assignment.Id, PeriodId = published, Text = "SYNLIG-uppdragsrapport", Status = AssignmentStatus.InProgress, WrittenBy = "chef@exempelkommun.se" },
                new AssignmentReport { AssignmentId = assignment.Id, PeriodId = unpublished, Text = "DOLT-uppdragsrapport", Status = AssignmentStatus.Done, WrittenBy = "chef@exempelkommun.se" },
                new AssignmentReport { AssignmentId = draft.Id, PeriodId = published, Text = "UTKAST-uppdragsrapport", Status = AssignmentStatus.InProgress, WrittenBy = "chef@exempelkommun.se" });
            // A goal of 2027 is a draft: the link to it stays hidden with it.
            var future = new Goal { ModelId = goal.ModelId, LevelId = goal.LevelId, OwnerUnitId = goal.OwnerUnitId, Title = "DOLT-framtida-mål", ValidFromYear = 2027 };
            db.Goals.Add(future);
            db.AssignmentGoals.AddRange(new AssignmentGoalLink { AssignmentId = assignment.Id, GoalId = goal.Id }, new AssignmentGoalLink { AssignmentId = assignment.Id, GoalId = future.Id });

            // The register and the plans: a decided 2026 plan (public), a proposal and a plan for 2027 (never, while 2027 is unpublished).
            var risk = new Risk { Number = 901, UnitId = ready.Id, Title = "DOLT-risk", Description = "DOLT-riskbeskrivning", FirstYear = 2026 };
            db.Risks.Add(risk);
            db.RiskAssessments.Add(new RiskAssessment { RiskId = risk.Id, Year = 2026, Likelihood = 4, Consequence = 4, Reasoning = "DOLT-riskmotivering", AssessedBy = "controller@exempelkommun.se" });
            var plan = new ControlPlan { UnitId = ready.Id, Year = 2026, Status = ControlPlanStatus.Decided, DecidedOn = new DateOnly(2026, 1, 20), DecisionParagraph = "§ 5",
                Description = "SYNLIG-plan", ChangeReason = "DOLT-ändringsskäl" };
            var proposal = new ControlPlan { UnitId = drafting.Id, Year = 2026, Status = ControlPlanStatus.Proposal, Description = "DOLT-förslag" };
            var later = new ControlPlan { UnitId = ready.Id, Year = 2027, Status = ControlPlanStatus.Decided, DecidedOn = new DateOnly(2026, 12, 10), DecisionParagraph = "§ 99",
                Description = "DOLT-kommande-plan" };
            db.ControlPlans.AddRange(plan, proposal, later);
            db.ControlPlanRisks.Add(new ControlPlanRisk { PlanId = plan.Id, RiskId = risk.Id });
            var action = new ControlAction { PlanId = plan.Id, RiskId = risk.Id, Title = "SYNLIGT-kontrollmoment", Method = "Stickprov", Scope = "SYNLIG-omfattning",
                ResponsibleUnitId = ready.Id, ResponsiblePerson = "DOLT-ansvarig-person", PeriodId = unpublished };
            db.ControlActions.AddRange(action,
                new ControlAction { PlanId = proposal.Id, Title = "DOLT-förslagsmoment", Method = "Granskning", ResponsibleUnitId = drafting.Id, PeriodId = published },
                new ControlAction { PlanId = later.Id, Title = "DOLT-kommande-moment", Method = "Granskning", ResponsibleUnitId = ready.Id, PeriodId = published });
            // A result of the published and ready period: findings are never public.
            db.ControlResults.Add(new ControlResult { ActionId = action.Id, PeriodId = published, Outcome = ControlOutcome.WithDeviation, Findings = "DOLT-iakttagelse", WrittenBy = "chef@exempelkommun.se" });
            db.ControlResults.Add(new ControlResult { ActionId = action.Id, PeriodId = unpublished, Outcome = ControlOutcome.NotPerformed, Reason = "DOLT-orsak", WrittenBy = "chef@exempelkommun.se" });
            db.ControlMeasures.Add(new ControlMeasure { ActionId = action.Id, PeriodId = published, Text = "DOLT-åtgärd", Owner = "Ekonomichefen", Status = MeasureStatus.InProgress });
            await db.SaveChangesAsync();
            return new Decisions(assignment.Id, draft.Id, closed.Id, ready.Id, goal.Id);
        }
    }

    internal static async Task SwitchAsync(HttpClient admin, bool assignments, bool plans)
    {
        var url = $"/api/v1/tenants/{DemoTenant.Slug}/portal-settings";
        var settings = JsonNode.Parse(await admin.GetStringAsync(url))!.AsObject();
        settings["publishAssignments"] = assignments;
        settings["publishControlPlans"] = plans;
        var response = await admin.PutAsync(url, new StringContent(settings.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The list item of the assignment with this title on the assignments page.</summary>
    private static string Item(string page, string title) =>
        Regex.Matches(page, "<li>.*?</li>", RegexOptions.Singleline).Select(m => WebUtility.HtmlDecode(m.Value)).Single(item => item.Contains($": {title}</h3>", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Assignments_and_control_plans_reach_the_portal_only_while_switched_on_and_then_only_what_was_decided(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkDecisionsAsync(app);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        string[] pages = [$"{Portal}/uppdrag", $"{Portal}/intern-kontroll"];

        // Off, as every municipality starts (said again here, whatever the demo chooses): not a word of them anywhere, no
        // link, and their pages are the portal's 404.
        await SwitchAsync(admin, false, false);
        var off = await CrawlPortalAsync(anonymous);
        Leaks(off, [.. Decided, .. NeverDecided, .. DemoNeverDecided, .. DemoDecided.Select(m => m.Replace(" ", "", StringComparison.Ordinal)), "/uppdrag", "/intern-kontroll"]).ShouldBeEmpty();
        off.Keys.ShouldContain(k => k.Contains("/oppna-data/", StringComparison.Ordinal), "the crawl reads the open data files");
        foreach (var page in pages)
        {
            var response = await anonymous.GetAsync(page);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, page);
            (await response.Content.ReadAsStringAsync()).ShouldContain("lang=\"sv\"");
        }

        // On: linked from the start page and every footer, and exactly what was decided shows.
        await SwitchAsync(admin, true, true);
        var on = await CrawlPortalAsync(anonymous);
        on.Keys.ShouldContain(pages[0]);
        on.Keys.ShouldContain(pages[1]);
        on[Portal].ShouldContain($"href=\"{pages[0]}\"");
        on[$"{Portal}/aktiviteter"].ShouldContain($"href=\"{pages[1]}\"");
        foreach (var marker in Decided)
        {
            on.Values.ShouldContain(body => body.Contains(marker), $"the portal shows {marker}");
        }

        // The demo's own decided assignments and plans show beside the marked ones; nothing else of its internal control does.
        foreach (var marker in DemoDecided)
        {
            on.Values.ShouldContain(body => body.Contains(marker), $"the portal shows the demo's {marker}");
        }

        Leaks(on, [.. NeverDecided, .. DemoNeverDecided]).ShouldBeEmpty();
        // No person: not the closing chair, not the report's writer, not the control's responsible person.
        Leaks(on, ["@exempelkommun.se", "@test.kedja", "Ekonomichefen"]).ShouldBeEmpty();

        // The status is the latest published report's ("Pågår"), not the row's ("Klart", set by the T2 report); a report
        // of a follow-up still open is no status at all; a closing is the council's, with its reason.
        var list = on[pages[0]];
        var shown = Item(list, "SYNLIGT-uppdrag");
        shown.ShouldContain("Pågår");
        shown.ShouldNotContain("Klart", Case.Insensitive);
        shown.ShouldContain("T2 2026", Case.Sensitive, "due by the end of T2 2026, named although T2 is not published");
        shown.ShouldContain($"/p/{DemoTenant.Slug}/mal/{marked.Goal}");
        Item(list, "Uppdrag med utkast").ShouldContain("Ingen återrapportering publicerad ännu");
        Item(list, "Avslutat uppdrag").ShouldContain("Ej genomfört");
        list.IndexOf("Avslutade uppdrag", StringComparison.Ordinal).ShouldBeLessThan(list.IndexOf("Avslutat uppdrag</h3>", StringComparison.Ordinal));

        var plans = on[pages[1]];
        plans.ShouldContain("T2 2026");
        plans.ShouldContain("Stickprov");
        plans.ShouldContain("§ 5");
        // 2027 is not published: its decided plan is a draft as plans for next year are; a year without a plan, or that is
        // no number, is no page.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.ControlPlans.AnyAsync(p => p.Year == 2024)).ShouldBeFalse("2024 is a year without a plan");
        }

        foreach (var year in new[] { "2027", "2026x", "-1", "2024" })
        {
            (await anonymous.GetAsync($"{pages[1]}?ar={year}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, year);
        }

        (await anonymous.GetAsync($"{pages[1]}?ar=2026")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The demo's care board decided a plan for 2025: its control actions show, what they found and the measures do not.
        var of2025 = await anonymous.GetAsync($"{pages[1]}?ar=2025");
        of2025.StatusCode.ShouldBe(HttpStatusCode.OK);
        var plans2025 = await of2025.Content.ReadAsStringAsync();
        plans2025.ShouldContain("Vård- och omsorgsnämndens internkontrollplan för 2025.");
        plans2025.ShouldContain("Läkemedelsförråd: temperatur och inventering");
        plans2025.ShouldContain("§ 17");
        plans2025.ShouldNotContain("SYNLIG-plan");
        Leaks(new() { [$"{pages[1]}?ar=2025"] = plans2025 }, [.. NeverDecided, .. DemoNeverDecided]).ShouldBeEmpty();

        // Publishing T2 makes its report the latest: the T2 status and text show (drafts and the rest stay inside).
        await PublishAsync(admin, Unpublished, true);
        var afterT2 = Item(await anonymous.GetStringAsync(pages[0]), "SYNLIGT-uppdrag");
        afterT2.ShouldContain("DOLT-uppdragsrapport");
        afterT2.ShouldContain("Klart", Case.Sensitive);
        await PublishAsync(admin, Unpublished, false);
        Item(await anonymous.GetStringAsync(pages[0]), "SYNLIGT-uppdrag").ShouldNotContain("DOLT-uppdragsrapport");

        // Off again: gone at once from every page, although each was just served from the portal's cache.
        await SwitchAsync(admin, false, true);
        (await anonymous.GetAsync(pages[0])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync(Portal)).ShouldNotContain($"href=\"{pages[0]}\"");
        (await anonymous.GetStringAsync(pages[1])).ShouldContain("SYNLIGT-kontrollmoment");
        await SwitchAsync(admin, false, false);
        (await anonymous.GetAsync(pages[1])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Leaks(await CrawlPortalAsync(anonymous), [.. Decided, .. NeverDecided, .. DemoNeverDecided, .. DemoDecided.Select(m => m.Replace(" ", "", StringComparison.Ordinal)), "/uppdrag", "/intern-kontroll"]).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_careless_query_through_the_published_view_sees_no_risk_result_measure_proposal_or_other_giver_s_assignment(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var marked = await MarkDecisionsAsync(app);
        await SwitchAsync(await app.ClientAsync(), true, true);

        await using var scope = app.Services.CreateAsyncScope();
        var db = (await scope.ServiceProvider.GetRequiredService<PublicReader>().EnterAsync(DemoTenant.Slug)).Value!.Data;
        (db.PublishAssignments, db.PublishControlPlans).ShouldBe((true, true));
        // Only the council's, decided by the end of 2026; only reports of published periods marked ready; only decided 2026 plans.
        var assignments = await db.Assignments.ToListAsync();
        assignments.Where(a => a.Number > 900).Select(a => a.Title).ShouldBe(["SYNLIGT-uppdrag", "Uppdrag med utkast", "Avslutat uppdrag"], ignoreOrder: true);
        assignments.ShouldAllBe(a => a.Giver == AssignmentGiver.Council && a.DecidedOn.Year <= 2026);
        (await db.AssignmentReports.Select(r => r.Text).Where(t => t.EndsWith("-uppdragsrapport")).ToListAsync()).ShouldBe(["SYNLIG-uppdragsrapport"]);
        (await db.AssignmentGoals.Where(l => l.AssignmentId == marked.Assignment).Select(l => l.GoalId).ToListAsync()).ShouldBe([marked.Goal]);
        var plans = await db.ControlPlans.ToListAsync();
        plans.Select(p => p.Description).ShouldContain("SYNLIG-plan");
        plans.ShouldAllBe(p => p.Status == ControlPlanStatus.Decided && p.Year <= 2026);
        var actions = await db.ControlActions.Select(a => a.Title).ToListAsync();
        actions.ShouldContain("SYNLIGT-kontrollmoment");
        actions.ShouldNotContain("DOLT-förslagsmoment");
        actions.ShouldNotContain("DOLT-kommande-moment");
        (await db.Risks.CountAsync()).ShouldBe(0);
        (await db.RiskAssessments.CountAsync()).ShouldBe(0);
        (await db.RiskSettings.CountAsync()).ShouldBe(0);
        (await db.ControlPlanRisks.CountAsync()).ShouldBe(0);
        (await db.ControlResults.CountAsync()).ShouldBe(0);
        (await db.ControlMeasures.CountAsync()).ShouldBe(0);
        // The calendar names every period, published or not, but the periods' rows stay hidden.
        db.Calendar.Values.ShouldContain(Unpublished);
        (await db.Periods.AnyAsync(p => p.Key == Unpublished)).ShouldBeFalse();

        // Switched off, a view opened afterwards holds none of them.
        await SwitchAsync(await app.ClientAsync(), false, false);
        await using var after = app.Services.CreateAsyncScope();
        var off = (await after.ServiceProvider.GetRequiredService<PublicReader>().EnterAsync(DemoTenant.Slug)).Value!.Data;
        (await off.Assignments.CountAsync()).ShouldBe(0);
        (await off.AssignmentReports.CountAsync()).ShouldBe(0);
        (await off.AssignmentGoals.CountAsync()).ShouldBe(0);
        (await off.ControlPlans.CountAsync()).ShouldBe(0);
        (await off.ControlActions.CountAsync()).ShouldBe(0);
    }
}
