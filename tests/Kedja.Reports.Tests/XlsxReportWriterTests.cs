using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Reports.Tests;

public sealed class XlsxReportWriterTests
{
    private static readonly Lazy<byte[]> Sample = new(() => OpenXmlFiles.Write(new XlsxReportWriter(), SampleReports.Tertial(40), "tertialrapport.xlsx"));

    private static SpreadsheetDocument Open(byte[]? bytes = null) => SpreadsheetDocument.Open(new MemoryStream(bytes ?? Sample.Value), false);

    private sealed record Read(string Reference, CellValues? Type, string Value, CellFormat Format, string? NumberFormat, Font Font, Fill Fill);

    /// <summary>Every cell of a sheet with its value and its format as Excel would resolve them.</summary>
    private static List<Read> Cells(SpreadsheetDocument document, string sheet)
    {
        var workbook = document.WorkbookPart!;
        var id = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!.Value!;
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        var formats = stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var fonts = stylesheet.Fonts!.Elements<Font>().ToList();
        var fills = stylesheet.Fills!.Elements<Fill>().ToList();
        var codes = stylesheet.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        codes[3] = "#,##0";
        codes[4] = "#,##0.00";
        codes[9] = "0%";
        codes[10] = "0.00%";
        return [.. ((WorksheetPart)workbook.GetPartById(id)).Worksheet.Descendants<Cell>().Select(c =>
        {
            var format = formats[(int)(c.StyleIndex?.Value ?? 0)];
            return new Read(c.CellReference!.Value!, c.DataType?.Value, c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue!.Text,
                format, codes.GetValueOrDefault(format.NumberFormatId?.Value ?? 0), fonts[(int)format.FontId!.Value], fills[(int)format.FillId!.Value]);
        })];
    }

    private static List<string> Texts(SpreadsheetDocument document, string sheet) => [.. Cells(document, sheet).Select(c => c.Value)];

    [Fact]
    public void The_Excel_file_passes_Office_validation_without_a_single_error()
    {
        using var document = Open();

        var errors = OpenXmlFiles.Errors(document);

        errors.ShouldBeEmpty(errors);
    }

    [Fact]
    public void A_first_sheet_Rapport_holds_the_title_page_then_each_section_has_a_sheet_of_its_own()
    {
        using var document = Open();

        document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(
            ["Rapport", "Sammanfattning av måluppfyllels", "Mål och resultat", "Program och planer", "Grunduppdrag", "Ekonomi"]);
        Texts(document, "Rapport").ShouldBe(
        [
            "Kumla kommun", "Tertialrapport 2", "Barn- och utbildningsnämnden", "Tertial 2 2026", "Skapad 15 september 2026 kl. 10:30",
            "Innehåll", "Sammanfattning av måluppfyllelsen", "Mål och resultat", "Program och planer", "Grunduppdrag", "Ekonomi",
        ]);
        var links = document.WorkbookPart.WorksheetParts.Select(p => p.Worksheet).SelectMany(w => w.Descendants<Hyperlink>()).ToList();
        links.Select(l => l.Location!.Value).ShouldContain("'Sammanfattning av måluppfyllels'!A1");
        document.PackageProperties.Creator.ShouldBe("Kedja");
        document.PackageProperties.Language.ShouldBe("sv-SE");
    }

    [Fact]
    public void Figures_are_numeric_cells_holding_their_value_with_a_number_format_for_their_decimals_and_unit()
    {
        using var document = Open();

        var goals = Cells(document, "Mål och resultat");
        var target = goals.First(c => c.Type == CellValues.Number);
        target.Value.ShouldBe("86.5");
        target.NumberFormat.ShouldBe("#,##0.0\"\u00a0%\"");
        target.Format.Alignment!.Horizontal!.Value.ShouldBe(HorizontalAlignmentValues.Right);

        var budget = Cells(document, "Ekonomi").Single(c => c.Value == "-4200");
        budget.Type.ShouldBe(CellValues.Number);
        budget.NumberFormat.ShouldBe("#,##0");
        Cells(document, "Ekonomi").Single(c => c.Value == "812400").NumberFormat.ShouldBe("#,##0");

        var shares = Cells(document, "Sammanfattning av måluppfyllels").Where(c => c.NumberFormat == "0%").Select(c => c.Value).ToList();
        shares.ShouldBe(["0.3333", "0.25", "0.1667", "0.25"]);
        Cells(document, "Mål och resultat").Where(c => c.NumberFormat == "0%").Select(c => c.Value).ShouldBe(["0.6", "0"]);
    }

    [Fact]
    public void A_missing_outcome_is_a_dash_and_not_a_zero()
    {
        using var document = Open();

        var goals = Cells(document, "Mål och resultat");
        var row = goals.First(c => c.Value == "Andel elever i åk 9 som är behöriga till yrkesprogram, område 4").Reference[1..];

        var cells = goals.Where(c => c.Reference[1..] == row).ToList();
        cells.Select(c => c.Value).ShouldBe(["Andel elever i åk 9 som är behöriga till yrkesprogram, område 4", "89.5", "–", "83", "↑ bättre", "– Ej bedömt"]);
        cells[2].Type.ShouldBe(CellValues.InlineString);
    }

