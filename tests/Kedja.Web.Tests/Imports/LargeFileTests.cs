using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kedja.Web.Imports;
using Xunit.Abstractions;

namespace Kedja.Web.Tests.Imports;

/// <summary>100,000 rows of each format read whole; the time is printed for docs/performance.md, not asserted.</summary>
public sealed class LargeFileTests(ITestOutputHelper output)
{
    private const int Count = 100_000;

    private static Guid Id(int i) => new(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    [Fact]
    public void A_hundred_thousand_csv_rows_are_read_with_their_line_numbers()
    {
        var text = new StringBuilder("Enhet;Indikator;Indikator-id;Period;Utfall;Kommentar\r\n");
        for (var i = 0; i < Count; i++)
        {
            // Every thousandth comment spans two lines, so line numbers run ahead of record numbers.
            var comment = i % 1000 == 0 ? "\"två\r\nrader\"" : "kort";
            text.Append(CultureInfo.InvariantCulture, $"Enhet {i % 50};Indikator {i % 400};{Id(i)};2025-T{(i % 3) + 1};{i},5;{comment}\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var clock = Stopwatch.StartNew();
        var table = ImportReader.Read("stor.csv", bytes).Table.ShouldNotBeNull();
        clock.Stop();
        output.WriteLine($"CSV: {Count:N0} rows, {bytes.Length / 1024.0 / 1024.0:0.0} MB read in {clock.ElapsedMilliseconds} ms");

        table.Lines.Count.ShouldBe(Count);
        table.Lines[0].Row.ShouldBe(2);
        table.Lines[0][1].Text.ShouldBe("Indikator 0");
        table.Lines[0][5].Text.ShouldBe("två\nrader");
        table.Lines[1].Row.ShouldBe(4);
        table.Lines[54_321][2].Text.ShouldBe(Id(54_321).ToString());
        table.Lines[54_321][4].Text.ShouldBe("54321,5");
        table.Lines[54_321].Row.ShouldBe(2 + 54_321 + 55);
        table.Lines[^1].Row.ShouldBe(1 + Count + 100);
        table.Lines[^1][3].Text.ShouldBe("2025-T1");
    }

    [Fact]
    public void A_hundred_thousand_xlsx_rows_are_read()
    {
        var rows = new List<TemplateRow>(Count);
        for (var i = 0; i < Count; i++)
        {
            rows.Add(new TemplateRow($"Enhet {i % 50}", $"Indikator {i % 400}", Id(i), $"2025-T{(i % 3) + 1}", "st", 1,
                i + 0.5m, i % 2 == 0 ? i : null, null, 100m, i % 7 == 0 ? "kommentar" : null, "Öppen"));
        }

        using var buffer = new MemoryStream();
        var clock = Stopwatch.StartNew();
        ImportTemplate.Write(buffer, "Stor mall", rows);
        var written = clock.ElapsedMilliseconds;
        var bytes = buffer.ToArray();

        clock.Restart();
        var table = ImportReader.Read("stor.xlsx", bytes).Table.ShouldNotBeNull();
        clock.Stop();
        output.WriteLine($"xlsx: {Count:N0} rows, {bytes.Length / 1024.0 / 1024.0:0.0} MB written in {written} ms, read in {clock.ElapsedMilliseconds} ms");

        table.Lines.Count.ShouldBe(Count);
        table.Lines[0].Row.ShouldBe(2);
        table.Lines[^1].Row.ShouldBe(Count + 1);
        table.Lines[54_321][2].Text.ShouldBe(Id(54_321).ToString());
        table.Lines[54_321][4].Number.ShouldBe(54_321.5m);
        table.Lines[54_321][5].ShouldBe(ImportCell.Empty);
        table.Lines[54_320][5].Number.ShouldBe(54_320m);
        table.Lines[^1][7].Number.ShouldBe(100m);
    }
}
