using System.Security.Claims;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Auth;

public sealed record TokenRequest(string Email, string Password, string? Name = null, int? ExpiresInDays = null);

public sealed record TokenResponse(string Token, Guid Id, DateTime? ExpiresAt);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ForgotPasswordRequest(string? Email);

/// <param name="Secret">The one-time code from the link in the mail (its <c>kod</c>).</param>
public sealed record SetPasswordRequest(string? Secret, string? NewPassword);

public sealed record Accepted202(string Message);

public static class AuthEndpoints
{
    public const string ForgotAnswer = "Om adressen hör till ett konto i Kedja skickas ett brev med en länk för att välja nytt lösenord.";

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Inloggning");
        group.MapPost("/tokens", CreateToken).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        group.MapGet("/tokens", ListTokens);
        group.MapDelete("/tokens/{id:guid}", RevokeToken);
        group.MapPost("/password", ChangePassword).RequireRateLimiting(RateLimits.SignIn);
        group.MapPost("/password/forgot", Forgot).AllowAnonymous().RequireRateLimiting(RateLimits.Forgot);
        group.MapPost("/password/set", SetPassword).AllowAnonymous().RequireRateLimiting(RateLimits.SetPassword);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> CreateToken(
        TokenRequest request, SignIn signIn, AccessTokens tokens, TwoFactor.SecondFactor twoFactor, HttpContext http)
    {
        if (AccessTokens.CheckDays(request.ExpiresInDays) is { } error)
        {
            return Problems.Invalid("expiresInDays", error);
        }

        switch (await signIn.CheckPasswordAsync(request.Email, request.Password, ClientAddress.Of(http), http.RequestAborted))
        {
            case SignInResult.Succeeded ok when await twoFactor.RefusesPasswordOnlyAsync(ok.User, http.RequestAborted):
                // The same answer as a wrong password: a token endpoint must not tell that the password was right.
                await twoFactor.RefusePasswordOnlyAsync(ok.User, ClientAddress.Of(http), http.RequestAborted);
                return Unauthorized(http, "Fel e-postadress eller lösenord.");
            case SignInResult.Succeeded ok:
                var (secret, token) = await tokens.CreateAsync(ok.User, request.Name, request.ExpiresInDays, CookieSignIn.PasswordMethod, http.RequestAborted);

                // The secret is shown once and must not stay in any cache on the way.
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new TokenResponse(secret, token.Id, token.ExpiresAt));
            case SignInResult.Delayed delayed:
                return RateLimits.TooManyAttempts(http, delayed.RetryAfter);
            case SignInResult.LockedOut:
                return Unauthorized(http, "Kontot är tillfälligt spärrat efter för många misslyckade inloggningar. Försök igen om en stund.");
            default:
                return Unauthorized(http, "Fel e-postadress eller lösenord.");
        }
    }

    /// <summary>Every 401 names the scheme the API takes (RFC 6750), also when a sign-in for a token fails.</summary>
    private static ProblemHttpResult Unauthorized(HttpContext http, string title)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(title: title, statusCode: StatusCodes.Status401Unauthorized);
    }

    private static async Task<Ok<List<TokenInfo>>> ListTokens(ClaimsPrincipal user, AccessTokens tokens) =>
        TypedResults.Ok(await tokens.ListAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!));

    private static async Task<Results<NoContent, NotFound>> RevokeToken(Guid id, ClaimsPrincipal user, AccessTokens tokens) =>
        await tokens.RevokeAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.Identity?.Name ?? "", id) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal user, Accounts accounts, HttpContext http) =>
        ToResult(await accounts.ChangePasswordAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, request.CurrentPassword, request.NewPassword, ClientAddress.Of(http), http.RequestAborted), http);

    /// <summary>Always 202 with the same text, whether or not the address has an account; the lookup happens afterwards, in the mail worker.</summary>
    private static async Task<Results<Accepted<Accepted202>, ProblemHttpResult>> Forgot(ForgotPasswordRequest request, Accounts accounts, AccountRateLimits limits, HttpContext http)
    {
        if (await limits.ForgotAsync(request.Email?.Trim(), http.RequestAborted) is { } wait)
        {
            return RateLimits.TooManyAttempts(http, wait);
        }

        await accounts.RequestResetAsync(request.Email ?? "", http.RequestAborted);
        return TypedResults.Accepted((string?)null, new Accepted202(ForgotAnswer));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPassword(SetPasswordRequest request, Accounts accounts, HttpContext http) =>
        ToResult(await accounts.SetPasswordWithLinkAsync(request.Secret, request.NewPassword, http.RequestAborted), http);

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> ToResult(PasswordResult result, HttpContext http) => result switch
    {
        PasswordResult.Invalid invalid => Problems.Invalid(invalid.Errors, "Lösenordet har inte ändrats."),
        PasswordResult.Delayed delayed => RateLimits.TooManyAttempts(http, delayed.RetryAfter),
        _ => TypedResults.NoContent(),
    };
}
