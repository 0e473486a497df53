using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Kedja.Reports.Tests;

public sealed class DocxReportWriterTests
{
    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    [Fact]
    public void The_Word_file_passes_Office_validation_without_a_single_error()
    {
        using var document = Open(OpenXmlFiles.Write(new DocxReportWriter(), SampleReports.Tertial(40), "tertialrapport.docx"));

        var errors = OpenXmlFiles.Errors(document);

        errors.ShouldBeEmpty(errors);
    }
}
