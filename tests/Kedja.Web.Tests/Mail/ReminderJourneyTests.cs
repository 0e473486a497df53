using System.Net;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Mail;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Mail;

/// <summary>
/// The clock moved through the days before a deadline, with a real SMTP server: exactly the expected reminder digests
/// and workflow notices arrive, once each, to the right people, with a direct link and nobody else's data.
/// </summary>
public class ReminderJourneyTests
{
    private const string Period = "2026-T3";
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";
    private const string PublicBase = "https://kedja.exempelkommun.se";
    internal static readonly DateOnly Due = new(2027, 1, 20);

    [NodeTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Through_the_days_before_a_deadline_each_reminder_and_notice_arrives_once_and_none_to_whoever_turned_reminders_off(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: sink.Settings(PublicBase));
        var (school, administration) = await ArrangeDeadlinesAsync(app);
        var (schoolEditor, schoolPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);
        var (editorOff, offPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);
        var (aboveEditor, abovePassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, administration);
        var (controller, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Admin);

        // The person turns reminders off on their page, as a person would.
        await TurnRemindersOffAsync(app, editorOff, offPassword);

        var reminders = app.Services.GetRequiredService<Reminders>();
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-5), 9))).ShouldBe(0, "five days before, nothing is due within three");
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-3), 6))).ShouldBe(0, "before seven in the morning no reminders go out");
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-3), 9))).ShouldBe(3);
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-3), 16))).ShouldBe(0, "one digest a person a day");
        await sink.WaitForAsync(3);

        // The unit submits: its approver above is told. The approver sends it back: the unit's people are told why.
        var schoolClient = await app.ClientAsync(schoolEditor, schoolPassword);
        (await schoolClient.PostAsJsonAsync($"{Base}/units/{school}/periods/{Period}/workflow", new { action = "submit", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var aboveClient = await app.ClientAsync(aboveEditor, abovePassword);
        (await aboveClient.PostAsJsonAsync($"{Base}/units/{school}/periods/{Period}/workflow", new { action = "reopen", version = 1, reason = "Analysen av målet saknas." }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // A step refused for a stale version tells nobody: the notice is in the step's own save.
        (await schoolClient.PostAsJsonAsync($"{Base}/units/{school}/periods/{Period}/workflow", new { action = "submit", version = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await sink.WaitForAsync(6);

        // The next day the unit is open again and still due.
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-2), 8))).ShouldBe(3);
        (await reminders.RunOnceAsync(app.MoveTo(Due.AddDays(-2), 8).AddMinutes(15))).ShouldBe(0);
        await app.WaitForOutboxAsync(rows => rows.Count == 9 && rows.All(r => r.State == OutboxMailState.Sent), "all nine sent");
        await Task.Delay(1500);

        var messages = sink.Messages();
        messages.Count.ShouldBe(9);
        sink.MessagesTo(editorOff).Select(m => m.Subject).ShouldBe([$"Uppföljningen för {await UnitNameAsync(app, school)} har skickats tillbaka"]);
        sink.MessagesTo(controller).Count.ShouldBe(2);
        sink.MessagesTo(controller).ShouldAllBe(m => m.Subject!.StartsWith("Påminnelse: ", StringComparison.Ordinal));

        var schoolName = await UnitNameAsync(app, school);
        var link = $"{PublicBase}/k/{DemoTenant.Slug}/malkort/{school}?period={Period}";
        var toSchool = sink.MessagesTo(schoolEditor);
        toSchool.Select(m => m.Subject).ShouldBe([
            $"Påminnelse: {schoolName} ska lämna in sin uppföljning senast 20 januari",
            $"Uppföljningen för {schoolName} har skickats tillbaka",
            $"Påminnelse: {schoolName} ska lämna in sin uppföljning senast 20 januari",
        ]);
        toSchool[0].TextBody!.ShouldContain(link);
        toSchool[0].TextBody!.ShouldContain("senast 20 januari 2027 (om 3 dagar)");
        toSchool[0].TextBody!.ShouldContain($"{PublicBase}/profil/paminnelser");
        toSchool[1].TextBody!.ShouldContain("Analysen av målet saknas.");
        toSchool[1].TextBody!.ShouldContain("har skickats tillbaka av en redaktör");
        toSchool[1].TextBody!.ShouldContain(link);
        toSchool[2].TextBody!.ShouldContain("(om 2 dagar)");

        var toAbove = sink.MessagesTo(aboveEditor);
        toAbove.Count.ShouldBe(3);
        toAbove.Count(m => m.Subject == $"{schoolName} har skickat in uppföljningen för T3 2026" || m.Subject!.StartsWith($"{schoolName} har skickat in uppföljningen", StringComparison.Ordinal))
            .ShouldBe(1);
        toAbove.Where(m => m.Subject!.StartsWith("Påminnelse", StringComparison.Ordinal)).ShouldAllBe(m => m.TextBody!.Contains(link));

        // No mail names anyone else: no e-mail address in any text (the actor is named by role, having no name here).
        messages.ShouldAllBe(m => !m.TextBody!.Contains('@'));
        messages.ShouldAllBe(m => m.From.Mailboxes.Single().Address == "kedja@exempelkommun.se");

        // Each carries the Message-ID of its key: the same mail would carry the same one on any node.
        var rows = await app.OutboxAsync();
        messages.Select(m => m.MessageId).ShouldBe(rows.Select(r => Outbox.MessageId(r.Key, "Kedja <kedja@exempelkommun.se>")), ignoreOrder: true);
        rows.Where(r => r.Kind == MailKinds.Digest).Select(r => r.Key).ShouldAllBe(k => k.EndsWith(":2027-01-17", StringComparison.Ordinal) || k.EndsWith(":2027-01-18", StringComparison.Ordinal));
        rows.ShouldAllBe(r => r.Body == "", "a sent mail's text is not kept");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_with_no_editor_above_it_tells_the_administrators_when_it_submits_and_never_a_reader(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (school, administration) = await ArrangeDeadlinesAsync(app);
        var (editor, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);
        var (controller, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Admin);
        var (reader, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var (readerAbove, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader, administration);

        var client = await app.ClientAsync(editor, password);
        (await client.PostAsJsonAsync($"{Base}/units/{school}/periods/{Period}/workflow", new { action = "submit", version = 0 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = (await app.WaitForMailsAsync(controller)).Single();
        notice.Subject.ShouldStartWith($"{await UnitNameAsync(app, school)} har skickat in uppföljningen");
        notice.TextBody!.ShouldContain("Inskickad av: en redaktör");
        await app.WaitForOutboxAsync(rows => rows.All(r => r.State == OutboxMailState.Sent), "sent");
        app.MailsTo(reader).ShouldBeEmpty();
        app.MailsTo(readerAbove).ShouldBeEmpty();
        app.MailsTo(editor).ShouldBeEmpty("whoever submitted is not told of it");
        (await app.OutboxAsync()).Count.ShouldBe(1);
    }

    /// <summary>The enheter of T3 2026 are due on <see cref="Due"/>, every other level 40 days later. A due school and its administration.</summary>
    internal static async Task<(Guid School, Guid Administration)> ArrangeDeadlinesAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var period = await db.Periods.SingleAsync(p => p.Key == Period);
            foreach (var kind in Enum.GetValues<UnitKind>())
            {
                db.PeriodDeadlines.Add(new PeriodDeadline { PeriodId = period.Id, UnitKind = kind, DueOn = kind == UnitKind.Unit ? Due : Due.AddDays(40) });
            }

            await db.SaveChangesAsync();
            var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id);
            var due = await scope.ServiceProvider.GetRequiredService<Deadlines>().NotSubmittedDueBetweenAsync(Due.AddDays(-3), Due);
            var school = due.First(d => units[d.UnitId].ParentId is { } parent && units[parent].Kind == UnitKind.Administration).UnitId;
            return (school, units[school].ParentId!.Value);
        }
    }

    private static async Task<string> UnitNameAsync(KedjaApp app, Guid unitId)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Id == unitId).Select(u => u.Name).SingleAsync();
        }
    }

    internal static async Task TurnRemindersOffAsync(KedjaApp app, string email, string password)
    {
        using var scope = app.Services.CreateScope();
        var userId = await app.UserIdAsync(email);
        await scope.ServiceProvider.GetRequiredService<ReminderSettings>().SetAsync(userId, off: true);
        (await scope.ServiceProvider.GetRequiredService<ReminderSettings>().AreOffAsync(userId)).ShouldBeTrue();
    }
}
