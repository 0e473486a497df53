using System.Globalization;
using System.Xml.Linq;
using Kedja.Domain.Charts;
using Kedja.Domain.InternalControl;

namespace Kedja.Domain.Tests;

/// <summary>
/// The risk matrix (ADR 46): each risk in the cell of the steps that count for the year, the cells in their bands'
/// colours, the table rows beside it, a text alternative, and an SVG that parses on every scale from 2 × 2 to 10 × 10.
/// </summary>
public class RiskMatrixTests
{
    private static RiskAssessment Assessed(int year, int likelihood, int consequence, int? likelihoodAfter = null, int? consequenceAfter = null) =>
        new() { Year = year, Likelihood = likelihood, Consequence = consequence, LikelihoodAfter = likelihoodAfter, ConsequenceAfter = consequenceAfter, AssessedBy = "Controller" };

    private static Risk Risk(int number, params RiskAssessment[] assessments) =>
        new() { Number = number, Title = $"Risk <{number}>", Category = "Ekonomi och redovisning", Process = "Inköp", Owner = "Ekonomichef", FirstYear = 2025, Assessments = [.. assessments] };

    private static readonly Risk[] Register =
    [
        Risk(1, Assessed(2026, 4, 4, 2, 3)),                  // after controls: likelihood 2, consequence 3
        Risk(2, Assessed(2025, 3, 4)),                        // carried from 2025
        Risk(3, Assessed(2025, 1, 1), Assessed(2026, 4, 4)),  // this year's
        Risk(4),                                              // never assessed
        new() { Number = 5, Title = "Avslutad", FirstYear = 2024, LastYear = 2025, Assessments = [Assessed(2025, 4, 4)] },
        Risk(6, Assessed(2026, 2, 3)),                        // shares a cell with risk 1
    ];

    private static XElement Svg(RiskMatrix matrix) => XElement.Parse(SvgChart.Render(matrix, matrix.Describe()));

    private static string Numbers(XElement svg, int likelihood, int consequence) =>
        string.Join(" ", svg.Elements("text").Where(t => t.Attribute("data-likelihood")?.Value == $"{likelihood}" && t.Attribute("data-consequence")?.Value == $"{consequence}")
            .SelectMany(t => t.Elements("tspan")).Select(t => t.Value));

    [Fact]
    public void Each_risk_of_the_year_is_placed_by_the_assessment_that_counts_and_the_table_says_from_which_year()
    {
        var matrix = RiskMatrix.Of("Riskmatris 2026", RiskScale.Default(), Register, 2026);

        matrix.Rows.Select(r => r.Number).ShouldBe([1, 2, 3, 4, 6], "risk 5 left the register in 2025");
        var one = matrix.Rows[0];
        (one.AssessedYear, one.ValueBefore, one.ValueAfter, one.Value, one.Likelihood, one.Consequence, one.Band!.Name).ShouldBe((2026, 16, 6, 6, 2, 3, "Medel"));
        (one.Title, one.Category, one.Process, one.Owner).ShouldBe(("Risk <1>", "Ekonomi och redovisning", "Inköp", "Ekonomichef"));
        var two = matrix.Rows[1];
        (two.AssessedYear, two.ValueBefore, two.ValueAfter, two.Value, two.Band!.Name).ShouldBe((2025, 12, (int?)null, 12, "Mycket hög"));
        matrix.Rows[2].AssessedYear.ShouldBe(2026);
        var four = matrix.Rows[3];
        (four.Assessed, four.Value, four.Band, four.Likelihood).ShouldBe((false, (int?)null, (RiskBand?)null, (int?)null));
        matrix.Unplaced.Select(r => r.Number).ShouldBe([4]);

        matrix.Cells.Count.ShouldBe(16);
        matrix.Cell(2, 3)!.Numbers.ShouldBe([1, 6]);
        matrix.Cell(3, 4)!.Numbers.ShouldBe([2]);
        matrix.Cell(4, 4)!.Numbers.ShouldBe([3]);
        matrix.Cells.Where(c => c.Numbers.Count > 0).Sum(c => c.Numbers.Count).ShouldBe(4);
        matrix.Cell(4, 4)!.Band.Colour.ShouldBe("#c62828");
        matrix.Cell(1, 1)!.Band.Name.ShouldBe("Låg");
        matrix.Cell(5, 1).ShouldBeNull();

        // Cells from the top row (highest likelihood) down, consequence rising to the right: as a PDF writer draws them.
        matrix.Cells[0].ShouldBe(matrix.Cell(4, 1));
        matrix.Cells[^1].ShouldBe(matrix.Cell(1, 4));

        // In 2025 risk 1 is in the register but not yet assessed, risk 3 shows its 2025 assessment and risk 5 is still there.
        var earlier = RiskMatrix.Of("Riskmatris 2025", RiskScale.Default(), Register, 2025);
        earlier.Rows.Select(r => r.Number).ShouldBe([1, 2, 3, 4, 5, 6]);
        RiskMatrix.Of("2024", RiskScale.Default(), Register, 2024).Rows.Select(r => r.Number).ShouldBe([5]);
        earlier.Cell(1, 1)!.Numbers.ShouldBe([3]);
    }

