using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Templates;
using Kedja.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Mail;

/// <summary>
/// The outbox's promise (ADR 45): every mail at most once, also across a restart mid-send and with two nodes; a
/// refused mail tried again with backoff and then shown as failed; administrators see their own municipality's mails.
/// </summary>
public partial class OutboxTests
{
    private const string Slug = "annan";

    private static async Task CreateTenantAsync(KedjaApp app, string slug = Slug, string name = "Annan kommun") =>
        (await (await app.ClientAsync()).PostAsJsonAsync("/api/v1/tenants", new { slug, name, template = ModelTemplates.Heby })).EnsureSuccessStatusCode();

    private static async Task<string> InviteAsync(KedjaApp app, string slug = Slug)
    {
        var email = $"ny-{Guid.NewGuid():N}@test.kedja";
        (await (await app.ClientAsync()).PostAsJsonAsync($"/api/v1/tenants/{slug}/members", new { email, role = "reader" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return email;
    }

    [NodeTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_node_stopped_while_handing_a_mail_over_leaves_it_uncertain_and_it_is_never_sent_again_without_an_administrator(string provider)
    {
        await using var sink = await SmtpSink.StartAsync("hang");
        var settings = sink.Settings();
        settings["Kedja:Mail:LeaseSeconds"] = "60";
        await using var first = await KedjaApp.StartAsync(provider, settings: settings);
        await CreateTenantAsync(first);
        var email = await InviteAsync(first);
        await first.WaitForOutboxAsync(rows => rows.Any(r => r.State == OutboxMailState.Sending), "the invitation being handed over");

        // The node stops mid-send (the server never answered the end of DATA) and starts again; the server now accepts.
        await using var second = await first.RestartAsync();
        sink.Mode = "accept";
        await Task.Delay(2500);
        (await second.OutboxAsync()).Single().State.ShouldBe(OutboxMailState.Sending, "within its lease the mail is the stopped node's");

        second.Clock.Advance(TimeSpan.FromSeconds(61));
        var uncertain = (await second.WaitForOutboxAsync(rows => rows.Single().State == OutboxMailState.Uncertain, "marked uncertain")).Single();
        uncertain.LastError.ShouldBe(MailWorker.UncertainError);
        uncertain.ToAddress.ShouldBe(email);
        await Task.Delay(2500);
        sink.Messages().ShouldBeEmpty("a mail that may have arrived is not sent again");
        (await second.OutboxAsync()).Single().State.ShouldBe(OutboxMailState.Uncertain);

        // The municipality's administrator sees it, and sends it again only by confirming.
        var (adminEmail, adminPassword) = await second.MemberAsync(Slug, TenantRole.Admin);
        var admin = await second.ClientAsync(adminEmail, adminPassword);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/k/{Slug}/utskick?tillstand=Uncertain"));
        page.ShouldContain("Osäkert (1)");
        page.ShouldContain(email);
        page.ShouldContain(MailWorker.UncertainError);
        page.ShouldContain("Skicka igen fast det kan ha kommit fram");

        var refused = await PostRetryAsync(second, admin, $"/k/{Slug}/utskick", uncertain.Id, confirm: false);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).ShouldContain(OutboxAdministration.ConfirmUncertain);
        await Task.Delay(1500);
        sink.Messages().ShouldBeEmpty();

        (await PostRetryAsync(second, admin, $"/k/{Slug}/utskick", uncertain.Id, confirm: true)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await second.WaitForOutboxAsync(rows => rows.Single().State == OutboxMailState.Sent, "sent after the confirmed retry");
        var sent = (await sink.WaitForAsync(1)).Single();
        sent.To.Mailboxes.Single().Address.ShouldBe(email);
        sent.Subject.ShouldBe("Inbjudan till Kedja – Annan kommun");
        sent.MessageId.ShouldBe(Outbox.MessageId(uncertain.Key, "Kedja <kedja@exempelkommun.se>"));

        using var scope = second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Entity == "OutboxMail" && a.EntityId == uncertain.Id.ToString() && a.Action == "RetriedUncertain" && a.UserName == adminEmail))
            .ShouldBe(1);
    }

    [NodeTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refused_mail_is_tried_after_1_5_30_minutes_and_2_hours_then_failed_shown_and_sent_once_when_an_administrator_retries(string provider)
    {
        await using var sink = await SmtpSink.StartAsync("refuse-451");
        await using var app = await KedjaApp.StartAsync(provider, settings: sink.Settings());
        app.Clock.Freeze();
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var first = (await app.WaitForOutboxAsync(rows => rows.SingleOrDefault() is { Attempts: 1, State: OutboxMailState.Pending, LeaseOwner: null }, "first try refused")).Single();
        first.Kind.ShouldBe(MailKinds.Reset);
        first.LastError!.ShouldContain("451");
        first.Body.ShouldNotBeEmpty();
        first.Body.ShouldNotContain("kod=", Case.Sensitive, "the one-time link is stored protected, not in plain text");
        first.NextTryAt.ShouldBe(app.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));

        // Not before its time.
        app.Clock.Advance(TimeSpan.FromSeconds(50));
        await Task.Delay(2500);
        (await app.OutboxAsync()).Single().Attempts.ShouldBe(1);
        app.Clock.Advance(TimeSpan.FromSeconds(10));

        var waits = new[] { TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2) };
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            var rows = await app.WaitForOutboxAsync(r => r.Single().Attempts == attempt && r.Single().LeaseOwner == null, $"try {attempt}");
            if (attempt < 5)
            {
                rows.Single().State.ShouldBe(OutboxMailState.Pending);
                rows.Single().NextTryAt.ShouldBe(app.Clock.GetUtcNow().UtcDateTime + waits[attempt - 2], TimeSpan.FromSeconds(1));
                app.Clock.Advance(waits[attempt - 2]);
            }
            else
            {
                rows.Single().State.ShouldBe(OutboxMailState.Failed);
            }
        }

        sink.Messages().ShouldBeEmpty();

        // An account mail belongs to no municipality: a system administrator sees it among all the installation's mails.
        var system = await app.ClientAsync();
        await CreateTenantAsync(app);
        var page = WebUtility.HtmlDecode(await system.GetStringAsync($"/k/{Slug}/utskick?alla=1&tillstand=Failed"));
        page.ShouldContain("Nytt lösenord till Kedja");
        page.ShouldContain("451");
        page.ShouldContain("Kontobrev");
        var (adminEmail, adminPassword) = await app.MemberAsync(Slug, TenantRole.Admin);
        var tenantAdmin = await app.ClientAsync(adminEmail, adminPassword);
        WebUtility.HtmlDecode(await tenantAdmin.GetStringAsync($"/k/{Slug}/utskick?alla=1")).ShouldNotContain("Nytt lösenord till Kedja");
        (await PostRetryAsync(app, tenantAdmin, $"/k/{Slug}/utskick?alla=1", first.Id, confirm: false)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        sink.Mode = "accept";
        (await PostRetryAsync(app, system, $"/k/{Slug}/utskick?alla=1", first.Id, confirm: false)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await app.WaitForOutboxAsync(rows => rows.Single().State == OutboxMailState.Sent, "sent after the retry");
        var mail = (await sink.WaitForAsync(1)).Single();
        mail.Subject.ShouldBe("Nytt lösenord till Kedja");
        KedjaApp.LinkSecret(mail).Length.ShouldBeGreaterThan(40);
        await Task.Delay(1500);
        sink.Messages().Count.ShouldBe(1);
    }

    [NodeTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_permanent_refusal_fails_at_once(string provider)
    {
        await using var sink = await SmtpSink.StartAsync("refuse-550");
        await using var app = await KedjaApp.StartAsync(provider, settings: sink.Settings());
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var failed = (await app.WaitForOutboxAsync(rows => rows.SingleOrDefault()?.State == OutboxMailState.Failed, "failed")).Single();
        failed.Attempts.ShouldBe(1);
        failed.LastError!.ShouldContain("550");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_sees_and_retries_only_their_own_municipalitys_mails_and_editors_see_none(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        await CreateTenantAsync(app);
        await CreateTenantAsync(app, "tredje", "Tredje kommun");
        var ours = await InviteAsync(app, "tredje");
        var theirs = await InviteAsync(app, Slug);
        await app.WaitForMailsAsync(theirs);
        var theirRow = (await app.OutboxAsync()).Single(r => r.ToAddress == theirs);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Outbox.Where(m => m.Id == theirRow.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxMailState.Failed).SetProperty(m => m.LastError, "prov"));
        }

        var (adminEmail, adminPassword) = await app.MemberAsync("tredje", TenantRole.Admin);
        var admin = await app.ClientAsync(adminEmail, adminPassword);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/k/tredje/utskick?alla=1"));
        page.ShouldContain(ours);
        page.ShouldNotContain(theirs);
        page.ShouldNotContain("Annan kommun");
        page.ShouldContain("Ingen e-postserver är inställd");
        page.ShouldNotContain(app.MailDirectory, Case.Sensitive, "the server's folder is for system administrators");
        (await PostRetryAsync(app, admin, "/k/tredje/utskick", theirRow.Id, confirm: true)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.OutboxAsync()).Single(r => r.Id == theirRow.Id).State.ShouldBe(OutboxMailState.Failed);

        // Where an administrator invites people, the page says mail is not sent.
        WebUtility.HtmlDecode(await admin.GetStringAsync("/k/tredje/behorigheter")).ShouldContain("Ingen e-postserver är inställd: inbjudan skrivs som en fil");

        var editor = await app.MemberClientAsync("tredje", TenantRole.Editor);
        var asEditor = await editor.GetAsync("/k/tredje/utskick");
        asEditor.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asEditor.Content.ReadAsStringAsync()).ShouldNotContain(ours);

        // The system administrator sees the folder, and all mails when asking for them.
        var system = WebUtility.HtmlDecode(await (await app.ClientAsync()).GetStringAsync("/k/tredje/utskick?alla=1"));
        system.ShouldContain(theirs);
        system.ShouldContain(app.MailDirectory);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_person_turns_their_reminders_off_and_on_on_their_own_page_only(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await anonymous.GetAsync("/profil/paminnelser")).StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Unauthorized);

        await CreateTenantAsync(app);
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor);
        var person = await app.ClientAsync(email, password);
        var userId = await app.UserIdAsync(email);
        WebUtility.HtmlDecode(await person.GetStringAsync("/profil")).ShouldContain("href=\"/profil/paminnelser\"");

