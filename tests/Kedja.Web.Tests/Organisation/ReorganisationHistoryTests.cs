using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Organisation;
using Kedja.Web.Reports;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Organisation;

/// <summary>
/// Review 16 findings 3, 14 and 15: history holds in the portal, open data and reports, and a reorganisation is applied
/// by the system's worker once, never by a reader's GET.
/// </summary>
public class ReorganisationHistoryTests
{
    private const string Tenant = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<List<JsonElement>> UnitsAsync(HttpClient admin) => (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units")).EnumerateArray().ToList();

    private static Guid Named(List<JsonElement> units, string name) => units.Single(u => u.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    /// <summary>Plans and confirms a reorganisation of one step; its state after confirming.</summary>
    private static async Task<(Guid Id, string State)> ConfirmAsync(HttpClient admin, string name, string date, object step)
    {
        var planned = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new { name, effectiveDate = date, steps = new[] { step } });
        planned.StatusCode.ShouldBe(HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        var view = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetGuid();
        var confirmed = await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{id}/confirm", new { version = view.GetProperty("version").GetInt32() });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        return (id, (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!);
    }

    /// <summary>Finding 3: last year's published card, its public JSON and its open-data rows read the same after a merge.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_merge_leaves_last_years_portal_card_public_json_and_open_data_as_they_were(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var anonymous = app.CreateClient();
        var units = await UnitsAsync(admin);
        var (library, bath) = (Named(units, "Biblioteket"), Named(units, "Badhuset"));
        var urls = new[]
        {
            $"/p/{DemoTenant.Slug}/enhet/{library}?period=2025-T3", $"/p/{DemoTenant.Slug}/enhet/{bath}?period=2025-T3",
            $"/api/v1/public/{DemoTenant.Slug}/periods/2025-T3/scorecard?unitId={library}", $"/api/v1/public/{DemoTenant.Slug}/periods/2025-T3/scorecard?unitId={bath}",
            $"/p/{DemoTenant.Slug}/oppna-data/2025-T3.csv", $"/p/{DemoTenant.Slug}/oppna-data/2025-T3.json",
        };
        var before = new Dictionary<string, string>();
        foreach (var url in urls)
        {
            var response = await anonymous.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            before[url] = await response.Content.ReadAsStringAsync();
        }

        before[urls[2]].ShouldContain("\"groups\"");
        before[urls[4]].ShouldContain(library.ToString("D"), Case.Sensitive, "the library owns indicators with values in 2025");

        var (_, state) = await ConfirmAsync(admin, "Kultur och fritid samlas", "2026-07-01",
            new { kind = "merge", sourceUnitIds = new[] { library, bath }, newName = "Kultur och fritid" });
        state.ShouldBe("applied");

        foreach (var url in urls)
        {
            var text = await anonymous.GetStringAsync(url);
            // The page adds that the unit no longer exists (it was merged); nothing else may differ.
            var note = System.Text.RegularExpressions.Regex.Match(text, "\\s*<p class=\"note\">[^<]*finns inte längre i kommunens organisation[^<]*</p>");
            note.Success.ShouldBe(url.StartsWith("/p/", StringComparison.Ordinal) && url.Contains("/enhet/", StringComparison.Ordinal), url);
            Normalise(text.Remove(note.Index, note.Length)).ShouldBe(Normalise(before[url]), url);
        }
    }

    private static string Normalise(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\"generatedAt\":\"[^\"]*\"|<time[^>]*datetime=\"[^\"]*\"[^>]*>[^<]*</time>", "");

    /// <summary>Finding 15: a unit moved and renamed in 2026 stands under its old parent with its old name in the 2025 report.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_moved_in_2026_is_under_its_old_parent_with_its_old_name_in_the_2025_report(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = await UnitsAsync(admin);
        var library = Named(units, "Biblioteket");
        var oldParent = units.Single(u => u.GetProperty("id").GetGuid() == library).GetProperty("parentId").GetGuid();
        var kind = units.Single(u => u.GetProperty("id").GetGuid() == oldParent).GetProperty("kind").GetString();
        var newParent = units.First(u => u.GetProperty("kind").GetString() == kind && u.GetProperty("id").GetGuid() != oldParent).GetProperty("id").GetGuid();

        (await ConfirmAsync(admin, "Biblioteket flyttar", "2026-07-01", new { kind = "move", sourceUnitIds = new[] { library }, newParentId = newParent })).State.ShouldBe("applied");
        (await ConfirmAsync(admin, "Biblioteket byter namn", "2026-08-01", new { kind = "rename", sourceUnitIds = new[] { library }, newName = "Stadsbiblioteket Ny" }))
            .State.ShouldBe("applied");

        var (before, _) = await ReportBuilderTests.BuildAsync(app, DemoTenant.Slug, _ => Task.FromResult(oldParent), "2025-T3", "arsredovisning", ReportScope.Children);
        var html = ReportBuilderTests.Html(before);
        html.ShouldContain("Biblioteket", Case.Sensitive, "the library was the old committee's in 2025");
        html.ShouldNotContain("Stadsbiblioteket Ny");
        var (elsewhere, _) = await ReportBuilderTests.BuildAsync(app, DemoTenant.Slug, _ => Task.FromResult(newParent), "2025-T3", "arsredovisning", ReportScope.Children);
        ReportBuilderTests.Html(elsewhere).ShouldNotContain("Stadsbiblioteket Ny");

        // From the move on the library is the new committee's, by its new name.
        var (later, _) = await ReportBuilderTests.BuildAsync(app, DemoTenant.Slug, _ => Task.FromResult(newParent), "2026-T3", "arsredovisning", ReportScope.Children);
        ReportBuilderTests.Html(later).ShouldContain("Stadsbiblioteket Ny");
    }

