using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Web.Exchange;
using Kedja.Web.Goals;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <summary>
/// Creates, changes and removes organisation units with the rules of <see cref="UnitRules"/>, the same the document
/// importer applies. A unit that has been used is deactivated rather than removed, so that its history stays.
/// </summary>
public sealed class UnitEditing(KedjaDbContext db, GoalDocuments goals)
{
    private const string Missing = "Enheten finns inte.";

    /// <summary>Every unit of the tenant as the document describes it, by id.</summary>
    public static async Task<Dictionary<Guid, UnitDoc>> DocsAsync(KedjaDbContext db, CancellationToken cancellationToken = default)
    {
        var serves = await ServesAsync(db, cancellationToken);
        return (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(u => u.Id, u => UnitMapping.ToDoc(u, serves[u.Id]));
    }

    public async Task<List<VersionedUnit>> ListAsync(CancellationToken cancellationToken = default)
    {
        var serves = await ServesAsync(db, cancellationToken);
        return [.. (await db.Units.AsNoTracking().OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(cancellationToken))
            .Select(u => VersionedUnit.Of(UnitMapping.ToDoc(u, serves[u.Id]), u.Version))];
    }

    private static async Task<ILookup<Guid, Guid>> ServesAsync(KedjaDbContext db, CancellationToken cancellationToken) =>
        (await db.UnitServices.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(s => s.AdministrationId, s => s.CommitteeId);

    public async Task<ServiceResult<VersionedUnit>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound(Missing);
        }

        var serves = await db.UnitServices.AsNoTracking().Where(s => s.AdministrationId == id).Select(s => s.CommitteeId).ToListAsync(cancellationToken);
        return VersionedUnit.Of(UnitMapping.ToDoc(unit, serves), unit.Version);
    }

    public async Task<ServiceResult<VersionedUnit>> CreateAsync(VersionedUnit input, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var doc = input with { Id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id, Serves = input.Serves ?? [] };
        if (await db.Units.AnyAsync(u => u.Id == doc.Id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan en enhet med det id:t.");
        }

        UnitRules.Check(errors, "", doc, UnitReferences.Resolve(doc, await DocsAsync(db, cancellationToken)));
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var unit = new OrgUnit { Id = doc.Id, Name = "" };
        db.Units.Add(unit);
        doc.CopyTo(unit, db, []);
        return await db.TrySaveAsync() ? await GetAsync(unit.Id, cancellationToken) : ServiceError.Conflict("Det finns redan en enhet med det id:t.");
    }

    /// <summary>Renames, moves, retypes or deactivates a unit. Needs the version read with it.</summary>
    public async Task<ServiceResult<VersionedUnit>> UpdateAsync(Guid id, VersionedUnit input, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound(Missing);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var doc = input with { Id = id, Serves = input.Serves ?? [] };
        var units = await DocsAsync(db, cancellationToken);
        UnitRules.Check(errors, "", doc, UnitReferences.Resolve(doc, units));
        if (doc.Kind != unit.Kind)
        {
            await CheckDependentsAsync(errors, doc, units, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(unit, input.Version.Value);
        doc.CopyTo(unit, db, await db.UnitServices.Where(s => s.AdministrationId == id).ToListAsync(cancellationToken));
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Removes a unit that nothing refers to; the nämnder it serves, or is served by, are let go.</summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return ServiceError.NotFound(Missing);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        var inUse = await db.Units.AnyAsync(u => u.ParentId == id, cancellationToken) || await db.Goals.AnyAsync(g => g.OwnerUnitId == id, cancellationToken)
            || await db.Indicators.AnyAsync(i => i.OwnerUnitId == id, cancellationToken) || await db.Activities.AnyAsync(a => a.ResponsibleUnitId == id, cancellationToken)
            || await db.Programs.AnyAsync(p => p.OwnerUnitId == id, cancellationToken) || await db.BudgetFrames.AnyAsync(b => b.UnitId == id, cancellationToken)
            || await db.Memberships.AnyAsync(m => m.UnitId == id, cancellationToken) || await db.Documents.AnyAsync(d => d.DecidedByUnitId == id, cancellationToken)
            || await db.ReportSnapshots.AnyAsync(r => r.UnitId == id, cancellationToken);
        if (inUse)
        {
            return ServiceError.Invalid("id", "Enheten har underenheter, mål, indikatorer, aktiviteter, budget, dokument, rapporter eller behörigheter. Inaktivera den i stället, så finns historiken kvar.");
        }

        // A unit a reorganisation names, or that the history says owned something or was something, carries history too
        // (review 16, finding 16): its versions would cascade away, an ownership row would refuse the delete with a
        // database error, and a planned merge would lose a unit it is to confirm.
        if (await InHistoryAsync(id, cancellationToken))
        {
            return ServiceError.Conflict("Enheten ingår i en omorganisation eller i organisationens historik (tidigare namn, placering eller ägda mål och indikatorer). "
                + "Den kan inte tas bort, men den kan inaktiveras.");
        }

        db.UnitServices.RemoveRange(await db.UnitServices.Where(s => s.AdministrationId == id || s.CommitteeId == id).ToListAsync(cancellationToken));
        return await db.RemoveAsReadAsync(unit, version.Value);
    }

    /// <summary>Whether an ownership, a unit version or a reorganisation's step or mapping names the unit.</summary>
    private async Task<bool> InHistoryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await db.Ownerships.AnyAsync(o => o.UnitId == id, cancellationToken) || await db.OrgUnitVersions.AnyAsync(v => v.UnitId == id || v.ParentId == id, cancellationToken)
            || await db.ReorganisationMappings.AnyAsync(m => m.FromUnitId == id || m.ToUnitId == id, cancellationToken))
        {
            return true;
        }

        // Steps keep their units as JSON lists, and a tenant has a handful of them: read and looked through here.
        return (await db.ReorganisationSteps.AsNoTracking().Select(s => new { s.SourceUnitIds, s.TargetUnitIds, s.NewParentId }).ToListAsync(cancellationToken))
            .Any(s => s.SourceUnitIds.Contains(id) || s.TargetUnitIds.Contains(id) || s.NewParentId == id);
    }

    /// <summary>
    /// A new kind must still suit what points at the unit: the levels and dimensions of the goals it owns, and the
    /// förvaltningar that serve it. Each is checked again with its own rules, with the unit as it would be.
    /// </summary>
    private async Task CheckDependentsAsync(ValidationErrors errors, UnitDoc changed, Dictionary<Guid, UnitDoc> units, CancellationToken cancellationToken)
    {
        var owned = await db.Goals.Where(g => g.OwnerUnitId == changed.Id).Select(g => g.Id).ToListAsync(cancellationToken);
        if (owned.Count > 0)
        {
            await goals.CheckAgainAsync(errors, owned, await goals.LookupAsync(owned, unit: changed, cancellationToken: cancellationToken), _ => "kind", cancellationToken);
        }

        var after = new Dictionary<Guid, UnitDoc>(units) { [changed.Id] = changed };
        var broken = new List<(string Name, string Message)>();
        foreach (var administration in units.Values.Where(u => u.Id != changed.Id && (u.Serves ?? []).Contains(changed.Id)))
        {
            var check = new ValidationErrors();
            UnitRules.Check(check, "", administration, UnitReferences.Resolve(administration, after));
            broken.AddRange(check.ToDictionary().SelectMany(x => x.Value.Select(message => (administration.Name, message))));
        }

        Dependents.Report(errors, "kind", broken, "enheten", "enheterna", "ogiltig");
    }
}
