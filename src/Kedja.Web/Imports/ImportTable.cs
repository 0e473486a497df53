namespace Kedja.Web.Imports;

/// <summary>A cell as the file holds it: its text as shown (trimmed), and its number when the file stored one (an xlsx numeric cell).</summary>
public readonly record struct ImportCell(string Text, decimal? Number)
{
    public static readonly ImportCell Empty = new("", null);

    public bool IsEmpty => Text.Length == 0 && Number is null;
}

/// <summary>One row of data: Row is the row number the user sees (Excel row; for CSV the line where the record starts, header = its line).</summary>
public sealed record ImportLine(int Row, IReadOnlyList<ImportCell> Cells)
{
    /// <summary>The cell in a column, or an empty cell past the row's last value (trailing empty cells are dropped).</summary>
    public ImportCell this[int column] => column >= 0 && column < Cells.Count ? Cells[column] : ImportCell.Empty;
}

/// <summary>A file read into rows. Encoding and Separator are null for xlsx.</summary>
public sealed record ImportTable(
    string FileName,
    string Format,
    string Hash,
    int HeaderRow,
    IReadOnlyList<string> Header,
    IReadOnlyList<ImportLine> Lines,
    string? Encoding,
    char? Separator)
{
    public const string Csv = "csv", Xlsx = "xlsx";

    /// <summary>The xlsx sheet read ("Utfall" or the first); null for CSV.</summary>
    public string? Sheet { get; init; }
}

/// <summary>The table, or a Swedish message saying why the file cannot be read.</summary>
public sealed record ImportReadResult(ImportTable? Table, string? Error)
{
    public static ImportReadResult Failed(string error) => new(null, error);
}
