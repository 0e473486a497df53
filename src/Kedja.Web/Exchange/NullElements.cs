using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Exchange;

/// <summary>
/// Finds null elements in the lists of a document or request body, and in a tenant document lists or objects left out of
/// it. System.Text.Json refuses a null where a property's type forbids it, but not inside a list (<c>"units": [null]</c>),
/// nor a property left out of a record's constructor (<c>targetUnitIds</c> missing); either would reach the rules as a
/// missing object. Each one is reported with its path, before any other rule looks at the input. Request bodies may leave
/// optional lists out (their services read a missing one as empty), and left-out text is the rules' to name ("Namnet
/// krävs"), so only the document's left-out lists and objects are reported.
/// </summary>
public static class NullElements
{
    private static readonly ConcurrentDictionary<Type, Inspected[]> InspectedProperties = new();

    private sealed record Inspected(PropertyInfo Property, bool MayBeNull);

    /// <summary>
    /// Adds an error for every null element below <paramref name="node"/>, and with <paramref name="leftOut"/> for every
    /// list or object of Kedja's that is null where its type forbids it; false when there was one.
    /// </summary>
    public static bool Check(ValidationErrors e, string path, object? node, bool leftOut = false)
    {
        var before = e.Count;
        Walk(e, path, node, leftOut);
        return e.Count == before;
    }

    private static void Walk(ValidationErrors e, string path, object? node, bool leftOut)
    {
        if (node is null || !IsOwn(node.GetType()))
        {
            return;
        }

        foreach (var (property, mayBeNull) in InspectedProperties.GetOrAdd(node.GetType(), PropertiesToInspect))
        {
            var value = property.GetValue(node);
            var field = ValidationErrors.Join(path, JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            if (leftOut && value is null && !mayBeNull)
            {
                e.Add(field, "Fältet saknas.");
            }
            else if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is null)
                    {
                        e.Add($"{field}[{i}]", "Listan innehåller ett tomt värde (null).");
                    }
                    else
                    {
                        Walk(e, $"{field}[{i}]", list[i], leftOut);
                    }
                }
            }
            else
            {
                Walk(e, field, value, leftOut);
            }
        }
    }

    /// <summary>Properties that hold Kedja's own records or lists; numbers, ids and enums cannot be null.</summary>
    private static Inspected[] PropertiesToInspect(Type type)
    {
        // NullabilityInfoContext is not thread-safe: one per inspected type, and the answer is cached.
        var nullability = new NullabilityInfoContext();
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && (IsOwn(p.PropertyType) || ElementOf(p.PropertyType) is not null))
            .Select(p => new Inspected(p, nullability.Create(p).ReadState != NullabilityState.NotNull))];
    }

    private static bool IsOwn(Type type) => type.IsClass && type.Namespace?.StartsWith("Kedja", StringComparison.Ordinal) == true;

    private static Type? ElementOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>))
            ? type.GetGenericArguments()[0]
            : null;
}
