using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>A result of the basic mission, measuring neither a goal nor a program, is edited with its unit named where the goal or program would be.</summary>
public sealed class IndicatorBasicMissionPageTests
{
    [Fact]
    public async Task A_basic_mission_indicators_form_leads_back_to_its_unit_and_says_what_it_is()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        Guid indicator, unit;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (indicator, unit) = await db.Indicators.Where(i => i.Name == "Inskrivna barn per årsarbetare i förskolan").Select(i => ValueTuple.Create(i.Id, i.OwnerUnitId)).SingleAsync();
        }

        var html = await admin.GetStringAsync($"/k/{DemoTenant.Slug}/indikator/{indicator}/andra");

        html.ShouldContain($"<a href=\"/k/{DemoTenant.Slug}/malkort/{unit}\">← Barn- och utbildningsnämnden</a>");
        html.ShouldContain("Resultat inom grunduppdraget för Barn- och utbildningsnämnden");
        html.ShouldNotContain("Hör till programmet:");
    }
}
