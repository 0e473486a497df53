using Kedja.Domain;

namespace Kedja.Web.Infrastructure;

/// <summary>Collects every error of an input by path, so that one answer lists them all.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> items = new(StringComparer.Ordinal);

    /// <summary>Paths whose typed value could not be read: a rule's verdict on the stand-in value would only confuse.</summary>
    private readonly HashSet<string> unreadable = new(StringComparer.Ordinal);

    public ValidationErrors()
    {
    }

    /// <summary>Starts from what a form could not read (<see cref="Unreadable"/>), so that one answer says that and every rule broken besides.</summary>
    public ValidationErrors(ValidationErrors? found)
    {
        if (found is not null)
        {
            foreach (var (path, messages) in found.items)
            {
                items[path] = [.. messages];
            }

            unreadable.UnionWith(found.unreadable);
        }
    }

    public int Count => items.Count;

    /// <summary>
    /// A value the form could not read ("12,x" as a weight): said at its path, and the rules' messages about the stand-in
    /// value the form sent instead are left out there.
    /// </summary>
    public void Unreadable(string path, string message)
    {
        items[path] = [message];
        unreadable.Add(path);
    }

    /// <summary>A field under a path: "$.indicators[2]" + "name", or just "name" for a request body.</summary>
    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public void Add(string path, string message)
    {
        if (unreadable.Contains(path))
        {
            return;
        }

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

    /// <summary>A text that may be left out but must fit its column when given, and hold no NUL.</summary>
    public void Text(string path, string? value, string what, int max = TextLimits.Short)
    {
        if (value is not null && value.Length > max)
        {
            Add(path, $"{what} får vara högst {max} tecken, men har {value.Length}.");
        }
        else if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            // The data layer's net (InputBounds) refuses it at the write too, but only by property name; a document's
            // rules name the place (found by TenantDocumentFuzzTests, seed 841747682: a scale step's symbol).
            Add(path, $"{what} innehåller ett otillåtet tecken (NUL).");
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
