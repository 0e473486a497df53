using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// Every page under a tenant, for every role and for strangers: what each may read, and that a form post with a valid
/// antiforgery token is refused on the server to whoever may not make it. New pages must be added here (a test fails).
/// </summary>
public partial class PagePermissionTests
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>Governing documents and budget: checked by their own matrix below (declared first: Routes is built from it), with their own ids and roles.</summary>
    private static readonly string[] DocumentAndBudgetRoutes =
        ["/k/{slug}/styrdokument", "/k/{slug}/styrdokument/ny", "/k/{slug}/styrdokument/{documentId:guid}/andra", "/k/{slug}/budget/{unitId:guid}"];

    /// <summary>A report job's page: checked by its own matrix (PagePermissionTests.Reports), with a job of its own.</summary>
    private static readonly string[] ReportJobRoutes = ["/k/{slug}/rapporter/{jobId:guid}"];

    /// <summary>An indicator's Kolada page: checked by KoladaFetchingTests (readers read, editors of the unit fetch, strangers get 404).</summary>
    private static readonly string[] KoladaRoutes = ["/k/{slug}/indikator/{indicatorId:guid}/kolada"];

    /// <summary>The public portal's settings: an administrator's only (Portal/PortalSettingsTests posts the form).</summary>
    private static readonly string[] PortalSettingsRoutes = ["/k/{slug}/portal"];

    /// <summary>How staff sign in: an administrator's only (SingleSignOn/SsoSettingsTests posts the forms).</summary>
    private static readonly string[] SignInSettingsRoutes = ["/k/{slug}/inloggning"];

    /// <summary>The municipality's mails: an administrator's only (Mail/OutboxTests posts the retry form).</summary>
    private static readonly string[] MailRoutes = ["/k/{slug}/utskick"];

    /// <summary>A period's deadlines per level: an administrator's only (DeadlineSettingsTests posts the form).</summary>
    private static readonly string[] DeadlineRoutes = ["/k/{slug}/perioder/{periodKey}/sista-dagar"];

    /// <summary>Closed years (h145): corrections are listed to members, started and finished by an administrator only (ClosedYears/ClosedYearTests).</summary>
    private static readonly string[] CorrectionRoutes = ["/k/{slug}/rattelser", "/k/{slug}/perioder/{periodKey}/rattelse/{unitId:guid}"];

    /// <summary>The pages under a tenant, with real ids, and whether they take a post (with the handler's form).</summary>
    private static readonly string[] Routes =
        ["/k/{slug}", "/k/{slug}/malkort", "/k/{slug}/malkort/{unitId:guid}", "/k/{slug}/utfall/{unitId:guid}", "/k/{slug}/bedomning/{goalId:guid}", "/k/{slug}/mal/{goalId:guid}", "/k/{slug}/behorigheter", "/k/{slug}/agenda-2030", "/k/{slug}/sok",
         "/k/{slug}/historik/{entity}/{id:guid}", "/k/{slug}/planering/{unitId:guid}",
         "/k/{slug}/mal/ny", "/k/{slug}/mal/{goalId:guid}/andra", "/k/{slug}/indikator/ny", "/k/{slug}/indikator/{indicatorId:guid}/andra",
         "/k/{slug}/styrmodell", "/k/{slug}/styrmodell/andra", "/k/{slug}/styrmodell/perspektiv", "/k/{slug}/styrmodell/nivaer", "/k/{slug}/styrmodell/skala", "/k/{slug}/styrmodell/kalender", "/k/{slug}/organisation", "/k/{slug}/organisation/{unitId:guid}",
         "/k/{slug}/rapporter", .. ReportJobRoutes, .. KoladaRoutes,
        .. DocumentAndBudgetRoutes, .. BenchmarkRoutes, .. PortalSettingsRoutes, .. SignInSettingsRoutes, .. MailRoutes, .. DeadlineRoutes, .. CorrectionRoutes];

    /// <summary>Activities and programs, checked by <see cref="Activities_and_programs_are_planned_by_their_units_editors_read_by_members_and_hidden_from_strangers"/>.</summary>
    private static readonly string[] ActivityRoutes =
        ["/k/{slug}/aktivitet/ny", "/k/{slug}/aktivitet/{activityId:guid}/andra", "/k/{slug}/aktivitet/{activityId:guid}/rapportera", "/k/{slug}/program", "/k/{slug}/program/ny", "/k/{slug}/program/{programId:guid}", "/k/{slug}/program/{programId:guid}/andra"];

    /// <summary>Internal control's plans and their follow-up (ADR 46), checked by InternalControl/ControlPlanPageTests.</summary>
    internal static readonly string[] ControlPlanRoutes =
        ["/k/{slug}/intern-kontroll", "/k/{slug}/intern-kontroll/planer/{unitId:guid}/{year:int}", "/k/{slug}/intern-kontroll/kontrollmoment/{actionId:guid}",
         "/k/{slug}/intern-kontroll/kontrollmoment/{actionId:guid}/uppfoljning/{periodKey}"];

    /// <summary>Next year's planning (issue 16): an administrator's only, checked by Planning/PlanningYearTests.</summary>
    internal static readonly string[] PlanningYearRoutes =
        ["/k/{slug}/planeringsar/{year:int}", "/k/{slug}/planeringsar/{year:int}/forslag", "/k/{slug}/planeringsar/{year:int}/sammanfattning"];

    /// <summary>The pages that change the model or a unit: an administrator's only (the model and the organisation themselves every member reads).</summary>
    private static readonly string[] ModelAdminRoutes =
        ["/k/{slug}/styrmodell/andra", "/k/{slug}/styrmodell/perspektiv", "/k/{slug}/styrmodell/nivaer", "/k/{slug}/styrmodell/skala", "/k/{slug}/styrmodell/kalender", "/k/{slug}/organisation/{unitId:guid}", .. PortalSettingsRoutes, .. SignInSettingsRoutes, .. MailRoutes, .. DeadlineRoutes, CorrectionRoutes[1]];

    [Fact]
    public async Task Every_page_under_a_tenant_is_in_the_matrix()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is PageActionDescriptor && e.RoutePattern.GetParameter("slug") is not null)
            // The public portal is anonymous and checked by TenantAccessTests and PortalStartTests.
            .Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("p/", StringComparison.Ordinal))
            // So is the way to a tenant's own sign-in (ADR 45), checked by TenantAccessTests.
            .Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("inloggning/oidc/", StringComparison.Ordinal))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Order().ToList();
        pages.ShouldBe(Routes.Concat(ActivityRoutes).Concat(AssignmentRoutes).Concat(ControlPlanRoutes).Concat(Reports.ReportTemplateTests.Routes).Concat(ImportRoutes).Concat(RiskRoutes).Concat(ReorganisationRoutes).Concat(FinanceRoutes).Concat(PlanningYearRoutes).Order().ToList());
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Members_read_every_page_strangers_are_not_told_the_municipality_exists_and_posts_are_refused_to_whoever_may_not(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, goal, pool;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.Id).FirstAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["system"] = admin,
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };

        string Url(string route, Guid unit) => route.Replace("{slug}", Slug).Replace("{unitId:guid}", unit.ToString()).Replace("{goalId:guid}", goal.ToString())
            .Replace("{entity}/{id:guid}", $"Goal/{goal}").Replace("{periodKey}", "2026-T2") + "?period=2026-T2";
        foreach (var route in Routes.Except(DocumentAndBudgetRoutes).Except(ReportJobRoutes).Except(KoladaRoutes).Except(BenchmarkRoutes))
        {
            if (GoalEditingRoutes.Contains(route))
            {
                continue;
            }

            var url = Url(route, library);
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(url);
                var body = await answer.Content.ReadAsStringAsync();
                if (who == "stranger")
                {
                    answer.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{who} {url}");
                    body.ShouldContain(Infrastructure.TenantAccess.NotFoundMessage);
                    body.ShouldNotContain("Biblioteket");
                }
                else if ((route.EndsWith("/behorigheter", StringComparison.Ordinal) || route.Contains("/historik/", StringComparison.Ordinal) || ModelAdminRoutes.Contains(route)) && who is "reader" or "editor")
                {
                    // Only an administrator manages who works in the municipality, and reads who changed what.
                    answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{who} {url}");
                    body.ShouldNotContain("@test.kedja");
                }
                else
                {
                    answer.StatusCode.ShouldBe(HttpStatusCode.OK, $"{who} {url}");
                }
            }

            var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
            var refused = await anonymous.GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            refused.Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=");
        }

        // Posts with a valid antiforgery token: a reader may not save outcomes, assess or move the follow-up; an editor
        // not outside their units. Nothing changes.
        async Task<HttpStatusCode> PostAsync(string who, string url, Dictionary<string, string> form)
        {
            var client = clients[who];
            form["__RequestVerificationToken"] = await TokenAsync(client, url);
            return (await client.PostAsync(url, new FormUrlEncodedContent(form))).StatusCode;
        }

        var outcomesBefore = await CountAsync(app, library);
        (await PostAsync("reader", Url("/k/{slug}/utfall/{unitId:guid}", library), new() { ["Rows[0].Value"] = "1" })).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", Url("/k/{slug}/bedomning/{goalId:guid}", library), new() { ["Status"] = "ej-uppfyllt", ["Motivation"] = "Ett försök." }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", Url("/k/{slug}/malkort/{unitId:guid}", library) + "&handler=Workflow", new() { ["steg"] = "Submit", ["version"] = "0" }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", Url("/k/{slug}/malkort/{unitId:guid}", pool) + "&handler=Workflow", new() { ["steg"] = "Submit", ["version"] = "0" }))
            .ShouldBe(HttpStatusCode.Forbidden);
        // The page offers an editor no lock (the administrator's step); posted anyway, it is refused.
        (await PostAsync("editor", Url("/k/{slug}/malkort/{unitId:guid}", library) + "&handler=Workflow", new() { ["steg"] = "Lock", ["version"] = "0" }))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", $"/k/{Slug}?period=2026-T2&handler=Lock", new() { ["period"] = "2026-T2" })).ShouldBe(HttpStatusCode.Forbidden);
        (await CountAsync(app, library)).ShouldBe(outcomesBefore);

        // Without the antiforgery token, nobody's post is taken, however signed in.
        var noToken = await clients["admin"].PostAsync(Url("/k/{slug}/malkort/{unitId:guid}", library) + "&handler=Workflow",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["steg"] = "Submit", ["version"] = "0" }));
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static async Task<(int Outcomes, int Assessments, int States)> CountAsync(KedjaApp app, Guid unit)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var indicators = db.Indicators.Where(i => i.OwnerUnitId == unit).Select(i => i.Id);
            var goals = db.Goals.Where(g => g.OwnerUnitId == unit).Select(g => g.Id);
            return (await db.Outcomes.CountAsync(o => indicators.Contains(o.IndicatorId)), await db.Assessments.CountAsync(a => goals.Contains(a.GoalId)),
                await db.UnitPeriodStatuses.CountAsync(s => s.UnitId == unit));
        }
    }

    [Fact]
    public async Task A_goals_history_shows_administrators_who_changed_which_fields_and_readers_nothing_of_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var goals = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/tenants/{Slug}/goals");
        var goal = goals!.First(g => g!["title"]!.GetValue<string>() == "Biblioteket når fler barn och unga")!.AsObject();
        goal["title"] = "Biblioteket når ännu fler barn och unga";
        (await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{goal["id"]}", goal)).EnsureSuccessStatusCode();

        var page = $"/k/{Slug}/mal/{goal["id"]}";
        var seen = await admin.GetStringAsync(page);
        seen.ShouldContain("<h2 id=\"historik\">Historik</h2>");
        Regex.IsMatch(seen, "<td>admin@test\\.kedja</td><td>ändrades: [^<]*Rubrik").ShouldBeTrue(seen[seen.IndexOf("historik", StringComparison.Ordinal)..]);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetStringAsync(page)).ShouldNotContain("historik");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Activities_and_programs_are_planned_by_their_units_editors_read_by_members_and_hidden_from_strangers(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, pool, goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.Id).FirstAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var activity = await (await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/activities", new { title = "Sommarboken", goalId = goal, responsibleUnitId = library, status = "notStarted", progress = 0 }))
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var program = await (await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/programs", new { name = "Läsfrämjande program", ownerUnitId = library }))
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["other editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, pool),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["system"] = admin,
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };

        string Url(string route) => route.Replace("{slug}", Slug).Replace("{activityId:guid}", activity!["id"]!.ToString()).Replace("{programId:guid}", program!["id"]!.ToString());
        HttpStatusCode Expected(string who, string route) => (who, route) switch
        {
            ("stranger", _) => HttpStatusCode.NotFound,
            ("reader", _) when route.EndsWith("/ny", StringComparison.Ordinal) || route.EndsWith("/andra", StringComparison.Ordinal) || route.EndsWith("/rapportera", StringComparison.Ordinal)
                => HttpStatusCode.Forbidden,
            // Another unit's editor plans for their own unit, not for the library's activity or program.
            ("other editor", _) when route.EndsWith("/andra", StringComparison.Ordinal) || route.EndsWith("/rapportera", StringComparison.Ordinal) => HttpStatusCode.Forbidden,
            _ => HttpStatusCode.OK,
        };

        foreach (var route in ActivityRoutes)
        {
            var url = Url(route);
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(url);
                var body = await answer.Content.ReadAsStringAsync();
                answer.StatusCode.ShouldBe(Expected(who, route), $"{who} {url}");
                if (who == "stranger")
                {
                    body.ShouldContain(Infrastructure.TenantAccess.NotFoundMessage);
                    body.ShouldNotContain("Sommarboken");
                    body.ShouldNotContain("Läsfrämjande");
                }
                else if (answer.StatusCode == HttpStatusCode.Forbidden)
                {
                    body.ShouldNotContain("name=\"Title\"");
                    body.ShouldNotContain("name=\"Name\"");
                }
            }

            var refused = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
        }

        // Posts with a valid antiforgery token (each person's own, from a page they may read) change nothing for
        // whoever may not make them.
        async Task<HttpStatusCode> PostAsync(string who, string url, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = await TokenAsync(clients[who], $"/k/{Slug}/program");
            return (await clients[who].PostAsync(url, new FormUrlEncodedContent(form))).StatusCode;
        }

        var edit = new Dictionary<string, string>
        {
            ["Title"] = "Kapad", ["BelongsTo"] = "m:" + goal, ["ResponsibleUnitId"] = library.ToString(), ["Status"] = "Done", ["Progress"] = "100", ["Version"] = activity!["version"]!.ToString(),
        };
        (await PostAsync("reader", Url("/k/{slug}/aktivitet/ny"), new(edit))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/aktivitet/ny"), new(edit))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", Url("/k/{slug}/aktivitet/{activityId:guid}/andra"), new(edit))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/aktivitet/{activityId:guid}/andra"), new(edit))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/aktivitet/{activityId:guid}/andra") + "?handler=Delete", new() { ["Version"] = edit["Version"] })).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/aktivitet/{activityId:guid}/rapportera") + "?period=2026-T2",
            new() { ["Status"] = "Done", ["Progress"] = "100", ["Comment"] = "Klart!", ["Version"] = edit["Version"] })).ShouldBe(HttpStatusCode.Forbidden);
        var programForm = new Dictionary<string, string> { ["Name"] = "Kapat", ["OwnerUnitId"] = pool.ToString(), ["Version"] = program!["version"]!.ToString() };
        (await PostAsync("reader", Url("/k/{slug}/program/ny"), new(programForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/program/{programId:guid}/andra"), new(programForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/program/{programId:guid}/andra") + "?handler=Delete", new(programForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("other editor", Url("/k/{slug}/program/ny"), new() { ["Name"] = "Någon annans", ["OwnerUnitId"] = library.ToString() })).ShouldBe(HttpStatusCode.Forbidden);

        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            var stored = await afterDb.Activities.Include(a => a.Comments).SingleAsync(a => a.Id == activity["id"]!.GetValue<Guid>());
            (stored.Title, stored.Version, stored.Comments.Count).ShouldBe(("Sommarboken", activity["version"]!.GetValue<int>(), 0));
            (await afterDb.Programs.SingleAsync(p => p.Id == program["id"]!.GetValue<Guid>())).Name.ShouldBe("Läsfrämjande program");
            (await afterDb.Programs.CountAsync(p => p.Name == "Kapat" || p.Name == "Någon annans")).ShouldBe(0);
            (await afterDb.Activities.CountAsync(a => a.Title == "Kapad")).ShouldBe(0);
        }
    }
}
