using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Reports;
using Kedja.Reports.Tests;
using Kedja.Web.Demo;
using Kedja.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Reports;

/// <summary>
/// The internal control plan, its follow-up (with the executive board's summary) and the assignment report, built
/// from rows made through the DbContext in a committee and an administration of their own beside the demo's units,
/// written in every format and read back; ordered from the page, the API and the verb; and what a neighbouring
/// unit's editor gets: none of it.
/// </summary>
public sealed partial class InternalControlReportTests
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>The units and what the tests look for.</summary>
    internal sealed record Seeded(Guid Council, Guid Committee, Guid Administration, Guid Neighbour);

    /// <summary>
    /// A committee with a decided plan for 2026 (three risks, five control actions followed up in T1-T3), results of
    /// every kind, measures (one late), an open measure of 2025's plan carried into 2026 and a done one that is not,
    /// and assignments: the council's to the committee (overdue, reported twice), the committee's to its
    /// administration, one closed in T2, and one to a neighbouring committee.
    /// </summary>
    internal static async Task<Seeded> FillAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var council = await db.Units.Where(u => u.Kind == UnitKind.Council).Select(u => u.Id).FirstAsync();
            var committee = new OrgUnit { Name = "Revisionstestnämnden", Kind = UnitKind.Committee, ParentId = council, SortOrder = 90 };
            var administration = new OrgUnit { Name = "Revisionstestförvaltningen", Kind = UnitKind.Administration, ParentId = committee.Id };
            var neighbour = new OrgUnit { Name = "Grannämnden", Kind = UnitKind.Committee, ParentId = council, SortOrder = 91 };
            db.Units.AddRange(committee, administration, neighbour);
            var periods = await db.Periods.Where(p => p.Year == 2025 || p.Year == 2026).ToDictionaryAsync(p => p.Key, p => p.Id);

            Risk Risk(int number, string title, string category, params (int Year, int L, int C, int? La, int? Ca)[] assessments)
            {
                var risk = new Risk { Number = number, UnitId = committee.Id, Title = title, Category = category, Owner = "Förvaltningschef", FirstYear = 2025 };
                risk.Assessments.AddRange(assessments.Select(a => new RiskAssessment
                {
                    Year = a.Year, Likelihood = a.L, Consequence = a.C, LikelihoodAfter = a.La, ConsequenceAfter = a.Ca, AssessedBy = "test", AssessedAt = DateTime.UtcNow,
                    ExistingControls = "Attestordning", Reasoning = "Bedömd i riskanalysen.",
                }));
                db.Risks.Add(risk);
                return risk;
            }

            var invoices = Risk(9101, "Felaktiga utbetalningar till leverantörer", "Ekonomi och redovisning", (2025, 4, 4, null, null), (2026, 4, 4, 3, 3));
            var access = Risk(9102, "Behörigheter som inte tas bort", "IT och informationssäkerhet", (2026, 2, 2, null, null));
            var delegation = Risk(9103, "Delegationsbeslut anmäls inte", "Regelefterlevnad", (2025, 4, 4, null, null));

            var earlier = new ControlPlan { UnitId = committee.Id, Year = 2025, Status = ControlPlanStatus.Decided, DecidedOn = new(2025, 2, 10), DecisionParagraph = "§ 12" };
            var earlierAction = new ControlAction
            {
                PlanId = earlier.Id, RiskId = invoices.Id, Title = "Attest av fakturor 2025", Method = "Stickprov", ResponsibleUnitId = administration.Id, PeriodId = periods["2025-T3"],
            };
            earlierAction.Measures.Add(new ControlMeasure { Text = "Ny attestordning tas fram", Owner = "Ekonomichef", Deadline = new(2099, 3, 31), Status = MeasureStatus.InProgress });
            earlierAction.Measures.Add(new ControlMeasure { Text = "Utbildning i attest (klar 2025)", Owner = "Ekonomichef", Status = MeasureStatus.Done, DoneOn = new(2025, 10, 1) });
            earlier.Actions.Add(earlierAction);

            var plan = new ControlPlan
            {
                UnitId = committee.Id, Year = 2026, Status = ControlPlanStatus.Decided, DecidedOn = new(2026, 2, 12), DecisionParagraph = "§ 45",
                Description = "Planen bygger på riskanalysen i januari.",
            };
            plan.Risks.AddRange([new ControlPlanRisk { RiskId = invoices.Id }, new ControlPlanRisk { RiskId = access.Id }, new ControlPlanRisk { RiskId = delegation.Id }]);
            ControlAction Action(int order, string title, string method, Risk? risk, string period, ControlOutcome? outcome, string? findings = null, string? reason = null)
            {
                var action = new ControlAction
                {
                    PlanId = plan.Id, RiskId = risk?.Id, Title = title, Method = method, Scope = "20 ärenden", ResponsibleUnitId = administration.Id,
                    ResponsiblePerson = "Eva Ek", PeriodId = periods[period], ReportTo = "Revisionstestnämnden", SortOrder = order,
                };
                if (outcome is { } o)
                {
                    action.Results.Add(new ControlResult { PeriodId = periods[period], Outcome = o, Findings = findings, Reason = reason, WrittenBy = "test", WrittenAt = DateTime.UtcNow });
                }

                plan.Actions.Add(action);
                return action;
            }

            Action(1, "Attest av leverantörsfakturor", "Stickprov", invoices, "2026-T1", ControlOutcome.WithoutRemark);
            var deviation = Action(2, "Behörigheter i ekonomisystemet", "Granskning", access, "2026-T2", ControlOutcome.WithDeviation, findings: "Tre konton för personal som slutat var aktiva.");
            deviation.Measures.Add(new ControlMeasure { Text = "Rutin för att avsluta behörigheter", Owner = "IT-chef", Deadline = new(2020, 1, 15), Status = MeasureStatus.InProgress });
            deviation.Measures.Add(new ControlMeasure { Text = "Genomgång av alla konton", Owner = "Systemförvaltare", Deadline = new(2099, 6, 30), Status = MeasureStatus.NotStarted });
            Action(3, "Delegationsbeslut anmäls till nämnden", "Avstämning", delegation, "2026-T2", ControlOutcome.NotPerformed, reason: "Personalbrist under sommaren.");
            Action(4, "Direktupphandlingar dokumenteras", "Stickprov", null, "2026-T2", null);
            Action(5, "Inventering av stöldbegärlig utrustning", "Genomgång", null, "2026-T3", null);
            db.ControlPlans.AddRange(earlier, plan);

            var overdue = new Assignment
            {
                Number = 9201, Title = "Utreda gemensam växel", Text = "Revisionstestnämnden får i uppdrag att utreda en gemensam växel.", Giver = AssignmentGiver.Council,
                DecidedOn = new(2026, 2, 20), DecisionParagraph = "§ 12", ResponsibleUnitId = committee.Id, DueDate = new(2026, 6, 30), Status = AssignmentStatus.InProgress,
            };
            overdue.Reports.Add(new AssignmentReport { PeriodId = periods["2026-T1"], Text = "Utredningen har startat.", Status = AssignmentStatus.InProgress, WrittenBy = "test", WrittenAt = DateTime.UtcNow });
            overdue.Reports.Add(new AssignmentReport { PeriodId = periods["2026-T2"], Text = "Ett förslag tas fram till hösten.", Status = AssignmentStatus.InProgress, WrittenBy = "test", WrittenAt = DateTime.UtcNow });
            var given = new Assignment
            {
                Number = 9202, Title = "Digital posthantering", Text = "Förvaltningen får i uppdrag att införa digital posthantering.", Giver = AssignmentGiver.Committee,
                GiverUnitId = committee.Id, DecidedOn = new(2026, 3, 10), DecisionParagraph = "§ 30", ResponsibleUnitId = administration.Id, DueDate = new(2099, 12, 31),
                Status = AssignmentStatus.NotStarted,
            };
            var closed = new Assignment
            {
                Number = 9203, Title = "Se över taxorna", Text = "Revisionstestnämnden får i uppdrag att se över taxorna.", Giver = AssignmentGiver.Council,
                DecidedOn = new(2025, 11, 15), DecisionParagraph = "§ 140", ResponsibleUnitId = committee.Id, DuePeriodId = periods["2026-T2"], Status = AssignmentStatus.Closed,
                ClosedOn = new(2026, 6, 15), ClosedBy = "Kommunfullmäktige",
            };
            var neighbours = new Assignment
            {
                Number = 9204, Title = "Grannens hemliga uppdrag", Text = "Grannämnden får i uppdrag att kartlägga lokalerna.", Giver = AssignmentGiver.Council,
                DecidedOn = new(2026, 1, 10), ResponsibleUnitId = neighbour.Id, Status = AssignmentStatus.InProgress,
            };
            db.Assignments.AddRange(overdue, given, closed, neighbours);
            await db.SaveChangesAsync();
            return new Seeded(council, committee.Id, administration.Id, neighbour.Id);
        }
    }

    private static List<ReportTable> Tables(ReportDocument report, string section) =>
        [.. report.Sections.Single(s => s.Key == section).Blocks.OfType<ReportTable>()];

    private static string Plain(ReportDocument report, string section) =>
        string.Join('\n', report.Sections.Single(s => s.Key == section).Blocks.Select(b => b switch
        {
            ReportParagraph p => p.Text,
            ReportField f => $"{f.Label}: {f.Text}",
            ReportHeading h => h.Text,
            ReportTable t => t.Caption + "\n" + string.Join('\n', t.Rows.Select(r => string.Join(" | ", r.Select(c => c.Text)))),
            _ => "",
        }));

    /// <summary>The report in Word, Excel, PDF and HTML, each read back as text (Office's validator finding nothing), and the PDF's pages as images.</summary>
    private static Dictionary<ReportFormat, string> Every(ReportDocument report, string name)
    {
        var texts = new Dictionary<ReportFormat, string>
        {
            [ReportFormat.Docx] = ReportFiles.ValidText(report, ReportFormat.Docx, name),
            [ReportFormat.Xlsx] = ReportFiles.ValidText(report, ReportFormat.Xlsx, name),
            [ReportFormat.Html] = WebUtility.HtmlDecode(ReportBuilderTests.Html(report)),
        };
        var pdf = Poppler.Save(ReportFiles.Write(report, ReportFormat.Pdf, name), name);
        texts[ReportFormat.Pdf] = RawPdf(pdf);
        Poppler.Images(pdf, 1, Poppler.Pages(pdf).Count, name).ShouldNotBeEmpty();
        return texts;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_plan_report_gives_the_decision_the_risks_with_value_and_band_the_matrix_and_the_control_actions(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);

        var (report, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Committee), "2026-T2", "internkontrollplan");

        report.Title.ShouldBe("Internkontrollplan 2026");
        report.Period.ShouldBe("2026");
        report.Sections.Select(s => s.Key).ShouldBe([SectionKinds.InternalControlPlan]);
        var blocks = report.Sections[0].Blocks;
        blocks.OfType<ReportField>().Single(f => f.Label == "Beslut").Text.ShouldBe("Beslutad 2026-02-12, §\u00a045");
        var tables = Tables(report, SectionKinds.InternalControlPlan);
        var risks = tables.Single(t => t.Caption.StartsWith("Risker i", StringComparison.Ordinal));
        risks.Columns.Select(c => c.Header).ShouldBe(["Nr", "Risk", "Kategori", "Sannolikhet × konsekvens", "Riskvärde", "Nivå"]);
        risks.Rows.Select(r => (r[0].Text, r[1].Text, r[3].Text, r[4].Number, r[5].Text)).ShouldBe(
        [
            ("9101", "Felaktiga utbetalningar till leverantörer", "3 × 3", 9m, "Hög"),
            ("9102", "Behörigheter som inte tas bort", "2 × 2", 4m, "Medel"),
            ("9103", "Delegationsbeslut anmäls inte (bedömd 2025)", "4 × 4", 16m, "Mycket hög"),
        ], "the value after existing controls counts when they are assessed");
        risks.Rows[0][5].Status!.Colour.ShouldBe("#ef6c00");

        var matrix = tables.Single(t => t.Caption.StartsWith("Riskmatris 2026", StringComparison.Ordinal));
        matrix.Columns.Select(c => c.Header).ShouldBe(["Sannolikhet", "1 Försumbar", "2 Lindrig", "3 Kännbar", "4 Allvarlig"]);
        matrix.Rows.Select(r => r[0].Text).ShouldBe(["4 Sannolik", "3 Möjlig", "2 Mindre sannolik", "1 Osannolik"]);
        matrix.Rows[1][3].Text.ShouldBe("Hög: 9101");
        matrix.Rows[2][2].Text.ShouldBe("Medel: 9102");
        matrix.Rows[0][4].Text.ShouldBe("Mycket hög: 9103");
        matrix.Rows[0][4].Status!.Colour.ShouldBe("#c62828");
        matrix.Rows[3][1].Text.ShouldBe("Låg");
        matrix.Rows.SelectMany(r => r.Skip(1)).Count(c => c.Text.Contains(':', StringComparison.Ordinal)).ShouldBe(3, "each risk once");

        var actions = tables.Single(t => t.Caption.StartsWith("Kontrollmoment i", StringComparison.Ordinal));
        actions.Columns.Select(c => c.Header).ShouldBe(["Kontrollmoment", "Risk", "Metod och omfattning", "Ansvarig", "Period", "Rapporteras till"]);
        actions.Rows.Count.ShouldBe(5);
        actions.Rows[1].Select(c => c.Text).ShouldBe(["Behörigheter i ekonomisystemet", "9102", "Granskning, 20 ärenden", "Eva Ek, Revisionstestförvaltningen", "T2 2026", "Revisionstestnämnden"]);
        actions.Rows[3][1].Text.ShouldBe("–");
        var carried = tables.Single(t => t.Caption.StartsWith("Öppna åtgärder från tidigare år", StringComparison.Ordinal));
        carried.Rows.Select(r => r[0].Text).ShouldBe(["Ny attestordning tas fram"], "a measure done in 2025 is not carried");
        carried.Rows[0][2].Text.ShouldBe("2025");

        foreach (var (format, text) in Every(report, "internkontrollplan"))
        {
            foreach (var expected in new[] { "Internkontrollplan 2026", "Beslutad 2026-02-12, §\u00a045", "Felaktiga utbetalningar till leverantörer", "Mycket hög", "Riskmatris 2026",
                         "Behörigheter i ekonomisystemet", "Eva Ek, Revisionstestförvaltningen", "Ny attestordning tas fram", "2099-03-31" })
            {
                text.ShouldContain(format == ReportFormat.Pdf ? Squeezed(expected) : expected, Case.Sensitive, $"{format}: {expected}");
            }
        }

        // A committee of no plan says so; a unit with none seen says that instead.
        var (none, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Neighbour), "2026-T2", "internkontrollplan");
        Plain(none, SectionKinds.InternalControlPlan).ShouldBe("Grannämnden har ingen internkontrollplan för 2026.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_follow_up_report_gives_each_result_findings_measures_and_carried_ones_and_the_board_a_summary_of_every_committee(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);

        var (report, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Committee), "2026-T2", "uppfoljning-intern-kontroll", ReportScope.Children);

        report.Title.ShouldBe("Uppföljning av intern kontroll T2 2026");
        report.Sections.Select(s => s.Key).ShouldBe([SectionKinds.InternalControlSummary, SectionKinds.InternalControl]);
        var results = Tables(report, SectionKinds.InternalControl).Single(t => t.Caption.StartsWith("Resultat", StringComparison.Ordinal));
        results.Rows.Select(r => (r[0].Text, r[2].Text, r[3].Text)).ShouldBe(
        [
            ("Attest av leverantörsfakturor", "● Utan anmärkning", "–"),
            ("Behörigheter i ekonomisystemet", "▲ Med avvikelse", "Tre konton för personal som slutat var aktiva."),
            ("Delegationsbeslut anmäls till nämnden", "■ Ej genomförd", "Skäl: Personalbrist under sommaren."),
            ("Direktupphandlingar dokumenteras", "– Ej rapporterat", "–"),
            ("Inventering av stöldbegärlig utrustning", "Följs upp T3 2026", "–"),
        ]);
        results.Rows[1][2].Status!.Colour.ShouldBe("#ef6c00");
        var measures = Tables(report, SectionKinds.InternalControl).Single(t => t.Caption.StartsWith("Åtgärder efter", StringComparison.Ordinal));
        measures.Rows.Select(r => (r[0].Text, r[2].Text, r[3].Text, r[4].Text)).ShouldBe(
        [
            ("Rutin för att avsluta behörigheter", "IT-chef", "2020-01-15", "◆ Pågår, försenad"),
            ("Genomgång av alla konton", "Systemförvaltare", "2099-06-30", "○ Ej påbörjad"),
        ]);
        Tables(report, SectionKinds.InternalControl).Single(t => t.Caption.StartsWith("Öppna åtgärder från tidigare år", StringComparison.Ordinal)).Rows.Count.ShouldBe(1);
        Plain(report, SectionKinds.InternalControl).ShouldContain(
            "Till och med T2 2026: 1 utan anmärkning, 1 med avvikelse, 1 ej genomfört, 1 ej rapporterat. 1 kontrollmoment följs upp senare under året. 3 åtgärder är öppna, varav 1 försenad.");

        var summary = Tables(report, SectionKinds.InternalControlSummary);
        summary[0].Columns.Select(c => c.Header).ShouldBe(["Enhet", "Kontrollmoment", "Utan anmärkning", "Med avvikelse", "Ej genomförda", "Ej rapporterade"]);
        summary[0].Rows.Select(r => r[0].Text).ShouldBe(["Revisionstestnämnden", "Totalt"], "the committee's own report sums its own plan");
        summary[0].Rows[0].Skip(1).Select(c => c.Number).ShouldBe([5m, 1m, 1m, 1m, 1m]);
        summary[1].Columns.Select(c => c.Header).ShouldBe(["Enhet", "Planen", "Öppna åtgärder", "Försenade åtgärder"]);
        summary[1].Rows[0].Select(c => c.Text).ShouldBe(["Revisionstestnämnden", "Beslutad", "3", "1"]);

        // The year's end: the last action is due, and nothing is followed up later.
        var (year, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Committee), "2026-T3", "uppfoljning-intern-kontroll");
        Tables(year, SectionKinds.InternalControlSummary)[0].Rows[0][5].Number.ShouldBe(2m);

        // The executive board (or the council) oversees every committee: its summary has this one among all that have a plan.
        var (board, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Council), "2026-T2", "uppfoljning-intern-kontroll");
        var boardTables = Tables(board, SectionKinds.InternalControlSummary);
        boardTables[0].Rows.Single(r => r[0].Text == "Revisionstestnämnden").Skip(1).Select(c => c.Number).ShouldBe([5m, 1m, 1m, 1m, 1m]);
        boardTables[1].Rows.Single(r => r[0].Text == "Revisionstestnämnden").Skip(2).Select(c => c.Number).ShouldBe([3m, 1m]);
        foreach (var table in boardTables)
        {
            var total = table.Rows.Single(r => r[0].Text == "Totalt");
            for (var c = 1; c < total.Count; c++)
            {
                if (total[c].Number is not null)
                {
                    total[c].Number.ShouldBe(table.Rows.Where(r => r[0].Text != "Totalt").Sum(r => r[c].Number), $"the total of column {c}");
                }
            }
        }

        Plain(board, SectionKinds.InternalControlSummary).ShouldContain("Grannämnden", customMessage: "a committee without a plan is named for the board");

        foreach (var (format, text) in Every(report, "uppfoljning-intern-kontroll"))
        {
            foreach (var expected in new[] { "Uppföljning av intern kontroll", "Utan anmärkning", "Med avvikelse", "Ej genomförd", "Ej rapporterat", "Tre konton för personal som slutat var aktiva.",
                         "Pågår, försenad", "2020-01-15", "Ny attestordning tas fram", "Revisionstestnämnden" })
            {
                text.ShouldContain(format == ReportFormat.Pdf ? Squeezed(expected) : expected, Case.Sensitive, $"{format}: {expected}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_assignment_report_lists_them_by_giver_and_unit_marks_the_overdue_and_those_closed_in_the_period(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);

        var (report, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Committee), "2026-T2", "uppdragsredovisning", ReportScope.Children);

        report.Title.ShouldBe("Uppdragsredovisning T2 2026");
        var section = report.Sections.Single();
        (section.Key, section.Heading).ShouldBe((SectionKinds.Assignments, "Uppdrag och återrapportering"));
        section.Blocks.OfType<ReportHeading>().Select(h => h.Text).ShouldBe(["Uppdrag från Kommunfullmäktige", "Uppdrag från Revisionstestnämnden", "Avslutade under T2 2026"]);
        var tables = Tables(report, SectionKinds.Assignments);
        tables.Select(t => t.Caption).ShouldBe(["Från Kommunfullmäktige till Revisionstestnämnden", "Från Revisionstestnämnden till Revisionstestförvaltningen",
            "Uppdrag som avslutades under T2 2026"]);
        tables[0].Rows.Single().Select(c => c.Text).ShouldBe(["9201", "Utreda gemensam växel: Revisionstestnämnden får i uppdrag att utreda en gemensam växel.", "2026-02-20, §\u00a012",
            "2026-06-30 (försenat)", "◆ Pågår, försenat", "T2 2026 (pågår): Ett förslag tas fram till hösten."]);
        tables[1].Rows.Single()[3].Text.ShouldBe("2099-12-31");
        tables[1].Rows.Single()[4].Text.ShouldBe("○ Ej påbörjat");
        tables[1].Rows.Single()[5].Text.ShouldBe("–");
        tables[2].Rows.Single().Select(c => c.Text).ShouldBe(["9203", "Se över taxorna: Revisionstestnämnden får i uppdrag att se över taxorna.",
            "Kommunfullmäktige till Revisionstestnämnden", "2026-06-15, Kommunfullmäktige", "● Återrapporterat och avslutat"]);
        Plain(report, SectionKinds.Assignments).ShouldStartWith("2 uppdrag är aktuella vid periodens slut, varav 1 försenat. 1 uppdrag avslutades under T2 2026.");
        Plain(report, SectionKinds.Assignments).ShouldNotContain("Grannens hemliga uppdrag");

        // In T1 the closed one was still open, and its latest report is T1's.
        var (t1, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Committee), "2026-T1", "uppdragsredovisning", ReportScope.Children);
        var first = Tables(t1, SectionKinds.Assignments);
        first.SelectMany(t => t.Rows).Select(r => r[0].Text).ShouldBe(["9201", "9203", "9202"], ignoreOrder: true);
        first[0].Rows.Single(r => r[0].Text == "9201")[5].Text.ShouldBe("T1 2026 (pågår): Utredningen har startat.");

        // The council's report has every unit's assignments from the council, the neighbour's too.
        var (council, _) = await ReportBuilderTests.BuildAsync(app, Slug, _ => Task.FromResult(seeded.Council), "2026-T2", "uppdragsredovisning");
        Plain(council, SectionKinds.Assignments).ShouldContain("Grannens hemliga uppdrag");

        foreach (var (format, text) in Every(report, "uppdragsredovisning"))
        {
            foreach (var expected in new[] { "Uppdragsredovisning", "Utreda gemensam växel", "2026-02-20, §\u00a012", "2026-06-30 (försenat)", "Pågår, försenat", "Ett förslag tas fram till hösten.",
                         "Återrapporterat och avslutat", "Digital posthantering" })
            {
                text.ShouldContain(format == ReportFormat.Pdf ? Squeezed(expected) : expected, Case.Sensitive, $"{format}: {expected}");
            }
        }
    }

    private static Dictionary<string, string?> Database(KedjaApp app) =>
        new() { ["Kedja:Database:Provider"] = app.Provider.ToString(), ["ConnectionStrings:Kedja"] = app.ConnectionString, ["Kedja:Demo:Seed"] = "false" };

    private static string TextOf(byte[] bytes, string format, string name) => format switch
    {
        "docx" => ReportFiles.ValidText(bytes, ReportFormat.Docx),
        "xlsx" => ReportFiles.ValidText(bytes, ReportFormat.Xlsx),
        "html" => WebUtility.HtmlDecode(Encoding.UTF8.GetString(bytes)),
        _ => RawPdf(Poppler.Save(bytes, name)),
    };

    /// <summary>What a text is looked for as in <see cref="RawPdf"/>.</summary>
    private static string Squeezed(string text) => Spaces().Replace(text, "");

    /// <summary>
    /// The PDF's text in the order it is drawn (pdftotext -raw), spaces collapsed: a table cell's wrapped lines follow
    /// each other there, while the layout mode interleaves them with the neighbouring cells'.
    /// </summary>
    private static string RawPdf(string pdf)
    {
        var info = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var arg in new[] { "-raw", "-enc", "UTF-8", pdf, "-" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        (process.ExitCode, errors.Trim()).ShouldBe((0, ""), pdf);
        // A word wider than its column is broken inside (ADR 34): the text is compared without any spaces.
        return Spaces().Replace(text, "");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_three_reports_are_made_from_the_page_the_API_and_the_verb_in_every_format(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);
        var admin = await app.ClientAsync();
        var page = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        page.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var form = WebUtility.HtmlDecode(await page.GetStringAsync($"/k/{Slug}/rapporter?enhet={seeded.Committee}&period=2026-T2"));
        foreach (var name in new[] { "Internkontrollplan", "Uppföljning av intern kontroll", "Uppdragsredovisning" })
        {
            form.ShouldContain($">{name}</option>");
        }

        var expected = new Dictionary<string, string>
        {
            ["internkontrollplan"] = "Delegationsbeslut anmäls inte", ["uppfoljning-intern-kontroll"] = "Tre konton för personal som slutat var aktiva.",
            ["uppdragsredovisning"] = "Utreda gemensam växel",
        };
        var worker = new ReportWorkerHandle(app);
        foreach (var (template, text) in expected)
        {
            foreach (var format in new[] { "docx", "pdf", "xlsx", "html" })
            {
                // The page orders as the API does.
                var token = Regex.Match(await page.GetStringAsync($"/k/{Slug}/rapporter"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
                var posted = await page.PostAsync($"/k/{Slug}/rapporter", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["enhet"] = seeded.Committee.ToString(), ["period"] = "2026-T2", ["mall"] = template, ["omfattning"] = "children", ["format"] = format,
                }));
                posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
                var fromPage = Guid.Parse(posted.Headers.Location!.ToString().Split('/')[^1]);
                var fromApi = (await ReportJobTests.OrderAsync(admin, new { unitId = seeded.Committee, periodKey = "2026-T2", templateKey = template, scope = "children", format })).GetProperty("id").GetGuid();
                while (await worker.RunOnceAsync())
                {
                }

                foreach (var job in new[] { fromPage, fromApi })
                {
                    var done = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/reports/{job}");
                    done.GetProperty("state").GetString().ShouldBe("done", done.ToString());
                    var bytes = await admin.GetByteArrayAsync($"/api/v1/tenants/{Slug}/reports/{job}/file");
                    TextOf(bytes, format, $"{template}-jobb").ShouldContain(format == "pdf" ? Squeezed(text) : text, Case.Sensitive, $"{template} {format}");
                }

                var file = Path.Combine(Path.GetTempPath(), $"kedja-verb-{Guid.NewGuid():N}.{format}");
                try
                {
                    using var output = new StringWriter();
                    using var error = new StringWriter();
                    var exit = await Kedja.Web.Cli.Verbs.RunAsync(["report", "--tenant", Slug, "--unit", seeded.Committee.ToString(), "--period", "2026-T2", "--format", format,
                        "--template", template, "--scope", "children", "--out", file], output, error, Database(app));
                    exit.ShouldBe(0, error.ToString());
                    TextOf(await File.ReadAllBytesAsync(file), format, $"{template}-verb").ShouldContain(format == "pdf" ? Squeezed(text) : text, Case.Sensitive, $"verb {template} {format}");
                }
                finally
                {
                    File.Delete(file);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_with_internal_control_or_assignments_is_not_frozen_since_frozen_reports_are_public(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);
        var admin = await app.ClientAsync();
        var worker = new ReportWorkerHandle(app);
        var jobs = new Dictionary<string, Guid>();
        foreach (var template in new[] { "internkontrollplan", "uppfoljning-intern-kontroll", "uppdragsredovisning", "tertialrapport" })
        {
            jobs[template] = (await ReportJobTests.OrderAsync(admin, new { unitId = seeded.Committee, periodKey = "2026-T2", templateKey = template, scope = "children", format = "html" })).GetProperty("id").GetGuid();
        }

        while (await worker.RunOnceAsync())
        {
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var before = await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().ReportSnapshots.IgnoreQueryFilters().CountAsync();
            foreach (var template in new[] { "internkontrollplan", "uppfoljning-intern-kontroll", "uppdragsredovisning" })
            {
                var refused = await admin.PostAsync($"/api/v1/tenants/{Slug}/reports/{jobs[template]}/freeze", null);
                refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, template);
                (await refused.Content.ReadAsStringAsync()).ShouldContain("fryses inte");
            }

            (await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().ReportSnapshots.IgnoreQueryFilters().CountAsync()).ShouldBe(before);
        }

        // A goal report of the same unit and period still freezes: the refusal is about the content, not the unit.
        (await admin.PostAsync($"/api/v1/tenants/{Slug}/reports/{jobs["tertialrapport"]}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_of_another_unit_gets_none_of_the_units_internal_control_or_assignments(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var seeded = await FillAsync(app);
        var neighbour = await app.MemberClientAsync(Slug, TenantRole.Editor, seeded.Neighbour);
        var own = await app.MemberClientAsync(Slug, TenantRole.Editor, seeded.Committee);
        var below = await app.MemberClientAsync(Slug, TenantRole.Editor, seeded.Administration);
        var admin = await app.ClientAsync();
        // The tertial report with every new section added, as an administrator may.
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/report-templates/tertialrapport", new
        {
            name = "Tertialrapport",
            sections = new[]
            {
                new { kind = "summary", heading = "Sammanfattning" }, new { kind = "internal-control-summary", heading = "Intern kontroll i korthet" },
                new { kind = "internal-control", heading = "Intern kontroll" }, new { kind = "internal-control-plan", heading = "Planen" }, new { kind = "assignments", heading = "Uppdrag" },
            },
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The template editor offers the new sections beside the others.
        var editor = WebUtility.HtmlDecode(await admin.GetStringAsync($"/k/{Slug}/rapporter/mallar/delarsrapport"));
        foreach (var kind in new[] { "internal-control-plan", "internal-control", "internal-control-summary", "assignments" })
        {
            editor.ShouldContain($"value=\"{kind}\"");
        }

        editor.ShouldContain("Uppdrag per givare och enhet med status och senaste rapport");

        var secrets = new[] { "Felaktiga utbetalningar", "Behörigheter i ekonomisystemet", "Tre konton", "Ny attestordning", "Utreda gemensam växel", "Se över taxorna", "Digital posthantering" };
        var jobs = new Dictionary<string, Guid>();
        foreach (var (who, client) in new[] { ("neighbour", neighbour), ("own", own), ("below", below) })
        {
            jobs[who] = (await ReportJobTests.OrderAsync(client, new { unitId = seeded.Committee, periodKey = "2026-T2", templateKey = "tertialrapport", scope = "children", format = "html" }))
                .GetProperty("id").GetGuid();
        }

        while (await new ReportWorkerHandle(app).RunOnceAsync())
        {
        }

        var html = new Dictionary<string, string>();
        foreach (var (who, client) in new[] { ("neighbour", neighbour), ("own", own), ("below", below) })
        {
            html[who] = WebUtility.HtmlDecode(Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/api/v1/tenants/{Slug}/reports/{jobs[who]}/file")));
            html[who].ShouldContain("Intern kontroll i korthet", customMessage: who);
        }

        foreach (var secret in secrets)
        {
            html["own"].ShouldContain(secret, Case.Sensitive, "the committee's own editor sees it all");
            html["neighbour"].ShouldNotContain(secret, Case.Sensitive, "a neighbouring unit's editor sees none of it");
        }

        html["neighbour"].ShouldContain(InternalControlSections.NoneSeen);
        html["neighbour"].ShouldContain(AssignmentSections.NoneSeen);
        // The administration's editor sees its own part: the assignment it was given and the plan's actions it answers for are the committee's, above it.
        html["below"].ShouldContain("Digital posthantering");
        html["below"].ShouldNotContain("Utreda gemensam växel");
        html["below"].ShouldNotContain("Felaktiga utbetalningar");
    }
}
