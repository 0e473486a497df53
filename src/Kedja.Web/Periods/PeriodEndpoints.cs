using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

public sealed record PeriodDto(Guid Id, string Key, string Name, DateOnly StartDate, DateOnly EndDate, DateOnly? Deadline, bool IsPublished,
    DateTime? PublishedAt, string? PublishedBy, int Version);

public sealed record PublicationInput(bool IsPublished, int? Version);

/// <param name="Version">0 for a unit whose follow-up has never moved (it is open without a row of its own).</param>
public sealed record UnitWorkflowDto(Guid UnitId, string UnitName, UnitKind UnitKind, WorkflowState State, string StateName, string? ChangedBy, DateTime? ChangedAt,
    string? ReopenReason, int Version);

public sealed record WorkflowInput(WorkflowAction Action, string? Reason, int? Version);

public sealed record LockResult(int Locked, int AlreadyLocked);

public static class PeriodEndpoints
{
    public static void MapPeriods(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Perioder och arbetsflöde");
        group.MapGet("/periods", List).RequireTenant();
        group.MapPut("/periods/{key}/publication", Publish).RequireTenant(TenantRole.Admin);
        group.MapGet("/periods/{key}/workflow", Workflow).RequireTenant();
        group.MapPost("/periods/{key}/lock", LockAll).RequireTenant(TenantRole.Admin);
        group.MapPost("/units/{unitId:guid}/periods/{key}/workflow", Transition).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<PeriodDto>>> List(KedjaDbContext db) =>
        TypedResults.Ok((await db.Periods.AsNoTracking().ToListAsync()).OrderBy(p => p.Ref).Select(ToDto).ToList());

    /// <summary>Publishes a period to the public portal, or withdraws it. Nothing of an unpublished period is ever public.</summary>
    private static async Task<Results<Ok<PeriodDto>, ValidationProblem, ProblemHttpResult>> Publish(string key, PublicationInput input, KedjaDbContext db, IAuditActor actor)
    {
        var period = await db.Periods.SingleOrDefaultAsync(p => p.Key == key);
        if (period is null)
        {
            return Problems.NotFound("Perioden finns inte i uppföljningskalendern.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        db.ExpectVersion(period, input.Version.Value);
        period.IsPublished = input.IsPublished;
        period.PublishedAt = input.IsPublished ? DateTime.UtcNow : null;
        period.PublishedBy = input.IsPublished ? actor.Name : null;
        return await db.TrySaveAsync() ? TypedResults.Ok(ToDto(period)) : Problems.Conflict();
    }

    /// <summary>Where every active unit's follow-up for the period stands.</summary>
    private static async Task<Results<Ok<List<UnitWorkflowDto>>, ProblemHttpResult>> Workflow(string key, KedjaDbContext db)
    {
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key);
        if (period is null)
        {
            return Problems.NotFound("Perioden finns inte i uppföljningskalendern.");
        }

        var states = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.PeriodId == period.Id).ToDictionaryAsync(s => s.UnitId);
        var units = await db.Units.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync();
        return TypedResults.Ok(units.Select(u => ToDto(u, states.GetValueOrDefault(u.Id))).ToList());
    }

    /// <summary>
    /// Takes one step in a unit's follow-up: the unit submits, the level above (or the controller) approves or sends it
    /// back, the controller locks and reopens. Every reopening is recorded with its reason.
    /// </summary>
    private static async Task<Results<Ok<UnitWorkflowDto>, ValidationProblem, ProblemHttpResult>> Transition(
        Guid unitId, string key, WorkflowInput input, KedjaDbContext db, TenantContext tenant, IAuditActor actor)
    {
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == unitId);
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key);
        if (unit is null || period is null)
        {
            return Problems.NotFound(unit is null ? "Enheten finns inte." : "Perioden finns inte i uppföljningskalendern.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du utgår från (0 om uppföljningen aldrig har flyttats), så att ingen annans steg skrivs över.");
        }

