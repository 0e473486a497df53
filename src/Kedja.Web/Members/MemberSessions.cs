using Kedja.Data;
using Kedja.Domain.Auditing;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Members;

/// <summary>
/// "Avsluta alla sessioner och nycklar" (issue 14): a tenant administrator ends every sign-in of a member at once, on
/// every node: the account's security stamp changes, which the cookie check compares on each request
/// (<see cref="CookieSignIn"/>), and every personal access token is revoked. A session and a token are the account's,
/// not the municipality's, so this ends them in every municipality the person works in (docs/adr/0046 draft: allowed,
/// since it takes nothing away but a sign-in, and a stolen account is stolen everywhere). A system administrator's
/// sessions are ended only by a system administrator.
/// </summary>
public sealed class MemberSessions(KedjaDbContext db, TenantContext tenant, UserManager<KedjaUser> users, AccessTokens tokens, IAuditActor actor, TimeProvider clock,
    ILogger<MemberSessions> logger)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan avsluta någons sessioner.";

    public const string SystemAdministrator = "Personen är systemadministratör. Bara en systemadministratör kan avsluta hens sessioner.";

    public const string Concurrent = "Kontot ändrades samtidigt av en annan begäran. Försök igen.";

    public async Task<ServiceResult<Done>> EndAllAsync(Guid membershipId, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == membershipId, cancellationToken);
        var user = membership is null ? null : await users.FindByIdAsync(membership.UserId);
        if (membership is null || user is null)
        {
            return ServiceError.NotFound(Memberships.NotFound);
        }

        // Ending the installation's administrators' sessions over and over would keep out those who mend things.
        if (user.IsSystemAdmin && !tenant.IsSystemAdmin)
        {
            return ServiceError.Forbidden(SystemAdministrator);
        }

        var now = clock.GetUtcNow();
        var email = (user.Email ?? "").ToLowerInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // In the municipality's trail by the e-mail (no account id, no count of tokens: those could tell of other municipalities),
        // and in the installation's trail by account, where the revoked tokens are listed.
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenant.TenantId, UserName = actor.Name, At = now.UtcDateTime, Entity = nameof(TenantMembership), EntityId = membership.Id.ToString(),
            Action = "SessionsEnded", After = System.Text.Json.JsonSerializer.Serialize(new { email }),
        });
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SessionsEnded", actor.Name, now, details: new { tenant = tenant.Slug }));
        await tokens.RevokeAllAsync(user.Id, actor.Name, "SessionsEnded", cancellationToken);

        // The calendar address is a key too: a stolen one keeps showing the person's deadlines until it goes.
        user.CalendarSecretHash = null;

        // Saves the stamp with the entries, revocations and the calendar address above, in one SaveChanges.
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            return result.Errors.All(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? ServiceError.Conflict(Concurrent)
                : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Alla sessioner och nycklar avslutade för en medlem i {Slug} av {Actor}", tenant.Slug, actor.Name);
        return new Done();
    }
}
