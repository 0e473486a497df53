using System.Globalization;
using System.Text.Json;

namespace Kedja.Web.Observability;

/// <summary>
/// The details of a security event (an audit entry's JSON object, ADR 54) as label/value pairs for the operations page
/// (ADR 55): a system administrator reads "Metod: GET · Sökväg: /drift", not <c>{"method":"GET",…}</c>. Only the top
/// level is unfolded; a nested value keeps its JSON text. The page encodes every value (they can hold what a visitor
/// sent, such as a route or a User-Agent). Whole numbers come grouped as the interface prints them ("5 000").
/// </summary>
public static class SecurityEventDetails
{
    public sealed record Item(string Key, string Value);

    /// <summary>The pairs of a JSON object in their stored order; null when the text is not one (shown as it is).</summary>
    public static List<Item>? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var items = new List<Item>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.Null:
                        continue;
                    case JsonValueKind.String:
                        items.Add(new(property.Name, value.GetString() ?? ""));
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        items.Add(new(property.Name, value.ValueKind == JsonValueKind.True ? "true" : "false"));
                        break;
                    case JsonValueKind.Number:
                        // Grouped as the rest of the interface prints numbers (sv-SE: "5 000"); a fraction keeps its JSON text.
                        items.Add(new(property.Name, value.TryGetInt64(out var n) ? n.ToString("N0", Ui.Language.Formats) : value.GetRawText()));
                        break;
                    default:
                        items.Add(new(property.Name, value.GetRawText()));
                        break;
                }
            }

            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
