using Kedja.Domain;

namespace Kedja.Web.Imports;

/// <summary>How an import's problems and counts are said, by the verb and the pages alike.</summary>
public static class ImportReport
{
    /// <summary>"Rad 12, Utfall: ”abc” är inte ett tal." – or the file's own problem without a row.</summary>
    public static string Line(ImportProblem problem) =>
        (problem.Row, problem.Column) switch
        {
            (0, _) => problem.Message,
            (var row, null) => $"Rad {row}: {problem.Message}",
            var (row, column) => $"Rad {row}, {column}: {problem.Message}",
        };

    /// <summary>"Rader: 1 200. Nya värden: 1 000. Ändrade: 150. Oförändrade: 50. Med fel: 0."</summary>
    public static string Summary(ImportCheck check) =>
        $"Rader: {N(check.Rows)}. Nya värden: {N(check.NewRows)}. Ändrade: {N(check.ChangedRows)}. Oförändrade: {N(check.UnchangedRows)}. Med fel: {N(check.ErrorRows)}.";

    private static string N(int n) => n.ToString("N0", SwedishFormat.Culture);
}
