using System.Collections;

namespace Kedja.Web.Imports.Finance;

/// <summary>
/// The problems of a finance file, bounded (review 16, finding 10c): the first <see cref="Kept"/> are kept to show,
/// the rest only counted, so that a file of millions of bad lines cannot fill the memory of the node that checks it.
/// File-level problems (row 0) have a small room of their own, so that "the file has no #RAR 0" is not crowded out
/// by line problems. Enumerates the kept problems.
/// </summary>
public sealed class ProblemLog : IEnumerable<ImportProblem>
{
    /// <summary>As many as the preview shows (<see cref="OutcomeImports.KeptProblems"/>).</summary>
    public const int Kept = OutcomeImports.KeptProblems;

    private const int KeptFileProblems = 200;

    /// <summary>Echoed file text is cut to this many characters, so a message cannot carry a whole line of the file into the stored preview.</summary>
    public const int EchoLength = 40;

    private readonly List<ImportProblem> kept = [];
    private readonly BitArray rows = new(0);
    private int keptFile, keptLines;

    /// <summary>Every problem added, the counted ones too.</summary>
    public int Count { get; private set; }

    /// <summary>How many distinct lines (rows above 0) have a problem.</summary>
    public int ErrorRows { get; private set; }

    public ImportProblem this[int index] => kept[index];

    public void Add(ImportProblem problem)
    {
        Count++;
        if (problem.Row > 0)
        {
            if (problem.Row >= rows.Length)
            {
                rows.Length = Math.Max(problem.Row + 1, rows.Length * 2);
            }

            if (!rows[problem.Row])
            {
                rows[problem.Row] = true;
                ErrorRows++;
            }
        }

        if (problem.Row == 0 ? keptFile++ < KeptFileProblems : keptLines++ < Kept)
        {
            kept.Add(problem with { Message = problem.Message.Length > 1000 ? problem.Message[..1000] + "…" : problem.Message });
        }
    }

    /// <summary>The kept problems in the order of the file's lines, at most <see cref="Kept"/>.</summary>
    public List<ImportProblem> Shown() => [.. kept.OrderBy(p => p.Row).Take(Kept)];

    /// <summary>File text as a message echoes it: at most <see cref="EchoLength"/> characters, "…" when cut.</summary>
    public static string Echo(string text) => text.Length <= EchoLength ? text : string.Concat(text.AsSpan(0, EchoLength), "…");

    public IEnumerator<ImportProblem> GetEnumerator() => kept.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
