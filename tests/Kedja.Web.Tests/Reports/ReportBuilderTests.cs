using System.Text;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Reports;
using Kedja.Web.Demo;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Reports;

public sealed class ReportBuilderTests
{
    /// <summary>Builds a report inside the tenant as a job would, and returns it with the scorecard of the same unit and period.</summary>
    internal static async Task<(ReportDocument Report, ScorecardDto Card)> BuildAsync(KedjaApp app, string slug, Func<KedjaDbContext, Task<Guid>> unit, string? period,
        string template, ReportScope scope = ReportScope.Unit)
    {
        await using var services = app.Services.CreateAsyncScope();
        (await services.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug)).Error.ShouldBeNull();
        var db = services.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var unitId = await unit(db);
        var built = await services.ServiceProvider.GetRequiredService<ReportBuilder>().BuildAsync(new ReportRequest(unitId, period, template, scope));
        built.Error.ShouldBeNull(built.Error?.Message);
        var card = await services.ServiceProvider.GetRequiredService<Scorecards>().ForUnitAsync(unitId, period);
        return (built.Value!, card.Value!);
    }

    internal static string Html(ReportDocument report)
    {
        using var stream = new MemoryStream();
        new HtmlReportWriter().Write(report, stream);
        var html = Encoding.UTF8.GetString(stream.ToArray());
        var folder = Path.Combine(Path.GetTempPath(), "kedja-reports");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, report.FileName + ".html"), html);
        return html;
    }

    private static Task<Guid> Council(KedjaDbContext db) => db.Units.Where(u => u.Kind == UnitKind.Council).Select(u => u.Id).FirstAsync();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_council_report_with_its_committees_says_what_their_scorecards_say(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);

        var (report, card) = await BuildAsync(app, DemoTenant.Slug, Council, null, "arsredovisning", ReportScope.Children);

        report.Sections.Select(s => s.Key).ShouldBe(["summary", "goals", "programs", "basic-mission", "budget", "agenda2030", "companies"]);
        report.Title.ShouldStartWith("Årsredovisning (måluppfyllelse) ");
        var goals = report.Sections.Single(s => s.Key == "goals").Blocks;
        var headings = goals.OfType<ReportHeading>().Select(h => h.Text).ToList();
        foreach (var goal in card.Groups.SelectMany(g => g.Goals))
        {
            headings.ShouldContain(h => h.EndsWith(goal.Title, StringComparison.Ordinal));
        }

        var statuses = goals.OfType<ReportStatusLine>().Select(s => s.Status.Key).ToList();
        statuses.Count.ShouldBeGreaterThan(card.Groups.Sum(g => g.Goals.Count), "the committees' goals follow the council's");
        Html(report).ShouldContain("Ingår inte i måluppfyllelsen.");
    }
}
