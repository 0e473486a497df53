using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Goals;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Goals;

/// <summary>
/// A goal as the tenant document describes it (links upward with their weights, strategies), with its version: what
/// GET gives and PUT takes back. A new goal may bring its own id, leave out its model (it follows from the level) and
/// bring strategies without ids.
/// </summary>
public sealed record VersionedGoal : GoalDoc
{
    public VersionedGoal()
    {
    }

    [SetsRequiredMembers]
    public VersionedGoal(GoalDoc goal, int version)
        : base(goal)
    {
        Version = version;
    }

    public int? Version { get; init; }
}

/// <summary>
/// Creates, changes and removes goals with the rules of <see cref="GoalRules"/>, the same the document importer applies.
/// Editors change only the goals of their own units and those below (ADR 22); administrators every goal.
/// </summary>
public sealed class GoalEditing(KedjaDbContext db, GoalDocuments documents, TenantContext tenant, TimeProvider clock)
{
    private const string Missing = "Målet finns inte.";

    public const string OutsideUnits = "Du får bara ändra mål för din egen enhet och enheterna under den.";

    /// <summary>Whether the person may create, change and remove goals owned by every one of the units.</summary>
    public async Task<bool> MayEditAsync(IReadOnlyCollection<Guid> ownerUnitIds, CancellationToken cancellationToken = default) =>
        (tenant.IsSystemAdmin || tenant.Role >= Domain.Tenancy.TenantRole.Editor) && await UnitScope.AllowsAllAsync(tenant, db, ownerUnitIds, cancellationToken);

    public async Task<List<VersionedGoal>> ListAsync(Guid? unitId, Guid? levelId, CancellationToken cancellationToken = default) =>
        [.. (await documents.ReadAsync(db.Goals.Where(g => (unitId == null || g.OwnerUnitId == unitId) && (levelId == null || g.LevelId == levelId))
            .OrderBy(g => g.SortOrder).ThenBy(g => g.Title), cancellationToken)).Select(x => new VersionedGoal(x.Doc, x.Version))];

    public async Task<ServiceResult<VersionedGoal>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await documents.ReadAsync(db.Goals.Where(g => g.Id == id), cancellationToken)) is [var (doc, version)]
            ? new VersionedGoal(doc, version)
            : ServiceError.NotFound(Missing);

    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedGoal>> CreateAsync(VersionedGoal input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await MayEditAsync([input.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Goals.AnyAsync(g => g.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan ett mål med det id:t.");
        }

        var doc = await CheckAsync(errors, input with { Id = id }, existing: null, cancellationToken);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var goal = new Goal { Id = id, Title = "" };
        db.Goals.Add(goal);
        doc.CopyTo(goal, db, [], []);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict("Det finns redan ett mål med det id:t.");
    }

    /// <summary>Changes a goal as a whole, its links upward and strategies included. Needs the version read with it.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedGoal>> UpdateAsync(Guid id, VersionedGoal input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound(Missing);
        }

        if (!await MayEditAsync([goal.OwnerUnitId, input.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var doc = await CheckAsync(errors, input with { Id = id }, goal, cancellationToken);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(goal, input.Version.Value);
        var owner = goal.OwnerUnitId;
        doc.CopyTo(goal, db, await db.GoalLinks.Where(l => l.ChildGoalId == id).ToListAsync(cancellationToken),
            await db.Strategies.Where(s => s.GoalId == id).ToListAsync(cancellationToken));
        await Organisation.UnitOwnership.MoveIfHistoryAsync(db, Domain.Organisation.OwnedKind.Goal, id, owner, goal.OwnerUnitId, Periods.Deadlines.Today(clock), cancellationToken);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>
    /// Removes a goal that nothing builds on: no indicators, activities or assessments of its own, and no goals that
    /// contribute to it. A goal that has been followed up ends with a last year instead, so that earlier reports still add up.
    /// </summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var goal = await db.Goals.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (goal is null)
        {
            return ServiceError.NotFound(Missing);
        }

        if (!await MayEditAsync([goal.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (await db.Indicators.AnyAsync(i => i.GoalId == id, cancellationToken) || await db.Activities.AnyAsync(a => a.GoalId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Målet har indikatorer eller aktiviteter. Flytta eller ta bort dem först.");
        }

        if (await db.GoalLinks.AnyAsync(l => l.ParentGoalId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Andra mål bidrar till målet. Koppla dem till ett annat mål först.");
        }

        if (await db.Assessments.AnyAsync(a => a.GoalId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Målet har bedömningar som tidigare rapporter bygger på. Ange ett slutår i stället, så upphör målet.");
        }

        return await db.RemoveAsReadAsync(goal, version.Value);
    }

    /// <summary>
    /// Completes what a client may leave out (the model follows from the level, a new strategy gets an id) and checks the
    /// goal with <see cref="GoalRules"/> against the database; when its level changes, the goals that contribute to it
    /// are checked again, as the document would check them.
    /// </summary>
    private async Task<GoalDoc> CheckAsync(ValidationErrors errors, GoalDoc input, Goal? existing, CancellationToken cancellationToken)
    {
        var parents = input.Contributes.Select(l => l.GoalId).ToList();
        var children = existing is null ? [] : await db.GoalLinks.Where(l => l.ParentGoalId == existing.Id).Select(l => l.ChildGoalId).ToListAsync(cancellationToken);
        var lookup = await documents.LookupAsync(children, goal: (input.Id, new GoalNode(input.LevelId, parents)), cancellationToken: cancellationToken);
        var doc = input with
        {
            ModelId = input.ModelId == Guid.Empty && lookup.Levels.TryGetValue(input.LevelId, out var level) ? level.ModelId : input.ModelId,
            Strategies = [.. input.Strategies.Select(s => s.Id == Guid.Empty ? s with { Id = Guid.CreateVersion7() } : s)],
        };

        var strategyIds = doc.Strategies.Select(s => s.Id).ToList();
        var taken = await db.Strategies.Where(s => s.GoalId != doc.Id && strategyIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        GoalRules.Check(errors, "", doc, lookup.Resolve(doc, taken.ToHashSet()));
        if (existing is not null && existing.ModelId != doc.ModelId)
        {
            errors.Add("modelId", "Ett mål kan inte flyttas till en annan styrmodell, där dess bedömningar och tröskelvärden inte gäller. Skapa ett nytt mål i stället.");
        }

        if (existing is not null && existing.LevelId != doc.LevelId && children.Count > 0)
        {
            await documents.CheckAgainAsync(errors, children, lookup, _ => "levelId", cancellationToken);
        }

        return doc;
    }
}
