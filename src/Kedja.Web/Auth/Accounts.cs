using System.Security.Cryptography;
using Kedja.Data;
using Kedja.Web.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>What a caller gets back from a password change: done, field errors, or wait.</summary>
public abstract record PasswordResult
{
    public sealed record Done : PasswordResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : PasswordResult;

    public sealed record Delayed(TimeSpan RetryAfter) : PasswordResult;
}

/// <summary>
/// Accounts and their passwords. Nobody chooses or learns another person's password: a new account gets a one-time
/// link with which the person sets it; a forgotten password is replaced through the same kind of link (ADR 11).
/// </summary>
public sealed class Accounts(
    UserManager<KedjaUser> users,
    KedjaDbContext db,
    SignIn signIn,
    AccessTokens tokens,
    Outbox outbox,
    TimeProvider clock,
    IOptions<AccountOptions> options,
    IOptions<MailOptions> mailOptions)
{
    public const string LinkError = "Länken är ogiltig, redan använd eller för gammal. Be om en ny.";

    private readonly AccountOptions settings = options.Value;

    /// <summary>
    /// Gives the person behind an e-mail access to a tenant, within the caller's transaction: a new account without a
    /// password and an invitation link, or, for an existing account, a notice (a new link if it never got a password).
    /// The mail is put in the outbox, so it leaves only if the caller's save commits. Both paths look alike to the caller.
    /// </summary>
    public async Task<(KedjaUser? User, Dictionary<string, string[]>? Errors)> EnrolAsync(
        string email, Guid tenantId, string tenantName, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new KedjaUser { UserName = email, Email = email };
            // In the installation's chain, never the tenant's: a tenant's trail must not tell whether an account existed.
            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "Created", actor, now, details: new { tenant = tenantId }));
            var link = NewLink(user, AccountLinkPurpose.Invitation, tenantId, actor, out var secret);

            // Users first: the outbox row refers to the account, and Identity's CreateAsync saves the context.
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                db.ChangeTracker.Clear();
                return (null, new() { ["email"] = [.. created.Errors.Select(e => e.Description)] });
            }

            outbox.Add($"invitation:{link.Id}", MailKinds.Invitation,
                AccountMails.Invitation(email, tenantName, AccountMails.Link(mailOptions.Value, secret), settings.InvitationLifetime), tenantId, user.Id);
            return (user, null);
        }

        if (user.PasswordHash is null)
        {
            await ExpireLinksAsync(user.Id, cancellationToken);
            var link = NewLink(user, AccountLinkPurpose.Invitation, tenantId, actor, out var secret);
            outbox.Add($"invitation:{link.Id}", MailKinds.Invitation,
                AccountMails.Invitation(user.Email!, tenantName, AccountMails.Link(mailOptions.Value, secret), settings.InvitationLifetime), tenantId, user.Id);
            return (user, null);
        }

        outbox.Add($"role:{tenantId}:{user.Id}:{Guid.CreateVersion7()}", MailKinds.RoleNotice, AccountMails.RoleNotice(user.Email!, tenantName, mailOptions.Value), tenantId, user.Id);
        return (user, null);
    }

    /// <summary>Sends a member a fresh invitation link when they never set a password; otherwise a notice. Same to the caller either way.</summary>
    public async Task ResendInvitationAsync(string userId, Guid tenantId, string tenantName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user?.Email is null)
        {
            return;
        }

        await EnrolAsync(user.Email, tenantId, tenantName, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The signed-in person changes their own password; the current one is checked like a sign-in.</summary>
    public async Task<PasswordResult> ChangePasswordAsync(string userId, string? currentPassword, string? newPassword, string address, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("Den inloggade användaren finns inte.");
        switch (await signIn.CheckPasswordAsync(user.Email, currentPassword, address, cancellationToken))
        {
            case SignInResult.Delayed delayed:
                return new PasswordResult.Delayed(delayed.RetryAfter);
            case SignInResult.LockedOut:
                return new PasswordResult.Invalid(new() { ["currentPassword"] = ["Kontot är tillfälligt spärrat efter för många misslyckade försök. Försök igen om en stund."] });
            case SignInResult.Failed:
                return new PasswordResult.Invalid(new() { ["currentPassword"] = ["Det nuvarande lösenordet stämmer inte."] });
        }

        if (await ValidateAsync(user, newPassword) is { } errors)
        {
            return new PasswordResult.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "PasswordChanged", user.Email ?? user.Id, clock.GetUtcNow()));

        // Tokens made with the old password may be in the wrong hands; that is often why a password is changed.
        await tokens.RevokeAllAsync(user.Id, user.Email ?? user.Id, "PasswordChanged", cancellationToken);
        SecurityNotices.Add(outbox, user, SecurityChange.PasswordChanged, clock.GetUtcNow());
        if (!await StorePasswordAsync(user, newPassword!))
        {
            return Concurrent;
        }

        await transaction.CommitAsync(cancellationToken);
        return new PasswordResult.Done();
    }

    /// <summary>
    /// "Forgot password": the caller answers at once and the same way for every address. What is written is the same
    /// too: a row in the outbox with the address as typed; the worker looks the account up later, writes the link and
    /// the mail, or removes the row when there is no such account (<see cref="ComposeResetAsync"/>).
    /// </summary>
    public async Task RequestResetAsync(string email, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (email.Length is 0 or > 254)
        {
            return;
        }

        outbox.Add($"reset-request:{Guid.CreateVersion7()}", MailKinds.ResetRequest, new EmailMessage(email, "", ""));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Turns a claimed reset request into the reset mail: a new link and the mail's text in one transaction, while
    /// <paramref name="owner"/> still holds the row. Null (and the row gone) when no account has the address.
    /// </summary>
    internal async Task<OutboxMail?> ComposeResetAsync(OutboxMail request, string owner, CancellationToken cancellationToken)
    {
        var held = db.Outbox.Where(m => m.Id == request.Id && m.LeaseOwner == owner && m.Kind == MailKinds.ResetRequest);
        var user = await users.FindByEmailAsync(request.ToAddress);
        if (user?.Email is null)
        {
            // Nobody is told, and an address someone typed is not kept.
            await held.ExecuteDeleteAsync(cancellationToken);
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ExpireLinksAsync(user.Id, cancellationToken);
        NewLink(user, AccountLinkPurpose.Reset, null, "anonym", out var secret);
        await db.SaveChangesAsync(cancellationToken);
        var mail = AccountMails.Reset(user.Email, AccountMails.Link(mailOptions.Value, secret), settings.ResetLifetime);
        var body = outbox.ProtectBody(mail.Body);
        if (await held.ExecuteUpdateAsync(s => s.SetProperty(m => m.Kind, MailKinds.Reset).SetProperty(m => m.UserId, user.Id).SetProperty(m => m.ToAddress, user.Email)
                .SetProperty(m => m.Subject, mail.Subject).SetProperty(m => m.Body, body), cancellationToken) == 0)
        {
            return null;
        }

        await transaction.CommitAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == request.Id, cancellationToken);
    }

    /// <summary>Sets a password with a one-time link (invitation or reset). The link is used once; the e-mail is then confirmed.</summary>
    public async Task<PasswordResult> SetPasswordWithLinkAsync(string? secret, string? newPassword, CancellationToken cancellationToken = default)
    {
        var invalid = new PasswordResult.Invalid(new() { ["secret"] = [LinkError] });
        if (string.IsNullOrWhiteSpace(secret))
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var hash = Tokens.Hash(secret.Trim());
        var link = await db.AccountLinks.AsNoTracking().SingleOrDefaultAsync(l => l.SecretHash == hash, cancellationToken);
        if (link is null || link.UsedAt is not null || link.ExpiresAt <= now.UtcDateTime)
        {
            return invalid;
        }

        var user = await users.FindByIdAsync(link.UserId);
        if (user is null)
        {
            return invalid;
        }

        if (await ValidateAsync(user, newPassword) is { } errors)
        {
            return new PasswordResult.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Claimed with one conditional update, so that the same link used twice at once (on two nodes) wins once.
        var claimed = await db.AccountLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now.UtcDateTime), cancellationToken);
        if (claimed != 1)
        {
            return invalid;
        }

        await ExpireLinksAsync(user.Id, cancellationToken);
        var actor = user.Email ?? user.Id;
        if (link.Purpose == AccountLinkPurpose.Reset)
        {
            // Whoever may have had the old password may also have made tokens with it.
            await tokens.RevokeAllAsync(user.Id, actor, "PasswordReset", cancellationToken);
            SecurityNotices.Add(outbox, user, SecurityChange.PasswordReset, now);
        }

        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, link.Purpose == AccountLinkPurpose.Reset ? "PasswordReset" : "PasswordSet", actor, now,
            details: new { link = link.Id }));
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        if (!await StorePasswordAsync(user, newPassword!))
        {
            return Concurrent;
        }

        await transaction.CommitAsync(cancellationToken);
        return new PasswordResult.Done();
    }

    private async Task<Dictionary<string, string[]>?> ValidateAsync(KedjaUser user, string? password)
    {
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors.Select(e => e.Description));
        }

        return errors.Count == 0 ? null : new() { ["newPassword"] = [.. errors.Distinct()] };
    }

    /// <summary>Hashes the password and saves it, with whatever else the context tracks (audit entries, a used link), in one SaveChanges.</summary>
    /// <returns>False when the account changed meanwhile (a failed sign-in at the same moment); the caller's transaction then rolls back.</returns>
    private async Task<bool> StorePasswordAsync(KedjaUser user, string password)
    {
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var result = await users.UpdateSecurityStampAsync(user);
        if (result.Succeeded)
        {
            return true;
        }

        return result.Errors.All(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
            ? false
            : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private static readonly PasswordResult Concurrent =
        new PasswordResult.Invalid(new() { ["newPassword"] = ["Kontot ändrades samtidigt av en annan begäran. Försök igen; lösenordet har inte ändrats."] });

    private AccountLink NewLink(KedjaUser user, AccountLinkPurpose purpose, Guid? tenantId, string actor, out string secret)
    {
        var now = clock.GetUtcNow();
        secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new AccountLink
        {
            UserId = user.Id,
            Purpose = purpose,
            SecretHash = Tokens.Hash(secret),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = (now + (purpose == AccountLinkPurpose.Reset ? settings.ResetLifetime : settings.InvitationLifetime)).UtcDateTime,
        };
        db.AccountLinks.Add(link);
        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, purpose == AccountLinkPurpose.Reset ? "ResetLinkSent" : "InvitationSent", actor, now,
            details: new { link = link.Id, link.ExpiresAt, tenant = tenantId }));
        return link;
    }

    /// <summary>Only the newest link of an account works: older unused ones are marked used.</summary>
    private Task<int> ExpireLinksAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.AccountLinks.Where(l => l.UserId == userId && l.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken);
    }
}
