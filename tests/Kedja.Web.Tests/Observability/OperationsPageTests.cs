using System.Net;
using Kedja.Data;
using Kedja.Domain.Kolada;
using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Auth.TwoFactor;
using Kedja.Web.Demo;
using Kedja.Web.Observability;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Observability;

/// <summary>
/// The system administrators' operations page (issue 18, ADR 51): refused to a tenant's administrator and to an
/// anonymous visitor; shows the failures of jobs and mails, Kolada per tenant and the slowest requests of every node,
/// read from the database (a request served by another node is there once that node wrote its samples).
/// </summary>
public sealed class OperationsPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_a_system_administrator_sees_the_installations_jobs_failures_kolada_and_every_nodes_slowest_requests(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);

        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        var refused = await anonymous.GetAsync("/drift");
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.ToString().ShouldContain("/logga-in");
        var tenantAdmin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var forbidden = await tenantAdmin.GetAsync("/drift");
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forbidden.Content.ReadAsStringAsync()).ShouldContain(Kedja.Web.Observability.Pages.OperationsModel.SystemAdminsOnly);

        var system = await app.ClientAsync();
        var unit = await ReportJobTests.UnitAsync(app);
        var now = DateTime.UtcNow;
        string tenantName;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Slug == DemoTenant.Slug);
            tenantName = tenant.Name;
            var adminId = await db.Users.Where(u => u.Email == KedjaApp.AdminEmail).Select(u => u.Id).SingleAsync();
            db.ReportJobs.Add(new ReportJob
            {
                RequestedById = adminId, RequestedByName = "Prov", RequestedAt = now, UnitId = unit, PeriodKey = "2026-T2", TemplateKey = "malkortsrapport",
                Scope = "unit", Format = "html", State = ReportJobState.Failed, Failure = "Rapporten kunde inte skapas: provfel 4711", FinishedAt = now,
            });
            db.Outbox.Add(new OutboxMail
            {
                Key = "prov:4712", TenantId = tenant.Id, ToAddress = "mottagare.4712@test.kedja", Kind = "digest", Subject = "Påminnelse", Body = "",
                State = OutboxMailState.Failed, Attempts = 5, CreatedAt = now, NextTryAt = now, LastError = "E-postservern svarade 550: provfel 4712",
            });
            db.KoladaSchedules.Add(new KoladaSchedule { TenantId = tenant.Id, NextRunAt = now.AddHours(20), LastRunAt = now.AddHours(-4) });
            await db.SaveChangesAsync();
        }

        // A request served by another node, which writes its slowest of the window to the database.
        await using (var other = app.OtherNode())
        {
            var client = other.CreateClient();
            client.DefaultRequestHeaders.Authorization = system.DefaultRequestHeaders.Authorization;
            (await client.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/units/{unit}/scorecard?secret=4713")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await other.Services.GetRequiredService<SlowRequestWriter>().WriteAsync();
        }

        var page = await system.GetAsync("/drift");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>Drift</h1>");
        html.ShouldContain("provfel 4711");
        html.ShouldContain("provfel 4712");
        html.ShouldNotContain("mottagare.4712", Case.Insensitive, "no address on this page");
        html.ShouldContain(tenantName);
        html.ShouldContain("GET /api/v1/tenants/{slug}/units/{unitId:guid}/scorecard");
        html.ShouldNotContain("secret=", Case.Sensitive, "the route template, never the query string");
        html.ShouldNotContain(unit.ToString(), Case.Insensitive, "the template, not the address asked for");
    }

    /// <summary>
    /// ADR 55, twenty-first session: a security event's code words (a key step's purpose, a sign-in's way) show their
    /// labels, and the page's numbers come grouped as the rest of the interface prints them ("5 000"), in either language.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Security_event_code_words_show_their_labels_and_every_number_is_grouped(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: ReportJobTests.NoWorker);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var now = app.Clock.GetUtcNow();
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, "a", "SecurityKeyRefused", "prov@test.kedja", now, details: new { purpose = SecurityKeys.Register }));
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, "a", "SecurityKeyRefused", "prov@test.kedja", now, details: new { purpose = SecurityKeys.SignIn }));
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, "a", "SignedIn", "prov@test.kedja", now, details: new { how = "security-key" }));
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, "a", "OtherSessionsEnded", "prov@test.kedja", now, details: new { sessions = 5000, purpose = "okänt-ord" }));
            db.Outbox.Add(new OutboxMail
            {
                Key = "prov:grupp", ToAddress = "mottagare@test.kedja", Kind = "digest", Subject = "Påminnelse", Body = "",
                State = OutboxMailState.Failed, Attempts = 12345, CreatedAt = now.UtcDateTime, NextTryAt = now.UtcDateTime, LastError = "provfel",
            });
            await db.SaveChangesAsync();
        }

        var system = await app.ClientAsync();
        var swedish = System.Net.WebUtility.HtmlDecode(await system.GetStringAsync("/drift"));
        var events = swedish[swedish.IndexOf("id=\"sakerhet\"", StringComparison.Ordinal)..];
        // sv-SE groups with a no-break space.
        events.ShouldContain("<dt>Steg:</dt> <dd>Lägga till nyckel</dd>");
        events.ShouldContain("<dt>Steg:</dt> <dd>Inloggning</dd>");
        events.ShouldContain("<dt>Sätt:</dt> <dd>Säkerhetsnyckel</dd>");
        events.ShouldContain("<dt>Inloggningar:</dt> <dd>5\u00a0000</dd>");
        events.ShouldContain("<dd>okänt-ord</dd>", Case.Sensitive, "a code word without a label shows as it is");
        events.ShouldNotContain(">register<");
        events.ShouldNotContain(">sign-in<");
        swedish.ShouldContain("<td>12\u00a0345</td>", Case.Sensitive, "a mail's tries");
        swedish.ShouldNotContain("<td>12345</td>");

        var english = new HttpRequestMessage(HttpMethod.Get, "/drift");
        english.Headers.Add("Cookie", $"{Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName}={Uri.EscapeDataString(Kedja.Web.Ui.Language.CookieValue("en")!)}");
        var inEnglish = System.Net.WebUtility.HtmlDecode(await (await system.SendAsync(english)).Content.ReadAsStringAsync());
        inEnglish.ShouldContain("<dd>Adding a key</dd>");
        inEnglish.ShouldContain("<dd>Security key</dd>");
        inEnglish.ShouldContain("<dd>5\u00a0000</dd>", Case.Sensitive, "formats stay Swedish whatever the language (Language.Formats)");
    }
}
