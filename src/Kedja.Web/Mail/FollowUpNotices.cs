using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Mail;

/// <summary>
/// The notices of the follow-up workflow (issue 14), put in the outbox within the step's own save: a unit submits →
/// its approvers are told; a follow-up is sent back with a reason → the unit's editors are told, with the reason.
/// A notice names the unit, the period, the municipality and the actor's name in this municipality (or their role),
/// never anyone else, and links straight to the unit's scorecard of the period.
/// </summary>
/// <remarks>
/// Approvers are everyone <see cref="FollowUpWorkflow.MayAsync"/> lets approve the unit, narrowed to the nearest level:
/// the editors of the nearest unit above that has editors; when no unit above has any, the administrators and the
/// editors of the whole municipality. A controller of 80 units is then told only about the units directly under
/// nobody else. A returned follow-up is told to the people <see cref="Deadlines.PeopleToRemindAsync(Guid, CancellationToken)"/>
/// names for the unit (those who are reminded of it), less whoever returned it.
/// </remarks>
public sealed class FollowUpNotices(KedjaDbContext db, Outbox outbox, TenantContext tenant, Deadlines deadlines, IOptions<MailOptions> options)
{
    /// <summary>Queues the notices the step causes, if any; <paramref name="version"/> is the status row's version after the step.</summary>
    public async Task QueueAsync(OrgUnit unit, FollowUpPeriod period, UnitPeriodStatus status, WorkflowAction action, int version, string? reason, CancellationToken cancellationToken)
    {
        if (action is not (WorkflowAction.Submit or WorkflowAction.Reopen))
        {
            return;
        }

        // Roles are stored by name: their order is compared here, not in SQL.
        var members = (await db.Memberships.AsNoTracking().Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new Member(m.UserId, u.Email!, m.Role, m.UnitId))
            .ToListAsync(cancellationToken)).Where(m => m.Role >= TenantRole.Editor && m.Email is not null).ToList();
        var parents = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        var actorName = await ActorNameAsync(cancellationToken);
        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/k/{tenant.Slug}/malkort/{unit.Id}?period={Uri.EscapeDataString(period.Key)}";
        var unitName = OneLine(unit.Name);
        var tenantName = OneLine(tenant.Name);
        if (action == WorkflowAction.Submit)
        {
            foreach (var to in Approvers(unit.Id, members, parents))
            {
                outbox.Add($"{MailKinds.Submitted}:{status.Id}:{version}:{to.UserId}", MailKinds.Submitted, new EmailMessage(to.Email,
                    $"{unitName} har skickat in uppföljningen för {period.Name}",
                    $"""
                    Hej!

                    {unitName} har skickat in sin uppföljning för {period.Name} i {tenantName}. Den väntar på att godkännas
                    eller skickas tillbaka.

                    Inskickad av: {actorName}

                    Öppna uppföljningen här:
                    {link}

                    Du får det här brevet för att du kan godkänna uppföljningen för {unitName}.
                    """), tenant.TenantId, to.UserId);
            }

            return;
        }

        foreach (var to in (await deadlines.PeopleToRemindAsync(unit.Id, cancellationToken)).Where(p => p.UserId != tenant.UserId).Select(p => new Member(p.UserId, p.Email, p.Role, p.ScopeUnitId)))
        {
            outbox.Add($"{MailKinds.Returned}:{status.Id}:{version}:{to.UserId}", MailKinds.Returned, new EmailMessage(to.Email,
                $"Uppföljningen för {unitName} har skickats tillbaka",
                $"""
                Hej!

                Uppföljningen för {unitName} för {period.Name} i {tenantName} har skickats tillbaka av {actorName}
                och är öppen för ändringar igen. Motivering:

                {reason?.Trim()}

                Ändra och skicka in den igen här:
                {link}

                Du får det här brevet för att du arbetar med uppföljningen för {unitName}.
                """), tenant.TenantId, to.UserId);
        }
    }

    private sealed record Member(string UserId, string Email, TenantRole Role, Guid? UnitId);

    private IEnumerable<Member> Approvers(Guid unitId, List<Member> members, Dictionary<Guid, Guid?> parents)
    {
        for (var above = parents.GetValueOrDefault(unitId); above is { } a; above = parents.GetValueOrDefault(a))
        {
            var here = members.Where(m => m.Role == TenantRole.Editor && m.UnitId == a && m.UserId != tenant.UserId).ToList();
            if (here.Count > 0)
            {
                return here;
            }
        }

        return members.Where(m => (m.Role == TenantRole.Admin || m.UnitId is null) && m.UserId != tenant.UserId);
    }

    /// <summary>The name the municipality gave the actor, else their role: never their e-mail address.</summary>
    private async Task<string> ActorNameAsync(CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AsNoTracking().Where(m => m.UserId == tenant.UserId).Select(m => new { m.DisplayName, m.Role }).SingleOrDefaultAsync(cancellationToken);
        return membership?.DisplayName is { Length: > 0 } name ? OneLine(name)
            : membership?.Role == TenantRole.Admin || membership is null ? "en administratör" : "en redaktör";
    }

    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
}
