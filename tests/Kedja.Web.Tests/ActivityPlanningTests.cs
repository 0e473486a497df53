using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

public class ActivityPlanningTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_plans_its_own_activities_and_keeps_the_ones_it_has_reported_on(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray().ToList();
        var unit = units.First(u => u.GetProperty("kind").GetString() == "unit");
        var other = units.First(u => u.GetProperty("kind").GetString() == "company");
        var unitId = unit.GetProperty("id").GetGuid();
        var goalId = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/goals"))[0].GetProperty("id").GetGuid();
        var manager = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unitId);

        var invalid = await manager.PostAsJsonAsync($"{Base}/activities", new
        {
            title = "Språkcafé", responsibleUnitId = unitId, startDate = "2026-09-01", endDate = "2026-06-30", status = "notStarted", progress = 0,
        });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["goalId", "endDate"], ignoreOrder: true);
        (await manager.PostAsJsonAsync($"{Base}/activities", new
        {
            title = "Språkcafé", goalId, responsibleUnitId = other.GetProperty("id").GetGuid(), status = "notStarted", progress = 0,
        })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var created = await manager.PostAsJsonAsync($"{Base}/activities", new
        {
            title = "Språkcafé", goalId, responsibleUnitId = unitId, startDate = "2026-09-01", endDate = "2027-06-30", status = "notStarted", progress = 0,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var activity = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = $"{Base}/activities/{activity.GetProperty("id").GetGuid()}";
        var version = activity.GetProperty("version").GetInt32();

        var renamed = await manager.PutAsJsonAsync(url, new
        {
            title = "Språkcafé för nyanlända", goalId, responsibleUnitId = unitId, startDate = "2026-09-01", endDate = "2027-06-30", status = "inProgress", progress = 10, version,
        });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        (await manager.PutAsJsonAsync(url, new { title = "Gammal", goalId, responsibleUnitId = unitId, status = "inProgress", progress = 10, version }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await manager.PutAsJsonAsync($"{url}/progress", new { status = "inProgress", progress = 20, periodKey = "2026-T3", comment = "Två träffar i veckan.", version = version + 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var kept = await manager.DeleteAsync($"{url}?version={version + 2}");
        kept.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await kept.Content.ReadAsStringAsync()).ShouldContain("Sätt status Avbruten i stället");

        var unused = await (await manager.PostAsJsonAsync($"{Base}/activities", new { title = "Utkast", goalId, responsibleUnitId = unitId, status = "notStarted", progress = 0 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        (await manager.DeleteAsync($"{Base}/activities/{unused.GetProperty("id").GetGuid()}?version={unused.GetProperty("version").GetInt32()}"))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var titles = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/activities?unitId={unitId}")).EnumerateArray().Select(a => a.GetProperty("title").GetString()).ToList();
        titles.ShouldContain("Språkcafé för nyanlända");
        titles.ShouldNotContain("Utkast");
        titles.ShouldNotContain("Språkcafé");
    }
}
