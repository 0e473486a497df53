using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Indicators;

/// <summary>
/// An indicator as the tenant document describes it, with its version: what GET gives and PUT takes back, so that
/// sending back what was read changes nothing. A new indicator may bring its own id.
/// </summary>
public sealed record VersionedIndicator : IndicatorDoc
{
    public VersionedIndicator()
    {
    }

    [SetsRequiredMembers]
    public VersionedIndicator(IndicatorDoc doc, int version)
        : base(doc) => Version = version;

    public int? Version { get; init; }
}

/// <summary>
/// Creating, changing and removing indicators with their targets, by the rules the document importer uses
/// (<see cref="IndicatorRules"/>). Editors change only the indicators their own units and those below own (ADR 22).
/// </summary>
public sealed class IndicatorEditing(KedjaDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const string NotFound = "Indikatorn finns inte.";

    public const string OutsideUnits = "Du får bara ändra indikatorer för din egen enhet och enheterna under den.";

    /// <summary>Whether the person may create, change and remove indicators owned by every one of the units.</summary>
    public async Task<bool> MayEditAsync(IReadOnlyCollection<Guid> ownerUnitIds, CancellationToken cancellationToken = default) =>
        (tenant.IsSystemAdmin || tenant.Role >= Domain.Tenancy.TenantRole.Editor) && await UnitScope.AllowsAllAsync(tenant, db, ownerUnitIds, cancellationToken);

    public async Task<List<VersionedIndicator>> ListAsync(Guid? goalId, Guid? unitId, CancellationToken cancellationToken = default) =>
        (await db.Indicators.AsNoTracking().Include(i => i.Targets)
            .Where(i => (goalId == null || i.GoalId == goalId) && (unitId == null || i.OwnerUnitId == unitId))
            .OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToListAsync(cancellationToken)).Select(Versioned).ToList();

    public async Task<ServiceResult<VersionedIndicator>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return indicator is null ? ServiceError.NotFound(NotFound) : Versioned(indicator);
    }

    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedIndicator>> CreateAsync(VersionedIndicator input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await MayEditAsync([input.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Indicators.AnyAsync(i => i.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan en indikator med det id:t.");
        }

        if (await CheckAsync(input, existing: null, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var indicator = new Indicator { Id = id, Name = "" };
        input.CopyTo(indicator);
        db.Indicators.Add(indicator);
        return await db.TrySaveAsync() ? Versioned(indicator) : ServiceError.Conflict("Det finns redan en indikator med det id:t.");
    }

    /// <summary>Changes an indicator and replaces its targets. Needs the version read with it.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedIndicator>> UpdateAsync(Guid id, VersionedIndicator input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await MayEditAsync([indicator.OwnerUnitId, input.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        if (await CheckAsync(input, indicator, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        db.ExpectVersion(indicator, input.Version.Value);
        var owner = indicator.OwnerUnitId;
        input.CopyTo(indicator);
        await Organisation.UnitOwnership.MoveIfHistoryAsync(db, Domain.Organisation.OwnedKind.Indicator, id, owner, indicator.OwnerUnitId, Periods.Deadlines.Today(clock), cancellationToken);
        return await db.TrySaveAsync() ? Versioned(indicator) : ServiceError.Conflict();
    }

    /// <summary>Removes an indicator that has no outcomes yet; one with a history is kept so that earlier reports still add up.</summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await MayEditAsync([indicator.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (await db.Outcomes.AnyAsync(o => o.IndicatorId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Indikatorn har utfall och kan inte tas bort, eftersom tidigare rapporter bygger på dem.");
        }

        return await db.RemoveAsReadAsync(indicator, version.Value);
    }

    /// <summary>The indicator's rules, with what it points at looked up in the database; null when it may be saved.</summary>
    private async Task<ServiceError?> CheckAsync(IndicatorDoc input, Indicator? existing, ValidationErrors? unreadable, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var goal = input.GoalId is { } goalId ? await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId, cancellationToken) : null;
        var scale = goal is null
            ? null
            : (await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).Select(s => s.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var recorded = existing is null
            ? null
            : await db.Outcomes.AnyAsync(o => o.IndicatorId == existing.Id, cancellationToken) ? existing.Periodicity : (PeriodKind?)null;
        var references = new IndicatorReferences(
            await db.Units.AnyAsync(u => u.Id == input.OwnerUnitId, cancellationToken),
            goal is not null,
            input.ProgramId is { } programId && await db.Programs.AnyAsync(p => p.Id == programId, cancellationToken),
            scale,
            recorded);
        IndicatorRules.Check(errors, "", input, references);
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private static VersionedIndicator Versioned(Indicator indicator) => new(indicator.ToDoc(), indicator.Version);
}
