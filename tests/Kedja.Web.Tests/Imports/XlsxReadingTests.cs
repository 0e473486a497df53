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

    /// <summary>
    /// A workbook whose sheet has a header and one row, with a part of <paramref name="size"/> characters written in
    /// pieces (so the test never holds it): a shared string, or whitespace in the sheet. Deflate packs either to a
    /// thousandth of its size, as a zip bomb does.
    /// </summary>
    private static byte[] Bomb(bool inSharedStrings, long size)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string name, Action<StreamWriter> write)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Fastest).Open());
                write(writer);
            }

            void Filler(StreamWriter writer, char c)
            {
                var chunk = new string(c, 1 << 20);
                for (var written = 0L; written < size; written += chunk.Length)
                {
                    writer.Write(chunk);
                }
            }

            Entry("[Content_Types].xml", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
                "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>"));
            Entry("_rels/.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            Entry("xl/workbook.xml", w => w.Write(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Relationships}\"><sheets><sheet name=\"Utfall\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Entry("xl/_rels/workbook.xml.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                $"<Relationship Id=\"rId1\" Type=\"{Relationships}/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
                $"<Relationship Id=\"rId2\" Type=\"{Relationships}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"));
            Entry("xl/sharedStrings.xml", w =>
            {
                w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\"><si><t>Utfall</t></si><si><t>");
                if (inSharedStrings)
                {
                    Filler(w, 'A');
                }

                w.Write("</t></si></sst>");
            });
            Entry("xl/worksheets/sheet1.xml", w =>
            {
                w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData>" +
                    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Indikator</t></is></c><c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>Kommentar</t></is></c></row>" +
                    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Läsning</t></is></c><c r=\"B2\"><v>12</v></c><c r=\"C2\" t=\"s\"><v>1</v></c></row>");
                if (!inSharedStrings)
                {
                    Filler(w, ' ');
                }

                w.Write("</sheetData></worksheet>");
            });
        }

        return buffer.ToArray();
    }

    [Fact]
    public void A_workbook_that_unpacks_to_far_more_than_its_size_is_refused_before_it_fills_the_memory()
    {
        // Within the limits both kinds read.
        Read(Bomb(inSharedStrings: true, 1 << 20)).Lines.Single()[1].Number.ShouldBe(12m);
        Read(Bomb(inSharedStrings: false, 1 << 20)).Lines.Single()[1].Number.ShouldBe(12m);

        // A shared string of 65 MB (a few hundred kB packed) is more than the shared strings may hold.
        var strings = Bomb(inSharedStrings: true, 65L << 20);
        strings.Length.ShouldBeLessThan(1 << 20);
        ImportReader.Read("bomb.xlsx", strings).Error.ShouldBe("Excel-filen går inte att läsa. Den kan vara skadad. Öppna den i Excel, spara den igen och försök på nytt.");

        // A sheet that declares more than 512 MB unpacked is refused by its declared size, before it is read.
        var sheet = Bomb(inSharedStrings: false, 513L << 20);
        sheet.Length.ShouldBeLessThan(8 << 20);
        ImportReader.Read("bomb.xlsx", sheet).Error.ShouldBe("Excel-filen är för stor för att läsas in: den packas upp till mer än 512 MB. Dela upp den i flera filer och läs in dem en i taget.");
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
