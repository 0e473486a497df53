using System.Net;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Reports;
using Kedja.Reports.Tests;
using Kedja.Web.Reports;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Reports;

/// <summary>
/// A report of a municipality made from each of the five templates, with example data: a goal on every level of its
/// model, each with an indicator; the lowest level's indicator has no outcome. Karlskoga's company reports once a year.
/// </summary>
public sealed class TemplateReportTests
{
    public static TheoryData<string> Templates => [.. ModelTemplates.Keys];

    /// <summary>
    /// A goal per level of the tenant's model, each in a unit of a kind the level allows (made below the one before when
    /// missing) and in the first perspective or area that kind may use, contributing to the goal above; each with a
    /// yearly indicator with a target, and an outcome for all but the lowest level's.
    /// </summary>
    internal static async Task<List<Goal>> FillAsync(KedjaApp app, string slug, int year)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            var model = await db.Models.AsNoTracking().SingleAsync();
            var levels = await db.GoalLevels.AsNoTracking().Where(l => l.ModelId == model.Id).OrderBy(l => l.Depth).ToListAsync();
            var dimensions = await db.Dimensions.AsNoTracking().Where(d => d.ModelId == model.Id).OrderBy(d => d.SortOrder).ToListAsync();
            var units = await db.Units.ToListAsync();
            var parentUnit = units.Single(u => u.ParentId == null);
            var goals = new List<Goal>();
            foreach (var (level, i) in levels.Select((l, i) => (l, i)))
            {
                var kind = level.UnitKinds.Contains(parentUnit.Kind) && i == 0 ? parentUnit.Kind : level.UnitKinds[0];
                var unit = units.FirstOrDefault(u => u.Kind == kind && (i == 0 || u.ParentId == parentUnit.Id || u.Id == parentUnit.Id));
                if (unit is null)
                {
                    unit = new OrgUnit { Name = $"{UnitKindNames.Swedish(kind)} {i + 1}", Kind = kind, ParentId = parentUnit.Id };
                    db.Units.Add(unit);
                    units.Add(unit);
                }

                var dimension = dimensions.FirstOrDefault(d => d.AllowedUnitKinds.Count == 0 || d.AllowedUnitKinds.Contains(kind));
                var goal = new Goal
                {
                    ModelId = model.Id, LevelId = level.Id, OwnerUnitId = unit.Id, DimensionId = dimension?.Id, Title = $"{level.Name}: fler nöjda invånare",
                    Code = $"{i + 1}.1", Agenda2030 = i == 0 ? [3, 11] : [],
                };
                db.Goals.Add(goal);
                if (goals.Count > 0)
                {
                    db.GoalLinks.Add(new GoalLink { ParentGoalId = goals[^1].Id, ChildGoalId = goal.Id });
                }

                var indicator = new Indicator { Name = $"Nöjd-Medborgar-Index, {unit.Name}", UnitOfMeasure = "index", Periodicity = PeriodKind.Year, OwnerUnitId = unit.Id, GoalId = goal.Id };
                indicator.Targets.Add(new IndicatorTarget { PeriodKey = $"{year}", Value = 60m });
                db.Indicators.Add(indicator);
                if (i < levels.Count - 1)
                {
                    db.Outcomes.Add(new Outcome { IndicatorId = indicator.Id, PeriodKey = $"{year}", Value = 62.5m - (i * 5), RecordedBy = "test", RecordedAt = DateTime.UtcNow });
                }

                goals.Add(goal);
                parentUnit = unit;
            }

