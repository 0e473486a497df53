using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Wp = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace Kedja.Reports.Tests;

public sealed class DocxReportWriterTests
{
    private static readonly Lazy<byte[]> Sample = new(() => OpenXmlFiles.Write(new DocxReportWriter(), SampleReports.Tertial(40), "tertialrapport.docx"));

    private static WordprocessingDocument Open(byte[]? bytes = null) => WordprocessingDocument.Open(new MemoryStream(bytes ?? Sample.Value), false);

    private static Body Body(WordprocessingDocument document) => document.MainDocumentPart!.Document.Body!;

    private static string? Style(Paragraph paragraph) => paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;

    private static List<(string? Style, string Text)> Paragraphs(WordprocessingDocument document) =>
        [.. Body(document).Elements<Paragraph>().Select(p => (Style(p), p.InnerText))];

    [Fact]
    public void The_Word_file_passes_Office_validation_without_a_single_error()
    {
        using var document = Open();

        var errors = OpenXmlFiles.Errors(document);

        errors.ShouldBeEmpty(errors);
    }

    [Fact]
    public void Each_section_starts_on_a_new_page_under_a_built_in_Heading_1_with_its_Swedish_letters_intact()
    {
        using var document = Open();

        var headings = Body(document).Elements<Paragraph>().Where(p => Style(p) == "Heading1").ToList();

        headings.Select(h => h.InnerText).ShouldBe(["Sammanfattning av måluppfyllelsen", "Mål och resultat", "Program och planer", "Grunduppdrag", "Ekonomi"]);
        headings.ShouldAllBe(h => h.ParagraphProperties!.PageBreakBefore != null);
    }

    [Fact]
    public void Headings_within_a_section_are_Heading_2_to_4_in_the_order_of_the_report()
    {
        using var document = Open();

        var headings = Paragraphs(document).Where(p => p.Style is "Heading2" or "Heading3").ToList();

        headings.ShouldBe(
        [
            ("Heading2", "Medborgare och brukare"),
            ("Heading3", "1.1 Fler elever når kunskapsmålen i grundskolan"),
            ("Heading3", "1.2 Tryggare skolmiljö"),
            ("Heading2", "Ekonomi"),
            ("Heading3", "3.1 Budget i balans"),
            ("Heading2", "Skolplan 2024–2027"),
        ]);
    }

    [Fact]
    public void The_heading_styles_are_Words_own_so_a_template_restyles_them_and_the_contents_finds_them()
    {
        using var document = Open();
        var styles = document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.Elements<Style>().ToDictionary(s => s.StyleId!.Value!);

        for (var level = 1; level <= 4; level++)
        {
            var heading = styles[$"Heading{level}"];
            heading.StyleName!.Val!.Value.ShouldBe($"heading {level}");
            heading.StyleParagraphProperties!.OutlineLevel!.Val!.Value.ShouldBe(level - 1);
        }

        styles["Caption"].StyleName!.Val!.Value.ShouldBe("caption");
        styles["TOC1"].StyleName!.Val!.Value.ShouldBe("toc 1");
        styles["Title"].StyleName!.Val!.Value.ShouldBe("Title");
        styles["Normal"].Default!.Value.ShouldBeTrue();
    }

    [Fact]
    public void The_title_page_names_the_organisation_report_unit_period_and_when_it_was_made()
    {
        using var document = Open();

        var first = Paragraphs(document).TakeWhile(p => p.Style != "TOCHeading").Select(p => p.Text).ToList();

        first.ShouldBe(["Kumla kommun", "Tertialrapport 2", "Barn- och utbildningsnämnden", "Tertial 2 2026", "Skapad 15 september 2026 kl. 10:30"]);
        Paragraphs(document).ShouldContain(("Title", "Tertialrapport 2"));
    }

