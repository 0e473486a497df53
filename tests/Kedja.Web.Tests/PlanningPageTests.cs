using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>A unit's planning of next year: goals going on, open actions carried forward and closed, goals not met without an action.</summary>
public class PlanningPageTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_actions_of_last_year_are_carried_into_the_planning_until_an_editor_closes_them(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, pool;
        List<Guid> goals;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
            goals = await db.Goals.Where(g => g.OwnerUnitId == library && (g.ValidToYear == null || g.ValidToYear >= 2027)).OrderBy(g => g.Title).Select(g => g.Id).ToListAsync();
        }

        var admin = await app.ClientAsync();
        // A second goal for the library, like its first.
        var copy = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/goals/{goals[0]}"))!;
        copy["id"] = Guid.Empty;
        copy["title"] = "Biblioteket är öppet fler timmar";
        copy["strategies"] = new System.Text.Json.Nodes.JsonArray();
        var created = await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/goals", copy);
        created.IsSuccessStatusCode.ShouldBeTrue(await created.Content.ReadAsStringAsync());
        goals.Add((await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<Guid>());
        foreach (var (goal, actions) in new[] { (goals[0], "Läsfrämjande besök på alla förskolor."), (goals[1], (string?)null) })
        {
            var url = $"/api/v1/tenants/{Slug}/goals/{goal}/assessments/2026-T2";
            var current = await admin.GetAsync(url);
            int? version = current.IsSuccessStatusCode ? (await current.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["version"]!.GetValue<int>() : null;
            var saved = await admin.PutAsJsonAsync(url, new { status = "ej-uppfyllt", motivation = "Utlånen föll.", analysis = "Färre besök.", actions, version });
            saved.IsSuccessStatusCode.ShouldBeTrue(await saved.Content.ReadAsStringAsync());
        }

        // The administrator's start page names the unit with a goal not met and no action, and only that goal.
        var start = await admin.GetStringAsync($"/k/{Slug}?period=2026-T2");
        start.ShouldContain("aria-label=\"1 mål som inte nås utan åtgärd för Biblioteket\"");
        start.ShouldContain("saknar beslutad åtgärd");
        (await (await app.MemberClientAsync(Slug, TenantRole.Reader)).GetStringAsync($"/k/{Slug}?period=2026-T2")).ShouldNotContain("utan åtgärd");

        var page = $"/k/{Slug}/planering/{library}?ar=2027";
        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var html = await editor.GetStringAsync(page);
        html.ShouldContain("Planering 2027: Biblioteket");
        html.ShouldContain("Läsfrämjande besök på alla förskolor.");
        html.ShouldContain("Nåddes inte, ingen åtgärd");
        html.ShouldContain("1 mål nåddes inte och har ingen åtgärd");
        html.ShouldContain("Markera som genomförd");

        // A reader sees the actions but cannot close them; an editor of another unit is refused on the server.
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetStringAsync(page)).ShouldNotContain("Markera som genomförd");
        var other = await app.MemberClientAsync(Slug, TenantRole.Editor, pool);
        var version2 = Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var form = new Dictionary<string, string> { ["goal"] = goals[0].ToString(), ["period"] = "2026-T2", ["version"] = version2 };
        form["__RequestVerificationToken"] = await TokenAsync(other, page);
        (await other.PostAsync(page + "&handler=Close", new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        form["__RequestVerificationToken"] = await TokenAsync(reader, page);
        (await reader.PostAsync(page + "&handler=Close", new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.GetStringAsync(page)).ShouldContain("Läsfrämjande besök på alla förskolor.");

        // A version other than the one read is refused, not applied.
        form["version"] = (int.Parse(version2, System.Globalization.CultureInfo.InvariantCulture) + 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
        form["__RequestVerificationToken"] = await TokenAsync(editor, page);
        var stale = await editor.PostAsync(page + "&handler=Close", new FormUrlEncodedContent(form));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("Bedömningen har ändrats sedan du öppnade sidan");

        form["version"] = version2;
        form["__RequestVerificationToken"] = await TokenAsync(editor, page);
        var closed = await editor.PostAsync(page + "&handler=Close", new FormUrlEncodedContent(form));
        // The answer is a redirect back to the page (the test client's token does not follow it: the page is read again).
        closed.RequestMessage!.RequestUri!.ToString().ShouldContain(Uri.EscapeDataString("stangd=2026-T2"));
        var after = await editor.GetStringAsync(page + "&stangd=2026-T2");
        after.ShouldContain("Åtgärderna från 2026-T2 är markerade som genomförda.");
        after.ShouldNotContain("Läsfrämjande besök på alla förskolor.");
        var planning = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/goals/{goals[0]}/planning?year=2027");
        planning!["openActions"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_year_that_is_not_a_year_is_answered_in_plain_Swedish()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var bad = await admin.GetAsync($"/k/{Slug}/planering/{library}?ar=tjugo");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Året ska anges med fyra siffror");
        var outside = await admin.GetAsync($"/k/{Slug}/planering/{library}?ar=1850");
        outside.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/k/{Slug}/planering/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
