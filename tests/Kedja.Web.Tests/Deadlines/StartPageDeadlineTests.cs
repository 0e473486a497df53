using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.DeadlineTests;

/// <summary>The start page (att göra) as the clock moves up to and past a level's deadline.</summary>
public class StartPageDeadlineTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private const string Start = $"/k/{DemoTenant.Slug}";

    /// <summary>Moves the app's clock to noon (UTC) of the day, as seen in Sweden the same day.</summary>
    internal static void MoveTo(KedjaApp app, DateOnly day)
    {
        app.Clock.Freeze();
        app.Clock.Advance(new DateTimeOffset(day.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero) - app.Clock.GetUtcNow());
    }

    /// <summary>Gives the enheter of T3 2026 their own day, 20 January 2027, through the API.</summary>
    internal static async Task SetUnitsDueAsync(HttpClient admin)
    {
        var before = (await admin.GetFromJsonAsync<JsonObject>($"{Base}/periods/2026-T3/deadlines"))!;
        var saved = await admin.PutAsJsonAsync($"{Base}/periods/2026-T3/deadlines",
            new { deadline = "2027-02-14", levels = new object[] { new { unitKind = "unit", dueOn = "2027-01-20" } }, version = before["version"]!.GetValue<int>() });
        saved.EnsureSuccessStatusCode();
    }

    /// <summary>Two enheter due in T3 2026, under different förvaltningar, and the name of each.</summary>
    internal static async Task<(OrgUnit Mine, OrgUnit Other)> TwoUnitsAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var due = await scope.ServiceProvider.GetRequiredService<Periods.Deadlines>().DueBetweenAsync(new(2027, 1, 20), new(2027, 1, 20));
            var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id);
            var dueUnits = due.Where(d => d.UnitKind == UnitKind.Unit).Select(d => units[d.UnitId]).ToList();
            var mine = dueUnits.First();
            var other = dueUnits.First(u => u.ParentId != mine.ParentId);
            return (mine, other);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_editor_sees_their_units_deadline_come_closer_and_pass_and_the_administrator_sees_who_is_late(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        await SetUnitsDueAsync(admin);
        var (mine, other) = await TwoUnitsAsync(app);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, mine.Id);

        MoveTo(app, new DateOnly(2027, 1, 17));
        var page = await editor.GetStringAsync(Start);
        page.ShouldContain("Dina sista dagar");
        page.ShouldContain("20 januari 2027");
        page.ShouldContain("(om 3 dagar)");
        page.ShouldContain("1 av 1 har inte skickat in:");
        page.ShouldContain($"<a href=\"/k/{DemoTenant.Slug}/malkort/{mine.Id}?period=2026-T3\">{mine.Name}</a>");
        page.ShouldNotContain(other.Name);
        page.ShouldNotContain("Försenade");

        MoveTo(app, new DateOnly(2027, 1, 20));
        (await editor.GetStringAsync(Start)).ShouldContain("(i dag)");

        MoveTo(app, new DateOnly(2027, 1, 22));
        page = await editor.GetStringAsync(Start);
        page.ShouldContain("<h2 id=\"forsenade\">Försenade</h2>");
        page.ShouldContain("försenad 2 dagar");
        page.ShouldNotContain(other.Name);
        // The period's other levels are due on 14 February: still coming.
        (await admin.GetStringAsync(Start)).ShouldContain("14 februari 2027");

        var late = await admin.GetStringAsync(Start);
        late.ShouldContain("<h2 id=\"forsenade\">Vem är försenad</h2>");
        var table = late[late.IndexOf("id=\"forsenade\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        table.ShouldContain($"<a href=\"/k/{DemoTenant.Slug}/malkort/{mine.Id}?period=2026-T3\">{mine.Name}</a>");
        table.ShouldContain($"<a href=\"/k/{DemoTenant.Slug}/malkort/{other.Id}?period=2026-T3\">{other.Name}</a>");
        table.ShouldContain("<td>Enhet</td>");
        table.ShouldContain("20 jan. 2027 (T3 2026)");
        table.ShouldNotContain("Nämnd</td>");

        // Once the unit has sent in its follow-up, it is late no longer.
        var submitted = await editor.PostAsJsonAsync($"{Base}/units/{mine.Id}/periods/2026-T3/workflow", new { action = "submit", version = 0 });
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        page = await editor.GetStringAsync(Start);
        page.ShouldNotContain("Försenade");
        late = await admin.GetStringAsync(Start);
        table = late[late.IndexOf("id=\"forsenade\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        table.ShouldNotContain(mine.Name);
        table.ShouldContain(other.Name);

        // A reader reports for no unit: no deadlines of their own, no list of who is late.
        var reader = await (await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader)).GetStringAsync(Start);
        reader.ShouldNotContain("id=\"sista-dagar\"");
        reader.ShouldNotContain("id=\"forsenade\"");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deadline_before_the_municipality_came_into_Kedja_makes_nobody_late(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);

        // 2026-T2 was due 20 September 2026, before the demo municipality was made; its units are open.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var created = await db.Tenants.Where(t => t.Slug == DemoTenant.Slug).Select(t => t.CreatedAt).SingleAsync();
            DateOnly.FromDateTime(created).ShouldBeGreaterThan(new DateOnly(2026, 9, 20));
            (await scope.ServiceProvider.GetRequiredService<Periods.Deadlines>().LateAsync()).ShouldNotContain(d => d.PeriodKey == "2026-T2");
        }

        (await admin.GetStringAsync(Start)).ShouldNotContain("id=\"forsenade\"");
    }
}
