using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Exchange;

/// <summary>The JSON settings of the API, shared by the export/import verbs so a file and an HTTP body are the same format.</summary>
public sealed class JsonSerializerOptionsProvider(IOptions<JsonOptions> options)
{
    public JsonSerializerOptions Options { get; } = options.Value.SerializerOptions;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.WriteIndented = false;
        options.RespectNullableAnnotations = true;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }
}

public static class DocumentJson
{
    public static async Task<(TenantDocument? Document, Dictionary<string, string[]>? Errors)> ReadAsync(Stream stream, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var doc = await JsonSerializer.DeserializeAsync<TenantDocument>(stream, options, cancellationToken);
            return doc is null
                ? (null, new Dictionary<string, string[]> { ["$"] = ["Dokumentet är tomt."] })
                : (doc, null);
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { [ex.Path ?? "$"] = [$"Ogiltig JSON: {Swedish(ex)}"] });
        }
    }

    /// <summary>Swedish, naming the place by path, line and position; never the framework's English text and type names.</summary>
    private static string Swedish(JsonException ex)
    {
        var what = ex.Message.Contains("required", StringComparison.OrdinalIgnoreCase) ? "ett obligatoriskt fält saknas"
            : ex.Message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase) ? "värdet har fel typ eller ett okänt värde"
            : "texten är inte giltig JSON";
        return ex.LineNumber is { } line ? $"{what} (rad {line + 1}, position {ex.BytePositionInLine + 1})." : $"{what}.";
    }
}
