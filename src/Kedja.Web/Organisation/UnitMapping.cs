using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Web.Exchange;

namespace Kedja.Web.Organisation;

/// <summary>A unit as the tenant document describes it, with its version: what GET gives and PUT takes back.</summary>
/// <remarks><see cref="KindName"/> is for people reading the list; it is derived from the kind and ignored when sent back.</remarks>
public sealed record VersionedUnit(Guid Id, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, string? Code, int SortOrder, bool IsActive, List<Guid> Serves,
    int? Version) : UnitDoc(Id, ParentId, Name, ShortName, Kind, Code, SortOrder, IsActive, Serves)
{
    /// <summary>The kind in Swedish: "Nämnd", "Förvaltning" ...</summary>
    public string KindName => UnitKindNames.Swedish(Kind);

    public static VersionedUnit Of(UnitDoc u, int version) => new(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, u.Code, u.SortOrder, u.IsActive, u.Serves, version);
}

/// <summary>One mapping between a unit and the document's shape, for the exporter, the importer and the unit API alike.</summary>
public static class UnitMapping
{
    /// <param name="serves">The nämnder the unit serves, if it is a förvaltning.</param>
    public static UnitDoc ToDoc(OrgUnit u, IEnumerable<Guid> serves) =>
        new(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, u.Code, u.SortOrder, u.IsActive, [.. serves.OrderBy(TenantExporter.Key)]);

    /// <summary>Copies everything but the id onto the unit, and makes the nämnder it serves the document's.</summary>
    /// <param name="services">Which nämnder the unit serves as stored (none for a new unit).</param>
    public static void CopyTo(this UnitDoc d, OrgUnit unit, KedjaDbContext db, List<UnitService> services)
    {
        unit.ParentId = d.ParentId;
        unit.Name = d.Name.Trim();
        unit.ShortName = d.ShortName;
        unit.Kind = d.Kind;
        unit.Code = d.Code;
        unit.SortOrder = d.SortOrder;
        unit.IsActive = d.IsActive;

        var serves = d.Serves ?? [];
        db.UnitServices.RemoveRange(services.Where(s => !serves.Contains(s.CommitteeId)));
        db.UnitServices.AddRange(serves.Where(c => services.All(s => s.CommitteeId != c)).Select(c => new UnitService { AdministrationId = unit.Id, CommitteeId = c }));
    }
}
