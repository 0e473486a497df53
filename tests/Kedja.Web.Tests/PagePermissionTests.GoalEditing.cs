using System.Net;
using System.Net.Http.Json;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public partial class PagePermissionTests
{
    /// <summary>The goal and indicator editing pages: only editors, and only for their units, so their matrix is their own.</summary>
    private static string[] GoalEditingRoutes =>
        ["/k/{slug}/mal/ny", "/k/{slug}/mal/{goalId:guid}/andra", "/k/{slug}/indikator/ny", "/k/{slug}/indikator/{indicatorId:guid}/andra"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Goals_and_indicators_are_edited_only_by_editors_of_their_units_and_a_refused_post_with_a_valid_token_changes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, pool, goal, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library && g.Title == "Biblioteket når fler barn och unga").Select(g => g.Id).SingleAsync();
            indicator = await db.Indicators.Where(i => i.GoalId == goal).Select(i => i.Id).FirstAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["other editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, pool),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["system"] = admin,
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };

        var urls = new[]
        {
            $"/k/{Slug}/mal/ny?enhet={library}", $"/k/{Slug}/mal/{goal}/andra", $"/k/{Slug}/mal/{goal}/andra?steg=ta-bort", $"/k/{Slug}/indikator/ny?mal={goal}",
            $"/k/{Slug}/indikator/{indicator}/andra", $"/k/{Slug}/indikator/{indicator}/andra?steg=ta-bort",
        };
        foreach (var url in urls)
        {
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(url);
                var body = await answer.Content.ReadAsStringAsync();
                var expected = who switch
                {
                    "stranger" => HttpStatusCode.NotFound,
                    "reader" or "other editor" => HttpStatusCode.Forbidden,
                    _ => HttpStatusCode.OK,
                };
                answer.StatusCode.ShouldBe(expected, $"{who} {url}");
                if (expected != HttpStatusCode.OK)
                {
                    body.ShouldNotContain("edit-form", Case.Sensitive, $"{who} {url}");
                    body.ShouldNotContain("Biblioteket når fler barn och unga", Case.Sensitive, $"{who} {url}");
                }

                if (who == "other editor")
                {
                    body.ShouldContain(url.Contains("/mal/", StringComparison.Ordinal) ? Goals.GoalEditing.OutsideUnits : Indicators.IndicatorEditing.OutsideUnits);
                }
            }

            var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            anonymous.Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=");
        }

        // Readers and editors outside the unit see no way to edit; the unit's editor does.
        var goalPage = $"/k/{Slug}/mal/{goal}";
        var card = $"/k/{Slug}/malkort/{library}";
        foreach (var who in new[] { "reader", "other editor" })
        {
            var seen = await clients[who].GetStringAsync(goalPage) + await clients[who].GetStringAsync(card);
            seen.ShouldNotContain("/andra\"");
            seen.ShouldNotContain("/indikator/ny");
            seen.ShouldNotContain("/mal/ny");
        }

        var editable = await clients["editor"].GetStringAsync(goalPage) + await clients["editor"].GetStringAsync(card);
        editable.ShouldContain($"/k/{Slug}/mal/{goal}/andra");
        editable.ShouldContain($"/k/{Slug}/indikator/ny?mal={goal}");
        editable.ShouldContain($"/k/{Slug}/indikator/{indicator}/andra");
        editable.ShouldContain($"/k/{Slug}/mal/ny?enhet={library}");

        // Posts with a valid antiforgery token (from a page each may read) are refused, and nothing changes.
        async Task<HttpStatusCode> PostAsync(string who, string url, Dictionary<string, string> form)
        {
            var client = clients[who];
            form["__RequestVerificationToken"] = await TokenAsync(client, $"/k/{Slug}/malkort/{library}?period=2026-T2");
            return (await client.PostAsync(url, new FormUrlEncodedContent(form))).StatusCode;
        }

        var before = await EditableStateAsync(app, library);
        foreach (var who in new[] { "reader", "other editor" })
        {
            (await PostAsync(who, $"/k/{Slug}/mal/ny?enhet={library}", new() { ["Title"] = "Obehörigt mål" })).ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/mal/{goal}/andra", new() { ["Title"] = "Obehörig titel", ["OwnerUnitId"] = library.ToString(), ["Version"] = "0" }))
                .ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/mal/{goal}/andra?handler=Delete", new() { ["Version"] = "0" })).ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/indikator/ny?mal={goal}", new() { ["Name"] = "Obehörig indikator", ["OwnerUnitId"] = library.ToString() }))
                .ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/indikator/{indicator}/andra", new() { ["Name"] = "Obehörigt namn", ["OwnerUnitId"] = library.ToString(), ["Version"] = "0" }))
                .ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/indikator/{indicator}/andra?handler=Delete", new() { ["Version"] = "0" })).ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/mal/{goal}/andra?handler=Rows", new() { ["Title"] = "Obehörig titel" })).ShouldBe(HttpStatusCode.Forbidden, who);
            (await PostAsync(who, $"/k/{Slug}/indikator/{indicator}/andra?handler=Refresh", new() { ["Name"] = "Obehörigt namn" })).ShouldBe(HttpStatusCode.Forbidden, who);
        }

        // An editor may not move their goal to a unit outside their own either.
        (await PostAsync("editor", $"/k/{Slug}/mal/{goal}/andra", new() { ["Title"] = "Flyttat mål", ["OwnerUnitId"] = pool.ToString(), ["Version"] = "0" }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await EditableStateAsync(app, library)).ShouldBe(before);

        // The stranger's post never reaches the municipality.
        (await clients["stranger"].PostAsync($"/k/{Slug}/mal/ny?enhet={library}", new FormUrlEncodedContent(new Dictionary<string, string> { ["Title"] = "X" })))
            .StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        (await EditableStateAsync(app, library)).ShouldBe(before);
    }

    /// <summary>What an unauthorised edit of the library's goals and indicators would change.</summary>
    private static async Task<string> EditableStateAsync(KedjaApp app, Guid unit)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var goals = (await db.Goals.Where(g => g.OwnerUnitId == unit).Select(g => new { g.Id, g.Title, g.Version }).ToListAsync()).OrderBy(g => g.Id).Select(g => $"{g.Id} {g.Title} {g.Version}");
            var indicators = (await db.Indicators.Where(i => i.OwnerUnitId == unit).Select(i => new { i.Id, i.Name, i.Version }).ToListAsync()).OrderBy(i => i.Id).Select(i => $"{i.Id} {i.Name} {i.Version}");
            return $"{string.Join("|", goals.Concat(indicators))} {await db.Goals.CountAsync()}/{await db.Indicators.CountAsync()}";
        }
    }
}
