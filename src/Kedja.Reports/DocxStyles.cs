using DocumentFormat.OpenXml.Wordprocessing;

namespace Kedja.Reports;

/// <summary>
/// The Word report's styles. Headings, title, caption, contents, header and footer are Word's built-in styles by their
/// own ids and names ("Heading1", "heading 1" with its outline level), so that the table of contents finds the headings
/// and a municipality's template (.dotx) restyles the report by attaching it; only the table text and the note are
/// Kedja's own.
/// </summary>
internal static class DocxStyles
{
    private const string Ink = "1B1B1F", Accent = "1F3B5C";

    public static Styles Create(string language, string font) => new(
        new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle
            {
                RunFonts = new RunFonts { Ascii = font, HighAnsi = font, ComplexScript = font, EastAsia = font },
                Color = new Color { Val = Ink },
                FontSize = new FontSize { Val = "22" },
                FontSizeComplexScript = new FontSizeComplexScript { Val = "22" },
                Languages = new Languages { Val = language, EastAsia = language, Bidi = "ar-SA" },
            }),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle
            {
                SpacingBetweenLines = new SpacingBetweenLines { After = "120", Line = "264", LineRule = LineSpacingRuleValues.Auto },
            })),
        Paragraph("Normal", "Normal", null, primary: true, isDefault: true),
        new Style(new StyleName { Val = "Default Paragraph Font" }, new UIPriority { Val = 1 }, new SemiHidden(), new UnhideWhenUsed())
        {
            Type = StyleValues.Character,
            StyleId = "DefaultParagraphFont",
            Default = true,
        },
        new Style(
            new StyleName { Val = "Normal Table" },
            new UIPriority { Val = 99 },
            new SemiHidden(),
            new UnhideWhenUsed(),
            new StyleTableProperties(
                new TableIndentation { Width = 0, Type = TableWidthUnitValues.Dxa },
                new TableCellMarginDefault(
                    new TopMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 108, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 108, Type = TableWidthValues.Dxa })))
        {
            Type = StyleValues.Table,
            StyleId = "TableNormal",
            Default = true,
        },
        Heading(1, 32, before: 0, after: 240),
        Heading(2, 28, before: 360, after: 120),
        Heading(3, 24, before: 240, after: 80),
        Heading(4, 22, before: 200, after: 60, italic: true),
        Paragraph("Title", "Title", "Normal", primary: true, run: new StyleRunProperties
        {
            Bold = new Bold(),
            Color = new Color { Val = Accent },
            FontSize = new FontSize { Val = "56" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "56" },
        }, paragraph: new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { After = "240" } }),
        Paragraph("Subtitle", "Subtitle", "Normal", primary: true, run: new StyleRunProperties
        {
            FontSize = new FontSize { Val = "32" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "32" },
        }),
        Paragraph("Caption", "caption", "Normal", primary: true, run: new StyleRunProperties
        {
            Bold = new Bold(),
            FontSize = new FontSize { Val = "20" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "20" },
        }, paragraph: new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { Before = "120", After = "60" } }),
        Paragraph("TOCHeading", "TOC Heading", "Heading1", primary: true,
            // Outline level 10 ("body text") keeps the contents' own heading out of the contents.
            paragraph: new StyleParagraphProperties { OutlineLevel = new OutlineLevel { Val = 9 } }),
        Toc(1),
        Toc(2),
        Toc(3),
        Paragraph("Header", "header", "Normal", run: new StyleRunProperties
        {
            FontSize = new FontSize { Val = "18" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "18" },
        }, paragraph: new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { After = "0" } }),
        Paragraph("Footer", "footer", "Normal", run: new StyleRunProperties
        {
            FontSize = new FontSize { Val = "18" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "18" },
        }, paragraph: new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { After = "0" } }),
        Paragraph("Note", "Note", "Normal", primary: true, run: new StyleRunProperties { Italic = new Italic(), ItalicComplexScript = new ItalicComplexScript() }),
        Paragraph("TableText", "Table Text", "Normal", run: new StyleRunProperties
        {
            FontSize = new FontSize { Val = "20" },
            FontSizeComplexScript = new FontSizeComplexScript { Val = "20" },
        }, paragraph: new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { Before = "20", After = "20", Line = "240", LineRule = LineSpacingRuleValues.Auto } }),
        new Style(
            new StyleName { Val = "Hyperlink" },
            new BasedOn { Val = "DefaultParagraphFont" },
            new UIPriority { Val = 99 },
            new UnhideWhenUsed(),
            new StyleRunProperties { Color = new Color { Val = "0563C1" }, Underline = new Underline { Val = UnderlineValues.Single } })
        {
            Type = StyleValues.Character,
            StyleId = "Hyperlink",
        },
        new Style(
            new StyleName { Val = "Table Grid" },
            new BasedOn { Val = "TableNormal" },
            new UIPriority { Val = 39 },
            new StyleParagraphProperties { SpacingBetweenLines = new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto } },
            new StyleTableProperties(
                new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" },
                    new LeftBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" },
                    new BottomBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" },
                    new RightBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" },
                    new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "8A8A90" })))
        {
            Type = StyleValues.Table,
            StyleId = "TableGrid",
        });

    private static Style Heading(int level, int size, int before, int after, bool italic = false) =>
        Paragraph($"Heading{level}", $"heading {level}", "Normal", primary: true, uiPriority: 9,
            paragraph: new StyleParagraphProperties
            {
                KeepNext = new KeepNext(),
                KeepLines = new KeepLines(),
                SpacingBetweenLines = new SpacingBetweenLines { Before = $"{before}", After = $"{after}" },
                OutlineLevel = new OutlineLevel { Val = level - 1 },
            },
            run: new StyleRunProperties
            {
                Bold = new Bold(),
                BoldComplexScript = new BoldComplexScript(),
                Italic = italic ? new Italic() : null,
                Color = new Color { Val = Accent },
                FontSize = new FontSize { Val = $"{size}" },
                FontSizeComplexScript = new FontSizeComplexScript { Val = $"{size}" },
            });

    private static Style Toc(int level) =>
        Paragraph($"TOC{level}", $"toc {level}", "Normal", uiPriority: 39, paragraph: new StyleParagraphProperties
        {
            SpacingBetweenLines = new SpacingBetweenLines { After = "60" },
            Indentation = new Indentation { Left = $"{(level - 1) * 220}" },
        });

    private static Style Paragraph(string id, string name, string? basedOn, bool primary = false, bool isDefault = false, int? uiPriority = null,
        StyleParagraphProperties? paragraph = null, StyleRunProperties? run = null)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id, Default = isDefault ? true : null };
        style.Append(new StyleName { Val = name });
        if (basedOn is not null)
        {
            style.Append(new BasedOn { Val = basedOn });
        }

        if (id is not "Normal")
        {
            style.Append(new NextParagraphStyle { Val = "Normal" });
        }

        if (uiPriority is { } priority)
        {
            style.Append(new UIPriority { Val = priority });
        }

        if (primary)
        {
            style.Append(new PrimaryStyle());
        }

        if (paragraph is not null)
        {
            style.Append(paragraph);
        }

        if (run is not null)
        {
            style.Append(run);
        }

        return style;
    }
}
