using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Kedja.Web.Imports;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>The smallest cases of what the fuzzers found (ADR 53), each failing before its fix.</summary>
public sealed class FuzzFindingsTests
{
    /// <summary>The export of a new Kil tenant, changed, imported as a copy over HTTP: the answer's status and body.</summary>
    private static async Task<(HttpStatusCode Status, string Text)> ImportChangedKilDocumentAsync(Action<JsonNode> change)
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "fynd", name = "Fynd", template = ModelTemplates.Kil, firstYear = 2026 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var document = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/fynd/export"))!;
        change(document);
        var answer = await admin.PostAsync("/api/v1/tenants/import?slug=fynd-kopia", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_model_level_or_dimension_without_a_name_is_refused_as_missing_not_as_a_duplicate_or_a_server_error()
    {
        // Seed 1340196317 of TenantDocumentFuzzTests (KEDJA_FUZZ_SEED replays it): a level whose name matched no
        // name, not even its own, got FindIndex -1, which counted as "an earlier level has this name", and the
        // message read the name (NullReferenceException, 500). A blank name shows the same slip as a false
        // "already exists" beside "required".
        var (status, text) = await ImportChangedKilDocumentAsync(document =>
        {
            var model = document["models"]![0]!;
            model["levels"]![0]!["name"] = " ";
            model["dimensions"]![0]!["name"] = " ";
        });

        status.ShouldBe(HttpStatusCode.BadRequest, text);
        text.Contains("models[0].levels[0].name", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("models[0].dimensions[0].name", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("finns redan", StringComparison.Ordinal).ShouldBeFalse(text);
    }

    [Fact]
    public async Task A_scale_steps_long_word_forms_and_a_NUL_are_refused_by_the_rules_with_their_path()
    {
        // Seed 405734959 of TenantDocumentFuzzTests (nineteenth session): a scale step's singularNeuter of 39,014
        // characters passed the document's check; only the data layer's length net refused it at the write, with
        // no path ("singularNeuter"). ModelRules now checks both word forms, as it checks the plural.
        var (status, text) = await ImportChangedKilDocumentAsync(document =>
        {
            var step = document["models"]![0]!["scale"]![0]!;
            step["singularCommon"] = new string('a', 401);
            step["singularNeuter"] = new string('b', 401);

            // Seed 841747682: a NUL in a step's symbol, likewise refused only by the net; ValidationErrors.Text now
            // refuses NUL in every text a rule checks.
            step["symbol"] = "a\0b";
        });

        status.ShouldBe(HttpStatusCode.BadRequest, text);
        text.Contains("models[0].scale[0].symbol", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("models[0].scale[0].singularCommon", StringComparison.Ordinal).ShouldBeTrue(text);
        text.Contains("models[0].scale[0].singularNeuter", StringComparison.Ordinal).ShouldBeTrue(text);
    }

    [Fact]
    public void A_workbook_cell_past_Excels_last_column_is_refused_as_damaged_not_padded_out_to_it()
    {
        // Found by timing OutcomeFileFuzzTests (nineteenth session): each sheet cell with the reference ZZZZ0 made the
        // reader pad its row out to column 475,254 (1 ms a cell, 3 s for some files); ZZZZZZ1 pads to 321 million
        // cells of 32 bytes, which a file of a few kB could make a node allocate. Excel writes no column past XFD.
        static byte[] Workbook(string reference)
        {
            static Cell Inline(string at, string text) => new(new InlineString(new Text(text))) { CellReference = at, DataType = CellValues.InlineString };
            using var buffer = new MemoryStream();
            using (var document = SpreadsheetDocument.Create(buffer, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
            {
                var workbook = document.AddWorkbookPart();
                workbook.Workbook = new Workbook();
                var sheet = workbook.AddNewPart<WorksheetPart>();
                sheet.Worksheet = new Worksheet(new SheetData(
                    new Row(Inline("A1", "Indikator-id"), Inline("B1", "Period"), Inline("C1", "Utfall")) { RowIndex = 1 },
                    new Row(Inline("A2", "x"), Inline("B2", "2026"), Inline(reference, "12")) { RowIndex = 2 }));
                workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Utfall" }));
            }

            return buffer.ToArray();
        }

        const string Damaged = "Excel-filen går inte att läsa. Den kan vara skadad. Öppna den i Excel, spara den igen och försök på nytt.";
        var last = ImportReader.Read("utfall.xlsx", Workbook("XFD2"));
        last.Error.ShouldBeNull();
        last.Table!.Lines.Single().Cells.Count.ShouldBe(16_384);
        ImportReader.Read("utfall.xlsx", Workbook("XFE2")).Error.ShouldBe(Damaged);
        ImportReader.Read("utfall.xlsx", Workbook("ZZZZZZ2")).Error.ShouldBe(Damaged);
        ImportReader.Read("utfall.xlsx", Workbook("ZZZZZZZZZZZZZZ2")).Error.ShouldBe(Damaged);
    }
}
