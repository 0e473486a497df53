using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class XlsxReadingTests
{
    /// <summary>
    /// A workbook as other programs write it, built with the Open XML SDK's tree: a first sheet "Data" that is not
    /// read, then "Utfall" with shared strings (one rich), inline strings, a formula with its cached value, dates, a
    /// boolean, a sparse row and rows without references.
    /// </summary>
    private static byte[] Workbook()
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(
                new SharedStringItem(new Text("Enhet")),
                new SharedStringItem(new Text("Utfall")),
                new SharedStringItem(new Text("Äldreomsorg")),
                new SharedStringItem(new Run(new Text("Nöjd") { Space = SpaceProcessingModeValues.Preserve }), new Run(new RunProperties(new Bold()), new Text("het"))),
                new SharedStringItem(new Text("  Period  ") { Space = SpaceProcessingModeValues.Preserve }));

            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\\-mm\\-dd" }, new NumberingFormat { NumberFormatId = 165, FormatCode = "#,##0.0\" dagar\"" }) { Count = 2 },
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellStyleFormats(new CellFormat()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true })
                { Count = 4 });

            var other = workbook.AddNewPart<WorksheetPart>();
            other.Worksheet = new Worksheet(new SheetData(new Row(InlineCell("A1", "Inte detta blad")) { RowIndex = 1 }));

            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData(
                new Row(new Cell { CellReference = "A2" }) { RowIndex = 2 },
                new Row(
                    SharedCell("B3", 0),
                    SharedCell("C3", 1),
                    SharedCell("D3", 4),
                    InlineCell("E3", "Kommentar"),
                    InlineCell("F3", "Datum"),
                    InlineCell("G3", "Klar"))
                { RowIndex = 3 },
                new Row(
                    SharedCell("B4", 2),
                    new Cell(new CellFormula("SUM(1.2,3.3)"), new CellValue("4.5")) { CellReference = "C4" },
                    InlineCell("D4", "2025-T1"),
                    SharedCell("E4", 3),
                    new Cell(new CellValue("45678")) { CellReference = "F4", StyleIndex = 1 },
                    new Cell(new CellValue("1")) { CellReference = "G4", DataType = CellValues.Boolean })
                { RowIndex = 4 },
                // Sparse: only B and E hold values; C and D are missing from the file.
                new Row(SharedCell("B6", 2), InlineCell("E6", "  bara kommentar  ")) { RowIndex = 6 },
                // No references at all: the cells stand in order from column A.
                new Row(new Cell(new InlineString(new Text("A-kolumn"))) { DataType = CellValues.InlineString },
                        new Cell(new InlineString(new Text("Skola"))) { DataType = CellValues.InlineString },
                        new Cell(new CellValue("0.30000000000000004")),
                        new Cell(new CellFormula("\"T\"&2"), new CellValue("T2")) { DataType = CellValues.String })
                { RowIndex = 7 },
                new Row(
                    InlineCell("B8", "Datumformat"),
                    new Cell(new CellValue("-1234.5")) { CellReference = "C8", StyleIndex = 3 },
                    new Cell(new CellValue("45292")) { CellReference = "F8", StyleIndex = 2 },
                    new Cell(new CellFormula("1/0"), new CellValue("#DIV/0!")) { CellReference = "G8", DataType = CellValues.Error })
                { RowIndex = 8 }));

            workbook.Workbook = new Workbook(new Sheets(
                new Sheet { Name = "Data", SheetId = 1, Id = workbook.GetIdOfPart(other) },
                new Sheet { Name = "Utfall", SheetId = 2, Id = workbook.GetIdOfPart(sheet) }));

            var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).ToList();
            errors.ShouldBeEmpty(string.Join("\n", errors.Select(e => e.Description)));
        }

        return buffer.ToArray();
    }

    private static Cell SharedCell(string reference, int index) =>
        new(new CellValue(index)) { CellReference = reference, DataType = CellValues.SharedString };

    private static Cell InlineCell(string reference, string text) =>
        new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { CellReference = reference, DataType = CellValues.InlineString };

    private static ImportTable Read(byte[] bytes, string name = "utfall.xlsx")
    {
        var result = ImportReader.Read(name, bytes);
        result.Error.ShouldBeNull();
        return result.Table.ShouldNotBeNull();
    }

    [Fact]
    public void Every_kind_of_cell_is_read_as_Excel_shows_it_from_the_sheet_named_Utfall()
    {
        var table = Read(Workbook());

        table.Format.ShouldBe("xlsx");
        table.Sheet.ShouldBe("Utfall");
        table.Encoding.ShouldBeNull();
        table.Separator.ShouldBeNull();
        table.HeaderRow.ShouldBe(3);
        table.Header.ShouldBe(["", "Enhet", "Utfall", "Period", "Kommentar", "Datum", "Klar"]);
        table.Lines.Select(l => l.Row).ShouldBe([4, 6, 7, 8]);

        var first = table.Lines[0];
        first[1].ShouldBe(new ImportCell("Äldreomsorg", null));
        first[2].ShouldBe(new ImportCell("4,5", 4.5m)); // the formula's cached value
        first[3].ShouldBe(new ImportCell("2025-T1", null));
        first[4].ShouldBe(new ImportCell("Nöjdhet", null)); // rich text runs joined
        first[5].ShouldBe(new ImportCell("2025-01-21", null)); // 45678 with the built-in date format 14
        first[6].ShouldBe(new ImportCell("SANT", null));

        var sparse = table.Lines[1];
        sparse.Cells.Count.ShouldBe(5);
        sparse[1].Text.ShouldBe("Äldreomsorg");
        sparse[2].ShouldBe(ImportCell.Empty);
        sparse[3].ShouldBe(ImportCell.Empty);
        sparse[4].Text.ShouldBe("bara kommentar");

        var unreferenced = table.Lines[2];
        unreferenced[0].Text.ShouldBe("A-kolumn");
        unreferenced[1].Text.ShouldBe("Skola");
        unreferenced[2].ShouldBe(new ImportCell("0,3", 0.3m)); // 15 significant digits, as Excel shows it
        unreferenced[3].ShouldBe(new ImportCell("T2", null)); // a formula's cached string

        var last = table.Lines[3];
        last[2].ShouldBe(new ImportCell("-1234,5", -1234.5m)); // a number with a unit in its format is still a number
        last[5].ShouldBe(new ImportCell("2024-01-01", null)); // a custom date format
        last[6].ShouldBe(new ImportCell("#DIV/0!", null));
    }

    [Fact]
    public void Without_a_sheet_named_Utfall_the_first_sheet_is_read()
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var first = workbook.AddNewPart<WorksheetPart>();
            first.Worksheet = new Worksheet(new SheetData(
                new Row(InlineCell("A1", "Enhet"), InlineCell("B1", "Utfall")) { RowIndex = 1 },
                new Row(InlineCell("A2", "Skola"), new Cell(new CellValue("12")) { CellReference = "B2" }) { RowIndex = 2 }));
            var second = workbook.AddNewPart<WorksheetPart>();
            second.Worksheet = new Worksheet(new SheetData());
            workbook.Workbook = new Workbook(new Sheets(
                new Sheet { Name = "Blad1", SheetId = 1, Id = workbook.GetIdOfPart(first) },
                new Sheet { Name = "Blad2", SheetId = 2, Id = workbook.GetIdOfPart(second) }));
        }

        var table = Read(buffer.ToArray(), "export.csv"); // the name does not decide the format

        table.Format.ShouldBe("xlsx");
        table.Sheet.ShouldBe("Blad1");
        table.Lines.Single()[1].ShouldBe(new ImportCell("12", 12m));
    }

    [Fact]
    public void An_empty_sheet_and_a_sheet_with_only_a_header_say_so()
    {
        byte[] Book(params Row[] rows)
        {
            using var buffer = new MemoryStream();
            using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
            {
                var workbook = document.AddWorkbookPart();
                var sheet = workbook.AddNewPart<WorksheetPart>();
                sheet.Worksheet = new Worksheet(new SheetData(rows));
                workbook.Workbook = new Workbook(new Sheets(new Sheet { Name = "Utfall", SheetId = 1, Id = workbook.GetIdOfPart(sheet) }));
            }

            return buffer.ToArray();
        }

        ImportReader.Read("a.xlsx", Book()).Error.ShouldBe("Bladet \"Utfall\" är tomt.");
        ImportReader.Read("a.xlsx", Book(new Row(InlineCell("A1", "Enhet")) { RowIndex = 1 })).Error
            .ShouldBe("Filen har en rubrikrad men inga rader med värden under den.");
    }

    [Theory]
    [InlineData(14u, null, true)]
    [InlineData(22u, null, true)]
    [InlineData(4u, null, false)]
    [InlineData(164u, "yyyy-mm-dd", true)]
    [InlineData(164u, "[$-41D]d mmmm yyyy", true)]
    [InlineData(164u, "#,##0\" dagar\"", false)]
    [InlineData(164u, "[Red]0.0", false)]
    [InlineData(164u, "0.0 \\d", false)]
    public void Date_formats_are_told_from_number_formats(uint id, string? code, bool date) =>
        XlsxImportReader.IsDateFormat(id, code).ShouldBe(date);
}
