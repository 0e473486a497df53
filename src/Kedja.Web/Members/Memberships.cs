using System.Net.Mail;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Kedja.Web.Mail;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Members;

public sealed record NewMemberInput(string Email, string? DisplayName, TenantRole Role, Guid? UnitId);

/// <summary>
/// Adding people to a municipality. The answer is the same whether the e-mail already had an account (from another
/// municipality) or not: no user id, the name this municipality gave, the same message; the person gets a link to
/// set their own password or a notice (ADR 11).
/// </summary>
public sealed class Memberships(KedjaDbContext db, Accounts accounts, MailQueue mail, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string AlreadyMember = "Personen har redan en roll i kommunen. Ändra den i stället.";

    public abstract record AddResult
    {
        public sealed record Added(TenantMembership Membership, string Email) : AddResult;

        public sealed record Invalid(Dictionary<string, string[]> Errors) : AddResult;

        public sealed record Conflict : AddResult;
    }

    public async Task<AddResult> AddAsync(NewMemberInput input, CancellationToken cancellationToken = default)
    {
        var errors = await CheckAsync(input.Role, input.UnitId, db);
        var email = NormaliseEmail(input.Email);
        if (email is null)
        {
            errors.Add("email", "Ange personens e-postadress, med bokstäverna a–z, siffror och . _ - + @.");
        }

        if (errors.Count > 0)
        {
            return new AddResult.Invalid(errors.ToDictionary());
        }

        var normalized = email!.ToUpperInvariant();
        if (await db.Memberships.AnyAsync(m => db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized), cancellationToken))
        {
            return new AddResult.Conflict();
        }

        var tenantName = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);

        // The account, its link and the membership are one change: if the membership cannot be saved, no account is left behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (user, message, accountErrors) = await accounts.EnrolAsync(email, tenant.TenantId, tenantName, actor.Name, cancellationToken);
        if (accountErrors is not null)
        {
            return new AddResult.Invalid(accountErrors);
        }

        var membership = new TenantMembership { UserId = user!.Id, DisplayName = Clean(input.DisplayName), Role = input.Role, UnitId = input.UnitId };
        db.Memberships.Add(membership);

        // Who got the role, in the tenant's own words; the membership's row entry leaves the account id out.
        db.AuditEntries.Add(new Domain.Auditing.AuditEntry
        {
            TenantId = tenant.TenantId, UserName = actor.Name, At = clock.GetUtcNow().UtcDateTime, Entity = nameof(TenantMembership), EntityId = membership.Id.ToString(),
            Action = "Invited", After = System.Text.Json.JsonSerializer.Serialize(new { email }),
        });
        if (!await db.TrySaveAsync())
        {
            return new AddResult.Conflict();
        }

        await transaction.CommitAsync(cancellationToken);
        mail.Send(message!);
        return new AddResult.Added(membership, email);
    }

    /// <summary>A fresh invitation link for a member who never set a password, a notice otherwise; false when there is no such membership.</summary>
    public async Task<bool> ResendInvitationAsync(Guid membershipId, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == membershipId, cancellationToken);
        if (membership is null)
        {
            return false;
        }

        var tenantName = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        await accounts.ResendInvitationAsync(membership.UserId, tenant.TenantId, tenantName, actor.Name, cancellationToken);
        return true;
    }

    internal static async Task<ValidationErrors> CheckAsync(TenantRole role, Guid? unitId, KedjaDbContext db)
    {
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(role))
        {
            errors.Add("role", "Okänd roll. Välj reader, editor eller admin.");
        }

        if (unitId is { } id && !await db.Units.AnyAsync(u => u.Id == id))
        {
            errors.Add("unitId", "Enheten finns inte.");
        }

        return errors;
    }

    /// <summary>
    /// Lower case, so that the answer shows the address the same way whoever created the account; ASCII only, since
    /// Identity folds look-alike letters (ſ, K) into the same account, and one municipality must not be able to
    /// register a look-alike of another's address so that mails go astray.
    /// </summary>
    private static string? NormaliseEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Trim().All(char.IsAscii) && MailAddress.TryCreate(email.Trim(), out var address) && address.Address == email.Trim()
        && address.Host.Contains('.', StringComparison.Ordinal)
            ? address.Address.ToLowerInvariant()
            : null;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
