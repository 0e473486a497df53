using System.Globalization;
using System.Text;
using Kedja.Domain.InternalControl;

namespace Kedja.Domain.Charts;

/// <summary>
/// One cell of the matrix: its steps, the value they give, the band (colour) of that value and the numbers of the risks
/// placed in it, lowest first. A PDF or Word writer draws the matrix from these cells as the SVG does.
/// </summary>
public sealed record RiskMatrixCell(int Likelihood, int Consequence, int Value, RiskBand Band, IReadOnlyList<int> Numbers);

/// <summary>
/// A risk as the table beside the matrix shows it: the assessment that counts for the year (that year's, or the latest
/// earlier one, <see cref="AssessedYear"/> says which), its values before and after existing controls, and its band.
/// A risk in the register never assessed up to the year has no values, no band and no cell.
/// </summary>
/// <param name="Likelihood">The step the risk is placed at: after existing controls when assessed so, else before.</param>
public sealed record RiskMatrixRow(Guid RiskId, int Number, string Title, string? Category, string? Process, string? Owner, int? AssessedYear,
    int? ValueBefore, int? ValueAfter, int? Value, RiskBand? Band, int? Likelihood, int? Consequence)
{
    public bool Assessed => Value is not null;
}

/// <summary>
/// A unit's risks for a year placed by likelihood and consequence on the tenant's scale (ADR 46): the one model that pages
/// and the portal draw as SVG (<see cref="SvgChart.Render(RiskMatrix, string, int)"/>) and the reports draw in PDF and
/// Word from <see cref="Cells"/>. The same data as a table is <see cref="Rows"/>. Likelihood rises upwards, consequence to
/// the right, as Swedish internal control plans draw it.
/// </summary>
public sealed record RiskMatrix(string Title, IReadOnlyList<string> LikelihoodLabels, IReadOnlyList<string> ConsequenceLabels, IReadOnlyList<RiskBand> Bands,
    IReadOnlyList<RiskMatrixCell> Cells, IReadOnlyList<RiskMatrixRow> Rows)
{
    /// <summary>
    /// The matrix of the risks in the register in <paramref name="year"/> (<see cref="RiskScale.InRegister"/>), each by the
    /// year's assessment or the latest earlier one (<see cref="RiskScale.Latest"/>). Rows by number.
    /// </summary>
    public static RiskMatrix Of(string title, RiskSettings settings, IEnumerable<Risk> risks, int year)
    {
        var rows = risks.Where(r => RiskScale.InRegister(r, year)).OrderBy(r => r.Number).Select(r =>
        {
            var a = RiskScale.Latest(r, year);
            return a is null
                ? new RiskMatrixRow(r.Id, r.Number, r.Title, r.Category, r.Process, r.Owner, null, null, null, null, null, null, null)
                : new RiskMatrixRow(r.Id, r.Number, r.Title, r.Category, r.Process, r.Owner, a.Year, a.ValueBefore, a.ValueAfter, a.Value,
                    RiskScale.Band(settings, a.Value), a.LikelihoodAfter ?? a.Likelihood, a.ConsequenceAfter ?? a.Consequence);
        }).ToList();
        return Of(title, settings, rows);
    }

    /// <summary>The matrix of rows already chosen (a report's or the portal's own selection).</summary>
    public static RiskMatrix Of(string title, RiskSettings settings, IReadOnlyList<RiskMatrixRow> rows)
    {
        var (likelihood, consequence) = (settings.LikelihoodLabels.Count, settings.ConsequenceLabels.Count);
        var cells = new List<RiskMatrixCell>(likelihood * consequence);
        for (var l = likelihood; l >= 1; l--)
        {
            for (var c = 1; c <= consequence; c++)
            {
                var value = RiskScale.Value(l, c);
                cells.Add(new RiskMatrixCell(l, c, value, RiskScale.Band(settings, value),
                    [.. rows.Where(r => r.Likelihood == l && r.Consequence == c).Select(r => r.Number).Order()]));
            }
        }

        var bands = settings.Bands.Count > 0 ? settings.Bands : RiskScale.Default().Bands;
        return new RiskMatrix(title, [.. settings.LikelihoodLabels], [.. settings.ConsequenceLabels], [.. bands.OrderBy(b => b.MinValue)], cells, rows);
    }

    /// <summary>The cell at the steps, or null off the scale.</summary>
    public RiskMatrixCell? Cell(int likelihood, int consequence) => Cells.FirstOrDefault(c => c.Likelihood == likelihood && c.Consequence == consequence);

    /// <summary>Risks placed in no cell: not assessed up to the year, or on a step the scale no longer has.</summary>
    public IEnumerable<RiskMatrixRow> Unplaced => Rows.Where(r => Cell(r.Likelihood ?? 0, r.Consequence ?? 0) is null);

    /// <summary>The text alternative in Swedish: the scale, and how many risks lie in each band with their numbers.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Riskmatris med {LikelihoodLabels.Count} steg för sannolikhet (uppåt) och {ConsequenceLabels.Count} steg för konsekvens (åt höger). ");
        var placed = Rows.Where(r => r.Band is not null && Cell(r.Likelihood ?? 0, r.Consequence ?? 0) is not null).ToList();
        if (placed.Count == 0)
        {
            text.Append("Ingen risk är bedömd.");
        }
        else
        {
            var parts = Bands.Reverse().Select(b => (Band: b, Numbers: placed.Where(r => r.Band!.MinValue == b.MinValue).Select(r => r.Number).ToList()))
                .Where(x => x.Numbers.Count > 0)
                .Select(x => $"{x.Band.Name}: {Count(x.Numbers.Count)} (nr {string.Join(", ", x.Numbers)})");
            text.Append(string.Join("; ", parts)).Append('.');
        }

        var unplaced = Unplaced.Select(r => r.Number).ToList();
        if (unplaced.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" Inte bedömda: nr {string.Join(", ", unplaced)}.");
        }

        return text.ToString();
    }

    private static string Count(int n) => n == 1 ? "1 risk" : $"{n} risker";
}

