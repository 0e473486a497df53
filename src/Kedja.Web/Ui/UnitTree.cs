namespace Kedja.Web.Ui;

/// <summary>
/// Units in the organisation's order, for a list to choose from: each unit before the units under it, siblings by their
/// sort order and then name, each name indented by its depth (a select's options can show no markup). A unit whose
/// parent is not among those offered stands at the top, so an editor's own unit heads the units below it.
/// </summary>
public static class UnitTree
{
    public static List<(T Unit, int Depth)> Order<T>(IReadOnlyCollection<T> units, Func<T, Guid> id, Func<T, Guid?> parent, Func<T, int> sortOrder, Func<T, string> name)
    {
        var ids = units.Select(id).ToHashSet();
        var below = units.OrderBy(sortOrder).ThenBy(name, StringComparer.Create(Language.Formats, ignoreCase: true))
            .ToLookup(u => parent(u) is { } p && ids.Contains(p) ? p : (Guid?)null);
        var list = new List<(T, int)>(units.Count);
        void Walk(Guid? at, int depth)
        {
            foreach (var unit in below[at])
            {
                list.Add((unit, depth));
                if (depth < 50)
                {
                    Walk(id(unit), depth + 1);
                }
            }
        }

        Walk(null, 0);
        return list;
    }

    /// <summary>A unit's name for a select's option, indented by its depth with no-break spaces.</summary>
    public static string Indented(string name, int depth) => new string('\u00a0', depth * 3) + name;
}