    [Fact]
    public void The_svg_parses_is_an_image_with_a_text_alternative_and_has_the_numbers_in_the_right_cells()
    {
        var matrix = RiskMatrix.Of("Riskmatris & <2026>", RiskScale.Default(), Register, 2026);
        var description = matrix.Describe();
        description.ShouldBe("Riskmatris med 4 steg för sannolikhet (uppåt) och 4 steg för konsekvens (åt höger). Mycket hög: 2 risker (nr 2, 3); Medel: 2 risker (nr 1, 6). Inte bedömda: nr 4.");

        var svg = Svg(matrix);
        svg.Attribute("role")!.Value.ShouldBe("img");
        var labelledBy = svg.Attribute("aria-labelledby")!.Value.Split(' ');
        svg.Element("title")!.Value.ShouldBe("Riskmatris & <2026>");
        svg.Element("title")!.Attribute("id")!.Value.ShouldBe(labelledBy[0]);
        svg.Element("desc")!.Value.ShouldBe(description);
        svg.Element("desc")!.Attribute("id")!.Value.ShouldBe(labelledBy[1]);

        Numbers(svg, 2, 3).ShouldBe("1 6");
        Numbers(svg, 3, 4).ShouldBe("2");
        Numbers(svg, 4, 4).ShouldBe("3");
        Numbers(svg, 1, 1).ShouldBe("");

        // The number's cell lies under it: the text is centred in the rectangle drawn for the same steps.
        var cells = svg.Elements("rect").Where(r => r.Attribute("class")?.Value == "cell").ToList();
        cells.Count.ShouldBe(16);
        var cell = cells.Single(r => r.Attribute("data-likelihood")!.Value == "4" && r.Attribute("data-consequence")!.Value == "4");
        cell.Attribute("fill")!.Value.ShouldBe("#c62828");
        var text = svg.Elements("text").Single(t => t.Attribute("data-likelihood")?.Value == "4" && t.Attribute("data-consequence")?.Value == "4");
        double N(XElement e, string a) => double.Parse(e.Attribute(a)!.Value, CultureInfo.InvariantCulture);
        N(text, "x").ShouldBe(N(cell, "x") + (N(cell, "width") / 2), 0.1);
        N(text, "y").ShouldBeInRange(N(cell, "y"), N(cell, "y") + N(cell, "height"));
        var low = cells.Single(r => r.Attribute("data-likelihood")!.Value == "1" && r.Attribute("data-consequence")!.Value == "1");
        N(low, "y").ShouldBeGreaterThan(N(cell, "y"), "likelihood rises upwards");
        N(low, "x").ShouldBeLessThan(N(cell, "x"), "consequence rises to the right");

        // The axes say their names and each step's label; the legend names every band.
        var words = svg.Elements("text").Select(t => t.Value).ToList();
        words.ShouldContain("Sannolikhet");
        words.ShouldContain("Konsekvens");
        words.ShouldContain("4 Sannolik");
        words.ShouldContain("1 Osannolik");
        words.ShouldContain("Mycket hög (från 12)");
        string.Concat(words).ShouldContain("Allvarlig");
    }

    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        for (var n = RiskScale.MinSteps; n <= RiskScale.MaxSteps; n++)
        {
            data.Add(n, n);
            data.Add(n, RiskScale.MinSteps + RiskScale.MaxSteps - n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_scale_size_draws_every_cell_inside_the_picture_with_its_risk(int likelihood, int consequence)
    {
        var scale = new RiskSettings
        {
            LikelihoodLabels = [.. Enumerable.Range(1, likelihood).Select(i => $"Sannolikhet med ett långt namn {i}")],
            ConsequenceLabels = [.. Enumerable.Range(1, consequence).Select(i => $"Konsekvens {i}")],
            Bands = [new RiskBand(1, "Låg", "#2e7d32"), new RiskBand(likelihood * consequence, "Högst", "#c62828")],
            PlanThreshold = 1,
        };
        var risks = new[] { Risk(1, Assessed(2026, likelihood, consequence)), Risk(2, Assessed(2026, 1, 1)), Risk(3, Assessed(2026, likelihood, 1)) };
        var matrix = RiskMatrix.Of("Riskmatris", scale, risks, 2026);
        var svg = Svg(matrix);

        var width = double.Parse(svg.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        var height = double.Parse(svg.Attribute("height")!.Value, CultureInfo.InvariantCulture);
        var cells = svg.Elements("rect").Where(r => r.Attribute("class")?.Value == "cell").ToList();
        cells.Count.ShouldBe(likelihood * consequence);
        foreach (var r in cells)
        {
            double N(string a) => double.Parse(r.Attribute(a)!.Value, CultureInfo.InvariantCulture);
            N("x").ShouldBeGreaterThanOrEqualTo(0);
            (N("x") + N("width")).ShouldBeLessThanOrEqualTo(width);
            (N("y") + N("height")).ShouldBeLessThanOrEqualTo(height);
            N("width").ShouldBeGreaterThanOrEqualTo(30, "a cell holds at least a number");
        }

        Numbers(svg, likelihood, consequence).ShouldBe("1");
        Numbers(svg, 1, 1).ShouldBe("2");
        Numbers(svg, likelihood, 1).ShouldBe("3");
        cells.Single(r => r.Attribute("data-likelihood")!.Value == $"{likelihood}" && r.Attribute("data-consequence")!.Value == $"{consequence}").Attribute("fill")!.Value.ShouldBe("#c62828");
        cells.Single(r => r.Attribute("data-likelihood")!.Value == "1" && r.Attribute("data-consequence")!.Value == "1").Attribute("fill")!.Value.ShouldBe("#2e7d32");
    }

    [Fact]
    public void A_cell_with_many_risks_shows_the_numbers_that_fit_and_how_many_more_and_the_table_has_them_all()
    {
        var risks = Enumerable.Range(1, 40).Select(n => Risk(100 + n, Assessed(2026, 2, 2))).ToArray();
        var matrix = RiskMatrix.Of("Riskmatris", RiskScale.Default(), risks, 2026);
        matrix.Cell(2, 2)!.Numbers.Count.ShouldBe(40);
        matrix.Rows.Count.ShouldBe(40);

        var shown = Numbers(Svg(matrix), 2, 2);
        shown.ShouldEndWith("+" + (40 - shown.Split(' ').Count(w => !w.StartsWith('+'))));
        shown.ShouldStartWith("101");

        // On a 10 × 10 scale the cells are small: still the first number and the rest as a count.
        var large = new RiskSettings
        {
            LikelihoodLabels = [.. Enumerable.Range(1, 10).Select(i => $"{i}")],
            ConsequenceLabels = [.. Enumerable.Range(1, 10).Select(i => $"{i}")],
            Bands = [new RiskBand(1, "Låg", "#2e7d32")],
            PlanThreshold = 50,
        };
        var crowded = Numbers(Svg(RiskMatrix.Of("Riskmatris", large, risks, 2026)), 2, 2);
        crowded.ShouldStartWith("101");
        crowded.ShouldEndWith("+" + (40 - crowded.Split(' ').Count(w => !w.StartsWith('+'))));
    }

    [Fact]
    public void Cell_lines_wrap_numbers_and_end_in_a_count_of_those_left_out()
    {
        SvgChart.CellLines([1, 2, 3], 8, 2).ShouldBe(["1 2 3"]);
        SvgChart.CellLines([10, 11, 12, 13], 5, 2).ShouldBe(["10 11", "12 13"]);
        SvgChart.CellLines([10, 11, 12, 13, 14], 5, 2).ShouldBe(["10 11", "12 +2"]);
        SvgChart.CellLines([10, 11, 12, 13, 14, 15, 16], 8, 1).ShouldBe(["10 11 +5"]);
        SvgChart.CellLines([1000], 2, 1).ShouldBe(["1000"], "a number too long for the cell is still written whole");
    }

    [Fact]
    public void A_matrix_without_assessed_risks_says_so()
    {
        var matrix = RiskMatrix.Of("Tom", RiskScale.Default(), [Risk(4)], 2026);
        matrix.Describe().ShouldEndWith("Ingen risk är bedömd. Inte bedömda: nr 4.");
        Svg(matrix).Elements("text").Where(t => t.Attribute("class")?.Value == "numbers").ShouldBeEmpty();
    }
}
