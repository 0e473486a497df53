using System.Globalization;
using System.Text;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Mail;

/// <summary>
/// Reminds people of follow-ups due soon (issue 14, ADR 45): on every node, every
/// <see cref="MailOptions.ReminderEveryMinutes"/>, from <see cref="MailOptions.ReminderHour"/> o'clock Swedish time, the
/// follow-ups not submitted whose deadline (<see cref="Deadlines"/>) falls within the municipality's
/// <c>ReminderDaysBefore</c> days are gathered per person (<see cref="Deadlines.PeopleToRemindAsync(IReadOnlyCollection{Guid}, CancellationToken)"/>)
/// and each person gets one digest a day, keyed "digest:{user}:{day}": however many nodes and runs, the unique key lets one
/// row in. One digest covers all of a person's municipalities, so a person in two still gets one mail a day. Nobody who
/// turned reminders off gets one.
/// </summary>
public sealed class Reminders(IServiceScopeFactory scopes, TimeProvider clock, IOptions<MailOptions> options, ILogger<Reminders> logger) : PollingWorker(clock, logger)
{
    protected override bool Enabled => options.Value.RunReminders;

    protected override string FailureMessage => "Påminnelserna kunde inte göras; försöker igen.";

    protected override Task LookAsync(CancellationToken cancellationToken) => RunOnceAsync(Clock.GetUtcNow(), cancellationToken);

    protected override TimeSpan UntilNextLook() => TimeSpan.FromMinutes(options.Value.ReminderEveryMinutes);

    private sealed record Due(Guid TenantId, string Slug, string TenantName, DueFollowUp FollowUp);

    /// <summary>An open assignment of the person's units due soon, or overdue since today (said once, the first day).</summary>
    private sealed record DueAssignment(string Slug, string TenantName, Assignments.VersionedAssignment Assignment, string UnitName);

    /// <summary>Queues the day's digests not queued yet; the number this run queued.</summary>
    public async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var local = Ui.Language.InSweden(now.UtcDateTime);
        if (local.Hour < options.Value.ReminderHour)
        {
            return 0;
        }

