using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// What a tenant without local passwords demands of a session (ADR 45): that it was started through that tenant's own
/// provider. Checked where tenant access is decided (<see cref="Infrastructure.TenantAccess"/>); system administrators
/// are not held to it (they sign in with their own password, and never through a municipality's provider).
/// </summary>
public static class SsoAccess
{
    public const string PasswordRefusedMessage = "Kommunen kräver att du loggar in via kommunens inloggning. Logga ut och logga in med din e-postadress utan lösenord.";

    /// <summary>
    /// True when the session was started through the tenant's provider, or the personal access token was made in such a
    /// session or by the operator's create-token verb (ADR 45: a token made with a password is refused, as the password
    /// session is).
    /// </summary>
    /// <summary>
    /// A session or token made through one municipality's provider reaches that municipality only: its provider vouches
    /// for its own staff, not for what the same account may do in another municipality (which decided nothing about
    /// that provider, and whose administrator cannot see or stop it).
    /// </summary>
    public const string OtherProviderMessage = "Du loggade in via en annan kommuns inloggning. Logga ut och logga in igen för att komma till den här kommunen.";

    /// <summary>True when the session or token was made through the provider of a municipality other than <paramref name="slug"/>.</summary>
    public static bool StartedThroughAnother(ClaimsPrincipal user, string slug) =>
        SsoSchemes.SlugOf(user.FindFirstValue(CookieSignIn.MethodClaim)) is { } through && !string.Equals(through, slug, StringComparison.Ordinal);

    public static bool StartedThrough(ClaimsPrincipal user, string slug) =>
        user.FindFirstValue(CookieSignIn.MethodClaim) is { } method
        && (method == SsoSchemes.SchemeOf(slug) || (method == CookieSignIn.OperatorMethod && user.Identity?.AuthenticationType != CookieSignIn.CookieScheme));
}

/// <summary>The municipality an e-mail domain belongs to, for the sign-in page.</summary>
public sealed record HomeRealm(string Slug, bool ProviderEnabled, bool LocalPasswords)
{
    public string Scheme => SsoSchemes.SchemeOf(Slug);
}

/// <summary>
/// Home realm discovery (ADR 45): the domain of the address a person types names at most one municipality
/// (domains are unique across tenants); if it has an enabled provider the person is sent there.
/// </summary>
public sealed class HomeRealms(KedjaDbContext db, SsoProviders providers)
{
    public async Task<HomeRealm?> FindAsync(string? email, CancellationToken cancellationToken = default)
    {
        // As the domains are stored (punycode, lower case), so that "anna@håbo.se" finds xn--hbo-ula.se.
        if (SsoRules.DomainOf(email?.Trim()) is not { } domain)
        {
            return null;
        }

        var tenant = await db.EmailDomains.AsNoTracking().Where(d => d.Domain == domain)
            .Join(db.Tenants, d => d.TenantId, t => t.Id, (d, t) => new { t.Slug, t.LocalPasswords })
            .SingleOrDefaultAsync(cancellationToken);
        return tenant is null ? null : new HomeRealm(tenant.Slug, await providers.FindAsync(tenant.Slug, cancellationToken) is not null, tenant.LocalPasswords);
    }
}
