using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests;

public class MemberTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";
    private const string Email = "anna.larsson@exempelkommun.se";
    private const string Password = "Tertial-2026-ok";

    private static async Task<HttpResponseMessage> SignIn(KedjaApp app, string password = Password) =>
        await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = Email, password });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_gives_a_person_a_role_in_a_unit_changes_it_and_takes_it_away(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var indicator = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray()
            .First(i => i.GetProperty("periodicity").GetString() == "tertial");
        var unitId = indicator.GetProperty("ownerUnitId").GetGuid();
        var outcomeUrl = $"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes/2026-T3";

        var added = await admin.PostAsJsonAsync($"{Base}/members", new { email = Email, displayName = "Anna Larsson", role = "editor", unitId });
        added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var member = await added.Content.ReadFromJsonAsync<JsonElement>();
        member.GetProperty("unitId").GetGuid().ShouldBe(unitId);
        member.TryGetProperty("userId", out _).ShouldBeFalse();
        (await admin.PostAsJsonAsync($"{Base}/members", new { email = Email, role = "reader" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var invitation = (await app.WaitForMailsAsync(Email)).Single();
        var set = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret = KedjaApp.LinkSecret(invitation), newPassword = Password });
        set.StatusCode.ShouldBe(HttpStatusCode.NoContent, await set.Content.ReadAsStringAsync());

        var signIn = await SignIn(app);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var anna = app.CreateClient();
        anna.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        (await anna.PutAsJsonAsync(outcomeUrl, new { value = 3m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anna.GetAsync($"{Base}/members")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var memberUrl = $"{Base}/members/{member.GetProperty("id").GetGuid()}";
        var version = member.GetProperty("version").GetInt32();
        (await admin.PutAsJsonAsync(memberUrl, new { role = "reader", unitId, version })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync(memberUrl, new { role = "admin", version })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await anna.PutAsJsonAsync(outcomeUrl, new { value = 4m, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await admin.DeleteAsync($"{memberUrl}?version={version + 1}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await anna.GetAsync($"{Base}/units")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_cannot_lock_themselves_out(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var controller = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var own = (await controller.GetFromJsonAsync<JsonElement>($"{Base}/members")).EnumerateArray().Single(m => m.GetProperty("role").GetString() == "admin");
        var url = $"{Base}/members/{own.GetProperty("id").GetGuid()}";

        var demote = await controller.PutAsJsonAsync(url, new { role = "editor", version = own.GetProperty("version").GetInt32() });
        demote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await demote.Content.ReadAsStringAsync()).ShouldContain("din egen administratörsroll");
        (await controller.DeleteAsync($"{url}?version={own.GetProperty("version").GetInt32()}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await controller.GetAsync($"{Base}/members")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
