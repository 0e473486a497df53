using DocumentFormat.OpenXml.Packaging;

namespace Kedja.Reports.Tests;

/// <summary>What the web app may count on from the Word and Excel writers: any stream, many reports at once, large reports quickly.</summary>
public sealed class OpenXmlWriterContractTests
{
    public static TheoryData<string> Formats => ["docx", "xlsx"];

    private static IReportWriter Writer(string format) => format == "docx" ? new DocxReportWriter() : new XlsxReportWriter();

    private static OpenXmlPackage Open(string format, Stream stream) =>
        format == "docx" ? WordprocessingDocument.Open(stream, false) : SpreadsheetDocument.Open(stream, false);

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_report_written_to_a_stream_that_cannot_seek_such_as_a_response_arrives_whole_and_the_stream_stays_open(string format)
    {
        using var target = new MemoryStream();
        using var forwardOnly = new ForwardOnlyStream(target);
        var progress = new List<double>();

        Writer(format).Write(SampleReports.Tertial(), forwardOnly, new SyncProgress(progress.Add));

        forwardOnly.Closed.ShouldBeFalse();
        target.Position = 0;
        using var package = Open(format, target);
        OpenXmlFiles.Errors(package).ShouldBeEmpty();
        progress.ShouldNotBeEmpty();
        progress[^1].ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void One_writer_writes_many_reports_at_once_each_whole(string format)
    {
        var writer = Writer(format);

        var files = Enumerable.Range(0, 6).AsParallel().Select(i =>
        {
            using var stream = new MemoryStream();
            writer.Write(SampleReports.Tertial(10 + i), stream);
            return stream.ToArray();
        }).ToList();

        foreach (var file in files)
        {
            using var package = Open(format, new MemoryStream(file));
            OpenXmlFiles.Errors(package).ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_empty_section_an_empty_chart_and_tables_without_rows_or_columns_still_make_a_valid_file(string format)
    {
        var empty = new Domain.Charts.FulfilmentChart("Måluppfyllelse", [], []);
        var report = SampleReports.Tertial() with
        {
            Sections =
            [
                new ReportSection("empty", "Tomt", []),
                new ReportSection("odd", "Udda", [new ReportChart(empty, "Inga mål."), new ReportTable("Inga kolumner", [], []), new ReportTable("Inga rader", [new("Namn")], []), new ReportParagraph("")]),
            ],
        };

        using var stream = new MemoryStream(OpenXmlFiles.Write(Writer(format), report));
        using var package = Open(format, stream);

        OpenXmlFiles.Errors(package).ShouldBeEmpty(OpenXmlFiles.Errors(package));
    }

    /// <summary>Reports synchronously, unlike Progress&lt;T&gt;, which posts to the thread pool.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    /// <summary>A stream like an HTTP response body: written forward only, never read or sought.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public bool Closed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            Closed = true;
            base.Dispose(disposing);
        }
    }
}
