using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class IsolationTests
{
    private static async Task CreateTenant(HttpClient admin, string slug, string template = ModelTemplates.Heby)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug, name = slug.ToUpperInvariant(), kommunkod = "1234", template });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_member_of_one_tenant_can_never_read_or_change_another(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        await CreateTenant(admin, "alfa");
        await CreateTenant(admin, "beta");
        var alfaUser = await app.MemberClientAsync("alfa", TenantRole.Admin);
        var betaUnits = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/beta/units");
        var betaUnit = betaUnits[0].GetProperty("id").GetGuid();

        (await alfaUser.GetAsync("/api/v1/tenants/alfa/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await alfaUser.GetAsync("/api/v1/tenants/beta/units")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await alfaUser.GetAsync("/api/v1/tenants/beta/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await alfaUser.GetAsync($"/api/v1/tenants/alfa/units/{betaUnit}/scorecard")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var tenants = await alfaUser.GetFromJsonAsync<JsonElement>("/api/v1/tenants");
        tenants.EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldBe(["alfa"]);

        // Using beta's ids through alfa's URL finds nothing and creates nothing.
        var model = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/beta/model");
        var betaLevel = model[0].GetProperty("levels")[0].GetProperty("id").GetGuid();
        var create = await alfaUser.PostAsJsonAsync("/api/v1/tenants/alfa/goals", new { levelId = betaLevel, ownerUnitId = betaUnit, title = "Smyg", sortOrder = 0 });
        create.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var (scope, db) = app.DbFor("beta");
        using (scope)
        {
            (await db.Goals.CountAsync()).ShouldBe(0);
        }

        // A tenant's administrator is not the installation's: no new municipalities, no imports.
        (await alfaUser.PostAsJsonAsync("/api/v1/tenants", new { slug = "gamma", name = "Gamma", template = ModelTemplates.Heby }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var export = await admin.GetStringAsync("/api/v1/tenants/alfa/export");
        (await alfaUser.PostAsync("/api/v1/tenants/import?slug=gamma", new StringContent(export, System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants")).EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldBe(["alfa", "beta"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_data_layer_filters_reads_and_refuses_writes_outside_the_scope(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        await CreateTenant(admin, "alfa");
        await CreateTenant(admin, "beta");

        Guid betaUnitId;
        var (betaScope, beta) = app.DbFor("beta");
        using (betaScope)
        {
            betaUnitId = (await beta.Units.FirstAsync()).Id;
        }

        var (scope, alfa) = app.DbFor("alfa");
        using (scope)
        {
            (await alfa.Units.AnyAsync(u => u.Id == betaUnitId)).ShouldBeFalse();
            (await alfa.Units.CountAsync()).ShouldBe(2);

            var foreign = await alfa.Units.IgnoreQueryFilters().SingleAsync(u => u.Id == betaUnitId);
            foreign.Name = "Kapad";
            await Should.ThrowAsync<InvalidOperationException>(() => alfa.SaveChangesAsync());
        }

        var (scope2, alfa2) = app.DbFor("alfa");
        using (scope2)
        {
            var betaTenant = await alfa2.Tenants.SingleAsync(t => t.Slug == "beta");
            alfa2.Units.Add(new OrgUnit { TenantId = betaTenant.Id, Name = "Inskjuten", Kind = UnitKind.Unit });
            (await Should.ThrowAsync<InvalidOperationException>(() => alfa2.SaveChangesAsync())).Message.ShouldContain("annan kommun");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_cannot_write_and_scoped_editors_only_in_their_subtree(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/exempelkommun/units");
        Guid Unit(string name) => units.EnumerateArray().Single(u => u.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        var indicators = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/exempelkommun/indicators?unitId={Unit("Biblioteket")}");
        var libraryIndicator = indicators.EnumerateArray().First(i => i.GetProperty("periodicity").GetString() == "tertial").GetProperty("id").GetGuid();

        var reader = await app.MemberClientAsync("exempelkommun", TenantRole.Reader);
        (await reader.PutAsJsonAsync($"/api/v1/tenants/exempelkommun/indicators/{libraryIndicator}/outcomes/2026-T3", new { value = 1m }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var schoolEditor = await app.MemberClientAsync("exempelkommun", TenantRole.Editor, Unit("Barn- och utbildningsförvaltningen"));
        (await schoolEditor.PutAsJsonAsync($"/api/v1/tenants/exempelkommun/indicators/{libraryIndicator}/outcomes/2026-T3", new { value = 1m }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var cultureEditor = await app.MemberClientAsync("exempelkommun", TenantRole.Editor, Unit("Kultur- och fritidsförvaltningen"));
        (await cultureEditor.PutAsJsonAsync($"/api/v1/tenants/exempelkommun/indicators/{libraryIndicator}/outcomes/2026-T3", new { value = 1m }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
