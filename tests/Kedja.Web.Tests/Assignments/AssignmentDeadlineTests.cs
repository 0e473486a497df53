using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Mail;
using Kedja.Web.Tests.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.AssignmentFlow;

/// <summary>An assignment's due day in the responsible unit's people's reminder digest (once when overdue) and calendar feed.</summary>
public class AssignmentDeadlineTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";
    private const string PublicBase = "https://kedja.exempel.se";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_responsible_units_people_are_reminded_before_the_due_day_once_when_overdue_and_see_it_in_their_calendar(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?> { ["Kedja:Mail:PublicBaseUrl"] = PublicBase });
        var (unit, committee, other) = await AssignmentApiTests.OrganisationAsync(app);
        var giver = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, committee.Id);
        var (responsibleEmail, responsiblePassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, unit.Id);
        var (neighbourEmail, neighbourPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, other.Id);
        var created = await giver.PostAsJsonAsync($"{Base}/assignments", AssignmentApiTests.NewAssignment(committee.Id, unit.Id, "Se över öppettiderna", duePeriodKey: null, dueDate: "2027-01-31"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var given = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = given.GetProperty("id").GetGuid();
        // Numbered after the demo's own assignments.
        var number = given.GetProperty("number").GetInt32();
        var line = $"Uppdrag {number}: Se över öppettiderna";
        var reminders = app.Services.GetRequiredService<Reminders>();

        // The mail worker runs beside the test and may have sent (and emptied) a digest before it is read.
        async Task<string?> DigestAsync(string email, DateOnly day) =>
            (await app.OutboxAsync()).SingleOrDefault(m => m.ToAddress == email && m.Key.EndsWith(day.ToString("yyyy-MM-dd"), StringComparison.Ordinal)) is { } mail
                ? await app.BodyAsync(mail) : null;

        await reminders.RunOnceAsync(app.MoveTo(new DateOnly(2027, 1, 27), 9));
        ((await DigestAsync(responsibleEmail, new DateOnly(2027, 1, 27))) ?? "").ShouldNotContain(line, customMessage: "four days before, the tenant's three days have not come");

        await reminders.RunOnceAsync(app.MoveTo(new DateOnly(2027, 1, 28), 9));
        var digest = await DigestAsync(responsibleEmail, new DateOnly(2027, 1, 28));
        digest.ShouldNotBeNull();
        digest.ShouldContain($"{line} ({unit.Name}): senast 31 januari 2027 (om 3 dagar)");
        digest.ShouldContain($"{PublicBase}/k/{DemoTenant.Slug}/uppdrag/{id}");
        ((await DigestAsync(neighbourEmail, new DateOnly(2027, 1, 28))) ?? "").ShouldNotContain("Se över öppettiderna");

        await reminders.RunOnceAsync(app.MoveTo(new DateOnly(2027, 2, 1), 9));
        (await DigestAsync(responsibleEmail, new DateOnly(2027, 2, 1)))!.ShouldContain($"{line} ({unit.Name}): senast 31 januari 2027 (försenat)");
        await reminders.RunOnceAsync(app.MoveTo(new DateOnly(2027, 2, 2), 9));
        ((await DigestAsync(responsibleEmail, new DateOnly(2027, 2, 2))) ?? "").ShouldNotContain(line, customMessage: "overdue is said once");

        // The calendar feed has the due day as an all-day event, for the unit's people only.
        async Task<string> FeedAsync(string email, string password)
        {
            var person = await app.ClientAsync(email, password);
            var cookie = app.CreateClient();
            var html = await person.GetStringAsync("/profil/kalender");
            var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var made = await person.PostAsync("/profil/kalender?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            var address = Regex.Match(await made.Content.ReadAsStringAsync(), "<code class=\"secret\" id=\"adress\">([^<]+)</code>").Groups[1].Value;
            return await cookie.GetStringAsync(address[PublicBase.Length..]);
        }

        var mine = Ical.Net.Calendar.Load(await FeedAsync(responsibleEmail, responsiblePassword))!;
        var due = mine.Events.Single(e => e.Uid == $"uppdrag-{id:N}@kedja");
        due.Summary.ShouldBe($"Sista dag: uppdrag {number} – Se över öppettiderna");
        due.DtStart!.Date.ShouldBe(new DateOnly(2027, 1, 31));
        due.Url!.ToString().ShouldBe($"{PublicBase}/k/{DemoTenant.Slug}/uppdrag/{id}");
        Ical.Net.Calendar.Load(await FeedAsync(neighbourEmail, neighbourPassword))!.Events.ShouldNotContain(e => e.Uid == $"uppdrag-{id:N}@kedja");
    }
}
