using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Kedja.Reports.Tests;

/// <summary>The PDF read back as its reader sees it: text with pdftotext, fonts with pdffonts, pages as images.</summary>
public sealed class PdfReportWriterTests(ITestOutputHelper output)
{
    private static readonly Lazy<string> Sample = new(() => Poppler.Save(Write(SampleReports.Tertial()), "tertial"));

    private static readonly Lazy<string> LongTable = new(() => Poppler.Save(Write(SampleReports.Tertial(indicatorRows: 120)), "tertial-120"));

    private static byte[] Write(ReportDocument report, string? fontFolder = null)
    {
        using var stream = new MemoryStream();
        new PdfReportWriter(fontFolder).Write(report, stream);
        return stream.ToArray();
    }

    [Fact]
    public void The_pdf_keeps_Swedish_headings_statuses_and_figures()
    {
        var text = Poppler.Text(Sample.Value);

        text.ShouldContain("Sammanfattning av måluppfyllelsen");
        text.ShouldContain("1.1 Fler elever når kunskapsmålen i grundskolan");
        text.ShouldContain("Åtgärder");
        text.ShouldContain("– Ej bedömt");
        text.ShouldContain("◐ Delvis uppfyllt");
        text.ShouldContain("86,5 %");
        text.ShouldContain("-4 200");
        text.ShouldContain("Ingår inte i måluppfyllelsen.");
        text.ShouldContain("Skapad 15 september 2026 kl. 10:30");
    }

    [Fact]
    public void Each_section_starts_a_page_in_the_template_order_and_the_contents_page_names_its_page()
    {
        var report = SampleReports.Tertial();
        var pages = Poppler.Pages(Sample.Value);

        pages[1].ShouldContain(Labels.Contents);
        var last = 0;
        foreach (var section in report.Sections)
        {
            // The section's heading is the first line under the running header of the page it starts on.
            var page = pages.FindIndex(last, p => FirstLine(p) == section.Heading) + 1;
            page.ShouldBeGreaterThan(last, $"{section.Heading} starts after the section before it");
            last = page;
            pages[1].ShouldMatch($@"{Regex.Escape(section.Heading)} \.+ +{page}\b");
        }
    }

    [Fact]
    public void Every_page_but_the_title_page_has_the_running_header_and_its_page_number()
    {
        var report = SampleReports.Tertial();
        var pages = Poppler.Pages(Sample.Value);

        pages.Count.ShouldBeGreaterThan(report.Sections.Count + 1);
        pages[0].ShouldNotContain("Sida");
        pages[0].ShouldContain("Tertialrapport 2");
        pages[0].ShouldContain("Barn- och utbildningsnämnden");
        pages[0].ShouldContain("Tertial 2 2026");
        for (var i = 1; i < pages.Count; i++)
        {
            pages[i].ShouldContain(report.RunningHeader);
            pages[i].ShouldContain(Labels.Page(i + 1, pages.Count));
        }

        pages[1].ShouldContain($"Sida 2 av {pages.Count}");
    }

