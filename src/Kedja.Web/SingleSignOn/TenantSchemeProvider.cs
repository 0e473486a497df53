using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// The schemes registered at start-up, plus one OpenID Connect scheme per tenant with an enabled provider
/// (<c>oidc:{slug}</c>), read from the database (ADR 45). Only a request to a tenant's callback path is offered to that
/// tenant's handler, so the other requests cost one string comparison, however many tenants there are.
/// </summary>
public sealed class TenantSchemeProvider(IOptions<AuthenticationOptions> options, SsoProviders providers, IHttpContextAccessor accessor)
    : AuthenticationSchemeProvider(options)
{
    public override async Task<AuthenticationScheme?> GetSchemeAsync(string name)
    {
        if (SsoSchemes.SlugOf(name) is { } slug)
        {
            return await providers.FindAsync(slug) is null ? null : Scheme(name);
        }

        return await base.GetSchemeAsync(name);
    }

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var handlers = await base.GetRequestHandlerSchemesAsync();
        var path = accessor.HttpContext?.Request.Path.Value;
        if (path is null || !path.StartsWith(SsoSchemes.PathPrefix, StringComparison.Ordinal))
        {
            return handlers;
        }

        // /inloggning/oidc/{slug} (the callback) and /inloggning/oidc/{slug}/ut (back from the provider's sign-out).
        var rest = path[SsoSchemes.PathPrefix.Length..];
        var slug = rest.EndsWith("/ut", StringComparison.Ordinal) ? rest[..^3] : rest;
        if (slug.Length == 0 || slug.Contains('/', StringComparison.Ordinal) || await providers.FindAsync(slug) is null)
        {
            return handlers;
        }

        return [.. handlers, Scheme(SsoSchemes.SchemeOf(slug))];
    }

    private static AuthenticationScheme Scheme(string name) => new(name, null, typeof(OpenIdConnectHandler));
}
