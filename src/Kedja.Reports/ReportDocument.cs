using Kedja.Domain.Charts;

namespace Kedja.Reports;

/// <summary>
/// A report as content, before any format: what the Word, PDF, Excel and HTML writers draw. The web app builds it
/// from the scorecards (Kedja.Web/Reports); the writers know nothing of goals or tenants, only of headings, text,
/// tables and charts, so the four formats say the same thing. Texts are final (Swedish, sv-SE figures); numbers also
/// carry their value so that Excel stores them as numbers.
/// </summary>
/// <param name="Title">"Delårsrapport 2026".</param>
/// <param name="Subtitle">The unit reported on: "Barn- och utbildningsnämnden".</param>
/// <param name="Organisation">The municipality: "Kumla kommun".</param>
/// <param name="Period">The period as a reader names it: "Tertial 2 2026".</param>
/// <param name="Created">When the report was made; shown on the title page (Swedish local time).</param>
/// <param name="Sections">The sections in the template's order; each starts on a new page in Word and PDF and is a sheet in Excel.</param>
/// <param name="Language">The report's language for the documents' metadata ("sv").</param>
public sealed record ReportDocument(string Title, string Subtitle, string Organisation, string Period, DateTimeOffset Created,
    IReadOnlyList<ReportSection> Sections, string Language = "sv")
{
    /// <summary>What the running header of every page but the first says.</summary>
    public string RunningHeader => $"{Organisation} · {Title} · {Subtitle}";

    /// <summary>A file name without extension that a person recognises and any file system takes.</summary>
    public string FileName
    {
        get
        {
            var name = Title.Contains(Period, StringComparison.Ordinal) ? $"{Title} {Subtitle}" : $"{Title} {Subtitle} {Period}";
            var clean = new string([.. name.Select(c => char.IsLetterOrDigit(c) ? c : c is ' ' or '-' or '_' ? c : ' ')]);
            return string.Join('-', clean.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}

/// <summary>One section of the template ("Måluppfyllelse", "Mål och resultat", "Grunduppdrag" ...): a level-1 heading.</summary>
/// <param name="Key">The template's section key ("summary", "goals" ...); writers use it only for names (Excel sheets, HTML ids).</param>
/// <param name="Heading">The heading as the template names it.</param>
public sealed record ReportSection(string Key, string Heading, IReadOnlyList<ReportBlock> Blocks);

/// <summary>Something a section holds, drawn top to bottom.</summary>
public abstract record ReportBlock;

/// <summary>A heading within a section: level 2 (a unit, a perspective), 3 (a goal), 4 (a goal's part). Word writes it in the built-in heading style, so a table of contents works.</summary>
public sealed record ReportHeading(int Level, string Text) : ReportBlock;

/// <summary>Running text. Line breaks in <paramref name="Text"/> are paragraphs of their own.</summary>
public sealed record ReportParagraph(string Text, ParagraphKind Kind = ParagraphKind.Normal) : ReportBlock;

public enum ParagraphKind
{
    Normal,

    /// <summary>A remark set apart, such as "Ingår inte i måluppfyllelsen": italic.</summary>
    Note,
}

/// <summary>A label and its text, such as "Analys" and the unit's analysis: the label in bold, the text below or beside it.</summary>
public sealed record ReportField(string Label, string Text) : ReportBlock;

/// <summary>A status, such as a goal's: always as symbol and words, a colour only beside them.</summary>
/// <param name="Key">The scale step's key ("uppfyllt", "ej-bedomt").</param>
/// <param name="Label">"Uppfyllt".</param>
/// <param name="Symbol">"●", "◐", "○", "–": what tells statuses apart without colour.</param>
/// <param name="Colour">"#1a7f37": a fill beside the words, never alone.</param>
public sealed record ReportStatus(string Key, string Label, string Symbol, string Colour)
{
    public string Text => $"{Symbol} {Label}".Trim();
}

/// <summary>A status line under a heading: "Status: ● Uppfyllt" with the engine's explanation.</summary>
public sealed record ReportStatusLine(string Label, ReportStatus Status, string? Explanation) : ReportBlock;

/// <summary>A table with a caption; header row repeated on every page it runs over.</summary>
/// <param name="Caption">Says what the table holds ("Indikatorer för målet ..."): the table's name in Word and HTML, a bold line above it in PDF and Excel.</param>
public sealed record ReportTable(string Caption, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows) : ReportBlock;

/// <param name="Kind">How the column's cells are aligned and stored: figures right-aligned and, in Excel, as numbers.</param>
/// <param name="Width">Relative width (1 = normal; 3 for a name column).</param>
/// <param name="WrapHeader">
/// A figure column's header may break at its spaces in PDF, so that a table of many counts fits the page; otherwise a
/// figure column is at least as wide as its whole header.
/// </param>
public sealed record ReportColumn(string Header, CellKind Kind = CellKind.Text, double Width = 1, bool WrapHeader = false);

public enum CellKind
{
    Text,

    /// <summary>A figure: <see cref="ReportCell.Number"/> holds the value, <see cref="ReportCell.Decimals"/> its decimals.</summary>
    Number,

    /// <summary>A share (0.87 = 87 %): <see cref="ReportCell.Number"/> holds the share.</summary>
    Percent,

    /// <summary>A status: <see cref="ReportCell.Status"/> holds it; the text is its symbol and words.</summary>
    Status,
}

/// <summary>
/// One cell. <paramref name="Text"/> is what every format shows (Swedish formatting, "–" for nothing); a figure also
/// carries its value so that Excel stores a number, and a status its step so a writer may add the colour beside it.
/// </summary>
public sealed record ReportCell(string Text, decimal? Number = null, int Decimals = 0, ReportStatus? Status = null)
{
    public static ReportCell Empty { get; } = new("–");

    public static ReportCell Of(string? text) => string.IsNullOrWhiteSpace(text) ? Empty : new(text);

    public static ReportCell Of(decimal? value, int decimals, string? unitOfMeasure = null) =>
        value is { } v
            ? new(Domain.SwedishFormat.Number(v, decimals) + (string.IsNullOrEmpty(unitOfMeasure) ? "" : "\u00a0" + unitOfMeasure), v, decimals)
            : Empty;

    public static ReportCell Share(decimal? share) => share is { } s ? new(Domain.SwedishFormat.Percent(s), s, 0) : Empty;

    public static ReportCell Of(ReportStatus status) => new(status.Text, Status: status);
}

/// <summary>
/// Goal fulfilment per perspective or area as a bar chart (the same model the scorecard page draws as SVG). Writers
/// draw it as vectors where the format can (PDF, HTML, Word) and always set the numbers beside it as a table, so
/// nothing is said by the chart alone.
/// </summary>
/// <param name="Description">The chart in words, for screen readers and as the figure's caption.</param>
/// <param name="RowHeader">What the rows are, as the header of the numbers' first column: "Perspektiv", "Nämnd".</param>
public sealed record ReportChart(FulfilmentChart Chart, string Description, string RowHeader = "Område") : ReportBlock;

/// <summary>Starts a new page in Word and PDF (a new unit in a report covering many); nothing in Excel and HTML.</summary>
public sealed record ReportPageBreak : ReportBlock;

/// <summary>The formats a report is written in.</summary>
public enum ReportFormat
{
    Docx,
    Pdf,
    Xlsx,
    Html,
}

public static class ReportFormats
{
    public static string Extension(this ReportFormat format) => format switch
    {
        ReportFormat.Docx => ".docx",
        ReportFormat.Pdf => ".pdf",
        ReportFormat.Xlsx => ".xlsx",
        _ => ".html",
    };

    public static string ContentType(this ReportFormat format) => format switch
    {
        ReportFormat.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ReportFormat.Pdf => "application/pdf",
        ReportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/html; charset=utf-8",
    };

    /// <summary>"docx", "pdf", "xlsx", "html" as the API, the verb and the form take them.</summary>
    public static bool TryParse(string? text, out ReportFormat format)
    {
        format = default;
        return text?.Trim().ToLowerInvariant() switch
        {
            "docx" or "word" => Set(ReportFormat.Docx, out format),
            "pdf" => Set(ReportFormat.Pdf, out format),
            "xlsx" or "excel" => Set(ReportFormat.Xlsx, out format),
            "html" => Set(ReportFormat.Html, out format),
            _ => false,
        };
    }

    public static string Key(this ReportFormat format) => format.ToString().ToLowerInvariant();

    private static bool Set(ReportFormat value, out ReportFormat format)
    {
        format = value;
        return true;
    }
}

/// <summary>Writes a report in one format. Writers are stateless and thread-safe; the caller owns the stream.</summary>
public interface IReportWriter
{
    ReportFormat Format { get; }

    /// <param name="progress">Told the share written so far (0-1) now and then, for the long reports' progress bar.</param>
    void Write(ReportDocument report, Stream output, IProgress<double>? progress = null);
}

/// <summary>The writer of each format, for the web app, the verb and the tests.</summary>
public static class ReportWriters
{
    /// <param name="fontFolder">Where the PDF writer finds DejaVu Sans when not in the system's font folders (Kedja:Reports:FontFolder).</param>
    public static IReportWriter For(ReportFormat format, string? fontFolder = null) => format switch
    {
        ReportFormat.Docx => new DocxReportWriter(),
        ReportFormat.Xlsx => new XlsxReportWriter(),
        ReportFormat.Pdf => new PdfReportWriter(fontFolder),
        _ => new HtmlReportWriter(),
    };
}
