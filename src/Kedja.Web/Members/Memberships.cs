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
/// A person's role in the municipality: what GET gives and PUT takes back (<see cref="MemberInput"/> reads the role,
/// the unit, the name and the version of it). No account id: an account may be shared with other municipalities.
/// </summary>
/// <param name="Source">Given by a person (Manual) or computed from provider groups at each sign-in (Sso); read-only.</param>
public sealed record MemberDto(Guid Id, string Email, string? DisplayName, TenantRole Role, Guid? UnitId, string? UnitName, int Version,
    MembershipSource Source = MembershipSource.Manual);

/// <param name="DisplayName">The name this municipality gives the person; left out keeps it, "" removes it.</param>
public sealed record MemberInput(TenantRole Role, Guid? UnitId, int? Version, string? DisplayName = null);

/// <summary>
/// Adding people to a municipality. The answer is the same whether the e-mail already had an account (from another
/// municipality) or not: no user id, the name this municipality gave, the same message; the person gets a link to
/// set their own password or a notice (ADR 11).
/// </summary>
public sealed class Memberships(KedjaDbContext db, Accounts accounts, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string AlreadyMember = "Personen har redan en roll i kommunen. Ändra den i stället.";

    public const string NotFound = "Behörigheten finns inte.";

    public async Task<List<MemberDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        var members = await db.Memberships.AsNoTracking().ToListAsync(cancellationToken);
        var userIds = members.Select(m => m.UserId).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var units = await UnitNamesAsync(cancellationToken);
        return [.. members.Select(m => ToDto(m, emails[m.UserId], units)).OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<ServiceResult<MemberDto>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        return membership is null ? ServiceError.NotFound(NotFound) : await DtoAsync(membership, cancellationToken);
    }

    /// <summary>Gives a person a role in the municipality; a person without an account is invited to set their own password.</summary>
    public async Task<ServiceResult<MemberDto>> AddAsync(NewMemberInput input, CancellationToken cancellationToken = default)
    {
        var errors = await CheckAsync(input.Role, input.UnitId, input.DisplayName, cancellationToken);
        var email = NormaliseEmail(input.Email);
        if (email is null)
        {
            errors.Add("email", "Ange personens e-postadress, med bokstäverna a–z, siffror och . _ - + @.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var normalized = email!.ToUpperInvariant();
        if (await db.Memberships.AnyAsync(m => db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized), cancellationToken))
        {
            return ServiceError.Conflict(AlreadyMember);
        }

        var tenantName = await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);

        // The account, its link and the membership are one change: if the membership cannot be saved, no account is left behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (user, accountErrors) = await accounts.EnrolAsync(email, tenant.TenantId, tenantName, actor.Name, cancellationToken);
        if (accountErrors is not null)
        {
            return ServiceError.Invalid(accountErrors.First().Key, accountErrors.First().Value[0]) with { Errors = accountErrors };
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
            return ServiceError.Conflict(AlreadyMember);
        }

        await transaction.CommitAsync(cancellationToken);
        return ToDto(membership, email, await UnitNamesAsync(cancellationToken));
    }

    /// <summary>Changes a member's role, unit or name, from the version read. Nobody takes away their own administrator role.</summary>
    public async Task<ServiceResult<MemberDto>> ChangeAsync(Guid id, MemberInput input, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        var errors = await CheckAsync(input.Role, input.UnitId, input.DisplayName, cancellationToken);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        if (IsOwn(membership) && input.Role != TenantRole.Admin)
        {
            return ServiceError.Invalid("role", "Du kan inte ta bort din egen administratörsroll. Be en annan administratör.");
        }

        db.ExpectVersion(membership, input.Version!.Value);
        membership.Role = input.Role;
        membership.UnitId = input.UnitId;
        if (input.DisplayName is not null)
        {
            membership.DisplayName = Clean(input.DisplayName);
        }

        return await db.TrySaveAsync() ? await DtoAsync(membership, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Takes a person's role in the municipality away, from the version read. Nobody removes their own.</summary>
    public async Task<ServiceResult<Done>> RemoveAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (IsOwn(membership))
        {
            return ServiceError.Invalid("id", "Du kan inte ta bort din egen behörighet. Be en annan administratör.");
        }

        return await db.RemoveAsReadAsync(membership, version.Value);
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

    private async Task<ValidationErrors> CheckAsync(TenantRole role, Guid? unitId, string? displayName, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(role))
        {
            errors.Add("role", "Okänd roll. Välj reader, editor eller admin.");
        }

        if (unitId is { } id && !await db.Units.AnyAsync(u => u.Id == id, cancellationToken))
        {
            errors.Add("unitId", "Enheten finns inte.");
        }

        errors.Text("displayName", Clean(displayName), "Namnet");
        return errors;
    }

    /// <summary>An administrator's own membership, which they could otherwise lock themselves out with. System administrators hold no membership.</summary>
    private bool IsOwn(TenantMembership membership) => !tenant.IsSystemAdmin && membership.UserId == tenant.UserId;

    private async Task<MemberDto> DtoAsync(TenantMembership membership, CancellationToken cancellationToken)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == membership.UserId).Select(u => u.Email).SingleAsync(cancellationToken);
        return ToDto(membership, email, await UnitNamesAsync(cancellationToken));
    }

    private Task<Dictionary<Guid, string>> UnitNamesAsync(CancellationToken cancellationToken) =>
        db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

    private static MemberDto ToDto(TenantMembership m, string? email, Dictionary<Guid, string> units) =>
        new(m.Id, (email ?? "").ToLowerInvariant(), m.DisplayName, m.Role, m.UnitId, m.UnitId is { } u ? units.GetValueOrDefault(u) : null, m.Version, m.Source);

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
