namespace Kedja.Web.Infrastructure;

/// <summary>Collects every error of an input by path, so that one answer lists them all.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> items = new(StringComparer.Ordinal);

    public int Count => items.Count;

    /// <summary>A field under a path: "$.indicators[2]" + "name", or just "name" for a request body.</summary>
    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public void Add(string path, string message)
    {
        if (!items.TryGetValue(path, out var list))
        {
            items[path] = list = [];
        }

        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => items.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.Ordinal);
}
