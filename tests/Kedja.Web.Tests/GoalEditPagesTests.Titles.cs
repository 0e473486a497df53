using System.Net;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public sealed partial class GoalEditPagesTests
{
    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitlePattern();

    /// <summary>
    /// The goal and indicator forms name themselves in the browser's title (WCAG 2.4.2), as every other page does: the
    /// heading is set in the page, since a partial writes its ViewData to a copy the layout never reads.
    /// </summary>
    [Fact]
    public async Task The_goal_and_indicator_forms_have_their_heading_as_the_page_title()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Kedja.Data.DatabaseProvider.Sqlite), seedDemo: true);
        Guid library, goal, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.Id).FirstAsync();
            indicator = await db.Indicators.Where(i => i.OwnerUnitId == library).Select(i => i.Id).FirstAsync();
        }

        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        foreach (var (url, heading) in new[]
                 {
                     ($"/k/{Slug}/mal/ny?enhet={library}", "Nytt mål för Biblioteket"),
                     ($"/k/{Slug}/mal/{goal}/andra", "Ändra målet"),
                     ($"/k/{Slug}/indikator/ny?mal={goal}", "Ny indikator"),
                     ($"/k/{Slug}/indikator/{indicator}/andra", "Ändra indikatorn"),
                 })
        {
            var html = await admin.GetStringAsync(url);
            WebUtility.HtmlDecode(TitlePattern().Match(html).Groups[1].Value).ShouldStartWith(heading + " – ", customMessage: url);
        }
    }
}
