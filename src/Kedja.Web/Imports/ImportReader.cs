using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml.Packaging;

namespace Kedja.Web.Imports;

/// <summary>
/// Reads an uploaded outcome file into rows with the row numbers the user sees. The format is told by the content, not
/// the name (a file saved as .csv may be a workbook, and an old .xls is a different thing from .xlsx); every file that
/// cannot be read gets a plain Swedish reason instead of an exception. See ADR 37.
/// </summary>
public static class ImportReader
{
    public const long MaxBytes = 50 * 1024 * 1024;
    public const int MaxRows = 500_000;

    /// <summary>
    /// The most an .xlsx may unpack to, by its parts' sizes. A template of 500,000 rows unpacks to about 300 MB; a file of
    /// 50 MB that unpacks to thousands of times its size (a zip bomb) would take the node's memory while it is read.
    /// </summary>
    public const long MaxUnpackedBytes = 512L * 1024 * 1024;

    // The OLE2 compound-file signature: an .xls, or an .xlsx encrypted with a password (Office wraps those in OLE2).
    private static ReadOnlySpan<byte> Ole2 => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static ReadOnlySpan<byte> Zip => [0x50, 0x4B, 0x03, 0x04];
    private static ReadOnlySpan<byte> EmptyZip => [0x50, 0x4B, 0x05, 0x06];

    public static ImportReadResult Read(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        fileName ??= "";
        if (content.LongLength > MaxBytes)
        {
            return ImportReadResult.Failed(string.Create(CultureInfo.GetCultureInfo("sv-SE"),
                $"Filen är för stor ({content.LongLength / (1024.0 * 1024.0):0.#} MB). Den får vara högst {MaxBytes / (1024 * 1024)} MB. Dela upp den i flera filer och läs in dem en i taget."));
        }

        if (content.Length == 0)
        {
            return ImportReadResult.Failed(ImportMessages.Empty);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var bytes = content.AsSpan();
        if (bytes.StartsWith(Ole2))
        {
            return ImportReadResult.Failed(IsEncrypted(bytes) ? ImportMessages.Encrypted : ImportMessages.OldExcel);
        }

        if (!bytes.StartsWith(Zip) && !bytes.StartsWith(EmptyZip))
        {
            return CsvImportReader.Read(fileName, content, hash);
        }

        try
        {
            return ReadZip(fileName, content, hash);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or OpenXmlPackageException or FormatException or InvalidOperationException or ArgumentException)
        {
            // A damaged package surfaces as any of these from the zip, XML and Open XML layers; the reason the
            // user can act on is the same for all.
            return ImportReadResult.Failed(ImportMessages.Damaged);
        }
    }

    private static ImportReadResult ReadZip(string fileName, byte[] content, string hash)
    {
        using (var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read))
        {
            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                var mimetype = zip.GetEntry("mimetype");
                if (mimetype is not null)
                {
                    using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                    if (reader.ReadToEnd().Contains("opendocument.spreadsheet", StringComparison.Ordinal))
                    {
                        return ImportReadResult.Failed(ImportMessages.OpenDocument);
                    }
                }

                return ImportReadResult.Failed(ImportMessages.ZipNotWorkbook);
            }

            // The sizes the zip declares; a part that unpacks to more than it declares is stopped by the XML readers'
            // own limits (XlsxImportReader) and told as a damaged file.
            if (zip.Entries.Sum(e => e.Length) > MaxUnpackedBytes)
            {
                return ImportReadResult.Failed(ImportMessages.TooLargeUnpacked);
            }
        }

        return XlsxImportReader.Read(fileName, content, hash);
    }

    // Office encrypts an .xlsx into an OLE2 file with a stream named "EncryptedPackage" (in UTF-16 in the directory).
    private static bool IsEncrypted(ReadOnlySpan<byte> bytes) =>
        bytes.IndexOf(Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0;
}

/// <summary>The reasons a file cannot be read, in plain Swedish: what is wrong and what to do.</summary>
internal static class ImportMessages
{
    public const string Empty = "Filen är tom.";
    public const string OldExcel = "Filen är en äldre Excel-fil (.xls). Spara den som .xlsx eller CSV och försök igen.";
    public const string Encrypted = "Filen är skyddad med lösenord. Spara den utan lösenord som .xlsx eller CSV och försök igen.";
    public const string OpenDocument = "Filen är ett OpenDocument-kalkylblad (.ods). Spara den som .xlsx eller CSV och försök igen.";
    public const string ZipNotWorkbook = "Filen är en zip-fil men ingen Excel-arbetsbok. Välj en .xlsx-fil eller en CSV-fil.";
    public const string Damaged = "Excel-filen går inte att läsa. Den kan vara skadad. Öppna den i Excel, spara den igen och försök på nytt.";
    public const string Binary = "Filen går inte att läsa som CSV eller Excel. Välj en .xlsx-fil eller en CSV-fil (text med semikolon, komma eller tabb mellan kolumnerna).";
    public const string Markup = "Filen är en webbsida eller XML, inte en CSV-fil. Öppna den i Excel, spara den som .xlsx eller CSV och försök igen.";
    public const string NoValues = "Filen innehåller inga värden.";
    public const string OnlyHeader = "Filen har en rubrikrad men inga rader med värden under den.";
    public const string NoSheets = "Arbetsboken har inga blad.";
    public const string TooLargeUnpacked = "Excel-filen är för stor för att läsas in: den packas upp till mer än 512 MB. Dela upp den i flera filer och läs in dem en i taget.";

    // Thousands grouped by a no-break space, as Swedish writes them, whatever ICU's data on the machine says.
    public static string TooManyRows =>
        $"Filen har fler än {ImportReader.MaxRows.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '\u00A0')} rader med värden. Dela upp den i flera filer och läs in dem en i taget.";

    public static string UnterminatedQuote(int line) =>
        string.Create(CultureInfo.InvariantCulture, $"Rad {line}: ett citattecken (\") avslutas aldrig, så resten av filen går inte att dela upp i kolumner. Kontrollera att varje värde som börjar med \" också slutar med \".");

    /// <summary>The result for the rows read, or why they cannot be used.</summary>
    public static ImportReadResult Result(ImportRows rows, Func<ImportRows, ImportTable> table) =>
        rows.TooMany ? ImportReadResult.Failed(TooManyRows)
        : rows.Header is null ? ImportReadResult.Failed(NoValues)
        : rows.Lines.Count == 0 ? ImportReadResult.Failed(OnlyHeader)
        : new ImportReadResult(table(rows), null);
}