        var today = DateOnly.FromDateTime(local);
        List<(Guid Id, string Slug, string Name, int Days)> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            tenants = [.. (await db.Tenants.AsNoTracking().Where(t => t.ReminderDaysBefore > 0).Select(t => new { t.Id, t.Slug, t.Name, t.ReminderDaysBefore })
                .ToListAsync(cancellationToken)).Select(t => (t.Id, t.Slug, t.Name, t.ReminderDaysBefore))];
        }

        var byPerson = new Dictionary<string, (string Email, List<Due> Items)>(StringComparer.Ordinal);
        var assignmentsOf = new Dictionary<string, (string Email, List<DueAssignment> Items, HashSet<Guid> Tenants)>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            if ((await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(tenant.Slug, cancellationToken)).Error is not null)
            {
                continue;
            }

            var deadlines = scope.ServiceProvider.GetRequiredService<Deadlines>();
            var due = await deadlines.NotSubmittedDueBetweenAsync(today, today.AddDays(tenant.Days), cancellationToken);

            // Assignments (ADR 46) to the same people as their unit's follow-up, in the same digest: due within the days, or
            // due yesterday (overdue from today), so that an overdue assignment is said once and not every day after.
            var assignments = await scope.ServiceProvider.GetRequiredService<Assignments.AssignmentEditing>().OpenDueBetweenAsync(today.AddDays(-1), today.AddDays(tenant.Days), cancellationToken);
            if (due.Count == 0 && assignments.Count == 0)
            {
                continue;
            }

            var people = await deadlines.PeopleToRemindAsync([.. due.Select(d => d.UnitId).Concat(assignments.Select(a => a.ResponsibleUnitId))], cancellationToken);
            Dictionary<Guid, string> unitNames = assignments.Count == 0 ? [] : await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
            foreach (var assignment in assignments)
            {
                foreach (var person in (people.GetValueOrDefault(assignment.ResponsibleUnitId) ?? []).Where(p => !p.RemindersOff))
                {
                    if (!assignmentsOf.TryGetValue(person.UserId, out var entry))
                    {
                        assignmentsOf[person.UserId] = entry = (person.Email, [], []);
                    }

                    entry.Items.Add(new DueAssignment(tenant.Slug, tenant.Name, assignment, unitNames.GetValueOrDefault(assignment.ResponsibleUnitId, "")));
                    entry.Tenants.Add(tenant.Id);
                }
            }

            foreach (var item in due)
            {
                foreach (var person in people.GetValueOrDefault(item.UnitId) ?? [])
                {
                    if (person.RemindersOff)
                    {
                        continue;
                    }

                    if (!byPerson.TryGetValue(person.UserId, out var entry))
                    {
                        byPerson[person.UserId] = entry = (person.Email, []);
                    }

                    entry.Items.Add(new Due(tenant.Id, tenant.Slug, tenant.Name, item));
                }
            }
        }

        foreach (var (userId, (email, _, _)) in assignmentsOf)
        {
            if (!byPerson.ContainsKey(userId))
            {
                byPerson[userId] = (email, []);
            }
        }

        var queued = 0;
        foreach (var (userId, (email, items)) in byPerson)
        {
            await using var scope = scopes.CreateAsyncScope();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            var assigned = assignmentsOf.TryGetValue(userId, out var a) ? a : (email, [], []);
            var tenantIds = items.Select(i => i.TenantId).Concat(assigned.Tenants).Distinct().ToList();
            if (await outbox.TryInsertAsync($"{MailKinds.Digest}:{userId}:{today:yyyy-MM-dd}", MailKinds.Digest, Digest(email, items, assigned.Items, today),
                    tenantIds.Count == 1 ? tenantIds[0] : null, userId, cancellationToken))
            {
                queued++;
            }
        }

        if (queued > 0)
        {
            logger.LogInformation("{Count} påminnelser lades i utskicken för {Day}.", queued, today);
        }

        return queued;
    }

    /// <summary>The person's own follow-ups only: municipality, unit, period, day and a direct link.</summary>
    private EmailMessage Digest(string email, List<Due> items, List<DueAssignment> assignments, DateOnly today)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var sweden = CultureInfo.GetCultureInfo("sv-SE");
        var text = new StringBuilder();
        text.Append("Hej!\n\n");
        if (items.Count == 0)
        {
            return AssignmentsOnly(email, assignments, today, text);
        }

        text.Append(items.Count == 1
            ? "En uppföljning som du ansvarar för ska lämnas in snart och är ännu inte inskickad:\n"
            : $"{items.Count} uppföljningar som du ansvarar för ska lämnas in snart och är ännu inte inskickade:\n");
        foreach (var tenant in items.GroupBy(i => i.TenantName).OrderBy(g => g.Key, StringComparer.Create(sweden, false)))
        {
            text.Append('\n').Append(tenant.Key).Append('\n');
            foreach (var item in tenant.OrderBy(i => i.FollowUp.DueOn).ThenBy(i => i.FollowUp.UnitName, StringComparer.Create(sweden, false)))
            {
                var f = item.FollowUp;
                var days = f.DueOn.DayNumber - today.DayNumber;
                var when = days switch { 0 => "i dag", 1 => "i morgon", _ => $"om {days} dagar" };
                text.Append(CultureInfo.InvariantCulture, $"- {OneLine(f.UnitName)}, {f.PeriodName}: senast {f.DueOn.ToString("d MMMM yyyy", sweden)} ({when})\n");
                text.Append(CultureInfo.InvariantCulture, $"  {baseUrl}/k/{item.Slug}/malkort/{f.UnitId}?period={Uri.EscapeDataString(f.PeriodKey)}\n");
            }
        }

        AppendAssignments(text, assignments, today);
        text.Append("\nDu får högst ett sådant brev om dagen. Vill du inte ha påminnelser kan du slå av dem här:\n");
        text.Append(baseUrl).Append("/profil/paminnelser\n");
        var subject = items.Count == 1
            ? $"Påminnelse: {OneLine(items[0].FollowUp.UnitName)} ska lämna in sin uppföljning senast {items[0].FollowUp.DueOn.ToString("d MMMM", sweden)}"
            : $"Påminnelse: {items.Count} uppföljningar ska lämnas in snart";
        return new EmailMessage(email, subject, text.ToString());
    }

    /// <summary>A digest of assignments only (no follow-up due): the same shape, its own subject.</summary>
    private EmailMessage AssignmentsOnly(string email, List<DueAssignment> assignments, DateOnly today, StringBuilder text)
    {
        AppendAssignments(text, assignments, today);
        text.Append("\nDu får högst ett sådant brev om dagen. Vill du inte ha påminnelser kan du slå av dem här:\n");
        text.Append(options.Value.PublicBaseUrl.TrimEnd('/')).Append("/profil/paminnelser\n");
        var first = assignments[0].Assignment;
        var subject = assignments.Count > 1 ? $"Påminnelse: {assignments.Count} uppdrag ska vara klara snart"
            : first.IsOverdue ? $"Påminnelse: uppdrag {first.Number} är försenat"
            : $"Påminnelse: uppdrag {first.Number} ska vara klart senast {first.DueOn!.Value.ToString("d MMMM", CultureInfo.GetCultureInfo("sv-SE"))}";
        return new EmailMessage(email, subject, text.ToString());
    }

    /// <summary>The person's assignments due soon or overdue since today, each with its link.</summary>
    private void AppendAssignments(StringBuilder text, List<DueAssignment> assignments, DateOnly today)
    {
        if (assignments.Count == 0)
        {
            return;
        }

        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var sweden = CultureInfo.GetCultureInfo("sv-SE");
        text.Append(assignments.Count == 1 ? "\nEtt uppdrag som du ansvarar för ska vara klart snart eller är försenat:\n" : $"\n{assignments.Count} uppdrag som du ansvarar för ska vara klara snart eller är försenade:\n");
        foreach (var tenant in assignments.GroupBy(i => i.TenantName).OrderBy(g => g.Key, StringComparer.Create(sweden, false)))
        {
            text.Append('\n').Append(tenant.Key).Append('\n');
            foreach (var item in tenant.OrderBy(i => i.Assignment.DueOn).ThenBy(i => i.Assignment.Number))
            {
                var a = item.Assignment;
                var days = a.DueOn!.Value.DayNumber - today.DayNumber;
                var when = days switch { < 0 => "försenat", 0 => "i dag", 1 => "i morgon", _ => $"om {days} dagar" };
                text.Append(CultureInfo.InvariantCulture, $"- Uppdrag {a.Number}: {OneLine(a.Title)} ({OneLine(item.UnitName)}): senast {a.DueOn.Value.ToString("d MMMM yyyy", sweden)} ({when})\n");
                text.Append(CultureInfo.InvariantCulture, $"  {baseUrl}/k/{item.Slug}/uppdrag/{a.Id}\n");
            }
        }
    }

    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
}
