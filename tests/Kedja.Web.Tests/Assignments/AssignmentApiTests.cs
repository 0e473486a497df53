using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Tests.DeadlineTests;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.AssignmentFlow;

/// <summary>Assignments (uppdrag, issue 15) through the API: given by a committee, reported on by the unit, closed by the giver.</summary>
public class AssignmentApiTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    /// <summary>An enhet, the nämnd above it, and an enhet under another nämnd.</summary>
    internal static async Task<(OrgUnit Unit, OrgUnit Committee, OrgUnit Other)> OrganisationAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id);
            OrgUnit? CommitteeOf(OrgUnit u)
            {
                for (var current = u; current.ParentId is { } parent; current = units[parent])
                {
                    if (units[parent].Kind == UnitKind.Committee)
                    {
                        return units[parent];
                    }
                }

                return null;
            }

            var withCommittee = units.Values.Where(u => u.Kind == UnitKind.Unit && CommitteeOf(u) is not null).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
            var unit = withCommittee[0];
            var committee = CommitteeOf(unit)!;
            var other = withCommittee.First(u => CommitteeOf(u)!.Id != committee.Id);
            return (unit, committee, other);
        }
    }

    internal static object NewAssignment(Guid committee, Guid unit, string title = "Utred fler platser i fritidsverksamheten", string? duePeriodKey = "2026-T3", string? dueDate = null, Guid[]? goalIds = null) => new
    {
        title, text = "Nämnden ger förvaltningen i uppdrag att utreda hur fler platser kan ordnas.", giver = "committee", giverUnitId = committee,
        decidedOn = "2026-03-10", decisionParagraph = "§ 12", responsibleUnitId = unit, duePeriodKey, dueDate, goalIds = goalIds ?? [],
    };

    /// <summary>An assignment of the demo tenant: one of the demo's own, or, should it have none, one with a report and a goal made once.</summary>
    internal static async Task<Guid> SomeAssignmentAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using var _ = scope;
        if (await db.Assignments.Select(a => (Guid?)a.Id).FirstOrDefaultAsync() is { } id)
        {
            return id;
        }

        var committee = await db.Units.Where(u => u.Kind == UnitKind.Committee).OrderBy(u => u.Name).FirstAsync();
        var unit = await db.Units.Where(u => u.ParentId != null && u.Kind == UnitKind.Unit).OrderBy(u => u.Name).FirstAsync();
        var period = await db.Periods.SingleAsync(p => p.Key == "2026-T2");
        var goal = await db.Goals.Where(g => g.OwnerUnitId == unit.Id || g.OwnerUnitId == committee.Id).Select(g => g.Id).FirstOrDefaultAsync();
        var assignment = new Domain.Assignments.Assignment
        {
            Id = Guid.CreateVersion7(), TenantId = db.Scope.TenantId!.Value, Number = 1, Title = "Utred fler platser i fritidsverksamheten", Text = "Nämnden ger förvaltningen i uppdrag att utreda hur fler platser kan ordnas.",
            Giver = Domain.Assignments.AssignmentGiver.Committee, GiverUnitId = committee.Id, DecidedOn = new DateOnly(2026, 3, 10), DecisionParagraph = "§ 12",
            ResponsibleUnitId = unit.Id, DueDate = new DateOnly(2026, 12, 31), Status = Domain.Assignments.AssignmentStatus.InProgress,
        };
        assignment.Reports.Add(new Domain.Assignments.AssignmentReport
        {
            AssignmentId = assignment.Id, PeriodId = period.Id, Text = "Utredningen har börjat.", Status = Domain.Assignments.AssignmentStatus.InProgress,
            WrittenBy = "namndsekreterare@exempelkommun.se", WrittenAt = new DateTime(2026, 9, 1, 8, 0, 0, DateTimeKind.Utc),
        });
        if (goal != Guid.Empty)
        {
            assignment.Goals.Add(new Domain.Assignments.AssignmentGoalLink { TenantId = db.Scope.TenantId!.Value, AssignmentId = assignment.Id, GoalId = goal });
        }

        db.Assignments.Add(assignment);
        await db.SaveChangesAsync();
        return assignment.Id;
    }

    /// <summary>The number the next assignment given gets: one past the highest, the demo's own included.</summary>
    private static async Task<int> NextNumberAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return (await db.Assignments.MaxAsync(a => (int?)a.Number) ?? 0) + 1;
        }
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().Select(a => a.GetProperty("id").GetGuid())];

    private static async Task<int> CountAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Assignments.CountAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_committee_gives_an_assignment_the_unit_reports_twice_and_only_the_giver_closes_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var (unit, committee, other) = await OrganisationAsync(app);
        var giver = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, committee.Id);
        var responsible = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit.Id);
        var neighbour = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, other.Id);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        // The demo has assignments of its own: everything below counts from what was there before.
        var before = await CountAsync(app);
        var nextNumber = await NextNumberAsync(app);
        var mine = (await responsible.GetFromJsonAsync<JsonElement>($"{Base}/assignments")).GetArrayLength();
        var ofThePair = (await reader.GetFromJsonAsync<JsonElement>($"{Base}/assignments?unitId={unit.Id}&giverUnitId={committee.Id}&year=2026")).GetArrayLength();
        var of2025 = await IdsAsync(reader, $"{Base}/assignments?year=2025");
        var neighbours = await IdsAsync(neighbour, $"{Base}/assignments");

        // Every error at once, in Swedish, and nothing written.
        var bad = await giver.PostAsJsonAsync($"{Base}/assignments", new
        {
            title = " ", text = "", giver = "committee", giverUnitId = committee.Id, decidedOn = "2026-03-10", responsibleUnitId = Guid.NewGuid(),
            dueDate = "2026-01-01", duePeriodKey = "2026-T3", goalIds = new[] { Guid.NewGuid() },
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["title", "text", "responsibleUnitId", "dueDate", "duePeriodKey", "goalIds[0]"], ignoreOrder: true);
        problem.GetProperty("errors").GetProperty("dueDate").EnumerateArray().Select(m => m.GetString()).ShouldContain("Uppdraget kan inte vara klart före beslutsdagen.");
        (await CountAsync(app)).ShouldBe(before);

        // The unit's own editor cannot give an assignment in the committee's name; nor can a reader.
        (await responsible.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // A council's assignment without a giving unit is an administrator's.
        (await giver.PostAsJsonAsync($"{Base}/assignments", new
        {
            title = "Fullmäktiges uppdrag", text = "Utred.", giver = "council", decidedOn = "2026-03-10", responsibleUnitId = unit.Id,
        })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CountAsync(app)).ShouldBe(before);

        Guid goal;
        var (goalScope, goalDb) = app.DbFor(DemoTenant.Slug);
        using (goalScope)
        {
            goal = await goalDb.Goals.Where(g => g.OwnerUnitId == committee.Id).Select(g => g.Id).FirstAsync();
        }

        var created = await giver.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id, goalIds: [goal]));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var assignment = await created.Content.ReadFromJsonAsync<JsonElement>();
        assignment.GetProperty("goalIds").EnumerateArray().Select(g => g.GetGuid()).ShouldBe([goal]);
        (await reader.GetStringAsync($"/k/{DemoTenant.Slug}/mal/{goal}")).ShouldContain("Uppdrag som rör målet");
        (await neighbour.GetStringAsync($"/k/{DemoTenant.Slug}/mal/{goal}")).ShouldNotContain("Uppdrag som rör målet");
        assignment.GetProperty("number").GetInt32().ShouldBe(nextNumber);
        assignment.GetProperty("statusName").GetString().ShouldBe("Ej påbörjat");
        assignment.GetProperty("dueOn").GetString().ShouldBe("2026-12-31");
        var url = $"{Base}/assignments/{assignment.GetProperty("id").GetGuid()}";

        // Two more given at the same time get the next two numbers, one each.
        var both = await Task.WhenAll(
            giver.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id, "Andra")),
            giver.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id, "Tredje")));
        var numbers = new List<int>();
        var ours = new List<Guid> { assignment.GetProperty("id").GetGuid() };
        foreach (var response in both)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var made = await response.Content.ReadFromJsonAsync<JsonElement>();
            numbers.Add(made.GetProperty("number").GetInt32());
            ours.Add(made.GetProperty("id").GetGuid());
        }

        numbers.ShouldBe([nextNumber + 1, nextNumber + 2], ignoreOrder: true);
        (await CountAsync(app)).ShouldBe(before + 3);

        // Who sees it: the unit, the committee, the whole municipality's reader; not the neighbouring unit's editor.
        (await responsible.GetFromJsonAsync<JsonElement>($"{Base}/assignments")).GetArrayLength().ShouldBe(mine + 3);
        ours.ShouldBeSubsetOf(await IdsAsync(responsible, $"{Base}/assignments"));
        (await IdsAsync(reader, $"{Base}/assignments?unitId={unit.Id}&giverUnitId={committee.Id}&year=2026")).Count.ShouldBe(ofThePair + 3);
        ours.ShouldBeSubsetOf(await IdsAsync(reader, $"{Base}/assignments?unitId={unit.Id}&giverUnitId={committee.Id}&year=2026"));
        (await IdsAsync(reader, $"{Base}/assignments?year=2025")).ShouldBe(of2025, ignoreOrder: true);
        (await IdsAsync(neighbour, $"{Base}/assignments")).ShouldBe(neighbours, ignoreOrder: true);
        (await neighbour.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.PutAsJsonAsync($"{url}/reports/2026-T2", new { status = "inProgress", text = "Nej", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await neighbour.PostAsJsonAsync($"{url}/closing", new { status = "closed", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reader.PutAsJsonAsync($"{url}/reports/2026-T2", new { status = "inProgress", text = "Nej", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The unit reports in two periods; the report's status becomes the assignment's.
        var version = assignment.GetProperty("version").GetInt32();
        var first = await responsible.PutAsJsonAsync($"{url}/reports/2026-T2", new { status = "inProgress", text = "Utredningen har börjat.", version });
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        version = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        (await responsible.PutAsJsonAsync($"{url}/reports/2026-T3", new { status = "done", text = "Gammal version", version = version - 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var badReport = await responsible.PutAsJsonAsync($"{url}/reports/2026-T3", new { status = "closed", text = "", version });
        badReport.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badReport.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["text", "status"], ignoreOrder: true);
        var second = await responsible.PutAsJsonAsync($"{url}/reports/2026-T3", new { status = "done", text = "Utredningen är klar och lämnad till nämnden.", version });
        second.StatusCode.ShouldBe(HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
        var reported = await second.Content.ReadFromJsonAsync<JsonElement>();
        reported.GetProperty("status").GetString().ShouldBe("done");
        reported.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("periodKey").GetString()).ShouldBe(["2026-T2", "2026-T3"]);
        version = reported.GetProperty("version").GetInt32();

        // Once the unit has submitted its follow-up of the period, the report waits.
        var row = (await responsible.GetFromJsonAsync<JsonElement>($"{Base}/periods/2026-T3/workflow")).EnumerateArray().Single(u => u.GetProperty("unitId").GetGuid() == unit.Id);
        (await responsible.PostAsJsonAsync($"{Base}/units/{unit.Id}/periods/2026-T3/workflow", new { action = "submit", version = row.GetProperty("version").GetInt32() }))
            .IsSuccessStatusCode.ShouldBeTrue();
        var waiting = await responsible.PutAsJsonAsync($"{url}/reports/2026-T3", new { status = "inProgress", text = "Ändrat", version });
        waiting.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await waiting.Content.ReadAsStringAsync()).ShouldContain("måste öppnas igen");

        // Only the giver closes it; the unit's editor may neither close nor change the decision.
        (await responsible.PostAsJsonAsync($"{url}/closing", new { status = "closed", version })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var asRead = await responsible.GetFromJsonAsync<JsonElement>(url);
        (await responsible.PutAsJsonAsync(url, asRead)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var notDone = await giver.PostAsJsonAsync($"{url}/closing", new { status = "notDone", reason = " ", version });
        notDone.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notDone.Content.ReadAsStringAsync()).ShouldContain("Ange varför uppdraget inte genomfördes.");
        (await giver.PostAsJsonAsync($"{url}/closing", new { status = "closed", version = version - 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var closed = await giver.PostAsJsonAsync($"{url}/closing", new { status = "closed", version });
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        var done = await closed.Content.ReadFromJsonAsync<JsonElement>();
        done.GetProperty("statusName").GetString().ShouldBe("Återrapporterat och avslutat");
        done.GetProperty("closedOn").GetString().ShouldBe(Periods.Deadlines.Today(app.Clock).ToString("yyyy-MM-dd"));
        done.GetProperty("closedBy").GetString().ShouldNotBeNullOrEmpty();
        version = done.GetProperty("version").GetInt32();
        (await responsible.PutAsJsonAsync($"{url}/reports/2026-T2", new { status = "inProgress", text = "Mer", version }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // GET -> PUT by the giver changes nothing but the version; status and reports are not the PUT's to change.
        var read = await giver.GetFromJsonAsync<JsonElement>(url);
        var again = await giver.PutAsJsonAsync(url, read);
        again.StatusCode.ShouldBe(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        var after = await again.Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("status").GetString().ShouldBe("closed");
        after.GetProperty("reports").GetArrayLength().ShouldBe(2);
        (await giver.PutAsJsonAsync(url, read)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        version = after.GetProperty("version").GetInt32();

        // Reopened by the giver with a reason: back to the latest report's status.
        var noReason = await giver.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{url}/closing") { Content = JsonContent.Create(new { reason = "", version }) });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var reopened = await giver.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{url}/closing") { Content = JsonContent.Create(new { reason = "Nämnden vill ha en kompletterande utredning.", version }) });
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK, await reopened.Content.ReadAsStringAsync());
        var open = await reopened.Content.ReadFromJsonAsync<JsonElement>();
        open.GetProperty("status").GetString().ShouldBe("done");
        open.GetProperty("closedOn").ValueKind.ShouldBe(JsonValueKind.Null);
        open.GetProperty("statusReason").GetString().ShouldBe("Nämnden vill ha en kompletterande utredning.");

        // Not carried out, with a reason.
        var given = await giver.PostAsJsonAsync($"{url}/closing", new { status = "notDone", reason = "Uppdraget ersattes av ett nytt beslut.", version = open.GetProperty("version").GetInt32() });
        given.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await given.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusName").GetString().ShouldBe("Ej genomfört");

        // Another municipality knows nothing of it.
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "beta", name = "Beta", kommunkod = "1234", template = Templates.ModelTemplates.Heby })).IsSuccessStatusCode.ShouldBeTrue();
        var beta = await app.MemberClientAsync("beta", TenantRole.Admin);
        (await beta.GetAsync(url.Replace(DemoTenant.Slug, "beta", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await beta.GetFromJsonAsync<JsonElement>("/api/v1/tenants/beta/assignments")).GetArrayLength().ShouldBe(0);
        (await beta.GetAsync(url)).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_overdue_assignment_shows_on_the_responsible_editors_start_page_as_the_clock_moves_and_done_ones_wait_for_the_giver(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (unit, committee, other) = await OrganisationAsync(app);
        var giver = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, committee.Id);
        var responsible = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit.Id);
        var neighbour = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, other.Id);
        var created = await giver.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id, "Se över öppettiderna", duePeriodKey: null, dueDate: "2027-01-31"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var url = $"{Base}/assignments/{(await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}";
        const string start = $"/k/{DemoTenant.Slug}";

        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 1, 10));
        var page = await responsible.GetStringAsync(start);
        page.ShouldNotContain("Uppdrag att göra");
        page.ShouldContain("Se över öppettiderna");
        page.ShouldContain("31 januari 2027");
        (await responsible.GetFromJsonAsync<JsonElement>($"{Base}/assignments?overdue=true")).GetArrayLength().ShouldBe(0);

        // Within the municipality's three reminder days it is to do.
        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 1, 30));
        page = await responsible.GetStringAsync(start);
        page.ShouldContain("Uppdrag att göra");
        page.ShouldContain("i morgon");

        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 2, 2));
        page = await responsible.GetStringAsync(start);
        page.ShouldContain("Uppdrag att göra");
        page.ShouldContain("Försenat");
        page.ShouldContain("Se över öppettiderna");
        (await neighbour.GetStringAsync(start)).ShouldNotContain("Se över öppettiderna");
        (await responsible.GetFromJsonAsync<JsonElement>($"{Base}/assignments?overdue=true")).GetArrayLength().ShouldBe(1);
        (await responsible.GetStringAsync($"{start}/uppdrag?forsenade=true")).ShouldContain("Se över öppettiderna");

        // Reported done: no longer the unit's to do, but the giver's to close.
        var version = (await responsible.GetFromJsonAsync<JsonElement>(url)).GetProperty("version").GetInt32();
        (await responsible.PutAsJsonAsync($"{url}/reports/2026-T3", new { status = "done", text = "Nya öppettider från 1 mars.", version })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await responsible.GetStringAsync(start)).ShouldNotContain("Uppdrag att göra");
        page = await giver.GetStringAsync(start);
        page.ShouldContain("Uppdrag att avsluta");
        page.ShouldContain("Se över öppettiderna");
        (await responsible.GetStringAsync(start)).ShouldNotContain("Uppdrag att avsluta");
    }

    /// <summary>
    /// A committee's editor may give in the committee's name, but not name the council or the board as the giver with
    /// their own committee as the giving unit: the portal publishes council assignments as the council's decisions.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_committee_editor_cannot_give_the_councils_or_the_boards_assignment_in_the_committees_name(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var (unit, committee, _) = await OrganisationAsync(app);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, committee.Id);
        Guid council;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            council = await db.Units.Where(u => u.Kind == UnitKind.Council).Select(u => u.Id).FirstAsync();
        }

        var before = await CountAsync(app);
        foreach (var giver in new[] { "council", "executiveBoard" })
        {
            var posed = await editor.PostAsJsonAsync($"{Base}/assignments", new
            {
                title = "Fullmäktige ger uppdrag", text = "Utred.", giver, giverUnitId = committee.Id, decidedOn = "2026-03-10", responsibleUnitId = unit.Id,
            });
            posed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await posed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["giverUnitId"]);
        }

        (await CountAsync(app)).ShouldBe(before);

        // Nor turn the committee's own assignment into the council's afterwards.
        var created = await editor.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var read = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = $"{Base}/assignments/{read.GetProperty("id").GetGuid()}";
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(read.GetRawText())!;
        body["giver"] = JsonSerializer.SerializeToElement("council");
        (await editor.PutAsJsonAsync(url, body)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await editor.GetFromJsonAsync<JsonElement>(url)).GetProperty("giver").GetString().ShouldBe("committee");

        // The council's own unit as the giver is right, for whoever may act for it.
        (await admin.PostAsJsonAsync($"{Base}/assignments", new
        {
            title = "Fullmäktiges uppdrag", text = "Utred.", giver = "council", giverUnitId = council, decidedOn = "2026-03-10", responsibleUnitId = unit.Id,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>An id is looked for within the municipality only: another municipality's use of it is neither refused nor told.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_id_another_municipality_uses_is_free_here_and_the_answer_does_not_tell(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var taken = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/assignments")).EnumerateArray().First().GetProperty("id").GetGuid();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan-kommun", name = "Annan kommun", kommunkod = "1234", template = Kedja.Web.Templates.ModelTemplates.Heby });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var council = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/annan-kommun/units")).EnumerateArray()
            .First(u => string.Equals(u.GetProperty("kind").GetString(), "council", StringComparison.OrdinalIgnoreCase)).GetProperty("id").GetGuid();
        var posted = await admin.PostAsJsonAsync("/api/v1/tenants/annan-kommun/assignments", new
        {
            id = taken, title = "Fullmäktiges uppdrag", text = "Utred.", giver = "council", giverUnitId = council, decidedOn = "2026-03-10", responsibleUnitId = council,
        });
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/annan-kommun/assignments/{taken}")).GetProperty("title").GetString().ShouldBe("Fullmäktiges uppdrag");
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/assignments/{taken}")).GetProperty("title").GetString().ShouldNotBe("Fullmäktiges uppdrag");

        // Within the municipality the id is taken.
        (await admin.PostAsJsonAsync("/api/v1/tenants/annan-kommun/assignments", new
        {
            id = taken, title = "Igen", text = "Utred.", giver = "council", giverUnitId = council, decidedOn = "2026-03-10", responsibleUnitId = council,
        })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    /// <summary>A committee directs its own organisation: its editor neither gives an assignment to a neighbouring committee's unit nor moves one there.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_committee_cannot_give_or_move_its_assignment_to_a_neighbouring_committees_unit(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (unit, committee, other) = await OrganisationAsync(app);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, committee.Id);
        var neighbour = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, other.Id);
        var before = await CountAsync(app);
        var theirs = await IdsAsync(neighbour, $"{Base}/assignments");

        var given = await editor.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, other.Id, "Grannens nya uppdrag"));
        given.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await given.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["responsibleUnitId"]);
        (await CountAsync(app)).ShouldBe(before);

        var created = await editor.PostAsJsonAsync($"{Base}/assignments", NewAssignment(committee.Id, unit.Id));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var read = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = $"{Base}/assignments/{read.GetProperty("id").GetGuid()}";
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(read.GetRawText())!;
        body["responsibleUnitId"] = JsonSerializer.SerializeToElement(other.Id);
        (await editor.PutAsJsonAsync(url, body)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await editor.GetFromJsonAsync<JsonElement>(url)).GetProperty("responsibleUnitId").GetGuid().ShouldBe(unit.Id);
        (await IdsAsync(neighbour, $"{Base}/assignments")).ShouldBe(theirs, ignoreOrder: true);
    }
}
