using Kedja.Domain;

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

    /// <summary>A text that must be given and fit its column: "Enhetens namn måste anges." / "... får vara högst 400 tecken."</summary>
    public void Required(string path, string? value, string what, int max = TextLimits.Short)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, $"{what} måste anges.");
        }
        else
        {
            Text(path, value, what, max);
        }
    }

    /// <summary>A text that may be left out but must fit its column when given.</summary>
    public void Text(string path, string? value, string what, int max = TextLimits.Short)
    {
        if (value is not null && value.Length > max)
        {
            Add(path, $"{what} får vara högst {max} tecken, men har {value.Length}.");
        }
    }

    /// <summary>A year in the range Kedja accepts (<see cref="Years"/>).</summary>
    public void Year(string path, int? year)
    {
        if (!Years.Contains(year))
        {
            Add(path, Years.Message);
        }
    }

    /// <summary>A number below the magnitude Kedja accepts (<see cref="Values"/>).</summary>
    public void Value(string path, decimal? value)
    {
        if (!Values.Contains(value))
        {
            Add(path, Values.Message);
        }
    }

    public Dictionary<string, string[]> ToDictionary() => items.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.Ordinal);
}
