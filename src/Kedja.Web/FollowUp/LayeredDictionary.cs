using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Kedja.Web.FollowUp;

/// <summary>
/// A read-only dictionary that shares its bulk with the version it was made from (ADR 19): a change goes to a small
/// layer over the unchanged bulk, and the layer is folded into a new bulk once it has grown to an eighth of it. An update
/// after a write thereby costs what it changed, not a copy of a period's 75,000 results, and a whole period is built at
/// the cost of one ordinary dictionary (an immutable tree cost a third of the budget for computing a period on L).
/// </summary>
public sealed class LayeredDictionary<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> bulk;

    // Keys here are never in removed; keys in removed are in bulk.
    private readonly Dictionary<TKey, TValue> changed;

    private readonly HashSet<TKey> removed;

    private LayeredDictionary(Dictionary<TKey, TValue> bulk, Dictionary<TKey, TValue> changed, HashSet<TKey> removed)
    {
        (this.bulk, this.changed, this.removed) = (bulk, changed, removed);
        Count = bulk.Count - removed.Count + changed.Keys.Count(k => !bulk.ContainsKey(k));
    }

    /// <summary>Takes the dictionary over as the bulk: the caller must not change it afterwards.</summary>
    public static LayeredDictionary<TKey, TValue> Of(Dictionary<TKey, TValue> values) => new(values, [], []);

    /// <summary>A new version with <paramref name="remove"/> taken out and then <paramref name="set"/> put in; this one stays as it is.</summary>
    public LayeredDictionary<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue>> set, IEnumerable<TKey>? remove = null)
    {
        var nextChanged = new Dictionary<TKey, TValue>(changed);
        var nextRemoved = new HashSet<TKey>(removed);
        foreach (var key in remove ?? [])
        {
            nextChanged.Remove(key);
            if (bulk.ContainsKey(key))
            {
                nextRemoved.Add(key);
            }
        }

        foreach (var (key, value) in set)
        {
            nextChanged[key] = value;
            nextRemoved.Remove(key);
        }

        var next = new LayeredDictionary<TKey, TValue>(bulk, nextChanged, nextRemoved);
        return nextChanged.Count + nextRemoved.Count > Math.Max(1024, bulk.Count / 8) ? Of(new Dictionary<TKey, TValue>(next)) : next;
    }

    public int Count { get; }

    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();

    public IEnumerable<TKey> Keys => this.Select(p => p.Key);

    public IEnumerable<TValue> Values => this.Select(p => p.Value);

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (changed.TryGetValue(key, out value))
        {
            return true;
        }

        if (removed.Contains(key))
        {
            value = default;
            return false;
        }

        return bulk.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var pair in changed)
        {
            yield return pair;
        }

        foreach (var pair in bulk)
        {
            if (!removed.Contains(pair.Key) && !changed.ContainsKey(pair.Key))
            {
                yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