        // Without the form's token nothing changes.
        (await person.PostAsync("/profil/paminnelser", new FormUrlEncodedContent(new Dictionary<string, string> { ["paminnelser"] = "av" }))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await RemindersOffAsync(app, userId)).ShouldBeFalse();

        (await PostFormAsync(app, person, "/profil/paminnelser", "/profil/paminnelser", new() { ["paminnelser"] = "av" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RemindersOffAsync(app, userId)).ShouldBeTrue();
        WebUtility.HtmlDecode(await person.GetStringAsync("/profil/paminnelser?klart=av")).ShouldContain("Du får inga fler påminnelser.");
        (await PostFormAsync(app, person, "/profil/paminnelser", "/profil/paminnelser", new() { ["paminnelser"] = "pa" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RemindersOffAsync(app, userId)).ShouldBeFalse();
        (await PostFormAsync(app, person, "/profil/paminnelser", "/profil/paminnelser", new() { ["paminnelser"] = "kanske" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        (await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == userId && (a.Action == "RemindersOff" || a.Action == "RemindersOn")).Select(a => a.Action).ToListAsync())
            .ShouldBe(["RemindersOff", "RemindersOn"]);
    }

    private static async Task<bool> RemindersOffAsync(KedjaApp app, string userId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Users.Where(u => u.Id == userId).Select(u => u.RemindersOff).SingleAsync();
    }

    private static Task<HttpResponseMessage> PostRetryAsync(KedjaApp app, HttpClient client, string page, Guid id, bool confirm)
    {
        var fields = new Dictionary<string, string> { ["id"] = id.ToString() };
        if (confirm)
        {
            fields["bekrafta"] = "true";
        }

        var path = page.Split('?');
        return PostFormAsync(app, client, page, $"{path[0]}?handler=Retry{(path.Length > 1 ? "&" + path[1] : "")}", fields);
    }

    /// <summary>Posts a form as the browser would, with the antiforgery token of the page it is on; redirects are not followed.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(KedjaApp app, HttpClient signedIn, string page, string action, Dictionary<string, string> fields)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        var html = await client.GetStringAsync(page);
        var token = TokenRegex().Match(html).Groups[1].Value;
        token.ShouldNotBeEmpty();
        fields["__RequestVerificationToken"] = token;
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
