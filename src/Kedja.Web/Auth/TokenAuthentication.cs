using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kedja.Data;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>
/// Accepts "Authorization: Bearer kedja_..." personal access tokens. The token is looked up by its SHA-256 hash,
/// so a leaked database does not leak usable tokens. (JwtBearer is not available here, and opaque tokens can be revoked.)
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KedjaDbContext db,
    TimeProvider clock,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string SystemAdminClaim = "kedja:system-admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = Tokens.Hash(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.AccessTokens
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, u.Id, u.Email, u.DisplayName, u.IsSystemAdmin, t.CreatedVia })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("Ogiltig eller återkallad token.");
        }

        var principal = CookieSignIn.Principal(found.Id, found.Email, found.IsSystemAdmin, SchemeName);

        // A token carries how it was made, so a tenant without local passwords can refuse one made with a password.
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(CookieSignIn.MethodClaim, found.CreatedVia ?? CookieSignIn.PasswordMethod));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>401 names the scheme (RFC 6750), says whether a token was refused, and explains in Swedish.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refused = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = refused ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = refused ? "Token är ogiltig, har gått ut eller är återkallad. Skapa en ny." : SwedishProblems.Title(StatusCodes.Status401Unauthorized),
            },
        });
    }
}

public static class Tokens
{
    public static string NewSecret() => "kedja_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