public static partial class SvgChart
{
    /// <summary>
    /// Draws a <see cref="RiskMatrix"/> as inline SVG: a cell per pair of steps in its band's colour with the numbers of the
    /// risks placed there, the step labels along both axes and a legend of the bands. role="img" with the title and a
    /// description in words (<see cref="RiskMatrix.Describe"/>); the risks themselves belong in a table beside it. Any
    /// scale from 2 × 2 to 10 × 10; a cell with more numbers than fit shows those that do and "+n".
    /// </summary>
    public static string Render(RiskMatrix matrix, string description, int width = 560)
    {
        var (rows, columns) = (matrix.LikelihoodLabels.Count, matrix.ConsequenceLabels.Count);
        const int axisTitle = 18, labelWidth = 118, right = 6, top = 6, labelHeight = 34, legendRow = 20, legendWidth = 170;
        var left = axisTitle + labelWidth;
        var cell = Math.Min(72, (width - left - right) / Math.Max(1, columns));
        // The picture is as wide as its grid (and a legend entry), so that a phone scales it down no more than it must.
        width = Math.Max(left + (cell * columns) + right, 180);
        var gridHeight = cell * rows;
        var legendTop = top + gridHeight + labelHeight + axisTitle + 8;
        var legendPerRow = Math.Max(1, (width - 8) / legendWidth);
        var legendRows = (matrix.Bands.Count + legendPerRow - 1) / legendPerRow;
        var height = legendTop + (legendRows * legendRow);
        var id = "r" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart risk-matrix\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}t {id}d\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}t\">{Escape(matrix.Title)}</title><desc id=\"{id}d\">{Escape(description)}</desc>");

        const string Outlined = "fill=\"#ffffff\" stroke=\"#1b1b1f\" stroke-width=\"2.5\" paint-order=\"stroke\"";
        var perLine = Math.Max(1, (cell - 6) / 8);
        var lines = Math.Max(1, (cell - 6) / 15);
        foreach (var c in matrix.Cells)
        {
            var x = left + ((c.Consequence - 1) * cell);
            var y = top + ((rows - c.Likelihood) * cell);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"cell\" data-likelihood=\"{c.Likelihood}\" data-consequence=\"{c.Consequence}\" x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{Escape(c.Band.Colour)}\" stroke=\"#ffffff\" stroke-width=\"2\"/>");
            if (c.Numbers.Count == 0)
            {
                continue;
            }

            var text = CellLines(c.Numbers, perLine, lines);
            var first = y + (cell / 2.0) - ((text.Count - 1) * 7.5) + 4.5;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"numbers\" data-likelihood=\"{c.Likelihood}\" data-consequence=\"{c.Consequence}\" x=\"{x + (cell / 2.0):0.#}\" y=\"{first:0.#}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" {Outlined}>");
            for (var i = 0; i < text.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{x + (cell / 2.0):0.#}\" dy=\"{(i == 0 ? 0 : 15)}\">{Escape(text[i])}</tspan>");
            }

            svg.Append("</text>");
        }

        // Likelihood's labels to the left of their row, consequence's under their column, each cut to fit with its step number first.
        for (var l = 1; l <= rows; l++)
        {
            var y = top + ((rows - l) * cell) + (cell / 2.0) + 4;
            var label = Fit($"{l} {matrix.LikelihoodLabels[l - 1]}", (labelWidth - 6) / 6);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{y:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1b1b1f\">{Escape(label)}</text>");
        }

        for (var c = 1; c <= columns; c++)
        {
            var x = left + ((c - 1) * cell) + (cell / 2.0);
            var chars = Math.Max(3, (cell - 2) / 6);
            var (first, second) = TwoLines($"{c} {matrix.ConsequenceLabels[c - 1]}", chars);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{top + gridHeight + 14}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1b1b1f\">{Escape(first)}</text>");
            if (second.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{top + gridHeight + 28}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1b1b1f\">{Escape(second)}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{top + (gridHeight / 2.0):0.#}\" transform=\"rotate(-90 12 {top + (gridHeight / 2.0):0.#})\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#1b1b1f\">Sannolikhet</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (cell * columns / 2.0):0.#}\" y=\"{top + gridHeight + labelHeight + 12}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#1b1b1f\">Konsekvens</text>");

        for (var b = 0; b < matrix.Bands.Count; b++)
        {
            var band = matrix.Bands[b];
            var x = 4 + ((b % legendPerRow) * legendWidth);
            var y = legendTop + ((b / legendPerRow) * legendRow);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{Escape(band.Colour)}\" stroke=\"#1b1b1f\" stroke-width=\"0.5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 19}\" y=\"{y + 11}\" font-size=\"11\" fill=\"#1b1b1f\">{Escape(Fit($"{band.Name} (från {band.MinValue})", 25))}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The numbers of a cell as lines of at most <paramref name="perLine"/> characters; what does not fit ends in "+n".</summary>
    public static IReadOnlyList<string> CellLines(IReadOnlyList<int> numbers, int perLine, int maxLines)
    {
        var lines = new List<string>();
        var line = "";
        for (var i = 0; i < numbers.Count; i++)
        {
            var number = numbers[i].ToString(CultureInfo.InvariantCulture);
            var next = line.Length == 0 ? number : $"{line} {number}";
            if (next.Length <= perLine || line.Length == 0)
            {
                line = next;
                continue;
            }

            lines.Add(line);
            line = number;
            if (lines.Count == maxLines)
            {
                // No room for this one and the rest: the last line gives up its tail to say how many are not shown.
                var rest = numbers.Count - i;
                var last = lines[^1];
                while (last.Length > 0 && $"{last} +{rest}".Length > perLine)
                {
                    var cut = last.LastIndexOf(' ');
                    rest += 1;
                    last = cut < 0 ? "" : last[..cut];
                }

                lines[^1] = last.Length == 0 ? $"+{rest}" : $"{last} +{rest}";
                return lines;
            }
        }

        lines.Add(line);
        return lines;
    }

    private static string Fit(string text, int chars) => text.Length <= chars ? text : text[..Math.Max(1, chars - 1)] + "…";

    /// <summary>A label over at most two lines, broken at a space where one lies near enough, the second cut to fit.</summary>
    private static (string First, string Second) TwoLines(string text, int chars)
    {
        if (text.Length <= chars)
        {
            return (text, "");
        }

        var cut = text.LastIndexOf(' ', Math.Min(chars, text.Length - 1));
        return cut > 0 ? (text[..cut], Fit(text[(cut + 1)..], chars)) : (text[..chars], Fit(text[chars..], chars));
    }
}
