using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace Kedja.Reports.Tests;

/// <summary>Writing a report to bytes, keeping it as a test artefact, and what Office's own schema check says of it.</summary>
internal static class OpenXmlFiles
{
    public static string Artefacts { get; } = Path.Combine(Path.GetTempPath(), "kedja-reports");

    public static byte[] Write(IReportWriter writer, ReportDocument report, string? artefact = null)
    {
        using var stream = new MemoryStream();
        writer.Write(report, stream);
        var bytes = stream.ToArray();
        if (artefact is not null)
        {
            Directory.CreateDirectory(Artefacts);
            File.WriteAllBytes(Path.Combine(Artefacts, artefact), bytes);
        }

        return bytes;
    }

    /// <summary>Every schema and semantic error the validator finds, one per line, for the failure message.</summary>
    public static string Errors(OpenXmlPackage package)
    {
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(package).ToList();
        return string.Join('\n', errors.Take(30).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}"));
    }
}
