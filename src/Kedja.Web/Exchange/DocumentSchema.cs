using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Kedja.Web.Exchange;

/// <summary>The JSON Schema of <see cref="TenantDocument"/>, derived from the types so it cannot drift from the code.</summary>
public static class DocumentSchema
{
    public const string RelativePath = "docs/schema/kedja-tenant.v1.schema.json";

    public static string Generate(JsonSerializerOptions apiOptions)
    {
        var options = new JsonSerializerOptions(apiOptions) { WriteIndented = true };
        var schema = options.GetJsonSchemaAsNode(typeof(TenantDocument), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://kedja.se/schema/kedja-tenant.v1.schema.json",
            ["title"] = "Kedja: en kommuns styrmodell och resultat",
            ["description"] = "Hela kommunen som ett dokument: styrmodell, organisation, mål, indikatorer, målvärden, utfall, bedömningar, aktiviteter, program, styrdokument, budget, arbetsflöde, intern kontroll, uppdrag, helårsprognoser och ekonomisystemets koppling och budgetrader. Se docs/adr/0007-tenant-document.md.",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            root[key] = value?.DeepClone();
        }

        return root.ToJsonString(options).ReplaceLineEndings("\n") + "\n";
    }
}
