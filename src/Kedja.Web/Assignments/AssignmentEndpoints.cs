using Kedja.Domain.Assignments;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Assignments;

/// <summary>Assignments (uppdrag) in the document's shape (<see cref="VersionedAssignment"/>), their reports per period and their closing.</summary>
public static class AssignmentEndpoints
{
    public static void MapAssignments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/assignments").WithTags("Uppdrag");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Editor);
        group.MapPut("/{id:guid}/reports/{periodKey}", PutReport).RequireTenant(TenantRole.Editor);
        group.MapPost("/{id:guid}/closing", Close).RequireTenant(TenantRole.Editor);
        group.MapDelete("/{id:guid}/closing", Reopen).RequireTenant(TenantRole.Editor);
    }

    /// <summary>The assignments the person sees, narrowed by responsible unit, giving unit, status, overdue (true) and year.</summary>
    private static async Task<Ok<List<VersionedAssignment>>> List(string? unitId, string? giverUnitId, string? status, string? overdue, string? year, AssignmentEditing assignments) =>
        TypedResults.Ok(await assignments.ListAsync(new AssignmentFilter(QueryValue.Guid(unitId), QueryValue.Guid(giverUnitId), Status(status), Flag(overdue), QueryValue.Int(year))));

    private static AssignmentStatus? Status(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : Enum.TryParse<AssignmentStatus>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _) ? value
        : throw new BadQueryValueException("status");

    private static bool Flag(string? text) =>
        string.IsNullOrEmpty(text) ? false : bool.TryParse(text, out var value) ? value : throw new BadQueryValueException("overdue");

    private static async Task<Results<Ok<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> Get(Guid id, AssignmentEditing assignments) =>
        (await assignments.GetAsync(id)).ToHttp();

    /// <summary>Gives an assignment; number 0 (or none) takes the next free number. Status, closing and reports are not set here.</summary>
    private static async Task<Results<Created<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> Create(string slug, VersionedAssignment input, AssignmentEditing assignments) =>
        (await assignments.CreateAsync(input)).ToCreated(x => $"/api/v1/tenants/{slug}/assignments/{x.Id}");

    /// <summary>Changes the decision: send back what GET gave, changed where it should change. Status, closing and reports are left as they are.</summary>
    private static async Task<Results<Ok<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> Update(Guid id, VersionedAssignment input, AssignmentEditing assignments) =>
        (await assignments.UpdateAsync(id, input)).ToHttp();

    /// <summary>The responsible unit's report for the period; its status becomes the assignment's.</summary>
    private static async Task<Results<Ok<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> PutReport(Guid id, string periodKey, AssignmentReportInput input, AssignmentEditing assignments) =>
        (await assignments.ReportAsync(id, periodKey, input)).ToHttp();

    /// <summary>The giver closes the assignment: återrapporterat och avslutat (Closed), or ej genomfört (NotDone) with a reason.</summary>
    private static async Task<Results<Ok<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> Close(Guid id, AssignmentClosingInput input, AssignmentEditing assignments) =>
        (await assignments.CloseAsync(id, input)).ToHttp();

    /// <summary>The giver opens a closed assignment again, with a reason.</summary>
    private static async Task<Results<Ok<VersionedAssignment>, ValidationProblem, ProblemHttpResult>> Reopen(Guid id, [FromBody] AssignmentReopenInput input, AssignmentEditing assignments) =>
        (await assignments.ReopenAsync(id, input)).ToHttp();
}
