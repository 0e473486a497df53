using System.Diagnostics;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Xunit.Abstractions;

namespace Kedja.Reports.Tests;

[CollectionDefinition(nameof(LargeReportTests), DisableParallelization = true)]
public sealed class LargeReportCollection;

/// <summary>
/// The cost of a large municipality's annual report, printed rather than asserted: the machine is shared and the test
/// host runs the JIT without optimisation (tests.runsettings), so the figures are an upper bound. Alone in its
/// collection, so that other tests' memory does not count.
/// </summary>
[Collection(nameof(LargeReportTests))]
public sealed class LargeReportTests(ITestOutputHelper output)
{
    [Fact]
    public void An_annual_report_of_2000_goals_and_20000_indicator_rows_is_written_in_Word_and_Excel_and_its_cost_printed()
    {
        var report = SampleReports.Large();
        var docx = Measure(new DocxReportWriter(), report, "arsredovisning-stor.docx");
        var xlsx = Measure(new XlsxReportWriter(), report, "arsredovisning-stor.xlsx");

        using (var document = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            // 2,000 goals' tables, the chart's numbers, the status summary and three more: each with its repeated header.
            document.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.TableHeader>().Count().ShouldBe(2_000 + 5);
        }

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var id = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Mål och resultat").Id!.Value!;
        ((WorksheetPart)workbook.WorkbookPart.GetPartById(id)).Worksheet.Descendants<Cell>().Count(c => c.DataType?.Value == CellValues.Number).ShouldBe(20_000 * 3);
    }

    private byte[] Measure(IReportWriter writer, ReportDocument report, string artefact)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.Wait(5))
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
        });
        sampler.Start();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var bytes = OpenXmlFiles.Write(writer, report, artefact);
        clock.Stop();
        process.Refresh();
        // On a shared machine the processor time says more than the clock: the test runs alone in its collection.
        var busy = process.TotalProcessorTime - cpu;
        var allocations = GC.GetAllocatedBytesForCurrentThread() - allocated;
        done.Set();
        sampler.Join();
        output.WriteLine($"{writer.Format}: {clock.ElapsedMilliseconds} ms ({busy.TotalMilliseconds:0} ms processor time), file {bytes.Length / 1024} kB, allocated {allocations >> 20} MB, " +
            $"working set {baseline >> 20} MB before, peak {peak >> 20} MB while writing (+{(peak - baseline) >> 20} MB)");
        return bytes;
    }
}
