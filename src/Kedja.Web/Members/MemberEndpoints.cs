using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Members;

public sealed record MemberDto(Guid Id, string UserId, string Email, string? DisplayName, TenantRole Role, Guid? UnitId, string? UnitName, int Version);

/// <param name="Password">Only for a person who has no account yet: their first password, which they should change.</param>
public sealed record NewMemberInput(string Email, string? DisplayName, TenantRole Role, Guid? UnitId, string? Password);

public sealed record MemberInput(TenantRole Role, Guid? UnitId, int? Version);

/// <summary>Who may do what in the municipality: a role, optionally limited to one unit and the units below it.</summary>
public static class MemberEndpoints
{
    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/members").WithTags("Behörigheter").RequireTenant(TenantRole.Admin);
        group.MapGet("/", List);
        group.MapPost("/", Add);
        group.MapPut("/{id:guid}", Change);
        group.MapDelete("/{id:guid}", Remove);
    }

    private static async Task<Ok<List<MemberDto>>> List(KedjaDbContext db)
    {
        var members = await db.Memberships.AsNoTracking().ToListAsync();
        var userIds = members.Select(m => m.UserId).ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name);
        return TypedResults.Ok(members.Select(m => ToDto(m, users[m.UserId], units)).OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>Gives a person a role in the municipality, creating their account when they have none.</summary>
    private static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> Add(NewMemberInput input, KedjaDbContext db, UserManager<KedjaUser> users)
    {
        var errors = await CheckAsync(input.Role, input.UnitId, db);
        if (string.IsNullOrWhiteSpace(input.Email) || !input.Email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "Ange personens e-postadress.");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var email = input.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is not null && await db.Memberships.AnyAsync(m => m.UserId == user.Id))
        {
            return Problems.Conflict($"{email} har redan en roll i kommunen. Ändra den i stället.");
        }

        // The account and the membership are one change: if the membership cannot be saved, no account is left behind.
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (user is null)
        {
            if (string.IsNullOrEmpty(input.Password))
            {
                return Problems.Invalid("password", $"{email} har inget konto. Ange ett första lösenord.");
            }

            user = new KedjaUser { UserName = email, Email = email, DisplayName = input.DisplayName?.Trim() };
            var created = await users.CreateAsync(user, input.Password);
            if (!created.Succeeded)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["password"] = [.. created.Errors.Select(e => e.Description)] });
            }
        }

        var membership = new TenantMembership { UserId = user.Id, Role = input.Role, UnitId = input.UnitId };
        db.Memberships.Add(membership);
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict($"{email} har redan en roll i kommunen. Ändra den i stället.");
        }

        await transaction.CommitAsync();
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name);
        return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/members/{membership.Id}", ToDto(membership, user, units));
    }

    private static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> Change(Guid id, MemberInput input, KedjaDbContext db, TenantContext tenant, HttpContext http)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id);
        if (membership is null)
        {
            return Problems.NotFound("Behörigheten finns inte.");
        }

        var errors = await CheckAsync(input.Role, input.UnitId, db);
        if (input.Version is null)
        {
            errors.Add("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (IsOwn(membership, tenant, http) && input.Role != TenantRole.Admin)
        {
            return Problems.Invalid("role", "Du kan inte ta bort din egen administratörsroll. Be en annan administratör.");
        }

        db.ExpectVersion(membership, input.Version!.Value);
        membership.Role = input.Role;
        membership.UnitId = input.UnitId;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == membership.UserId);
        return TypedResults.Ok(ToDto(membership, user, await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name)));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Remove(Guid id, int? version, KedjaDbContext db, TenantContext tenant, HttpContext http)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id);
        if (membership is null)
        {
            return Problems.NotFound("Behörigheten finns inte.");
        }

        if (version is null)
        {
            return Problems.Invalid("version", "Ange versionen du tar bort.");
        }

        if (IsOwn(membership, tenant, http))
        {
            return Problems.Invalid("id", "Du kan inte ta bort din egen behörighet. Be en annan administratör.");
        }

        db.ExpectVersion(membership, version.Value);
        db.Memberships.Remove(membership);
        return await db.TrySaveAsync() ? TypedResults.NoContent() : Problems.Conflict();
    }

    private static async Task<ValidationErrors> CheckAsync(TenantRole role, Guid? unitId, KedjaDbContext db)
    {
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(role))
        {
            errors.Add("role", "Okänd roll. Välj reader, editor eller admin.");
        }

        if (unitId is { } id && !await db.Units.AnyAsync(u => u.Id == id))
        {
            errors.Add("unitId", "Enheten finns inte.");
        }

        return errors;
    }

    /// <summary>An administrator's own membership, which they could otherwise lock themselves out with. System administrators hold no membership.</summary>
    private static bool IsOwn(TenantMembership membership, TenantContext tenant, HttpContext http) =>
        !tenant.IsSystemAdmin && membership.UserId == http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;

    private static MemberDto ToDto(TenantMembership m, KedjaUser user, Dictionary<Guid, string> units) =>
        new(m.Id, m.UserId, user.Email ?? user.UserName ?? "", user.DisplayName, m.Role, m.UnitId, m.UnitId is { } u ? units.GetValueOrDefault(u) : null, m.Version);
}
