using System.Security.Claims;
using Kedja.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

public sealed record TokenRequest(string Email, string Password, string? Name = null, int? ExpiresInDays = null);

public sealed record TokenResponse(string Token, Guid Id, DateTime? ExpiresAt);

public sealed record TokenInfo(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

public static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Inloggning");
        group.MapPost("/tokens", CreateToken).AllowAnonymous();
        group.MapGet("/tokens", ListTokens);
        group.MapDelete("/tokens/{id:guid}", RevokeToken);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> CreateToken(
        TokenRequest request, UserManager<KedjaUser> users, KedjaDbContext db)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email);
        if (user is null || string.IsNullOrEmpty(request.Password) || await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, request.Password))
        {
            if (user is not null)
            {
                await users.AccessFailedAsync(user);
            }

            return TypedResults.Problem(title: "Fel e-postadress eller lösenord.", statusCode: StatusCodes.Status401Unauthorized);
        }

        await users.ResetAccessFailedCountAsync(user);
        var secret = Tokens.NewSecret();
        var token = new PersonalAccessToken
        {
            UserId = user.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? "API" : request.Name.Trim(),
            TokenHash = Tokens.Hash(secret),
            Prefix = secret[..12],
            CreatedAt = DateTime.UtcNow,
            ExpiresAt = request.ExpiresInDays is > 0 ? DateTime.UtcNow.AddDays(request.ExpiresInDays.Value) : null,
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync();
        return TypedResults.Ok(new TokenResponse(secret, token.Id, token.ExpiresAt));
    }

    private static async Task<Ok<List<TokenInfo>>> ListTokens(ClaimsPrincipal user, KedjaDbContext db)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var tokens = await db.AccessTokens.Where(t => t.UserId == userId).OrderBy(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToListAsync();
        return TypedResults.Ok(tokens);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeToken(Guid id, ClaimsPrincipal user, KedjaDbContext db)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId);
        if (token is null)
        {
            return TypedResults.NotFound();
        }

        token.RevokedAt ??= DateTime.UtcNow;
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }
}