    [Fact]
    public void A_long_table_runs_over_pages_with_its_header_row_on_each_and_no_row_split()
    {
        var pdf = LongTable.Value;
        var pageCount = Poppler.Pages(pdf).Count;
        var pageOfRow = new Dictionary<int, int>();
        for (var p = 1; p <= pageCount; p++)
        {
            var text = Poppler.Text(pdf, p, p);
            var rows = Regex.Matches(text, @"område (\d+)\b").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            if (rows.Count == 0 || !text.Contains("Indikatorer för målet 1.1", StringComparison.Ordinal) && pageOfRow.Count == 0)
            {
                continue;
            }

            text.ShouldContain("Samma period i fjol", customMessage: $"page {p} holds indicator rows without the header row");
            if (pageOfRow.Count > 0 && rows.Any(r => r > 5))
            {
                text.ShouldContain("Indikatorer för målet 1.1 (forts.)");
            }

            foreach (var row in rows.Where(r => r > 5 && !pageOfRow.ContainsKey(r)))
            {
                pageOfRow[row] = p;

                // The row's target (unique to it) is on the same page as its name: the row was not split.
                text.ShouldContain(Domain.SwedishFormat.Number(85.5m + row, 1) + " %", customMessage: $"row {row} on page {p}");
            }
        }

        Enumerable.Range(6, 115).ShouldAllBe(r => pageOfRow.ContainsKey(r));
        pageOfRow.Values.Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void The_fonts_are_DejaVu_Sans_and_embedded()
    {
        var fonts = Poppler.Fonts(Sample.Value).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();

        fonts.ShouldNotBeEmpty();
        fonts.ShouldAllBe(l => l.Contains("DejaVu Sans"));
        fonts.ShouldContain(l => l.Contains("DejaVu Sans,Bold"));
        fonts.ShouldContain(l => l.Contains("DejaVu Sans Oblique"));

        // The "emb" column: yes for every font.
        fonts.ShouldAllBe(l => Regex.IsMatch(l, @"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$"));
    }

    [Fact]
    public void The_document_says_its_title_author_and_language()
    {
        var info = Poppler.Info(Sample.Value);

        info.ShouldContain("Tertialrapport 2 – Barn- och utbildningsnämnden");
        info.ShouldMatch(@"Author:\s+Kedja");
        info.ShouldMatch(@"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)");
        File.ReadAllText(Sample.Value, System.Text.Encoding.Latin1).ShouldContain("/Lang(sv)");
    }

    [Fact]
    public void The_first_pages_the_chart_and_a_long_table_are_kept_as_images_to_look_at()
    {
        var first = Poppler.Images(Sample.Value, 1, 2, "tertial");
        var pages = Poppler.Pages(Sample.Value);
        var chart = pages.FindIndex(p => p.Contains("Måluppfyllelse per perspektiv", StringComparison.Ordinal)) + 1;
        var chartImage = Poppler.Images(Sample.Value, chart, chart, "tertial-chart");
        var longPages = Poppler.Pages(LongTable.Value);
        var table = longPages.FindIndex(p => p.Contains("125,5 %", StringComparison.Ordinal)) + 1;
        table.ShouldBeGreaterThan(1, "the 40th row of the long table is on a page after the first");
        var tableImages = Poppler.Images(LongTable.Value, table - 1, table, "tertial-120");

        first.Count.ShouldBe(2);
        chartImage.Count.ShouldBe(1);
        tableImages.Count.ShouldBe(2);
        first.Concat(chartImage).Concat(tableImages).ShouldAllBe(f => new FileInfo(f).Length > 2_000);
        output.WriteLine("Images in " + Poppler.Folder + ": " + string.Join(", ", first.Concat(chartImage).Concat(tableImages).Select(Path.GetFileName)));
    }

    [Fact]
    public void Awkward_content_is_drawn_whole_an_empty_table_a_word_wider_than_the_page_a_cell_taller_than_a_page_and_a_colour_that_is_not_one()
    {
        var longWord = string.Concat(Enumerable.Repeat("kommunövergripande", 12));
        var tallCell = string.Join(" ", Enumerable.Range(1, 900).Select(i => $"ord{i}"));
        var odd = new ReportStatus("x", "Okänt", "?", "red;background:url(x)");
        var report = SampleReports.Tertial() with
        {
            Sections =
            [
                new ReportSection("odd", "Udda innehåll",
                [
                    new ReportParagraph(longWord + " slut."),
                    new ReportStatusLine("Status", odd, null),
                    new ReportTable("Tom tabell", [new("Namn"), new("Värde", CellKind.Number)], []),
                    new ReportTable("Hög cell", [new("Text", CellKind.Text, 3), new("Status", CellKind.Status)], [[new ReportCell(tallCell), ReportCell.Of(odd)]]),
                    new ReportPageBreak(),
                ]),
                new ReportSection("empty", "Tomt avsnitt", []),
            ],
        };

        var pdf = Poppler.Save(Write(report), "awkward");
        var text = Regex.Replace(Poppler.Text(pdf), @"\s+", " ");

        text.ShouldContain("Tom tabell Namn Värde");
        text.ShouldContain("? Okänt");
        text.ShouldContain("slut.");
        Regex.Replace(text, @"[^a-zåäö]", "").ShouldContain(longWord);
        Regex.Matches(text, @"\bord(\d+)\b").Select(m => m.Groups[1].Value).Distinct().Count().ShouldBe(900);

        // The section after a break that ends a section starts on the very next page: no blank page between.
        var pages = Poppler.Pages(pdf);
        pages.ShouldAllBe(p => p.Trim().Length > 0);
        pages[^1].ShouldContain("Tomt avsnitt");
    }

    [Fact]
    public void Without_the_font_the_writer_says_in_Swedish_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("kedja-no-fonts");
        try
        {
            var error = Should.Throw<ReportFontMissingException>(() => Write(SampleReports.Tertial(), empty.FullName));

            error.Message.ShouldStartWith("Typsnittet DejaVu Sans saknas");
            error.Message.ShouldContain("fonts-dejavu-core");
            error.Message.ShouldContain("Kedja:Reports:FontFolder");
        }
        finally
        {
            empty.Delete(true);
        }
    }

