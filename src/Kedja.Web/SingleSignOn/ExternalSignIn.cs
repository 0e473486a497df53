using System.Security.Claims;
using Kedja.Data;
using Kedja.Domain.Auditing;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kedja.Web.SingleSignOn;

/// <summary>What a sign-in through a tenant's provider came to.</summary>
public abstract record SsoSignInResult
{
    public sealed record Succeeded(KedjaUser User) : SsoSignInResult;

    /// <summary>The provider vouched for the person, but no group of theirs gives a role (and no role was given by hand).</summary>
    public sealed record NoRole : SsoSignInResult;

    /// <summary>Anything else: the answer is not one Kedja accepts. The person is told only to try again.</summary>
    public sealed record Refused : SsoSignInResult;
}

/// <summary>
/// Turns the principal a tenant's provider vouched for into a Kedja sign-in (ADR 45). The account is found by the
/// provider's (issuer, sub), linked per tenant in <c>user_logins</c>, else by a verified e-mail address within the
/// tenant's own e-mail domains, else made just in time when the person's groups give a role. The groups decide the
/// person's Sso membership at every sign-in; a membership given by hand is never changed. The provider of one
/// municipality can therefore never reach another municipality's people, and never a system administrator.
/// </summary>
public sealed class ExternalSignIn(KedjaDbContext db, UserManager<KedjaUser> users, SsoProviders providers, IAuditActor actor, TimeProvider clock,
    ILogger<ExternalSignIn> logger)
{
    public const string RefusedAction = "SsoRefused";

    /// <summary>The item RemoteAuthenticationHandler leaves in the properties: which scheme the answer came through.</summary>
    private const string AuthSchemeItem = ".AuthScheme";

    /// <summary>
    /// Completes a sign-in at <c>/inloggning/oidc/{slug}/klar</c>: reads and removes the short-lived external cookie,
    /// and on success starts the Kedja session, the id token kept in it for signing out at the provider.
    /// </summary>
    public async Task<(SsoSignInResult Result, string? ReturnUrl)> CompleteAsync(HttpContext http, string slug)
    {
        var external = await http.AuthenticateAsync(SsoSchemes.ExternalCookieScheme);
        await http.SignOutAsync(SsoSchemes.ExternalCookieScheme);
        if (!external.Succeeded || Item(external.Properties, AuthSchemeItem) != SsoSchemes.SchemeOf(slug))
        {
            // No answer, or one that came through another tenant's provider.
            await RefuseAsync(slug, null, external.Succeeded ? "another tenant's answer" : "no answer", ClientAddress.Of(http), http.RequestAborted);
            return (new SsoSignInResult.Refused(), null);
        }

        var result = await SignInAsync(slug, external.Principal!, ClientAddress.Of(http), http.RequestAborted);
        if (result is SsoSignInResult.Succeeded succeeded)
        {
            await CookieSignIn.SignInAsync(http, succeeded.User, SsoSchemes.SchemeOf(slug), external.Properties?.GetTokenValue(OpenIdConnectParameterNames.IdToken));
        }

        return (result, Item(external.Properties, ReturnUrlItem));
    }

    private static string? Item(AuthenticationProperties? properties, string key) =>
        properties is not null && properties.Items.TryGetValue(key, out var value) ? value : null;

    /// <summary>An item of the challenge's properties: where the person wanted to go (checked local when used).</summary>
    public const string ReturnUrlItem = "kedja:tillbaka";

    /// <summary>The rules, without HTTP: which account, which membership, or a refusal. Audits what it decides.</summary>
    public async Task<SsoSignInResult> SignInAsync(string slug, ClaimsPrincipal principal, string address, CancellationToken cancellationToken = default)
    {
        var provider = await providers.FindAsync(slug, cancellationToken);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => new { t.Id, t.Slug }).SingleOrDefaultAsync(cancellationToken);
        var sub = principal.FindFirstValue("sub");
        var issuer = principal.FindFirstValue("iss") ?? principal.FindFirst("sub")?.Issuer;
        if (provider is null || tenant is null || provider.TenantId != tenant.Id || string.IsNullOrEmpty(sub) || string.IsNullOrEmpty(issuer))
        {
            await RefuseAsync(slug, null, "provider or subject missing", address, cancellationToken);
            return new SsoSignInResult.Refused();
        }

        db.Scope.Enter(tenant.Id, tenant.Slug);
        var email = VerifiedEmail(principal, provider);
        var domains = await db.EmailDomains.Where(d => d.TenantId == tenant.Id).Select(d => d.Domain).ToListAsync(cancellationToken);
        var inDomain = email is not null && domains.Contains(email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant());
        var name = principal.FindFirstValue(provider.NameClaim);

        var loginProvider = SsoSchemes.SchemeOf(slug);
        var link = await db.Set<IdentityUserLogin<string>>().SingleOrDefaultAsync(l => l.LoginProvider == loginProvider && l.ProviderKey == sub, cancellationToken);
        if (link is not null && link.ProviderDisplayName != issuer)
        {
            // The tenant moved to another provider: the same sub there is another person. The stale link goes; the
            // account is found again by its e-mail address within the tenant's domains.
            db.Remove(link);
            await db.SaveChangesAsync(cancellationToken);
            link = null;
        }

        var user = link is null ? null : await users.FindByIdAsync(link.UserId);
        if (user is null && inDomain && await users.FindByEmailAsync(email!) is { } byEmail)
        {
            // Domains are claimed by a tenant's administrator without proof of ownership, so an address alone links an
            // account only while no other municipality has it: else an administrator who claimed a domain of someone
            // else's staff, with a provider of their own, would sign in as those people. Identity's lookup also matches
            // addresses that differ only under Unicode upper-casing ("ſara" for "sara"); the address must be the same.
            if (!string.Equals(byEmail.Email?.ToLowerInvariant(), email!.ToLowerInvariant(), StringComparison.Ordinal))
            {
                await RefuseAsync(slug, byEmail.Id, "e-mail differs from the account's", address, cancellationToken);
                return new SsoSignInResult.Refused();
            }

            if (await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.UserId == byEmail.Id && m.TenantId != tenant.Id, cancellationToken))
            {
                await RefuseAsync(slug, byEmail.Id, "account is a member of another tenant", address, cancellationToken);
                return new SsoSignInResult.Refused();
            }

            user = byEmail;
        }

        if (user is { IsSystemAdmin: true })
        {
            // The installation's administrators sign in with their own password and two-factor, never on a municipality's word.
            await RefuseAsync(slug, user.Id, "system administrator", address, cancellationToken);
            return new SsoSignInResult.Refused();
        }

        var groups = principal.FindAll(provider.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var granted = await GrantedAsync(tenant.Id, groups, cancellationToken);
        // A token without any group usually means the provider was not asked for them (a scope, a claim setting):
        // the trail says so, so the operator does not hunt for a wrong mapping.
        var noRole = groups.Count == 0 ? $"no groups in the token (claim {provider.GroupsClaim})" : "no mapped group";
        if (user is null)
        {
            if (!inDomain)
            {
                // An account is made only for an address in the municipality's own domains, so that no provider can take
                // an address (and with it a person) of another municipality.
                await RefuseAsync(slug, null, "e-mail not verified or outside the tenant's domains", address, cancellationToken);
                return new SsoSignInResult.Refused();
            }

            if (granted is null)
            {
                await RefuseAsync(slug, null, noRole, address, cancellationToken);
                return new SsoSignInResult.NoRole();
            }

            email = email!.ToLowerInvariant();
            user = new KedjaUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = Clean(name) };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                logger.LogWarning("Kontot för en inloggning via {Slug} kunde inte skapas: {Errors}", slug, string.Join(" ", created.Errors.Select(e => e.Code)));
                await RefuseAsync(slug, null, "account could not be made", address, cancellationToken);
                return new SsoSignInResult.Refused();
            }

            db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "CreatedBySso", user.Email!, clock.GetUtcNow(), details: new { tenant = slug }));
        }

        if (link is null)
        {
            db.Set<IdentityUserLogin<string>>().Add(new IdentityUserLogin<string> { LoginProvider = loginProvider, ProviderKey = sub, ProviderDisplayName = issuer, UserId = user.Id });
        }

        var who = user.Email ?? user.Id;
        (actor as HttpAuditActor)?.ActFor(who);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.TenantId == tenant.Id && m.UserId == user.Id, cancellationToken);
        var now = clock.GetUtcNow();
        if (membership is { Source: MembershipSource.Manual })
        {
            // Given by a person: groups neither widen nor narrow it.
        }
        else if (granted is null)
        {
            if (membership is not null)
            {
                db.Memberships.Remove(membership);
                db.AuditEntries.Add(TenantEntry(tenant.Id, membership, who, "SsoRoleRemoved", now, new { email = who, groups = groups.Order(StringComparer.Ordinal) }));
            }

            await db.SaveChangesAsync(cancellationToken);
            await RefuseAsync(slug, user.Id, noRole, address, cancellationToken);
            return new SsoSignInResult.NoRole();
        }
        else if (membership is null)
        {
            membership = new TenantMembership { UserId = user.Id, Role = granted.Value.Role, UnitId = granted.Value.UnitId, Source = MembershipSource.Sso, DisplayName = Clean(name) };
            db.Memberships.Add(membership);
            db.AuditEntries.Add(TenantEntry(tenant.Id, membership, who, "SsoRoleGiven", now, new { email = who, role = membership.Role, unitId = membership.UnitId }));
        }
        else if (membership.Role != granted.Value.Role || membership.UnitId != granted.Value.UnitId)
        {
            var before = new { role = membership.Role, unitId = membership.UnitId };
            membership.Role = granted.Value.Role;
            membership.UnitId = granted.Value.UnitId;
            db.AuditEntries.Add(TenantEntry(tenant.Id, membership, who, "SsoRoleChanged", now, new { email = who, before, role = membership.Role, unitId = membership.UnitId }));
        }

        db.AuditEntries.Add(AccountAudit.Entry(AccountAudit.Account, user.Id, "SignedIn", who, now, details: new { address, how = "oidc", tenant = slug }));
        await db.SaveChangesAsync(cancellationToken);
        return new SsoSignInResult.Succeeded(user);
    }

    /// <summary>
    /// The role the person's groups give in the tenant: the highest mapped role, for the lowest unit that holds every
    /// unit that role is mapped for (null: the whole municipality). One membership per person and tenant (ADR 45), so a
    /// lower role elsewhere is not kept beside it; it never widens the higher role's units either.
    /// </summary>
    public async Task<(TenantRole Role, Guid? UnitId)?> GrantedAsync(Guid tenantId, IReadOnlySet<string> groups, CancellationToken cancellationToken = default)
    {
        if (groups.Count == 0)
        {
            return null;
        }

        var mapped = (await db.GroupMappings.IgnoreQueryFilters().AsNoTracking().Where(m => m.TenantId == tenantId).ToListAsync(cancellationToken))
            .Where(m => groups.Contains(m.Group)).ToList();
        if (mapped.Count == 0)
        {
            return null;
        }

        var role = mapped.Max(m => m.Role);
        var units = mapped.Where(m => m.Role == role).Select(m => m.UnitId).Distinct().ToList();
        if (units.Contains(null))
        {
            return (role, null);
        }

        if (units.Count == 1)
        {
            return (role, units[0]);
        }

        var parents = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.TenantId == tenantId).Select(u => new { u.Id, u.ParentId })
            .ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        List<Guid> Chain(Guid unit)
        {
            var chain = new List<Guid>();
            for (Guid? at = unit; at is { } id && chain.Count <= parents.Count; at = parents.GetValueOrDefault(id))
            {
                chain.Add(id);
            }

            chain.Reverse();
            return chain;
        }

        var chains = units.Select(u => Chain(u!.Value)).ToList();
        Guid? common = null;
        for (var depth = 0; chains.All(c => c.Count > depth && c[depth] == chains[0][depth]); depth++)
        {
            common = chains[0][depth];
        }

        return (role, common);
    }

    /// <summary>The e-mail address the provider vouches for: not one it says it has not verified.</summary>
    private static string? VerifiedEmail(ClaimsPrincipal principal, SsoProvider provider)
    {
        var email = principal.FindFirstValue(provider.EmailClaim)?.Trim();
        var verified = principal.FindFirstValue("email_verified");
        if (string.IsNullOrEmpty(email) || email.Length > 254 || email.IndexOf('@') is <= 0 || email.EndsWith('@')
            || (verified is not null && !string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return email;
    }

    /// <summary>
    /// The name as the provider sent it, on one line and at most 200 characters: many providers let people edit their own
    /// name, and a NUL (which PostgreSQL cannot store) or a line break must not stop their sign-in or reach a mail.
    /// </summary>
    private static string? Clean(string? name)
    {
        var line = name is null ? "" : string.Concat(name.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        // Never half a surrogate pair: PostgreSQL's driver refuses one.
        var length = line.Length > 200 && char.IsHighSurrogate(line[199]) ? 199 : Math.Min(line.Length, 200);
        return line.Length == 0 ? null : line[..length].TrimEnd();
    }

    private static AuditEntry TenantEntry(Guid tenantId, TenantMembership membership, string actor, string action, DateTimeOffset at, object after) => new()
    {
        TenantId = tenantId,
        UserName = actor,
        At = at.UtcDateTime,
        Entity = nameof(TenantMembership),
        EntityId = membership.Id.ToString(),
        Action = action,
        After = System.Text.Json.JsonSerializer.Serialize(after),
    };

    private async Task RefuseAsync(string slug, string? userId, string reason, string address, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(AccountAudit.Entry(userId is null ? "SignIn" : AccountAudit.Account, userId ?? AccountAudit.UnknownAccount, RefusedAction, "anonym",
            clock.GetUtcNow(), details: new { tenant = slug, address, reason }));
        await db.SaveChangesAsync(cancellationToken);
    }
}
