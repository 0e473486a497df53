using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Members;

/// <summary>Who may do what in the municipality: a role, optionally limited to one unit and the units below it.</summary>
public static class MemberEndpoints
{
    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/members").WithTags("Behörigheter").RequireTenant(TenantRole.Admin);
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Add);
        group.MapPut("/{id:guid}", Change);
        group.MapDelete("/{id:guid}", Remove);
        group.MapPost("/{id:guid}/invitation", ResendInvitation);
        group.MapPost("/{id:guid}/end-sessions", EndSessions);
    }

    private static async Task<Ok<List<MemberDto>>> List(Memberships memberships) => TypedResults.Ok(await memberships.ListAsync());

    private static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> Get(Guid id, Memberships memberships) =>
        (await memberships.GetAsync(id)).ToHttp();

    /// <summary>Gives a person a role in the municipality; a person without an account is invited to set their own password.</summary>
    private static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> Add(string slug, NewMemberInput input, Memberships memberships) =>
        (await memberships.AddAsync(input)).ToCreated(m => $"/api/v1/tenants/{slug}/members/{m.Id}");

    /// <summary>Sends the member a fresh invitation link if they never set a password, a notice otherwise; the answer is the same.</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> ResendInvitation(Guid id, Memberships memberships) =>
        await memberships.ResendInvitationAsync(id) ? TypedResults.Accepted((string?)null) : Problems.NotFound(Memberships.NotFound);

    /// <summary>Changes a member's role, unit or name: send back what GET gave, changed where it should change.</summary>
    private static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> Change(Guid id, MemberInput input, Memberships memberships) =>
        (await memberships.ChangeAsync(id, input)).ToHttp();

    /// <summary>Ends every sign-in of the person, in every municipality: cookie sessions on every node and all personal access tokens.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> EndSessions(Guid id, MemberSessions sessions) =>
        (await sessions.EndAllAsync(id)).ToNoContent();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Remove(Guid id, string? version, Memberships memberships) =>
        (await memberships.RemoveAsync(id, QueryValue.Int(version))).ToNoContent();
}
