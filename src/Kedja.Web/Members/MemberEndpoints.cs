using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Members;

/// <summary>A person's role in the municipality. No account id: an account may be shared with other municipalities.</summary>
public sealed record MemberDto(Guid Id, string Email, string? DisplayName, TenantRole Role, Guid? UnitId, string? UnitName, int Version);

/// <param name="DisplayName">The name this municipality gives the person; left out keeps it, "" removes it.</param>
public sealed record MemberInput(TenantRole Role, Guid? UnitId, int? Version, string? DisplayName = null);

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
        group.MapPost("/{id:guid}/invitation", ResendInvitation);
    }

    private static async Task<Ok<List<MemberDto>>> List(KedjaDbContext db)
    {
        var members = await db.Memberships.AsNoTracking().ToListAsync();
        var userIds = members.Select(m => m.UserId).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name);
        return TypedResults.Ok(members.Select(m => ToDto(m, emails[m.UserId], units)).OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>Gives a person a role in the municipality; a person without an account is invited to set their own password.</summary>
    private static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> Add(NewMemberInput input, Memberships memberships, KedjaDbContext db)
    {
        switch (await memberships.AddAsync(input))
        {
            case Memberships.AddResult.Invalid invalid:
                return Problems.Invalid(invalid.Errors);
            case Memberships.AddResult.Added added:
                var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name);
                return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/members/{added.Membership.Id}", ToDto(added.Membership, added.Email, units));
            default:
                return Problems.Conflict(Memberships.AlreadyMember);
        }
    }

    /// <summary>Sends the member a fresh invitation link if they never set a password, a notice otherwise; the answer is the same.</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> ResendInvitation(Guid id, Memberships memberships) =>
        await memberships.ResendInvitationAsync(id) ? TypedResults.Accepted((string?)null) : Problems.NotFound("Behörigheten finns inte.");

    private static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> Change(Guid id, MemberInput input, KedjaDbContext db, TenantContext tenant, HttpContext http)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id);
        if (membership is null)
        {
            return Problems.NotFound("Behörigheten finns inte.");
        }

        var errors = await Memberships.CheckAsync(input.Role, input.UnitId, db);
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
        if (input.DisplayName is not null)
        {
            membership.DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? null : input.DisplayName.Trim();
        }

        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        var email = await db.Users.AsNoTracking().Where(u => u.Id == membership.UserId).Select(u => u.Email).SingleAsync();
        return TypedResults.Ok(ToDto(membership, email, await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name)));
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

    /// <summary>An administrator's own membership, which they could otherwise lock themselves out with. System administrators hold no membership.</summary>
    private static bool IsOwn(TenantMembership membership, TenantContext tenant, HttpContext http) =>
        !tenant.IsSystemAdmin && membership.UserId == http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;

    private static MemberDto ToDto(TenantMembership m, string? email, Dictionary<Guid, string> units) =>
        new(m.Id, (email ?? "").ToLowerInvariant(), m.DisplayName, m.Role, m.UnitId, m.UnitId is { } u ? units.GetValueOrDefault(u) : null, m.Version);
}
