using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The assignment pages in the permission matrix: read by whoever sees the responsible or the giving unit, reported by the unit (and those above it), changed and closed by the giver.</summary>
public partial class PagePermissionTests
{
    private static readonly string[] AssignmentRoutes =
        ["/k/{slug}/uppdrag", "/k/{slug}/uppdrag/ny", "/k/{slug}/uppdrag/{assignmentId:guid}", "/k/{slug}/uppdrag/{assignmentId:guid}/rapport/{periodKey}"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Assignments_are_read_by_those_who_see_the_units_reported_by_the_unit_and_closed_only_by_the_giver(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (unit, committee, other) = await AssignmentFlow.AssignmentApiTests.OrganisationAsync(app);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var giver = await app.MemberClientAsync(Slug, TenantRole.Editor, committee.Id);
        // The demo has assignments of its own: the forms below must add none to what was there before.
        int before;
        var (countScope, countDb) = app.DbFor(Slug);
        using (countScope)
        {
            before = await countDb.Assignments.CountAsync();
        }

        var created = await giver.PostAsJsonAsync($"/api/v1/tenants/{Slug}/assignments", AssignmentFlow.AssignmentApiTests.NewAssignment(committee.Id, unit.Id, "Hemligt uppdrag om öppettider"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var assignment = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = assignment.GetProperty("id").GetGuid();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["responsible"] = await app.MemberClientAsync(Slug, TenantRole.Editor, unit.Id),
            ["giver"] = giver,
            ["other editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, other.Id),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };
        foreach (var who in clients.Keys.ToList())
        {
            var direct = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            direct.DefaultRequestHeaders.Authorization = clients[who].DefaultRequestHeaders.Authorization;
            clients[who] = direct;
        }

        string Url(string route) => route.Replace("{slug}", Slug).Replace("{assignmentId:guid}", id.ToString()).Replace("{periodKey}", "2026-T2");
        HttpStatusCode Expected(string who, string route) => (who, route) switch
        {
            ("stranger", _) => HttpStatusCode.NotFound,
            ("reader", _) when route.EndsWith("/ny", StringComparison.Ordinal) || route.Contains("/rapport/", StringComparison.Ordinal) => HttpStatusCode.Forbidden,
            // A unit's editor acts for no giving unit: the new page says so before anything is typed.
            ("responsible" or "other editor", _) when route.EndsWith("/ny", StringComparison.Ordinal) => HttpStatusCode.Forbidden,
            // Another unit's editor is not told the assignment exists.
            ("other editor", _) when route.Contains("{assignmentId", StringComparison.Ordinal) => HttpStatusCode.NotFound,
            _ => HttpStatusCode.OK,
        };
        foreach (var route in AssignmentRoutes)
        {
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(Url(route));
                answer.StatusCode.ShouldBe(Expected(who, route), $"{who} {route}");
                var body = await answer.Content.ReadAsStringAsync();
                if (who is "other editor" or "stranger")
                {
                    body.ShouldNotContain("Hemligt uppdrag");
                }
            }
        }

        // Forms: only the giver closes; only the unit reports; a reader changes nothing.
        async Task<HttpStatusCode> PostAsync(string who, string url, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = await TokenAsync(clients[who], $"/k/{Slug}/uppdrag");
            return (await clients[who].PostAsync(url, new FormUrlEncodedContent(form))).StatusCode;
        }

        var version = assignment.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var page = Url("/k/{slug}/uppdrag/{assignmentId:guid}");
        (await PostAsync("responsible", page + "?handler=Close", new() { ["CloseStatus"] = "Closed", ["Version"] = version })).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", page + "?handler=Close", new() { ["CloseStatus"] = "Closed", ["Version"] = version })).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", page + "?handler=Close", new() { ["CloseStatus"] = "Closed", ["Version"] = version })).ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync("responsible", page + "?handler=Edit", new() { ["Title"] = "Kapat", ["Body"] = "Kapat", ["Giver"] = "Committee", ["GiverUnitId"] = committee.Id.ToString(), ["DecidedOn"] = "2026-03-10", ["ResponsibleUnitId"] = unit.Id.ToString(), ["Version"] = version }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", Url("/k/{slug}/uppdrag/ny"), new() { ["Title"] = "Läsarens", ["Body"] = "Nej", ["Giver"] = "Committee", ["GiverUnitId"] = committee.Id.ToString(), ["DecidedOn"] = "2026-03-10", ["ResponsibleUnitId"] = unit.Id.ToString() }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/uppdrag/{assignmentId:guid}/rapport/{periodKey}"), new() { ["Status"] = "Done", ["Text"] = "Inte vårt", ["Version"] = version }))
            .ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync("reader", Url("/k/{slug}/uppdrag/{assignmentId:guid}/rapport/{periodKey}"), new() { ["Status"] = "Done", ["Text"] = "Läsarens", ["Version"] = version }))
            .ShouldBe(HttpStatusCode.Forbidden);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var stored = await db.Assignments.AsNoTracking().Include(a => a.Reports).SingleAsync(a => a.Id == id);
            stored.Status.ShouldBe(Domain.Assignments.AssignmentStatus.NotStarted);
            stored.Title.ShouldBe("Hemligt uppdrag om öppettider");
            stored.Reports.ShouldBeEmpty();
            (await db.Assignments.CountAsync()).ShouldBe(before + 1);
        }

        // The page's own forms, with every error at once and nothing written.
        var bad = await PostAsync("giver", Url("/k/{slug}/uppdrag/ny"), new() { ["Title"] = "", ["Body"] = "", ["Giver"] = "Committee", ["GiverUnitId"] = committee.Id.ToString(), ["DecidedOn"] = "10/3", ["DueDate"] = "2026-12-01", ["DuePeriodKey"] = "2026-T3" });
        bad.ShouldBe(HttpStatusCode.BadRequest);
        (await PostAsync("responsible", Url("/k/{slug}/uppdrag/{assignmentId:guid}/rapport/{periodKey}"), new() { ["Status"] = "InProgress", ["Text"] = "Vi har börjat.", ["Version"] = version }))
            .ShouldBe(HttpStatusCode.Redirect);
        (await PostAsync("giver", page + "?handler=Close", new() { ["CloseStatus"] = "NotDone", ["CloseReason"] = "", ["Version"] = version })).ShouldBe(HttpStatusCode.BadRequest);
    }
}
