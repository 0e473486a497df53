using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Kedja.Reports;

namespace Kedja.Web.Tests.Reports;

/// <summary>A report written in a format, kept as a test artefact, checked by Office's validator and read back as text.</summary>
internal static class ReportFiles
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "kedja-reports");

    public static byte[] Write(ReportDocument report, ReportFormat format, string name)
    {
        using var stream = new MemoryStream();
        ReportWriters.For(format).Write(report, stream);
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, name + format.Extension()), stream.ToArray());
        return stream.ToArray();
    }

    /// <summary>The text of a Word or Excel file after the validator found no error in it.</summary>
    public static string ValidText(ReportDocument report, ReportFormat format, string name) => ValidText(Write(report, format, name), format);

    public static string ValidText(byte[] bytes, ReportFormat format)
    {
        using var stream = new MemoryStream(bytes);
        using OpenXmlPackage package = format == ReportFormat.Docx ? WordprocessingDocument.Open(stream, false) : SpreadsheetDocument.Open(stream, false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(package).Take(20).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        errors.ShouldBeEmpty(string.Join('\n', errors));
        var text = new StringBuilder();
        if (package is WordprocessingDocument word)
        {
            foreach (var paragraph in word.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>())
            {
                text.AppendLine(paragraph.InnerText);
            }
        }
        else if (package is SpreadsheetDocument sheet)
        {
            foreach (var part in sheet.WorkbookPart!.WorksheetParts)
            {
                foreach (var cell in part.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>())
                {
                    text.AppendLine(cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "");
                }
            }
        }

        return text.ToString();
    }
}
