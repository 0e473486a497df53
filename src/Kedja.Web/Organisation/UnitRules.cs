using Kedja.Domain.Organisation;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Organisation;

/// <summary>What a unit points at, already looked up by whoever holds the organisation (a tenant document, or the database).</summary>
/// <param name="Parent">The unit's parent; null when it has none or it does not exist.</param>
/// <param name="Served">For each nämnd the unit serves, in order: the unit, or null when it does not exist.</param>
/// <param name="ParentOf">The parent of any unit as the organisation stands, for walking up the tree.</param>
public sealed record UnitReferences(UnitDoc? Parent, IReadOnlyList<UnitDoc?> Served, Func<Guid, Guid?> ParentOf)
{
    /// <summary>The references of a unit in an organisation given by id (a document's units, or the tenant's).</summary>
    public static UnitReferences Resolve(UnitDoc unit, IReadOnlyDictionary<Guid, UnitDoc> units) => new(
        unit.ParentId is { } parent ? units.GetValueOrDefault(parent) : null,
        [.. (unit.Serves ?? []).Select(units.GetValueOrDefault)],
        id => units.GetValueOrDefault(id)?.ParentId);
}

/// <summary>
/// The rules of an organisation unit, written once: the tenant document's validator and the unit API check a unit here,
/// with errors under <c>path</c> (<c>$.units[3]</c> in a document, "" for a request body).
/// </summary>
public static class UnitRules
{
    public static void Check(ValidationErrors e, string path, UnitDoc u, UnitReferences refs)
    {
        string Field(string name) => ValidationErrors.Join(path, name);

        e.Required(Field("name"), u.Name, "Enhetens namn");
        e.Text(Field("shortName"), u.ShortName, "Enhetens kortnamn");
        e.Text(Field("code"), u.Code, "Enhetens kod");
        if (!Enum.IsDefined(u.Kind))
        {
            e.Add(Field("kind"), "Okänd enhetstyp.");
        }

        if (u.ParentId is { } parent)
        {
            if (refs.Parent is null)
            {
                e.Add(Field("parentId"), $"Överordnad enhet {parent} finns inte.");
            }
            else if (Chains.Reaches(parent, u.Id, id => refs.ParentOf(id) is { } above ? [above] : []))
            {
                e.Add(Field("parentId"), "En enhet kan inte placeras under sig själv eller sina underenheter.");
            }
        }

        var serves = u.Serves ?? [];
        if (serves.Count > 0 && u.Kind != UnitKind.Administration)
        {
            e.Add(Field("serves"), "Bara en förvaltning betjänar nämnder.");
        }

        for (var s = 0; s < serves.Count; s++)
        {
            if (serves.IndexOf(serves[s]) != s)
            {
                e.Add(Field($"serves[{s}]"), $"Nämnden {serves[s]} förekommer flera gånger.");
            }
            else if (refs.Served.ElementAtOrDefault(s) is not { } committee)
            {
                e.Add(Field($"serves[{s}]"), $"Nämnden {serves[s]} finns inte.");
            }
            else if (!CanBeServed(committee.Kind))
            {
                e.Add(Field($"serves[{s}]"), "En förvaltning kan bara betjäna nämnder och kommunstyrelsen.");
            }
        }
    }

    /// <summary>Whom a förvaltning may serve: nämnder and the kommunstyrelse.</summary>
    public static bool CanBeServed(UnitKind kind) => kind is UnitKind.Committee or UnitKind.ExecutiveBoard;
}
