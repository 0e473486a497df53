using Kedja.Domain.Organisation;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;

namespace Kedja.Web.Organisation.Pages;

/// <summary>A unit as its form holds it.</summary>
public sealed class UnitInput
{
    public Guid? ParentId { get; set; }

    public string? Name { get; set; }

    public string? ShortName { get; set; }

    public UnitKind Kind { get; set; } = UnitKind.Unit;

    public string? Code { get; set; }

    public int SortOrder { get; set; }

    public bool IsActive { get; set; } = true;

    public List<Guid> Serves { get; set; } = [];

    public static UnitInput Of(VersionedUnit u) => new()
    {
        ParentId = u.ParentId, Name = u.Name, ShortName = u.ShortName, Kind = u.Kind, Code = u.Code, SortOrder = u.SortOrder, IsActive = u.IsActive, Serves = [.. u.Serves ?? []],
    };

    public VersionedUnit ToUnit(Guid id, int? version)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return new VersionedUnit(id, ParentId, Name ?? "", Clean(ShortName), Kind, Clean(Code), SortOrder, IsActive, [.. Serves.Distinct()], version);
    }
}

/// <summary>What the organisation's pages share: the tree in order, and a service's refusal shown beside its fields.</summary>
public static class UnitForm
{
    /// <summary>Every unit in tree order with its depth, for a choice of parent; units under an inactive one hang at the top.</summary>
    public static List<(VersionedUnit Unit, int Depth)> Tree(List<VersionedUnit> units) => UnitTree.Order(units, u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name);

    /// <summary>A name indented by its depth, for a select's options (where no markup can show the tree).</summary>
    public static string Indented(VersionedUnit unit, int depth) => UnitTree.Indented(unit.Name, depth);

    public static void Show(ServiceError error, Dictionary<string, string> errors) =>
        Ui.Html.CopyFieldErrors(error, errors, field => field.StartsWith("serves[", StringComparison.Ordinal) ? "serves" : field);
}