        var status = await db.UnitPeriodStatuses.SingleOrDefaultAsync(s => s.UnitId == unitId && s.PeriodId == period.Id);
        if ((status?.Version ?? 0) != input.Version)
        {
            return Problems.Conflict();
        }

        var (step, error) = PeriodWorkflow.Plan(status?.State ?? WorkflowState.Open, input.Action, input.Reason);
        if (step is not { } next)
        {
            return Problems.Invalid(error == PeriodWorkflow.ReasonMissing ? "reason" : "action", error!);
        }

        var allowed = next.Authority switch
        {
            WorkflowAuthority.Unit => await UnitScope.AllowsAsync(tenant, db, unitId),
            WorkflowAuthority.Above => tenant.Role == TenantRole.Admin || await UnitScope.IsAboveAsync(tenant, db, unitId),
            _ => tenant.Role == TenantRole.Admin,
        };
        if (!allowed)
        {
            return Problems.Forbidden(next.Authority switch
            {
                WorkflowAuthority.Unit => "Du får bara skicka in uppföljningen för din egen enhet och enheterna under den.",
                WorkflowAuthority.Above => "Uppföljningen godkänns eller skickas tillbaka av nivån ovanför enheten.",
                _ => "Bara kommunens administratör får låsa uppföljningen eller öppna en låst uppföljning.",
            });
        }

        if (status is null)
        {
            // Version 1, so that a client holding the implicit open state (version 0) cannot act on it a second time.
            status = new UnitPeriodStatus { UnitId = unitId, PeriodId = period.Id, Version = 1 };
            db.UnitPeriodStatuses.Add(status);
        }
        else
        {
            db.ExpectVersion(status, input.Version.Value);
        }

        status.State = next.To;
        status.ChangedBy = actor.Name;
        status.ChangedAt = DateTime.UtcNow;
        status.ReopenReason = input.Action == WorkflowAction.Reopen ? input.Reason!.Trim() : null;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(ToDto(unit, status));
    }

    /// <summary>Locks the follow-up of every active unit for the period, as when the report has gone to the council.</summary>
    private static async Task<Results<Ok<LockResult>, ProblemHttpResult>> LockAll(string key, KedjaDbContext db, IAuditActor actor)
    {
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key);
        if (period is null)
        {
            return Problems.NotFound("Perioden finns inte i uppföljningskalendern.");
        }

        var states = await db.UnitPeriodStatuses.Where(s => s.PeriodId == period.Id).ToDictionaryAsync(s => s.UnitId);
        var unitIds = await db.Units.AsNoTracking().Where(u => u.IsActive).Select(u => u.Id).ToListAsync();
        var now = DateTime.UtcNow;
        var locked = 0;
        foreach (var unitId in unitIds)
        {
            var status = states.GetValueOrDefault(unitId);
            if (status is { State: WorkflowState.Locked })
            {
                continue;
            }

            if (status is null)
            {
                db.UnitPeriodStatuses.Add(status = new UnitPeriodStatus { UnitId = unitId, PeriodId = period.Id, Version = 1 });
            }

            status.State = WorkflowState.Locked;
            status.ChangedBy = actor.Name;
            status.ChangedAt = now;
            status.ReopenReason = null;
            locked++;
        }

        return await db.TrySaveAsync() ? TypedResults.Ok(new LockResult(locked, unitIds.Count - locked)) : Problems.Conflict();
    }

    private static PeriodDto ToDto(FollowUpPeriod p) =>
        new(p.Id, p.Key, p.Name, p.StartDate, p.EndDate, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy, p.Version);

    private static UnitWorkflowDto ToDto(OrgUnit unit, UnitPeriodStatus? status)
    {
        var state = status?.State ?? WorkflowState.Open;
        return new UnitWorkflowDto(unit.Id, unit.Name, unit.Kind, state, PeriodWorkflow.Name(state), status?.ChangedBy, status?.ChangedAt, status?.ReopenReason,
            status?.Version ?? 0);
    }
}