    /// <summary>
    /// Finding 14: a reader's GET writes nothing and sees no planned reorganisation; the worker applies a due one, as the
    /// system, once although two nodes run it at the same time.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_due_reorganisation_is_applied_once_by_the_worker_of_two_nodes_and_never_by_a_readers_get(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var units = await UnitsAsync(admin);
        var library = Named(units, "Biblioteket");
        var bath = Named(units, "Badhuset");
        var (id, state) = await ConfirmAsync(admin, "Nytt namn 2027", "2027-01-01", new { kind = "rename", sourceUnitIds = new[] { library }, newName = "Biblioteket 2027" });
        state.ShouldBe("confirmed");
        var planned = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "Badhuset utreds", effectiveDate = "2027-06-01", steps = new[] { new { kind = "rename", sourceUnitIds = new[] { bath }, newName = "Simhallen" } },
        });
        planned.StatusCode.ShouldBe(HttpStatusCode.Created);

        // Only administrators see what is merely planned; every member sees what is decided.
        var page = $"/k/{DemoTenant.Slug}/organisation";
        var asReader = await reader.GetStringAsync(page);
        asReader.ShouldContain("Biblioteket 2027");
        asReader.ShouldNotContain("Simhallen");
        (await admin.GetStringAsync(page)).ShouldContain("Simhallen");

        // After the date, before any worker ran: a reader's GET writes nothing.
        app.Clock.Advance(TimeSpan.FromDays(45));
        await using var other = app.OtherNode();
        other.Clock.Advance(TimeSpan.FromDays(45));
        long Audits()
        {
            var (scope, db) = app.DbFor(DemoTenant.Slug);
            using (scope)
            {
                return db.AuditEntries.IgnoreQueryFilters().LongCount();
            }
        }

        var audits = Audits();
        (await reader.GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.GetAsync($"{Tenant}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        Audits().ShouldBe(audits, "a GET writes nothing");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations/{id}")).GetProperty("state").GetString().ShouldBe("confirmed");

        // Two nodes' workers at once: one applies it, the other finds it applied, and the system is named in the audit trail.
        var workers = new[] { app.Services.GetRequiredService<ReorganisationWorker>(), other.Services.GetRequiredService<ReorganisationWorker>() };
        var applied = await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunOnceAsync())));
        // Each due reorganisation once: this one and the demo's merger of 2027-01-01, which the clock has also passed.
        applied.Sum().ShouldBe(2);
        (await Task.WhenAll(workers.Select(w => w.RunOnceAsync()))).Sum().ShouldBe(0);
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations/{id}")).GetProperty("state").GetString().ShouldBe("applied");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{library}")).GetProperty("name").GetString().ShouldBe("Biblioteket 2027");
        var (s, d) = app.DbFor(DemoTenant.Slug);
        using (s)
        {
            var written = await d.AuditEntries.IgnoreQueryFilters().Where(a => a.Entity == nameof(Reorganisation) && a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync();
            written.Last().UserName.ShouldBe(ReorganisationWorker.ActorName);
            var unitChanges = await d.AuditEntries.IgnoreQueryFilters().Where(a => a.Entity == nameof(OrgUnit) && a.EntityId == library.ToString()).OrderBy(a => a.Id).ToListAsync();
            unitChanges.Last().UserName.ShouldBe(ReorganisationWorker.ActorName);
            unitChanges.Count(a => a.UserName == ReorganisationWorker.ActorName).ShouldBe(1, "applied once");
        }
    }
}