    [Fact]
    public void The_contents_is_a_TOC_field_of_three_levels_that_Word_updates_on_opening_and_that_links_to_each_heading()
    {
        using var document = Open();
        var body = Body(document);

        body.Descendants<FieldCode>().Select(f => f.Text).ShouldContain(f => f.Contains("TOC \\o \"1-3\" \\h", StringComparison.Ordinal));
        document.MainDocumentPart!.DocumentSettingsPart!.Settings!.GetFirstChild<UpdateFieldsOnOpen>()!.Val!.Value.ShouldBeTrue();
        var toc = body.Elements<Paragraph>().First(p => Style(p) == "TOCHeading");
        toc.InnerText.ShouldBe("Innehåll");
        toc.ParagraphProperties!.PageBreakBefore.ShouldNotBeNull();
        var bookmarks = body.Descendants<BookmarkStart>().ToDictionary(b => b.Name!.Value!, b => ((Paragraph)b.Parent!).InnerText);
        var entries = body.Descendants<Hyperlink>().Select(h => (h.InnerText, Target: bookmarks[h.Anchor!.Value!])).ToList();
        entries.Count.ShouldBe(5 + 3 + 3);
        entries.ShouldAllBe(e => e.InnerText == e.Target);
        entries[0].InnerText.ShouldBe("Sammanfattning av måluppfyllelsen");
    }

    [Fact]
    public void Statuses_are_symbol_and_words_and_a_goal_without_outcome_says_Ej_bedomt()
    {
        using var document = Open();
        var texts = Paragraphs(document).Select(p => p.Text).ToList();

        texts.ShouldContain("Status: ◐ Delvis uppfyllt – Två av tre indikatorer når sina mål; en saknar utfall för tertialet.");
        texts.ShouldContain("Status: – Ej bedömt – Inget utfall för tertial 2 2026.");
        texts.ShouldContain("Status: ○ Ej uppfyllt – Prognosen visar ett underskott på 4,2 mnkr.");
        var line = Body(document).Elements<Paragraph>().First(p => p.InnerText.StartsWith("Status: ◐", StringComparison.Ordinal));
        var runs = line.Elements<Run>().ToList();
        runs[0].RunProperties!.Bold.ShouldNotBeNull();
        // The colour sits on the symbol beside the words; the words themselves are in the text colour.
        runs[1].InnerText.ShouldBe("◐ ");
        runs[1].RunProperties!.Color!.Val!.Value.ShouldBe("BF8700");
        runs[2].InnerText.ShouldBe("Delvis uppfyllt");
        runs[2].RunProperties.ShouldBeNull();
    }

    [Fact]
    public void A_field_is_its_label_in_bold_kept_with_its_lines()
    {
        using var document = Open();
        var paragraphs = Body(document).Elements<Paragraph>().ToList();

        var label = paragraphs.Single(p => p.InnerText == "Analys");

        label.Descendants<Bold>().ShouldNotBeEmpty();
        label.ParagraphProperties!.KeepNext.ShouldNotBeNull();
        var index = paragraphs.IndexOf(label);
        paragraphs[index + 1].InnerText.ShouldBe("Resultaten i åk 6 har förbättrats.");
        paragraphs[index + 2].InnerText.ShouldBe("I åk 9 är skillnaderna mellan skolorna fortfarande stora.");
    }

    [Fact]
    public void Programs_and_the_basic_mission_say_they_are_not_part_of_the_fulfilment_as_a_note()
    {
        using var document = Open();
        var paragraphs = Paragraphs(document);

        foreach (var section in new[] { "Program och planer", "Grunduppdrag" })
        {
            var index = paragraphs.IndexOf(("Heading1", section));
            paragraphs[index + 1].ShouldBe(("Note", "Ingår inte i måluppfyllelsen."));
        }
    }

