using Kedja.Data;
using Kedja.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <summary>
/// A tenant's whole organisation history read at once (issue 16, review 16 findings 3 and 15): the units as they are now,
/// their versions and the goals' and indicators' owners by date, for readers that place many rows of several periods
/// (open data, reports). Read through whichever view is given, so the published view lets through only what it makes public.
/// </summary>
public sealed class OrganisationHistory
{
    private readonly List<UnitState> current;
    private readonly List<UnitVersion> versions;
    private readonly ILookup<(OwnedKind, Guid), Owner> owners;
    private readonly Dictionary<DateOnly, Dictionary<Guid, UnitState>> asOf = [];

    private OrganisationHistory(List<UnitState> current, List<UnitVersion> versions, ILookup<(OwnedKind, Guid), Owner> owners) =>
        (this.current, this.versions, this.owners) = (current, versions, owners);

    public static async Task<OrganisationHistory> ReadAsync(KedjaDbContext db, CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking().Select(u => new UnitState(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, u.IsActive)).ToListAsync(cancellationToken);
        var versions = (await db.OrgUnitVersions.AsNoTracking().ToListAsync(cancellationToken))
            .Select(v => new UnitVersion(new UnitState(v.UnitId, v.ParentId, v.Name, v.ShortName, v.Kind, v.IsActive), new DateSpan(v.ValidFrom, v.ValidTo))).ToList();
        var owners = (await db.Ownerships.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(o => (o.EntityKind, o.EntityId), o => new Owner(o.UnitId, new DateSpan(o.ValidFrom, o.ValidTo)));
        return new OrganisationHistory(units, versions, owners);
    }

    /// <summary>Every unit that existed at the date, with its name, parent and kind of then (<see cref="OrgAsOf.At"/>).</summary>
    public IReadOnlyDictionary<Guid, UnitState> At(DateOnly date)
    {
        if (!asOf.TryGetValue(date, out var found))
        {
            asOf[date] = found = OrgAsOf.At(current, versions, date);
        }

        return found;
    }

    /// <summary>Who owned the goal or indicator at the date, given its owner now.</summary>
    public Guid OwnerAt(OwnedKind kind, Guid entityId, Guid currentOwner, DateOnly date) =>
        Ownership.At(currentOwner, [.. owners[(kind, entityId)]], date);

    /// <summary>Whether the goal or indicator has an ownership history of its own.</summary>
    public bool Has(OwnedKind kind, Guid entityId) => owners.Contains((kind, entityId));

    /// <summary>The unit's name at the date; its name now when it had no version then.</summary>
    public string? NameAt(Guid unitId, DateOnly date) =>
        At(date).TryGetValue(unitId, out var then) ? then.Name : current.FirstOrDefault(u => u.UnitId == unitId)?.Name;
}
