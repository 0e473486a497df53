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

    /// <summary>When the person signed in: a session ends this long after, however busy (sliding renewal ends with it).</summary>
    public const string SinceClaim = "kedja:since";

    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>A session unused this long ends (the cookie's sliding expiry).</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(8);

    /// <summary>
    /// How the session was started: "password", or the scheme of the tenant's provider (<c>oidc:{slug}</c>). A tenant
    /// without local passwords admits only sessions started through its own provider (TenantAccess, ADR 45).
    /// </summary>
    public const string MethodClaim = "kedja:via";

    public const string PasswordMethod = "password";

    /// <summary>A token an operator made with the create-token verb (ADR 45).</summary>
    public const string OperatorMethod = "operator";

    /// <summary>
    /// Starts a password session for the account as it stands (its security stamp, its system-administrator right), with
    /// any claims the way in adds (two-factor used, or enrolment still to do: Auth/TwoFactor).
    /// </summary>
    public static Task SignInAsync(HttpContext http, KedjaUser user, IEnumerable<Claim>? claims = null) =>
        SignInAsync(http, user, PasswordMethod, idToken: null, claims);

    /// <summary>
    /// Starts a session started by <paramref name="method"/>. A provider's id token is kept inside the session cookie
    /// (encrypted, HttpOnly), for the sign-out at that provider only.
    /// </summary>
    public static async Task SignInAsync(HttpContext http, KedjaUser user, string method, string? idToken, IEnumerable<Claim>? claims = null)
    {
        var users = http.RequestServices.GetRequiredService<UserManager<KedjaUser>>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var stamp = await users.GetSecurityStampAsync(user);
        var principal = Principal(user.Id, user.Email, user.IsSystemAdmin, CookieScheme, stamp);

        // A row per sign-in, named in the cookie: the person sees it on the profile page and can end it (ASVS 3.3.4).
        var session = await http.RequestServices.GetRequiredService<BrowserSessions>().StartAsync(user.Id, stamp, http.Request.Headers.UserAgent.ToString(), http.RequestAborted);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(BrowserSessions.Claim, session.ToString()));
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SinceClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(MethodClaim, method));
        ((ClaimsIdentity)principal.Identity!).AddClaims(claims ?? []);
        var properties = new AuthenticationProperties { IsPersistent = false };
        if (idToken is not null)
        {
            properties.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
        }

        await http.SignInAsync(CookieScheme, principal, properties);
    }

    /// <summary>
    /// Ends this session on the server, not only in this browser: its row is ended, so the cookie (or a copy of it) is
    /// refused on every node from now on. The person's other browsers stay signed in (ADR 55; ADR 21 ended them all):
    /// "Logga ut alla andra" on the profile ends those. A cookie without a row (made before rows existed, during a
    /// rolling upgrade) can only be ended by a new stamp, which ends every session as before.
    /// </summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        var users = http.RequestServices.GetRequiredService<UserManager<KedjaUser>>();
        var ended = await http.RequestServices.GetRequiredService<BrowserSessions>().EndCurrentAsync(http.User, http.RequestAborted);
        if (ended == 0 && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && await users.FindByIdAsync(id) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await http.SignOutAsync(CookieScheme);
    }

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
                o.ExpireTimeSpan = IdleLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.LogoutPath = "/logga-ut";
                o.AccessDeniedPath = SignInPath;
                o.ReturnUrlParameter = "tillbaka";
                o.Events.OnValidatePrincipal = ValidateAsync;
                // Relative, so that a forged Host header never ends up in the address a browser is sent to.
                o.Events.OnRedirectToLogin = context => Relative(context);
                o.Events.OnRedirectToAccessDenied = context => Relative(context);
            });
        return builder;
    }

    private static Task Relative(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
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
        // The account and the cookie's session row in one query: this runs on every signed-in request (BrowserSessions).
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var (user, stands) = id is null ? (null, false)
            : await context.HttpContext.RequestServices.GetRequiredService<BrowserSessions>().AccountAndSessionAsync(context.Principal!, id, context.HttpContext.RequestAborted);
        var admin = context.Principal?.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true") == true;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var since = long.TryParse(context.Principal?.FindFirstValue(SinceClaim), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        if (user is null || user.SecurityStamp != context.Principal?.FindFirstValue(StampClaim) || user.IsSystemAdmin != admin || now - since > AbsoluteLifetime
            // Ended from another browser (the profile's session list), on whichever node.
            || !stands)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
