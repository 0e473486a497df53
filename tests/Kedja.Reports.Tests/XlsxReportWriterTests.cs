using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kedja.Reports.Tests;

public sealed class XlsxReportWriterTests
{
    private static SpreadsheetDocument Open(byte[] bytes) => SpreadsheetDocument.Open(new MemoryStream(bytes), false);

    [Fact]
    public void The_Excel_file_passes_Office_validation_without_a_single_error()
    {
        using var document = Open(OpenXmlFiles.Write(new XlsxReportWriter(), SampleReports.Tertial(40), "tertialrapport.xlsx"));

        var errors = OpenXmlFiles.Errors(document);

        errors.ShouldBeEmpty(errors);
    }
}
