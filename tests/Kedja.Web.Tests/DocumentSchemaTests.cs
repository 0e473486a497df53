using Kedja.Web.Exchange;

namespace Kedja.Web.Tests;

public class DocumentSchemaTests
{
    [Fact]
    public async Task The_committed_json_schema_matches_the_document_types()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite");
        var options = app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options;
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kedja.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Hittar inte lösningens rot.");
        }

        var committed = await File.ReadAllTextAsync(Path.Combine(root, DocumentSchema.RelativePath));

        // When this fails after a change to TenantDocument: dotnet run --project src/Kedja.Web --no-launch-profile -- document-schema > docs/schema/kedja-tenant.v1.schema.json
        committed.ShouldBe(DocumentSchema.Generate(options));
        committed.ShouldContain("\"assessments\"");
    }
}
