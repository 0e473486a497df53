using System.Security.Claims;
using Kedja.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Kedja.Web.Auth;

/// <summary>
/// How a request is authenticated (ADR 21): a bearer token wherever one is sent (the API, scripts), a sign-in cookie
/// for the pages. The API never accepts the cookie, so a page in another site cannot make a signed-in browser write
/// through it (no CSRF on the API); the pages' forms carry antiforgery tokens.
/// </summary>
public static class CookieSignIn
{
    /// <summary>The default scheme: chooses the token or the cookie per request.</summary>
    public const string Scheme = "Kedja";

    public const string CookieScheme = "Kedja.Cookie";

    /// <summary>The account's security stamp at sign-in: a new password (or a reset) changes it and ends every session.</summary>
    public const string StampClaim = "kedja:stamp";

    public const string SignInPath = "/logga-in";

    public static AuthenticationBuilder AddKedjaAuthentication(this IServiceCollection services)
    {
        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || http.Request.Path.StartsWithSegments("/api")
                    ? TokenAuthenticationHandler.SchemeName
                    : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "kedja";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (behind a proxy: forwarded headers, ADR 13).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.LogoutPath = "/logga-ut";
                o.AccessDeniedPath = SignInPath;
                o.ReturnUrlParameter = "tillbaka";
                o.Events.OnValidatePrincipal = ValidateAsync;
            });
        return builder;
    }

    /// <summary>The signed-in person as both schemes describe them.</summary>
    public static ClaimsPrincipal Principal(string userId, string? email, bool isSystemAdmin, string scheme, string? stamp = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId), new(ClaimTypes.Name, email ?? userId) };
        if (isSystemAdmin)
        {
            claims.Add(new Claim(TokenAuthenticationHandler.SystemAdminClaim, "true"));
        }

        if (stamp is not null)
        {
            claims.Add(new Claim(StampClaim, stamp));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// Every request with the cookie is checked against the account as it stands, on whichever node: a removed account,
    /// a new password or a changed system-administrator right ends the session at once, not when the cookie expires.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<KedjaUser>>();
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var user = id is null ? null : await users.FindByIdAsync(id);
        var admin = context.Principal?.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true") == true;
        if (user is null || user.SecurityStamp != context.Principal?.FindFirstValue(StampClaim) || user.IsSystemAdmin != admin)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
