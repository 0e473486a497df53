namespace Kedja.Domain.Organisation;

/// <summary>A stretch of days from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive); null is open.</summary>
public readonly record struct DateSpan(DateOnly? From, DateOnly? To)
{
    public bool Covers(DateOnly date) => (From is not { } from || from <= date) && (To is not { } to || date < to);

    /// <summary>The spans of a history cut at <paramref name="date"/>: what ends before stays, what covers it ends there, what starts on or after it goes.</summary>
    internal static IEnumerable<(T Row, DateSpan Span)> Before<T>(IEnumerable<(T Row, DateSpan Span)> history, DateOnly date) =>
        history.Where(h => h.Span.From is not { } from || from < date)
            .Select(h => (h.Row, h.Span.To is { } to && to <= date ? h.Span : h.Span with { To = date }));
}

/// <summary>One row of an entity's ownership history, as the rules read it.</summary>
public sealed record Owner(Guid UnitId, DateSpan Span);

/// <summary>
/// Who owns a goal or indicator at a date. Outcomes never move: the indicator's owner at a period's end date decides
/// where its results roll up and on which unit's scorecard it stands.
/// </summary>
public static class Ownership
{
    /// <summary>
    /// The owner at <paramref name="date"/>: with a history, the row covering the date (a history covers every day,
    /// since it is only ever written by <see cref="Move"/>); without one, the current owner.
    /// </summary>
    public static Guid At(Guid currentOwner, IReadOnlyCollection<Owner> history, DateOnly date) =>
        history.Count == 0 ? currentOwner : history.FirstOrDefault(h => h.Span.Covers(date))?.UnitId ?? currentOwner;

    /// <summary>
    /// Whether a goal's indicator is judged by its goal's history: one without a history of its own that belongs to its
    /// goal's owner moved with the goal (a reorganisation maps goals, and their indicators follow). The one rule for
    /// writes, cards, open data and reports.
    /// </summary>
    public static bool FollowsGoal(bool hasOwnHistory, Guid indicatorOwner, Guid? goalOwner) => !hasOwnHistory && goalOwner == indicatorOwner;

    /// <summary>
    /// The whole history after the entity passes to <paramref name="to"/> from <paramref name="date"/>: earlier owners
    /// keep their days before it (the current owner gets all days before, when there was no history), and whatever the
    /// history said from the date on is replaced.
    /// </summary>
    public static List<Owner> Move(Guid currentOwner, IReadOnlyCollection<Owner> history, Guid to, DateOnly date)
    {
        var before = history.Count == 0
            ? [new Owner(currentOwner, new DateSpan(null, date))]
            : DateSpan.Before(history.Select(h => (h, h.Span)), date).Select(x => x.Item1 with { Span = x.Item2 }).ToList();
        return [.. before.Where(b => b.Span.From is not { } from || from < b.Span.To), new Owner(to, new DateSpan(date, null))];
    }
}

/// <summary>What a unit is at some date: name, place in the tree, kind and whether it is active.</summary>
public sealed record UnitState(Guid UnitId, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, bool IsActive);

/// <summary>One row of a unit's history, as the rules read it.</summary>
public sealed record UnitVersion(UnitState State, DateSpan Span);

/// <summary>The organisation as it was at a date: the units that existed then, with their names and parents of then.</summary>
public static class OrgAsOf
{
    /// <summary>
    /// Every unit at <paramref name="date"/>. A unit with versions is what the version covering the date says, or absent
    /// if none does (created later by a reorganisation); a unit without versions is as it is now.
    /// </summary>
    public static Dictionary<Guid, UnitState> At(IEnumerable<UnitState> current, IEnumerable<UnitVersion> versions, DateOnly date)
    {
        var history = versions.ToLookup(v => v.State.UnitId);
        var result = new Dictionary<Guid, UnitState>();
        foreach (var unit in current)
        {
            if (!history.Contains(unit.UnitId))
            {
                result[unit.UnitId] = unit;
            }
            else if (history[unit.UnitId].FirstOrDefault(v => v.Span.Covers(date)) is { } version)
            {
                result[unit.UnitId] = version.State;
            }
        }

        return result;
    }

    /// <summary>
    /// The unit's whole history after it becomes <paramref name="after"/> from <paramref name="date"/>; before it, what
    /// the history said (or the unit as it is now, <paramref name="before"/>, for all earlier days; null for a unit the
    /// reorganisation creates, which did not exist before).
    /// </summary>
    public static List<UnitVersion> Change(UnitState? before, IReadOnlyCollection<UnitVersion> history, DateOnly date, UnitState after)
    {
        var earlier = history.Count == 0
            ? before is null ? [] : [new UnitVersion(before, new DateSpan(null, date))]
            : DateSpan.Before(history.Select(h => (h, h.Span)), date).Select(x => x.Item1 with { Span = x.Item2 }).ToList();
        return [.. earlier.Where(e => e.Span.From is not { } from || from < e.Span.To), new UnitVersion(after, new DateSpan(date, null))];
    }

    /// <summary>The chain of names from the top down to the unit, as at the date ("Kommunstyrelsen › Kultur › Biblioteket").</summary>
    public static List<string> Path(IReadOnlyDictionary<Guid, UnitState> organisation, Guid unitId)
    {
        var path = new List<string>();
        var seen = new HashSet<Guid>();
        for (Guid? id = unitId; id is { } current && organisation.TryGetValue(current, out var unit) && seen.Add(current); id = unit.ParentId)
        {
            path.Insert(0, unit.Name);
        }

        return path;
    }
}
