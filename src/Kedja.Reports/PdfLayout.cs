using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Kedja.Reports;

/// <summary>
/// One PDF being written: the current page, where on it the next block goes, the fonts, and line breaking. Made per
/// <see cref="PdfReportWriter.Write"/> call, so the writer itself holds no state. Coordinates are points from the
/// page's top left.
/// </summary>
internal sealed class PdfLayout : IDisposable
{
    public const double PageWidth = 595.28, PageHeight = 841.89;
    public const double Left = 62, Right = PageWidth - 62, Width = Right - Left;
    public const double BodyTop = 70, BodyBottom = PageHeight - 62;

    public static readonly XColor Ink = XColor.FromArgb(0x1b, 0x1b, 0x1f);
    public static readonly XColor Muted = XColor.FromArgb(0x57, 0x57, 0x5f);
    public static readonly XColor Rule = XColor.FromArgb(0x8a, 0x8a, 0x90);
    public static readonly XColor Shade = XColor.FromArgb(0xee, 0xee, 0xf2);

    public readonly XSolidBrush InkBrush = new(Ink), MutedBrush = new(Muted), ShadeBrush = new(Shade);
    public readonly XPen RulePen = new(Rule, 0.5), InkPen = new(Ink, 0.6);

    private readonly XGraphics _measure;
    private readonly Dictionary<XFont, Dictionary<char, double>> _widths = [];
    private XGraphics? _graphics;

    public PdfLayout(PdfDocument document, string family)
    {
        Document = document;
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        XFont Font(double size, XFontStyleEx style) => new(family, size, style, options);
        Body = Font(10, XFontStyleEx.Regular);
        Bold = Font(10, XFontStyleEx.Bold);
        Italic = Font(10, XFontStyleEx.Italic);
        Small = Font(8, XFontStyleEx.Regular);
        Cell = Font(8.5, XFontStyleEx.Regular);
        CellBold = Font(8.5, XFontStyleEx.Bold);
        Headings = [Font(18, XFontStyleEx.Bold), Font(14, XFontStyleEx.Bold), Font(12, XFontStyleEx.Bold), Font(10.5, XFontStyleEx.Bold)];
        Title = Font(26, XFontStyleEx.Bold);
        TitleSubtitle = Font(16, XFontStyleEx.Bold);
        TitleText = Font(13, XFontStyleEx.Regular);
        _measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
    }

    public PdfDocument Document { get; }

    public XFont Body { get; }

    public XFont Bold { get; }

    public XFont Italic { get; }

    public XFont Small { get; }

    public XFont Cell { get; }

    public XFont CellBold { get; }

    /// <summary>Levels 1 (a section) to 4.</summary>
    public XFont[] Headings { get; }

    public XFont Title { get; }

    public XFont TitleSubtitle { get; }

    public XFont TitleText { get; }

    // Opened on the first drawing: PDFsharp writes a page's empty content as a broken flate stream.
    public XGraphics Graphics => _graphics ??= XGraphics.FromPdfPage(Page);

    public PdfPage Page { get; private set; } = null!;

    /// <summary>Where the next block starts on the current page.</summary>
    public double Y { get; set; }

    public bool AtTop => Y <= BodyTop + 0.1;

    public double Room => BodyBottom - Y;

    /// <summary>Ends drawing on the current page, so that it can be opened again for the contents and the page numbers.</summary>
    public void EndPage()
    {
        _graphics?.Dispose();
        _graphics = null;
    }

    public PdfPage NewPage()
    {
        EndPage();
        Page = Document.AddPage();
        Page.Size = PdfSharp.PageSize.A4;
        Y = BodyTop;
        return Page;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> fits on this one (or the page is still empty).</summary>
    public void Need(double height)
    {
        if (height > Room && !AtTop)
        {
            NewPage();
        }
    }

    public void Space(double points)
    {
        if (!AtTop)
        {
            Y = Math.Min(Y + points, BodyBottom);
        }
    }

    public static double LineHeight(XFont font) => font.GetHeight() * 1.12;

    public double Measure(string text, XFont font)
    {
        if (!_widths.TryGetValue(font, out var widths))
        {
            widths = [];
            _widths[font] = widths;
        }

        double width = 0;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
            {
                return _measure.MeasureString(text, font).Width;
            }

            if (!widths.TryGetValue(c, out var w))
            {
                w = _measure.MeasureString(c.ToString(), font).Width;
                widths[c] = w;
            }

            width += w;
        }

        return width;
    }

    /// <summary>The text broken into lines no wider than <paramref name="width"/>: at spaces (never at the no-break spaces of "86,5 %"), inside a word only when the word alone is wider.</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in Paragraphs(text))
        {
            var line = new System.Text.StringBuilder();
            double lineWidth = 0;
            var space = Measure(" ", font);
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = Measure(word, font);
                if (line.Length > 0 && lineWidth + space + wordWidth <= width)
                {
                    line.Append(' ').Append(word);
                    lineWidth += space + wordWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineWidth = 0;
                }

                if (wordWidth <= width)
                {
                    line.Append(word);
                    lineWidth = wordWidth;
                    continue;
                }

                foreach (var c in word)
                {
                    var w = Measure(c.ToString(), font);
                    if (line.Length > 0 && lineWidth + w > width)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                        lineWidth = 0;
                    }

                    line.Append(c);
                    lineWidth += w;
                }
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }
        }

        return lines;
    }

    /// <summary>The text cut to one line of <paramref name="width"/>, ending in "…" when cut.</summary>
    public string Fit(string text, XFont font, double width)
    {
        if (Measure(text, font) <= width)
        {
            return text;
        }

        var end = text.Length;
        while (end > 0 && Measure(text[..end] + "…", font) > width)
        {
            end--;
        }

        return text[..end].TrimEnd() + "…";
    }

    public void Text(string text, XFont font, XBrush brush, double x, double y) =>
        Graphics.DrawString(text, font, brush, x, y, XStringFormats.TopLeft);

    /// <summary>Wrapped text from <see cref="Y"/> down, a new page whenever a line does not fit.</summary>
    public void Lines(string text, XFont font, double indent = 0)
    {
        var height = LineHeight(font);
        foreach (var line in Wrap(text, font, Width - indent))
        {
            Need(height);
            Text(line, font, InkBrush, Left + indent, Y);
            Y += height;
        }
    }

    /// <summary>The status's colour as a small circle with a dark rim, for a line of <paramref name="lineHeight"/> at <paramref name="top"/>: beside the symbol and words, never instead of them.</summary>
    public void Marker(ReportStatus status, double x, double top, double lineHeight, double size = 7)
    {
        var (r, g, b) = Colours.Rgb(status.Colour);
        Graphics.DrawEllipse(InkPen, new XSolidBrush(XColor.FromArgb(r, g, b)), x, top + ((lineHeight - size) / 2) - 0.5, size, size);
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _measure.Dispose();
    }

    public static IEnumerable<string> Paragraphs(string text) =>
        text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\t', ' ').Split('\n').Where(l => l.Trim().Length > 0);
}