    [Fact]
    public void Tables_have_a_caption_above_a_header_row_repeated_on_every_page_and_right_aligned_figures()
    {
        using var document = Open();
        var body = Body(document);

        var table = body.Elements<Table>().First(t => t.GetFirstChild<TableProperties>()!.TableCaption!.Val == "Indikatorer för målet 1.1");

        var caption = (Paragraph)table.PreviousSibling()!;
        Style(caption).ShouldBe("Caption");
        caption.InnerText.ShouldBe("Indikatorer för målet 1.1");
        var rows = table.Elements<TableRow>().ToList();
        rows.Count.ShouldBe(41);
        rows[0].TableRowProperties!.GetFirstChild<TableHeader>().ShouldNotBeNull();
        rows.Skip(1).ShouldAllBe(r => r.TableRowProperties!.GetFirstChild<TableHeader>() == null);
        rows[0].Elements<TableCell>().Select(c => c.InnerText).ShouldBe(["Indikator", "Mål", "Utfall", "Samma period i fjol", "Trend", "Status"]);
        var first = rows[1].Elements<TableCell>().ToList();
        first.Select(c => c.InnerText).ShouldBe(["Andel elever i åk 9 som är behöriga till yrkesprogram, område 1", "86,5\u00a0%", "81,3\u00a0%", "80,0\u00a0%", "↓ sämre", "● Uppfyllt"]);
        first[1].Descendants<Justification>().Single().Val!.Value.ShouldBe(JustificationValues.Right);
        first[0].Descendants<Justification>().ShouldBeEmpty();
        rows[4].Elements<TableCell>().ElementAt(2).InnerText.ShouldBe("–");
        rows[4].Elements<TableCell>().ElementAt(5).InnerText.ShouldBe("– Ej bedömt");
        body.Descendants<TableCell>().Select(c => c.InnerText).ShouldContain("-4\u00a0200");
    }

