using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Web.Demo;
using Kedja.Web.FollowUp;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class StatusServiceTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_units_partial_computation_equals_the_full_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var statuses = scope.ServiceProvider.GetRequiredService<StatusService>();
            var units = await db.Units.AsNoTracking().ToListAsync();
            var goals = await db.Goals.AsNoTracking().ToListAsync();
            var compared = 0;
            foreach (var period in (await db.Periods.AsNoTracking().ToListAsync()).Where(p => p.Key is "2025-T3" or "2026-T2"))
            {
                var full = await statuses.ComputeAsync(period);
                foreach (var unit in units)
                {
                    var own = goals.Where(g => g.OwnerUnitId == unit.Id).Select(g => g.Id).ToList();
                    var partial = await statuses.ForUnitAsync(period, unit.Id, own);
                    foreach (var goal in own)
                    {
                        partial.Goals[goal].ShouldBeEquivalentTo(full.Goals[goal]);
                        compared++;
                    }

                    foreach (var indicator in partial.Indicators.Keys)
                    {
                        partial.Indicators[indicator].ShouldBe(full.Indicators[indicator]);
                    }
                }
            }

            compared.ShouldBe(goals.Count * 2);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_shows_a_new_outcome_at_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();
        var units = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/units");
        var library = units.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "Biblioteket").GetProperty("id").GetGuid();
        var card = $"/api/v1/tenants/{DemoTenant.Slug}/units/{library}/scorecard?periodKey=2026-T2";
        var before = await client.GetFromJsonAsync<JsonElement>(card);
        var indicator = ScorecardJson.Goals(before).First().GetProperty("indicators").EnumerateArray()
            .First(i => i.GetProperty("outcomePeriod").GetString() == "2026-T2");
        var outcomes = $"/api/v1/tenants/{DemoTenant.Slug}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes";
        var version = (await client.GetFromJsonAsync<JsonElement>(outcomes)).EnumerateArray().Single(o => o.GetProperty("periodKey").GetString() == "2026-T2").GetProperty("version").GetInt32();

        (await client.PutAsJsonAsync($"{outcomes}/2026-T2", new { value = 0m, version })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await client.GetFromJsonAsync<JsonElement>(card);
        var changed = ScorecardJson.Goals(after).First().GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == indicator.GetProperty("id").GetGuid());
        changed.GetProperty("outcome").GetDecimal().ShouldBe(0m);
        changed.GetProperty("status").GetProperty("key").GetString().ShouldBe("ej-uppfyllt");
        changed.GetProperty("explanation").GetString()!.ShouldContain("Utfall T2 2026 0");
    }
}