    [Fact]
    public void A_font_folder_of_its_own_serves_the_writer_as_well_as_the_system_fonts_and_writers_run_in_parallel()
    {
        var folder = Directory.CreateTempSubdirectory("kedja-fonts");
        try
        {
            foreach (var file in new[] { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf" })
            {
                File.Copy(Path.Combine("/usr/share/fonts/truetype/dejavu", file), Path.Combine(folder.FullName, file));
            }

            var texts = new string[6];
            Parallel.For(0, texts.Length, i =>
            {
                var pdf = Poppler.Save(Write(SampleReports.Tertial(), i % 2 == 0 ? folder.FullName : null), $"parallel-{i}");
                texts[i] = Poppler.Text(pdf);
                File.Delete(pdf);
            });

            texts.Distinct().Count().ShouldBe(1);
            texts[0].ShouldContain("Mål och resultat");
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Fact]
    public void A_big_annual_report_is_written_and_its_time_and_memory_printed()
    {
        var report = SampleReports.Large(goals: 2_000, indicatorRows: 10);
        using var process = Process.GetCurrentProcess();
        var before = GC.GetTotalAllocatedBytes(true);
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var stream = new MemoryStream();
        var told = new List<double>();
        new PdfReportWriter().Write(report, stream, new Progress(told));
        clock.Stop();
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        var pdf = Poppler.Save(stream.ToArray(), "large");
        var pages = Poppler.Pages(pdf);

        pages.Count.ShouldBeGreaterThan(500);
        told.Count.ShouldBeGreaterThan(10, "the progress bar moves while the one big section is written");
        told.ShouldBe([.. told.Order()]);
        told[^1].ShouldBe(1);
        pages[^1].ShouldContain(Labels.Page(pages.Count, pages.Count));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"2 000 goals × 10 indicator rows: {pages.Count} pages, {stream.Length / 1024.0 / 1024.0:0.0} MB written in {clock.Elapsed.TotalSeconds:0.00} s ({cpu.TotalSeconds:0.00} s of CPU, all threads of the test process); " +
            $"allocated {(GC.GetTotalAllocatedBytes(true) - before) / 1024.0 / 1024.0:0} MB; peak working set of the test process {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB."));
    }

    private static string FirstLine(string page) =>
        page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Skip(1).FirstOrDefault() ?? "";

    // Synchronous, unlike Progress<T>, which posts to the thread pool and may report after Write returns.
    private sealed class Progress(List<double> told) : IProgress<double>
    {
        public void Report(double value) => told.Add(value);
    }
}