            await db.SaveChangesAsync();
            return goals;
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task A_scorecard_report_of_each_template_lists_every_goal_with_its_status_and_a_missing_outcome_as_not_assessed(string template)
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite));
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "mall", name = "Mallkommun", template, firstYear = 2027 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var goals = await FillAsync(app, "mall", 2027);
        string yearEnd;
        var (scope, db) = app.DbFor("mall");
        using (scope)
        {
            yearEnd = (await db.Periods.Where(p => p.Year == 2027).ToListAsync()).OrderBy(p => p.EndDate).Last().Key;
        }

        var (report, card) = await ReportBuilderTests.BuildAsync(app, "mall", db => db.Units.Where(u => u.ParentId == null).Select(u => u.Id).SingleAsync(), yearEnd, "malkortsrapport", ReportScope.All);

        report.Organisation.ShouldBe("Mallkommun");
        var tables = report.Sections.Single(s => s.Key == SectionKinds.Scorecard).Blocks.OfType<ReportTable>().ToList();
        var goalRows = tables.Where(t => t.Columns[0].Header == "Mål").SelectMany(t => t.Rows).ToList();
        goalRows.Select(r => r[0].Text).ShouldBe(goals.Select(g => $"{g.Code} {g.Title}"), ignoreOrder: true);
        var indicatorRows = tables.Where(t => t.Columns[0].Header == "Indikator").SelectMany(t => t.Rows).ToList();
        indicatorRows.Count.ShouldBe(goals.Count);
        var missing = indicatorRows.Single(r => r[2].Number is null);
        (missing[2].Text, missing[5].Text).ShouldBe(("–", "– Ej bedömt"));
        indicatorRows.Where(r => r[2].Number is not null).ShouldAllBe(r => r[1].Number == 60m);
        indicatorRows.SelectMany(r => r).ShouldAllBe(c => c.Text.Length > 0, "no cell is blank");
        // The council's goal as its own scorecard says.
        var councilGoal = card.Groups.SelectMany(g => g.Goals).Single();
        goalRows.Single(r => r[0].Text.EndsWith(councilGoal.Title, StringComparison.Ordinal))[1].Status!.Key.ShouldBe(councilGoal.Status.Key);
        ReportBuilderTests.Html(report).ShouldContain("Ej bedömt");
        foreach (var format in new[] { ReportFormat.Docx, ReportFormat.Xlsx })
        {
            var text = ReportFiles.ValidText(report, format, $"{template}-malkort");
            text.ShouldContain("Ej bedömt");
            foreach (var goal in goals)
            {
                text.ShouldContain(goal.Title);
            }
        }

        var pdf = Poppler.Save(ReportFiles.Write(report, ReportFormat.Pdf, $"{template}-malkort"), $"{template}-malkort");
        var pdfText = string.Join('\n', Poppler.Pages(pdf)).ReplaceLineEndings(" ");
        pdfText.ShouldContain("Ej bedömt");
        pdfText.ShouldContain("Målkortsrapport");
        Poppler.Images(pdf, 1, 1, $"{template}-malkort").ShouldNotBeEmpty();

        // The same report in every format through the API (a background job) and through the verb.
        var root = card.UnitId;

        foreach (var format in new[] { "docx", "pdf", "xlsx", "html" })
        {
            var job = await ReportJobTests.OrderAsync(admin, new { unitId = root, periodKey = yearEnd, templateKey = "malkortsrapport", scope = "all", format }, "mall");
            var done = await ReportJobTests.WaitAsync(admin, job.GetProperty("id").GetGuid(), "mall");
            done.GetProperty("state").GetString().ShouldBe("done", done.ToString());
            (await admin.GetByteArrayAsync($"/api/v1/tenants/mall/reports/{job.GetProperty("id").GetGuid()}/file")).Length.ShouldBeGreaterThan(1000, format);

            var file = Path.Combine(Path.GetTempPath(), $"kedja-verb-{Guid.NewGuid():N}.{format}");
            try
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var exit = await Kedja.Web.Cli.Verbs.RunAsync(["report", "--tenant", "mall", "--unit", root.ToString(), "--period", yearEnd, "--format", format,
                    "--template", "malkortsrapport", "--scope", "all", "--out", file], output, error,
                    new Dictionary<string, string?> { ["Kedja:Database:Provider"] = app.Provider.ToString(), ["ConnectionStrings:Kedja"] = app.ConnectionString, ["Kedja:Demo:Seed"] = "false" });
                exit.ShouldBe(0, error.ToString());
                if (format is "docx" or "xlsx")
                {
                    ReportFiles.ValidText(await File.ReadAllBytesAsync(file), format == "docx" ? ReportFormat.Docx : ReportFormat.Xlsx).ShouldContain(goals[0].Title);
                }
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task A_company_reports_in_the_annual_report_and_not_in_a_tertial_report()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite));
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "karlskoga", name = "Karlskoga kommun", template = ModelTemplates.Karlskoga, firstYear = 2027 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        Guid council;
        var (scope, db) = app.DbFor("karlskoga");
        using (scope)
        {
            var councilUnit = await db.Units.SingleAsync(u => u.ParentId == null);
            council = councilUnit.Id;
            var company = new OrgUnit { Name = "Karlskoga Energi AB", Kind = UnitKind.Company, ParentId = council };
            db.Units.Add(company);
            var model = await db.Models.SingleAsync();
            var levels = await db.GoalLevels.Where(l => l.ModelId == model.Id).OrderBy(l => l.Depth).ToListAsync();
            var kf = new Goal { ModelId = model.Id, LevelId = levels[0].Id, OwnerUnitId = council, Title = "Hållbar energi" };
            var own = new Goal { ModelId = model.Id, LevelId = levels[1].Id, OwnerUnitId = company.Id, Title = "Mer förnybar fjärrvärme" };
            db.Goals.AddRange(kf, own);
            db.GoalLinks.Add(new GoalLink { ParentGoalId = kf.Id, ChildGoalId = own.Id });
            await db.SaveChangesAsync();
        }

        var (annual, _) = await ReportBuilderTests.BuildAsync(app, "karlskoga", _ => Task.FromResult(council), "2027-T3", "arsredovisning", ReportScope.All);
        var companies = annual.Sections.Single(s => s.Key == SectionKinds.Companies).Blocks;
        companies.OfType<ReportHeading>().Select(h => h.Text).ShouldContain("Karlskoga Energi AB");
        companies.OfType<ReportHeading>().Select(h => h.Text).ShouldContain("Mer förnybar fjärrvärme");
        annual.Sections.Single(s => s.Key == SectionKinds.Goals).Blocks.OfType<ReportHeading>().Select(h => h.Text).ShouldNotContain("Mer förnybar fjärrvärme");

        var (tertial, _) = await ReportBuilderTests.BuildAsync(app, "karlskoga", _ => Task.FromResult(council), "2027-T1", "tertialrapport", ReportScope.All);
        tertial.Sections.SelectMany(s => s.Blocks).OfType<ReportHeading>().Select(h => h.Text).ShouldNotContain("Karlskoga Energi AB");
    }
}
