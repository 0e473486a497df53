using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>The smallest cases of what the fuzzers found (ADR 53), each failing before its fix.</summary>
public sealed class FuzzFindingsTests
{
    [Fact]
    public async Task A_model_level_or_dimension_without_a_name_is_refused_as_missing_not_as_a_duplicate_or_a_server_error()
    {
        // Seed 1340196317 of TenantDocumentFuzzTests (KEDJA_FUZZ_SEED replays it): a level whose name matched no
        // name, not even its own, got FindIndex -1, which counted as "an earlier level has this name", and the
        // message read the name (NullReferenceException, 500). A blank name shows the same slip as a false
        // "already exists" beside "required".
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "namnlos", name = "Namnlös", template = ModelTemplates.Kil, firstYear = 2026 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var document = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/namnlos/export"))!;
        var model = document["models"]![0]!;
        model["levels"]![0]!["name"] = " ";
        model["dimensions"]![0]!["name"] = " ";

        var answer = await admin.PostAsync("/api/v1/tenants/import?slug=namnlos-kopia", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));

        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        text.Contains("models[0].levels[0].name", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("models[0].dimensions[0].name", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("finns redan", StringComparison.Ordinal).ShouldBeFalse(text);
    }
}
