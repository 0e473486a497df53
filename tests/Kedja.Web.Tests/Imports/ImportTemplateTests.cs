using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class ImportTemplateTests
{
    private static readonly TemplateRow[] Rows =
    [
        new("Vård- och omsorgsnämnden", "Andel nöjda brukare", Guid.Parse("6f1c1f9e-0000-4000-8000-000000000001"), "2025-T1", "%", 1, 87.5m, 90.25m, 84m, 90m, "Mätt i mars", "Öppen"),
        new("Vård- och omsorgsnämnden", "Väntetid till särskilt boende", Guid.Parse("6f1c1f9e-0000-4000-8000-000000000002"), "2025-T1", "dagar", 0, null, null, null, 60m, null, "Öppen"),
        new("Barn- och utbildningsnämnden", "Kostnad per elev", Guid.Parse("6f1c1f9e-0000-4000-8000-000000000003"), "2024", "kr", 2, 123456.78m, null, null, null, "Låst sedan \"bokslut\"", "Låst"),
        new("Kommunstyrelsen", "Antal  ärenden", Guid.Parse("6f1c1f9e-0000-4000-8000-000000000004"), "2025", "st", 0, -3m, null, null, 0m, "Rad ett\nrad två", "Öppen"),
    ];

    private static byte[] Template(IReadOnlyList<TemplateRow> rows)
    {
        using var buffer = new MemoryStream();
        ImportTemplate.Write(buffer, "Utfall för Vård- och omsorgsnämnden, 2025", rows);
        return buffer.ToArray();
    }

    [Fact]
    public void The_template_is_valid_Office_Open_XML_with_a_frozen_bold_filtered_header_and_instructions()
    {
        var bytes = Template(Rows);

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).ToList();
        errors.ShouldBeEmpty(string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));

        var workbook = document.WorkbookPart!;
        workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(["Utfall", "Anvisningar"]);
        document.PackageProperties.Title.ShouldBe("Utfall för Vård- och omsorgsnämnden, 2025");

        var data = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        var pane = data.Worksheet.Descendants<Pane>().Single();
        pane.State!.Value.ShouldBe(PaneStateValues.Frozen);
        pane.TopLeftCell!.Value.ShouldBe("A2");
        data.Worksheet.Elements<AutoFilter>().Single().Reference!.Value.ShouldBe("A1:K5");
        data.Worksheet.Descendants<Column>().Count().ShouldBe(11);
        data.Worksheet.Descendants<Column>().ShouldAllBe(c => c.Width! >= 10);

        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var fonts = workbook.WorkbookStylesPart.Stylesheet.Fonts!.Elements<Font>().ToList();
        var headerCells = data.Worksheet.Descendants<Row>().First().Elements<Cell>().ToList();
        headerCells.Select(c => c.InnerText).ShouldBe(ImportColumns.Template);
        headerCells.ShouldAllBe(c => fonts[(int)formats[(int)c.StyleIndex!.Value].FontId!.Value].Bold != null);

        // Figures are numbers with the indicator's decimals in their format; Period and id are text.
        var numbering = workbook.WorkbookStylesPart.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value);
        var rows = data.Worksheet.Descendants<Row>().ToList();
        var value = rows[1].Elements<Cell>().Single(c => c.CellReference == "E2");
        value.DataType!.Value.ShouldBe(CellValues.Number);
        numbering[formats[(int)value.StyleIndex!.Value].NumberFormatId!.Value].ShouldBe("#,##0.0");
        var cost = rows[3].Elements<Cell>().Single(c => c.CellReference == "E4");
        numbering[formats[(int)cost.StyleIndex!.Value].NumberFormatId!.Value].ShouldBe("#,##0.00");
        rows[1].Elements<Cell>().Single(c => c.CellReference == "D2").DataType!.Value.ShouldBe(CellValues.InlineString);
        // An empty figure keeps its format, so a typed value shows with the decimals.
        var empty = rows[2].Elements<Cell>().Single(c => c.CellReference == "E3");
        empty.CellValue.ShouldBeNull();
        numbering[formats[(int)empty.StyleIndex!.Value].NumberFormatId!.Value].ShouldBe("#,##0");

        var instructions = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().Last().Id!);
        var text = string.Join("\n", instructions.Worksheet.Descendants<Text>().Select(t => t.Text));
        foreach (var words in new[] { "Utfall", "Målvärde", "decimalkomma", "decimalpunkt", "Indikator-id", "Period", "En rad är en indikator i en period", "tom cell ändrar ingenting", "Låst" })
        {
            text.ShouldContain(words);
        }
    }

    [Fact]
    public void A_stored_value_with_more_decimals_than_the_indicator_shows_keeps_them_in_its_format()
    {
        // Excel saves a CSV as the cells show: 92,5 formatted without decimals would come back as 93, a change nobody made.
        var bytes = Template([Rows[0], Rows[1] with { Value = 92.5m }]);

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var numbering = workbook.WorkbookStylesPart.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value);
        var data = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        var cells = data.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        string? Format(string cell) => numbering[formats[(int)cells[cell].StyleIndex!.Value].NumberFormatId!.Value];

        Format("E3").ShouldBe("#,##0.0");
        Format("H3").ShouldBe("#,##0");
        Format("E2").ShouldBe("#,##0.0");
        Format("F2").ShouldBe("#,##0.00");
        Format("G2").ShouldBe("#,##0.0");
    }

    [Fact]
    public void Every_cell_of_the_template_reads_back_as_written()
    {
        var table = ImportReader.Read("mall.xlsx", Template(Rows)).Table.ShouldNotBeNull();

        table.Sheet.ShouldBe("Utfall");
        table.HeaderRow.ShouldBe(1);
        table.Header.ShouldBe(ImportColumns.Template);
        table.Header.Select(ImportColumns.Canonical).ShouldBe(ImportColumns.Template);
        table.Lines.Select(l => l.Row).ShouldBe([2, 3, 4, 5]);
        for (var i = 0; i < Rows.Length; i++)
        {
            var row = Rows[i];
            var line = table.Lines[i];
            line[0].ShouldBe(new ImportCell(row.Unit, null));
            line[1].ShouldBe(new ImportCell(row.Indicator, null));
            line[2].ShouldBe(new ImportCell(row.IndicatorId.ToString(), null));
            line[3].ShouldBe(new ImportCell(row.PeriodKey, null));
            line[4].Number.ShouldBe(row.Value);
            line[5].Number.ShouldBe(row.ValueWomen);
            line[6].Number.ShouldBe(row.ValueMen);
            line[7].Number.ShouldBe(row.Target);
            line[8].Text.ShouldBe(row.Comment ?? "");
            line[9].Text.ShouldBe(row.UnitOfMeasure);
            line[10].Text.ShouldBe(row.State);
            foreach (var figure in new[] { line[4], line[5], line[6], line[7] }.Where(c => c.Number is not null))
            {
                ImportNumbers.TryParse(figure.Text, out var parsed).ShouldBeTrue(figure.Text);
                parsed.ShouldBe(figure.Number!.Value);
            }
        }

        table.Lines[1][4].ShouldBe(ImportCell.Empty);
        table.Lines[2][4].ShouldBe(new ImportCell("123456,78", 123456.78m));
    }

    [Fact]
    public void An_empty_template_and_one_written_to_a_stream_that_cannot_seek_are_valid_too()
    {
        using var target = new WriteOnlyStream();
        ImportTemplate.Write(target, "Tom", []);

        using var document = SpreadsheetDocument.Open(new MemoryStream(target.Written.ToArray()), false);
        new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).ShouldBeEmpty();
        ImportReader.Read("tom.xlsx", target.Written.ToArray()).Error.ShouldBe("Filen har en rubrikrad men inga rader med värden under den.");
    }

    private sealed class WriteOnlyStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
