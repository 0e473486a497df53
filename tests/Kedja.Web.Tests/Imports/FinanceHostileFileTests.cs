using Kedja.Web.Imports;
using Kedja.Web.Imports.Finance;

namespace Kedja.Web.Tests.Imports;

/// <summary>
/// The SIE reader on hostile files (review 16, finding 10): each case its own file, written by the test in code page
/// 437. A period year of five digits is a problem by line and no exception; an amount of more than 15 digits is
/// named; a voucher cannot sum to zero by wrapping; a flood of bad lines keeps 2,000 problems and counts the rest; and
/// echoed file text is cut.
/// </summary>
public sealed class FinanceHostileFileTests
{
    /// <summary>Lines 1–9: the head every case shares.</summary>
    private static readonly string[] Head =
    [
        "#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20260101 20261231", "#KONTO 4010 \"Löner\"", "#DIM 1 \"Ansvar\"", "#OBJEKT 1 \"100\" \"Ledning\"",
        "#KONTO 1930 \"Företagskonto\"", "#RAR -1 20250101 20251231",
    ];

    private static (List<SieAmount> Amounts, ProblemLog Problems) Read(params string[] body)
    {
        var amounts = new List<SieAmount>();
        var problems = new ProblemLog();
        SieReader.Read(FinanceImportTests.Sie([.. Head, .. body]), 1, amounts.Add, problems);
        return (amounts, problems);
    }

    [Fact]
    public void A_period_year_of_five_digits_or_outside_the_files_years_is_a_problem_by_line_not_an_exception()
    {
        var (amounts, problems) = Read(
            "#PBUDGET 0 1000001 4010 {1 \"100\"} 100.00", // 10
            "#PSALDO 0 99999912 4010 {1 \"100\"} 100.00", // 11
            "#PBUDGET 0 999912 4010 {1 \"100\"} 100.00", // 12
            "#PBUDGET 1 202601 4010 {1 \"100\"} 100.00", // 13
            "#PBUDGET 0 202601 4010 {1 \"100\"} 100.00"); // 14

        problems.Select(ImportReport.Line).ShouldBe([
            "Rad 10: Perioden 1000001 är ingen månad (ÅÅÅÅMM).",
            "Rad 11: Perioden 99999912 är ingen månad (ÅÅÅÅMM).",
            "Rad 12: Perioden 999912 ligger utanför räkenskapsår 0 (2026-01-01–2026-12-31).",
            "Rad 13: Årsnummer 1 har ingen #RAR före raden.",
        ]);
        amounts.Select(a => a.Line).ShouldBe([14]);
    }

    [Fact]
    public void An_amount_of_more_than_15_digits_is_named_and_a_voucher_cannot_balance_by_wrapping()
    {
        // 256 transactions of 2^56 öre (15 digits of kronor) sum to 2^64, which a long wraps to exactly 0.
        const string wraps = "720575940379279.36";
        var (_, problems) = Read([
            "#PBUDGET 0 202601 4010 {1 \"100\"} 1234567890123456.00", // 10
            "#PBUDGET 0 202601 4010 {1 \"100\"} 123456789012345678", // 11
            "#PBUDGET 0 202601 4010 {1 \"100\"} 999999999999999.99", // 12: 15 digits, the most there is
            "#VER A 1 20260131 \"Stor\"", // 13
            "{",
            .. Enumerable.Repeat($"#TRANS 4010 {{1 \"100\"}} {wraps}", 256),
            "}",
        ]);

        var lines = problems.Select(ImportReport.Line).ToList();
        lines.ShouldContain("Rad 10: Beloppet ”1234567890123456.00” har fler än 15 siffror före decimaltecknet och är för stort för att vara ett belopp.");
        lines.ShouldContain("Rad 11: Beloppet ”123456789012345678” har fler än 15 siffror före decimaltecknet och är för stort för att vara ett belopp.");
        lines.ShouldContain(l => l.StartsWith("Rad 13: Verifikationen A 1 är inte i balans", StringComparison.Ordinal) && l.Contains("095\u00a0516,16 kr", StringComparison.Ordinal)
            || l.StartsWith("Rad 13: Verifikationen A 1 är inte i balans", StringComparison.Ordinal) && l.Contains("095 516,16 kr", StringComparison.Ordinal));
        problems.Count.ShouldBe(3);
    }

    [Fact]
    public void A_flood_of_bad_lines_keeps_the_first_2000_problems_counts_the_rest_and_cuts_echoed_text()
    {
        var label = new string('X', 5000);
        var (_, problems) = Read([$"#{label} 1", .. Enumerable.Repeat("x", 50_000)]);

        problems.Count.ShouldBe(50_001);
        problems.ErrorRows.ShouldBe(50_001);
        var shown = problems.Shown();
        shown.Count.ShouldBe(ProblemLog.Kept);
        shown[0].ShouldBe(new ImportProblem(10, null, $"Okänd post #{new string('X', ProblemLog.EchoLength)}…. Kontrollera stavningen; Kedja läser bara posterna i SIE typ 4."));
        shown[^1].Row.ShouldBe(10 + ProblemLog.Kept - 1);
        problems.Max(p => p.Message.Length).ShouldBeLessThan(200);
    }
}
