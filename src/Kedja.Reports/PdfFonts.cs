using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Kedja.Reports;

/// <summary>The PDF's font is missing on the server: the message says what to install, and the caller shows it as it is.</summary>
public sealed class ReportFontMissingException(string message) : InvalidOperationException(message);

/// <summary>
/// DejaVu Sans for PDFsharp, read from Debian's fonts-dejavu-core or a folder the writer is given, and embedded in
/// every PDF (ADR 34). PDFsharp's font resolver is process-global and may be set only once, so one resolver serves
/// every writer: a writer with a folder of its own gets a family name that carries the folder, and the resolver reads
/// each face's file once and keeps its bytes.
/// </summary>
internal sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/local/share/fonts",
        "/usr/local/share/fonts/dejavu",
    ];

    private static readonly string[] Files = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"];

    private static readonly PdfFonts Instance = new();

    // Setting the resolver twice, or after PDFsharp has resolved a font, throws: Lazy makes it happen once, whichever
    // writer in whichever thread comes first.
    private static readonly Lazy<PdfFonts> Registered = new(() =>
    {
        if (GlobalFontSettings.FontResolver is not PdfFonts)
        {
            GlobalFontSettings.FontResolver = Instance;
        }

        return Instance;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string?> SystemFolder = new(() => Folders.FirstOrDefault(Complete));

    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _faces = new();

    /// <summary>The family name a writer draws with: the system's DejaVu Sans, or the one in <paramref name="folder"/>.</summary>
    /// <exception cref="ReportFontMissingException">The four faces are not all there.</exception>
    public static string FamilyFor(string? folder)
    {
        _ = Registered.Value;
        if (!string.IsNullOrWhiteSpace(folder))
        {
            var full = Path.GetFullPath(folder);
            return Complete(full) ? Family + "|" + full : throw Missing(full);
        }

        return SystemFolder.Value is not null ? Family : throw Missing(null);
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (!familyName.StartsWith(Family, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var folder = familyName.Length > Family.Length + 1 && familyName[Family.Length] == '|' ? familyName[(Family.Length + 1)..] : SystemFolder.Value;
        if (folder is null)
        {
            return null;
        }

        var file = Files[(bold ? 1 : 0) + (italic ? 2 : 0)];
        return new FontResolverInfo(Path.Combine(folder, file));
    }

    // The face name is the file's path: unique per folder, so two folders never share PDFsharp's cache entry.
    public byte[]? GetFont(string faceName) =>
        _faces.GetOrAdd(faceName, path => new Lazy<byte[]>(() => File.ReadAllBytes(path), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static bool Complete(string folder) => Files.All(f => File.Exists(Path.Combine(folder, f)));

    private static ReportFontMissingException Missing(string? folder) => new(
        "Typsnittet DejaVu Sans saknas " + (folder is null ? "på servern" : $"i mappen {folder}") +
        ", så PDF-rapporten kan inte skapas. Installera paketet fonts-dejavu-core (Debian, Ubuntu) eller ange en mapp med " +
        string.Join(", ", Files[..3]) + " och " + Files[3] + " i inställningen Kedja:Reports:FontFolder.");
}