    [Fact]
    public void Column_widths_follow_the_columns_relative_widths_across_the_text_width()
    {
        using var document = Open();

        var table = Body(document).Elements<Table>().First(t => t.GetFirstChild<TableProperties>()!.TableCaption!.Val == "Indikatorer för målet 1.1");
        var widths = table.GetFirstChild<TableGrid>()!.Elements<GridColumn>().Select(c => int.Parse(c.Width!.Value!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        // Indikator 3, four columns of 1, Status 1.5: 8.5 parts of 9,070 twentieths of a point.
        widths.ShouldBe([3201, 1067, 1067, 1067, 1067, 1600]);
    }

    [Fact]
    public void The_chart_is_a_native_stacked_bar_chart_with_a_series_per_step_in_its_colour_and_its_numbers_as_a_table()
    {
        using var document = Open();
        var main = document.MainDocumentPart!;

        var chart = main.ChartParts.Single().ChartSpace!;
        var bar = chart.Descendants<C.BarChart>().Single();
        bar.BarDirection!.Val!.Value.ShouldBe(C.BarDirectionValues.Bar);
        bar.BarGrouping!.Val!.Value.ShouldBe(C.BarGroupingValues.Stacked);
        var series = bar.Elements<C.BarChartSeries>().ToList();
        series.Select(s => s.SeriesText!.InnerText).ShouldBe(["● Uppfyllt", "◐ Delvis uppfyllt", "○ Ej uppfyllt", "– Ej bedömt"]);
        series[0].Descendants<DocumentFormat.OpenXml.Drawing.RgbColorModelHex>().First().Val!.Value.ShouldBe("1A7F37");
        series[0].GetFirstChild<C.CategoryAxisData>()!.Descendants<C.StringPoint>().Select(p => p.InnerText).ShouldBe(["Medborgare och brukare", "Medarbetare", "Ekonomi"]);
        series[0].GetFirstChild<C.Values>()!.Descendants<C.NumericPoint>().Select(p => p.InnerText).ShouldBe(["3", "1", "0"]);
        series[3].GetFirstChild<C.Values>()!.Descendants<C.NumericPoint>().Select(p => p.InnerText).ShouldBe(["1", "0", "2"]);

        var drawing = main.Document.Body!.Descendants<Wp.DocProperties>().Single();
        drawing.Description!.Value!.ShouldStartWith("Medborgare och brukare: 3 uppfyllda");
        var numbers = main.Document.Body!.Elements<Table>().First();
        numbers.GetFirstChild<TableProperties>()!.TableCaption!.Val!.Value.ShouldBe("Måluppfyllelse per perspektiv");
        numbers.Elements<TableRow>().First().Elements<TableCell>().Select(c => c.InnerText).ShouldBe(["Perspektiv", "● Uppfyllt", "◐ Delvis uppfyllt", "○ Ej uppfyllt", "– Ej bedömt", "Totalt"]);
        numbers.Elements<TableRow>().ElementAt(1).Elements<TableCell>().Select(c => c.InnerText).ShouldBe(["Medborgare och brukare", "3", "1", "0", "1", "5"]);
    }

    [Fact]
    public void Every_page_but_the_title_page_has_the_running_header_and_Sida_X_av_Y_from_page_fields()
    {
        using var document = Open();
        var main = document.MainDocumentPart!;
        var section = main.Document.Body!.Elements<SectionProperties>().Single();

        section.GetFirstChild<TitlePage>().ShouldNotBeNull();
        HeaderFooter<HeaderReference, HeaderPart>(main, section, HeaderFooterValues.Default).InnerText.ShouldBe("Kumla kommun · Tertialrapport 2 · Barn- och utbildningsnämnden");
        HeaderFooter<HeaderReference, HeaderPart>(main, section, HeaderFooterValues.First).InnerText.ShouldBeEmpty();
        var footer = HeaderFooter<FooterReference, FooterPart>(main, section, HeaderFooterValues.Default);
        footer.Descendants<FieldCode>().Select(f => f.Text.Trim()).ShouldBe(["PAGE", "NUMPAGES"]);
        string.Concat(footer.Descendants<Text>().Select(t => t.Text)).ShouldBe("Sida 1 av 1");
        HeaderFooter<FooterReference, FooterPart>(main, section, HeaderFooterValues.First).InnerText.ShouldBeEmpty();
    }

    private static OpenXmlPartRootElement HeaderFooter<TReference, TPart>(MainDocumentPart main, SectionProperties section, HeaderFooterValues type)
        where TReference : HeaderFooterReferenceType where TPart : OpenXmlPart
    {
        var reference = section.Elements<TReference>().Single(r => r.Type!.Value == type);
        return ((TPart)main.GetPartById(reference.Id!.Value!)).RootElement!;
    }

    [Fact]
    public void The_file_says_its_title_that_Kedja_made_it_and_that_it_is_Swedish()
    {
        using var document = Open();

        document.PackageProperties.Title.ShouldBe("Tertialrapport 2");
        document.PackageProperties.Creator.ShouldBe("Kedja");
        document.PackageProperties.Language.ShouldBe("sv-SE");
        document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!.Descendants<Languages>().Single().Val!.Value.ShouldBe("sv-SE");
    }

    [Fact]
    public void Control_characters_and_colours_that_are_not_colours_from_a_tenant_never_reach_the_file()
    {
        var evil = new ReportStatus("x", "Uppfyllt", "●", "red\"/><w:b/>");
        var report = SampleReports.Tertial() with
        {
            Subtitle = "Nämnd\u0001 med\u0007 styrtecken",
            Sections = [new ReportSection("s", "Mål\u000b", [new ReportStatusLine("Status", evil, "Text\u0000 med nolltecken"), new ReportTable("Tabell", [new("Status", CellKind.Status)], [[ReportCell.Of(evil)]])])],
        };

        using var document = Open(OpenXmlFiles.Write(new DocxReportWriter(), report));

        OpenXmlFiles.Errors(document).ShouldBeEmpty(OpenXmlFiles.Errors(document));
        Paragraphs(document).ShouldContain(("Heading1", "Mål"));
        Paragraphs(document).ShouldContain(("Normal", "Status: ● Uppfyllt – Text med nolltecken"));
        Body(document).Descendants<Color>().ShouldBeEmpty();
        document.PackageProperties.Subject.ShouldBe("Nämnd med styrtecken");
    }
}
