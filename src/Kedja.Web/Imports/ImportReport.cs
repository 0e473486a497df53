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

    /// <summary>"1 200 rader: 1 000 nya, 150 ändrade, 50 oförändrade, 0 med fel."</summary>
    public static string Summary(ImportCheck check) =>
        $"{N(check.Rows)} {(check.Rows == 1 ? "rad" : "rader")}: {N(check.NewRows)} nya, {N(check.ChangedRows)} ändrade, {N(check.UnchangedRows)} oförändrade, {N(check.ErrorRows)} med fel.";

    private static string N(int n) => n.ToString("N0", SwedishFormat.Culture);
}
