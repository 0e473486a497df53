namespace Kedja.Web.Imports;

/// <summary>
/// What the CSV and xlsx readers share once a row's cells are known: blank rows skipped, the first non-empty row taken
/// as the header, trailing empty cells dropped, and the row limit.
/// </summary>
internal sealed class ImportRows
{
    private readonly List<ImportLine> lines = [];

    public int HeaderRow { get; private set; }

    public List<string>? Header { get; private set; }

    public IReadOnlyList<ImportLine> Lines => lines;

    /// <summary>True once more data rows than <see cref="ImportReader.MaxRows"/> were offered: stop reading.</summary>
    public bool TooMany { get; private set; }

    /// <summary>Takes a row's cells (copied: the list may be reused).</summary>
    public void Add(int row, List<ImportCell> cells)
    {
        var count = cells.Count;
        while (count > 0 && cells[count - 1].IsEmpty)
        {
            count--;
        }

        if (count == 0)
        {
            return;
        }

        if (Header is null)
        {
            HeaderRow = row;
            Header = [.. cells.Take(count).Select(c => c.Text)];
            return;
        }

        if (lines.Count == ImportReader.MaxRows)
        {
            TooMany = true;
            return;
        }

        // An array of the row's own length: the list's spare capacity would double what 500,000 rows hold.
        var kept = new ImportCell[count];
        cells.CopyTo(0, kept, 0, count);
        lines.Add(new ImportLine(row, kept));
    }
}