    [Fact]
    public void Headings_goals_fields_and_statuses_are_text_in_words_with_the_colour_only_as_a_light_fill_beside_them()
    {
        using var document = Open();
        var goals = Cells(document, "Mål och resultat");

        var texts = goals.Select(c => c.Value).ToList();
        texts.ShouldContain("1.1 Fler elever når kunskapsmålen i grundskolan");
        texts.ShouldContain("Två av tre indikatorer når sina mål; en saknar utfall för tertialet.");
        texts.ShouldContain("I åk 9 är skillnaderna mellan skolorna fortfarande stora.");
        goals.Single(c => c.Value == "Analys").Font.Bold.ShouldNotBeNull();

        var partly = goals.First(c => c.Value == "◐ Delvis uppfyllt");
        partly.Fill.PatternFill!.ForegroundColor!.Rgb!.Value.ShouldBe("FFF2E7CC");
        goals.First(c => c.Value == "– Ej bedömt").Fill.PatternFill!.PatternType!.Value.ShouldBe(PatternValues.Solid);
        goals.Where(c => c.Fill.PatternFill?.PatternType?.Value == PatternValues.Solid && c.Format.FontId!.Value == 0)
            .ShouldAllBe(c => c.Value.Length > 2);
    }

    [Fact]
    public void Headings_are_bold_and_a_unit_larger_than_a_goal()
    {
        using var document = Open();
        var goals = Cells(document, "Mål och resultat");

        var section = goals.Single(c => c.Value == "Mål och resultat");
        var unit = goals.Single(c => c.Value == "Medborgare och brukare");
        var goal = goals.Single(c => c.Value == "1.2 Tryggare skolmiljö");

        new[] { section, unit, goal }.ShouldAllBe(c => c.Font.Bold != null);
        section.Font.FontSize!.Val!.Value.ShouldBeGreaterThan(unit.Font.FontSize!.Val!.Value);
        unit.Font.FontSize!.Val!.Value.ShouldBeGreaterThan(goal.Font.FontSize!.Val!.Value);
        var header = goals.First(c => c.Value == "Samma period i fjol");
        header.Font.Bold.ShouldNotBeNull();
        header.Fill.PatternFill!.PatternType!.Value.ShouldBe(PatternValues.Solid);
    }

    [Fact]
    public void Programs_and_the_basic_mission_say_they_are_not_part_of_the_fulfilment()
    {
        using var document = Open();

        foreach (var sheet in new[] { "Program och planer", "Grunduppdrag" })
        {
            var note = Cells(document, sheet)[1];
            note.Value.ShouldBe("Ingår inte i måluppfyllelsen.");
            note.Font.Italic.ShouldNotBeNull();
        }
    }

    [Fact]
    public void The_chart_becomes_its_description_and_its_numbers_as_numeric_cells()
    {
        using var document = Open();
        var summary = Cells(document, "Sammanfattning av måluppfyllels");

        summary.Select(c => c.Value).ShouldContain("Måluppfyllelse per perspektiv");
        var row = summary.Single(c => c.Value == "Medborgare och brukare").Reference[1..];
        summary.Where(c => c.Reference[1..] == row).Skip(1).Select(c => (c.Type, c.Value)).ShouldBe(
            [(CellValues.Number, "3"), (CellValues.Number, "1"), (CellValues.Number, "0"), (CellValues.Number, "1"), (CellValues.Number, "5")]);
    }

    [Fact]
    public void Columns_are_as_wide_as_the_widest_table_of_the_sheet_wants_them()
    {
        using var document = Open();
        var workbook = document.WorkbookPart!;
        var id = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Mål och resultat").Id!.Value!;

        var widths = ((WorksheetPart)workbook.GetPartById(id)).Worksheet.Descendants<Column>().Select(c => c.Width!.Value).ToList();

        widths[0].ShouldBe(36);
        widths[0].ShouldBeGreaterThan(widths[2] * 2);
        widths[3].ShouldBeGreaterThanOrEqualTo("Samma period i fjol".Length);
    }

    [Fact]
    public void Sheet_names_are_unique_at_most_31_characters_and_free_of_what_Excel_refuses()
    {
        string[] headings =
        [
            "Mål: [2026] / del?*\\", "Ekonomi", "ekonomi", "Rapport", "'Citat'", "", "History",
            "Sammanfattning av måluppfyllelsen per nämnd", "Sammanfattning av måluppfyllelsen per förvaltning",
        ];
        var report = SampleReports.Tertial() with { Sections = [.. headings.Select((h, i) => new ReportSection($"s{i}", h, [new ReportParagraph("Text")]))] };

        using var document = Open(OpenXmlFiles.Write(new XlsxReportWriter(), report));

        var names = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();
        names.ShouldBe(
        [
            "Rapport", "Mål 2026  del", "Ekonomi", "ekonomi (2)", "Rapport (2)", "Citat", "Avsnitt 6", "History (2)",
            "Sammanfattning av måluppfyllels", "Sammanfattning av måluppfyl (2)",
        ]);
        OpenXmlFiles.Errors(document).ShouldBeEmpty(OpenXmlFiles.Errors(document));
    }
}
