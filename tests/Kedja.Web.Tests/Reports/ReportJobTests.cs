using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Reports;

/// <summary>
/// Reports ordered through the API are made by the workers as jobs in the database (ADR 35): once, by one worker,
/// taken over when a node dies, at most two at a time per tenant, seen only by who ordered them (and administrators),
/// and frozen by administrators into files that never change.
/// </summary>
public sealed class ReportJobTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    /// <summary>Workers that run only when a test says so.</summary>
    internal static readonly Dictionary<string, string?> NoWorker = new() { ["Kedja:Reports:RunWorker"] = "false" };

    internal static async Task<Guid> UnitAsync(KedjaApp app, UnitKind kind = UnitKind.Council)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Kind == kind).OrderBy(u => u.SortOrder).Select(u => u.Id).FirstAsync();
        }
    }

    internal static async Task<JsonElement> OrderAsync(HttpClient client, object order, string slug = DemoTenant.Slug)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/tenants/{slug}/reports", order);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/tenants/{slug}/reports/{job.GetProperty("id").GetGuid()}");
        return job;
    }

    internal static async Task<JsonElement> WaitAsync(HttpClient client, Guid id, string slug = DemoTenant.Slug)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}/reports/{id}");
            if (job.GetProperty("state").GetString() is "done" or "failed")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("Rapporten blev inte klar.");
    }

    private static ReportWorker Worker(KedjaApp app) => ActivatorUtilities.CreateInstance<ReportWorker>(app.Services);

    private static async Task<ReportJob> JobAsync(KedjaApp app, Guid id)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.ReportJobs.AsNoTracking().SingleAsync(j => j.Id == id);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_ordered_through_the_API_is_made_in_the_background_and_downloads_as_a_strict_html_page(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var council = await UnitAsync(app);

        var templates = await reader.GetFromJsonAsync<JsonElement>($"{Base}/report-templates");
        templates.EnumerateArray().Select(t => t.GetProperty("key").GetString()).ShouldBe(["tertialrapport", "delarsrapport", "arsredovisning", "malkortsrapport", "internkontrollplan", "uppfoljning-intern-kontroll", "uppdragsredovisning"]);

        var ordered = await OrderAsync(reader, new { unitId = council, periodKey = "2026-T2", templateKey = "tertialrapport", scope = "children", format = "html" });
        ordered.GetProperty("state").GetString().ShouldBeOneOf("queued", "running", "done");
        var id = ordered.GetProperty("id").GetGuid();
        var done = await WaitAsync(reader, id);
        done.GetProperty("state").GetString().ShouldBe("done", done.ToString());
        done.GetProperty("progress").GetInt32().ShouldBe(100);
        done.GetProperty("periodKey").GetString().ShouldBe("2026-T2");

        var file = await reader.GetAsync($"{Base}/reports/{id}/file");
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        file.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("inline");
        file.Headers.GetValues("Content-Security-Policy").Single().ShouldBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        file.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        var bytes = await file.Content.ReadAsByteArrayAsync();
        ReportProduction.Hash(bytes).ShouldBe(done.GetProperty("sha256").GetString());
        var html = Encoding.UTF8.GetString(bytes);
        html.ShouldContain("Tertialrapport");
        html.ShouldContain("Kommunfullmäktige");
        html.ShouldNotContain("<script", Case.Insensitive);

        // The order is in the tenant's trail.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.AuditEntries.CountAsync(a => a.Entity == nameof(ReportJob) && a.EntityId == id.ToString() && a.Action == "Added")).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_order_with_every_field_wrong_is_refused_with_every_error_in_Swedish(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);

        var response = await reader.PostAsJsonAsync($"{Base}/reports", new { unitId = Guid.NewGuid(), periodKey = "1999-T9", templateKey = "okand", scope = "grannar", format = "odt" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["unitId", "periodKey", "templateKey", "scope", "format"], ignoreOrder: true);
        errors.GetProperty("unitId")[0].GetString().ShouldBe("Enheten finns inte.");
        errors.GetProperty("templateKey")[0].GetString().ShouldBe("Rapportmallen finns inte.");
        errors.GetProperty("format")[0].GetString().ShouldBe(ReportOrdering.FormatInvalid);
        (await reader.GetFromJsonAsync<JsonElement>($"{Base}/reports")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_whose_requester_has_left_the_tenant_fails_with_a_Swedish_reason_and_no_file(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor);
        var editor = await app.ClientAsync(email, password);
        var admin = await app.ClientAsync();
        var id = (await OrderAsync(editor, new { unitId = await UnitAsync(app), templateKey = "malkortsrapport", format = "html" })).GetProperty("id").GetGuid();
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            await db.Memberships.Where(m => m.UserId == userId).ExecuteDeleteAsync();
        }

        (await Worker(app).RunOnceAsync()).ShouldBeTrue();

        var job = await admin.GetFromJsonAsync<JsonElement>($"{Base}/reports/{id}");
        job.GetProperty("state").GetString().ShouldBe("failed");
        job.GetProperty("failure").GetString().ShouldBe("Rapporten kunde inte skapas: den som beställde rapporten är inte längre medlem i kommunen.");
        var file = await admin.GetAsync($"{Base}/reports/{id}/file");
        file.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await file.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe(ReportWorker.RequesterGone);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_for_a_unit_removed_after_ordering_fails_saying_the_unit_is_missing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var council = await UnitAsync(app);
        var created = await admin.PostAsJsonAsync($"{Base}/units", new { id = Guid.NewGuid(), name = "Tillfälliga beredningen", kind = "committee", parentId = council, sortOrder = 99, isActive = true, serves = Array.Empty<Guid>() });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var unit = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = (await OrderAsync(admin, new { unitId = unit.GetProperty("id").GetGuid(), templateKey = "tertialrapport", format = "docx" })).GetProperty("id").GetGuid();
        var removed = await admin.DeleteAsync($"{Base}/units/{unit.GetProperty("id").GetGuid()}?version={unit.GetProperty("version").GetInt32()}");
        removed.IsSuccessStatusCode.ShouldBeTrue(await removed.Content.ReadAsStringAsync());

        (await Worker(app).RunOnceAsync()).ShouldBeTrue();

        var job = await admin.GetFromJsonAsync<JsonElement>($"{Base}/reports/{id}");
        job.GetProperty("state").GetString().ShouldBe("failed");
        job.GetProperty("failure").GetString().ShouldBe("Rapporten kunde inte skapas: Enheten finns inte.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_workers_reaching_for_the_same_job_make_it_exactly_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var id = (await OrderAsync(admin, new { unitId = await UnitAsync(app), templateKey = "malkortsrapport", scope = "all", format = "html" })).GetProperty("id").GetGuid();

        var ran = await Task.WhenAll(Worker(app).RunOnceAsync(), Worker(app).RunOnceAsync(), Worker(app).RunOnceAsync());

        ran.Count(r => r).ShouldBe(1);
        var job = await JobAsync(app, id);
        job.State.ShouldBe(ReportJobState.Done);
        job.Attempts.ShouldBe(1);
        job.Slot.ShouldBeNull();
        (await Worker(app).RunOnceAsync()).ShouldBeFalse("nothing is left to make");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_whose_lease_ran_out_is_taken_over_by_another_worker_and_one_still_held_is_not(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var id = (await OrderAsync(admin, new { unitId = await UnitAsync(app), templateKey = "malkortsrapport", format = "html" })).GetProperty("id").GetGuid();
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            // As a node that claimed it and then died.
            var until = app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30);
            await db.ReportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Running).SetProperty(j => j.LeaseOwner, "död-nod")
                .SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Slot, 1).SetProperty(j => j.Attempts, 1).SetProperty(j => j.Progress, 40));
        }

        (await Worker(app).RunOnceAsync()).ShouldBeFalse("the lease still holds");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Worker(app).RunOnceAsync()).ShouldBeTrue();

        var job = await JobAsync(app, id);
        job.State.ShouldBe(ReportJobState.Done);
        job.Attempts.ShouldBe(2);
        job.LeaseOwner.ShouldBeNull();
        job.Content.ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_tenant_has_at_most_two_reports_running_and_the_third_waits_queued(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var unit = await UnitAsync(app);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await OrderAsync(admin, new { unitId = unit, templateKey = "malkortsrapport", format = "html" })).GetProperty("id").GetGuid());
        }

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            // Two held by other nodes, alive.
            var until = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(5);
            for (var i = 0; i < 2; i++)
            {
                var (job, slot) = (ids[i], i + 1);
                await db.ReportJobs.Where(j => j.Id == job).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Running).SetProperty(j => j.LeaseOwner, "annan-nod")
                    .SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Slot, slot).SetProperty(j => j.Attempts, 1));
            }
        }

        (await Worker(app).RunOnceAsync()).ShouldBeFalse();
        (await JobAsync(app, ids[2])).State.ShouldBe(ReportJobState.Queued);

        using (var again = app.Services.CreateScope())
        {
            var db2 = again.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db2.ReportJobs.IgnoreQueryFilters().Where(j => j.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Done).SetProperty(j => j.Slot, (int?)null));
        }

        (await Worker(app).RunOnceAsync()).ShouldBeTrue();
        (await JobAsync(app, ids[2])).State.ShouldBe(ReportJobState.Done);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nobody_sees_or_downloads_another_members_or_another_tenants_report(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "beta", name = "Beta", kommunkod = "1234", template = Kedja.Web.Templates.ModelTemplates.Heby })).IsSuccessStatusCode.ShouldBeTrue();
        var owner = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var colleague = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        var stranger = await app.MemberClientAsync("beta", TenantRole.Admin);
        var id = (await OrderAsync(owner, new { unitId = await UnitAsync(app), templateKey = "malkortsrapport", format = "html" })).GetProperty("id").GetGuid();
        (await Worker(app).RunOnceAsync()).ShouldBeTrue();

        (await owner.GetAsync($"{Base}/reports/{id}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync($"{Base}/reports/{id}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/reports")).EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ShouldContain(id);
        foreach (var url in new[] { $"{Base}/reports/{id}", $"{Base}/reports/{id}/file" })
        {
            (await colleague.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await stranger.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await stranger.GetAsync(url.Replace(DemoTenant.Slug, "beta", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
        }

        (await colleague.GetFromJsonAsync<JsonElement>($"{Base}/reports")).GetArrayLength().ShouldBe(0);
        (await stranger.PostAsync($"/api/v1/tenants/beta/reports/{id}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_frozen_report_downloads_byte_for_byte_after_the_data_changed_while_a_new_one_differs(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        var indicator = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/indicators")).EnumerateArray()
            .First(i => i.TryGetProperty("goalId", out var g) && g.ValueKind == JsonValueKind.String
                && string.Equals(i.GetProperty("periodicity").GetString(), "tertial", StringComparison.OrdinalIgnoreCase)
                && (!i.TryGetProperty("plausibleMax", out var max) || max.ValueKind == JsonValueKind.Null));
        var unit = indicator.GetProperty("ownerUnitId").GetGuid();
        var order = new { unitId = unit, periodKey = "2026-T3", templateKey = "tertialrapport", format = "html" };
        var id = (await OrderAsync(editor, order)).GetProperty("id").GetGuid();
        var done = await WaitAsync(editor, id);
        var original = await (await editor.GetAsync($"{Base}/reports/{id}/file")).Content.ReadAsByteArrayAsync();

        (await editor.PostAsync($"{Base}/reports/{id}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var frozeResponse = await admin.PostAsync($"{Base}/reports/{id}/freeze", null);
        frozeResponse.StatusCode.ShouldBe(HttpStatusCode.Created, await frozeResponse.Content.ReadAsStringAsync());
        var frozen = await frozeResponse.Content.ReadFromJsonAsync<JsonElement>();
        frozen.GetProperty("sha256").GetString().ShouldBe(done.GetProperty("sha256").GetString());
        (await admin.PostAsync($"{Base}/reports/{id}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "a job is frozen once");

        var outcome = await admin.PutAsJsonAsync($"{Base}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes/2026-T3", new { value = 98765.4m });
        outcome.StatusCode.ShouldBe(HttpStatusCode.OK, await outcome.Content.ReadAsStringAsync());
        var newer = await WaitAsync(editor, (await OrderAsync(editor, order)).GetProperty("id").GetGuid());
        var newerHtml = await editor.GetStringAsync($"{Base}/reports/{newer.GetProperty("id").GetGuid()}/file");

        var listed = (await editor.GetFromJsonAsync<JsonElement>($"{Base}/frozen-reports?period=2026-T3")).EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("id").GetGuid().ShouldBe(frozen.GetProperty("id").GetGuid());
        var again = await editor.GetAsync($"{Base}/frozen-reports/{listed.GetProperty("id").GetGuid()}/file");
        var bytes = await again.Content.ReadAsByteArrayAsync();
        bytes.ShouldBe(original);
        ReportProduction.Hash(bytes).ShouldBe(listed.GetProperty("sha256").GetString());
        // The new outcome in sv-SE digit groups (a non-breaking space, written as a character reference).
        Encoding.UTF8.GetString(bytes).ShouldNotContain("98&#xA0;765,4");
        newerHtml.ShouldContain("98&#xA0;765,4");
        newer.GetProperty("sha256").GetString().ShouldNotBe(listed.GetProperty("sha256").GetString());
        (await editor.GetFromJsonAsync<JsonElement>($"{Base}/frozen-reports?period=2026-T1")).GetArrayLength().ShouldBe(0);

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var entry = await db.AuditEntries.SingleAsync(a => a.Entity == "ReportSnapshot" && a.Action == "Frozen");
            entry.After!.ShouldContain(listed.GetProperty("sha256").GetString()!);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Finished_files_are_removed_after_seven_days_and_frozen_ones_stay(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: NoWorker);
        var admin = await app.ClientAsync();
        var order = new { unitId = await UnitAsync(app), templateKey = "malkortsrapport", format = "html" };
        var kept = (await OrderAsync(admin, order)).GetProperty("id").GetGuid();
        (await Worker(app).RunOnceAsync()).ShouldBeTrue();
        (await admin.PostAsync($"{Base}/reports/{kept}/freeze", null)).StatusCode.ShouldBe(HttpStatusCode.Created);

        app.Clock.Advance(TimeSpan.FromDays(6));
        (await Worker(app).RemoveExpiredAsync()).ShouldBe(0);
        app.Clock.Advance(TimeSpan.FromDays(2));
        (await Worker(app).RemoveExpiredAsync()).ShouldBe(1);

        (await admin.GetAsync($"{Base}/reports/{kept}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var frozen = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/frozen-reports")).EnumerateArray().ShouldHaveSingleItem();
        (await admin.GetAsync($"{Base}/frozen-reports/{frozen.GetProperty("id").GetGuid()}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
