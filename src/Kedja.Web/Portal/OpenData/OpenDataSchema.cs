using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Kedja.Web.Portal.OpenData;

/// <summary>
/// The JSON Schema of the open data file, generated from <see cref="OpenDataDocument"/> as the tenant document's is
/// (<see cref="Exchange.DocumentSchema"/>), with each field's Swedish description. Committed in docs/schema and served at
/// <see cref="Path"/>; a test keeps the two equal.
/// </summary>
public static class OpenDataSchema
{
    public const string RelativePath = "docs/schema/kedja-open-data.v1.schema.json";

    /// <summary>Where the schema is served, the same for every municipality.</summary>
    public const string Path = "/schema/kedja-open-data.v1.schema.json";

    public static string Generate(JsonSerializerOptions apiOptions)
    {
        // The API reads numbers from strings too; the file always writes them as numbers, and its schema says so.
        var options = new JsonSerializerOptions(apiOptions) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict };
        var schema = options.GetJsonSchemaAsNode(typeof(OpenDataDocument), new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                var described = context.PropertyInfo?.AttributeProvider ?? (context.PropertyInfo is null ? context.TypeInfo.Type : null);
                if (node is JsonObject fields && described?.GetCustomAttributes(typeof(DescriptionAttribute), false).FirstOrDefault() is DescriptionAttribute description)
                {
                    fields.Insert(0, "description", description.Description);
                }

                return node;
            },
        });
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://kedja.se/schema/kedja-open-data.v1.schema.json",
            ["title"] = "Kedja: en kommuns öppna data om mål och resultat",
            ["$comment"] = "Se docs/open-data.md och docs/adr/0042-open-data-and-dcat.md.",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            root[key] = value?.DeepClone();
        }

        return root.ToJsonString(options).ReplaceLineEndings("\n") + "\n";
    }
}
