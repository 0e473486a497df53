using System.Globalization;
using System.Text.Json;

namespace Kedja.Kolada;

/// <summary>
/// Reads Kolada's objects field by field rather than through DTOs: v2 and v3 name some fields differently and send
/// booleans as 0/1 or true/false and periods as numbers or strings, and every field may be null or missing.
/// A structural problem (no id, no period) throws <see cref="FormatException"/>; the client names the URL.
/// </summary>
internal static class KoladaJson
{
    public static KoladaKpi Kpi(JsonElement e) => new(
        Required(e, "id"),
        Text(e, "title") ?? "",
        Text(e, "description"),
        Flag(e, "is_divided_by_gender"),
        Text(e, "municipality_type"),
        Text(e, "operating_area"),
        Text(e, "perspective"),
        Date(e, "publication_date"),
        Text(e, "publ_period"),
        Flag(e, "has_ou_data"),
        Flag(e, "is_deleted") || Flag(e, "isdeleted"),
        Text(e, "auspice") ?? Text(e, "auspices"));

    public static KoladaMunicipality Municipality(JsonElement e) =>
        new(Required(e, "id"), Text(e, "title") ?? "", Text(e, "type") ?? "");

    public static KoladaGroup Group(JsonElement e)
    {
        var members = new List<KoladaGroupMember>();
        if (e.TryGetProperty("members", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in list.EnumerateArray())
            {
                // v3 names them member_id/member_title, older answers id/title.
                var id = Text(m, "member_id") ?? Text(m, "id") ?? throw new FormatException("en gruppmedlem saknar id");
                members.Add(new KoladaGroupMember(id, Text(m, "member_title") ?? Text(m, "title") ?? ""));
            }
        }
        return new KoladaGroup(Required(e, "id"), Text(e, "title") ?? "", members);
    }

    public static KoladaOu Ou(JsonElement e) =>
        new(Required(e, "id"), Text(e, "title") ?? "", Text(e, "municipality") ?? Text(e, "municipality_id") ?? "");

    /// <summary>One nested data object gives a row per gender; rows Kolada marks deleted are left out.</summary>
    public static IEnumerable<KoladaValue> Values(JsonElement e)
    {
        if (Flag(e, "isdeleted") || Flag(e, "is_deleted"))
        {
            yield break;
        }
        var kpi = Required(e, "kpi");
        var entity = Text(e, "ou") ?? Text(e, "municipality") ?? throw new FormatException("ett värde saknar kommun eller enhet");
        var year = Year(e);
        if (!e.TryGetProperty("values", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var v in list.EnumerateArray())
        {
            if (Flag(v, "isdeleted") || Flag(v, "is_deleted"))
            {
                continue;
            }
            var status = Text(v, "status");
            yield return new KoladaValue(
                kpi, entity, year, Text(v, "gender") ?? "T", Number(v, "value"), Int(v, "count") ?? 1,
                string.IsNullOrEmpty(status) ? null : status);
        }
    }

    private static int Year(JsonElement e)
    {
        if (e.TryGetProperty("period", out var p))
        {
            if (p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n))
            {
                return n;
            }
            if (p.ValueKind == JsonValueKind.String && int.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }
        throw new FormatException($"ett värde har perioden {(e.TryGetProperty("period", out var raw) ? raw.GetRawText() : "(saknas)")}, inte ett år");
    }

    private static string Required(JsonElement e, string name) =>
        Text(e, name) is { Length: > 0 } s ? s : throw new FormatException($"ett objekt saknar fältet \"{name}\"");

    private static string? Text(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var p))
        {
            return null;
        }
        return p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    private static bool Flag(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var p))
        {
            return false;
        }
        return p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => p.TryGetDecimal(out var d) && d != 0,
            JsonValueKind.String => p.GetString() is "1" or "true" or "True" or "TRUE",
            _ => false,
        };
    }

    private static int? Int(JsonElement e, string name) =>
        Text(e, name) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static decimal? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var p))
        {
            return null;
        }
        switch (p.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when p.TryGetDecimal(out var d):
                return d;
            case JsonValueKind.Number when p.TryGetDouble(out var f) && Math.Abs(f) < 1e-20:
                return 0m;
            case JsonValueKind.String when p.GetString() is var s && string.IsNullOrWhiteSpace(s):
                return null;
            case JsonValueKind.String when decimal.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return d;
            default:
                throw new FormatException($"värdet {p.GetRawText()} är inte ett tal");
        }
    }

    private static DateOnly? Date(JsonElement e, string name) =>
        Text(e, name) is { Length: >= 10 } s && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : null;
}
