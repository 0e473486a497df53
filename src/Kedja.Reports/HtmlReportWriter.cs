using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kedja.Domain.Charts;

namespace Kedja.Reports;

/// <summary>
/// The print-friendly HTML view: one self-contained page (its own style sheet, no script, no external file) that a
/// browser prints with each section on a new page. Every text is encoded; the chart is inline SVG with its numbers in
/// a table beside it.
/// </summary>
public sealed class HtmlReportWriter : IReportWriter
{
    public ReportFormat Format => ReportFormat.Html;

    // A fixed style sheet: the report is opened as a file too, where the app's CSS is not at hand.
    private const string Style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1b1b1f;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
        header.title{border-bottom:2px solid #1b1b1f;margin-bottom:2rem;padding-bottom:1rem}
        header.title p{margin:.2rem 0}
        h1{font-size:1.6rem;margin-top:2.5rem}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}h4{font-size:1rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.25rem}caption{text-align:left;font-weight:bold;padding:.25rem 0}
        th,td{border:1px solid #8a8a90;padding:.25rem .4rem;vertical-align:top;text-align:left}th{background:#eeeef2}
        td.num{text-align:right;white-space:nowrap}
        .dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;border:1px solid #1b1b1f;vertical-align:baseline}
        .note{font-style:italic}.field dt{font-weight:bold}.field dd{margin:0 0 .5rem}
        section.report{break-before:page}
        figure{margin:1rem 0}figcaption{font-size:.9rem}
        @media print{body{margin:0;max-width:none}header.title{min-height:40vh}}
        """;

    public void Write(ReportDocument report, Stream output, IProgress<double>? progress = null)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{E(report.Language)}\"><head><meta charset=\"utf-8\">");
        html.Append(CultureInfo.InvariantCulture, $"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{E(report.Title)} – {E(report.Subtitle)}</title>");
        html.Append("<style>").Append(Style).Append("</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<header class=\"title\"><p>{E(report.Organisation)}</p><h1>{E(report.Title)}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(report.Subtitle)}</strong></p><p>{E(report.Period)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{E(Labels.Created(report))}</p></header>");
        html.Append("<nav aria-labelledby=\"toc\"><h2 id=\"toc\">").Append(E(Labels.Contents)).Append("</h2><ol>");
        for (var s = 0; s < report.Sections.Count; s++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#s{s + 1}\">{E(report.Sections[s].Heading)}</a></li>");
        }

        html.Append("</ol></nav><main>");
        for (var s = 0; s < report.Sections.Count; s++)
        {
            var section = report.Sections[s];
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"report\" id=\"s{s + 1}\"><h1>{E(section.Heading)}</h1>");
            foreach (var block in section.Blocks)
            {
                Block(html, block);
            }

            html.Append("</section>");
            progress?.Report((s + 1) / (double)report.Sections.Count);
        }

        html.Append("</main></body></html>");
        var bytes = new UTF8Encoding(false).GetBytes(html.ToString());
        output.Write(bytes);
    }

    private static void Block(StringBuilder html, ReportBlock block)
    {
        switch (block)
        {
            case ReportHeading h:
                var level = Math.Clamp(h.Level, 2, 6);
                html.Append(CultureInfo.InvariantCulture, $"<h{level}>{E(h.Text)}</h{level}>");
                break;
            case ReportParagraph p:
                foreach (var line in Lines(p.Text))
                {
                    html.Append(p.Kind == ParagraphKind.Note ? "<p class=\"note\">" : "<p>").Append(E(line)).Append("</p>");
                }

                break;
            case ReportField f:
                html.Append("<dl class=\"field\"><dt>").Append(E(f.Label)).Append("</dt>");
                foreach (var line in Lines(f.Text))
                {
                    html.Append("<dd>").Append(E(line)).Append("</dd>");
                }

                html.Append("</dl>");
                break;
            case ReportStatusLine s:
                html.Append("<p><strong>").Append(E(s.Label)).Append(":</strong> ").Append(Status(s.Status));
                if (!string.IsNullOrWhiteSpace(s.Explanation))
                {
                    html.Append(" – ").Append(E(s.Explanation));
                }

                html.Append("</p>");
                break;
            case ReportTable t:
                Table(html, t);
                break;
            case ReportChart c:
                html.Append("<figure>").Append(SvgChart.Render(c.Chart, c.Description, 640));
                html.Append("<figcaption>").Append(E(c.Description)).Append("</figcaption></figure>");
                Table(html, ChartTable.Of(c));
                break;
            case ReportPageBreak:
                break;
        }
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<table><caption>").Append(E(table.Caption)).Append("</caption><thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th scope=\"col\">").Append(E(column.Header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = c < row.Count ? row[c] : ReportCell.Empty;
                var kind = table.Columns[c].Kind;
                html.Append(kind is CellKind.Number or CellKind.Percent ? "<td class=\"num\">" : "<td>");
                html.Append(cell.Status is { } status ? Status(status) : E(cell.Text)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    // The file is served with a policy that allows inline style and no script (ReportEndpoints), and opened as a file.
    private static string Status(ReportStatus status) =>
        (Colours.IsColour(status.Colour) ? $"<span class=\"dot\" style=\"background:{status.Colour}\" aria-hidden=\"true\"></span>" : "") + E(status.Text);

    private static IEnumerable<string> Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0);

    // Letters such as å stay letters (WebUtility would write &#229;): the file is read as text, searched and diffed.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string text) => Encoder.Encode(text);
}
