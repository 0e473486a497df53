using Kedja.Domain.Charts;

namespace Kedja.Reports.Tests;

/// <summary>
/// Reports the writers are tested on: Swedish text with å, ä, ö, every kind of block, a status of every step, a
/// missing outcome ("ej bedömt", "–"), and a table long enough to run over pages.
/// </summary>
public static class SampleReports
{
    public static readonly ReportStatus Met = new("uppfyllt", "Uppfyllt", "●", "#1a7f37");
    public static readonly ReportStatus Partly = new("delvis", "Delvis uppfyllt", "◐", "#bf8700");
    public static readonly ReportStatus NotMet = new("ej-uppfyllt", "Ej uppfyllt", "○", "#cf222e");
    public static readonly ReportStatus NotAssessed = new("ej-bedomt", "Ej bedömt", "–", "#8c959f");

    private static readonly ReportColumn[] IndicatorColumns =
    [
        new("Indikator", CellKind.Text, 3), new("Mål", CellKind.Number), new("Utfall", CellKind.Number), new("Samma period i fjol", CellKind.Number),
        new("Trend", CellKind.Text), new("Status", CellKind.Status, 1.5),
    ];

    public static ReportDocument Tertial(int indicatorRows = 8)
    {
        var steps = new[] { Met, Partly, NotMet, NotAssessed }.Select(s => new FulfilmentStep(s.Key, s.Label, s.Colour, s.Symbol)).ToList();
        var chart = new FulfilmentChart("Måluppfyllelse per perspektiv", steps,
        [
            new FulfilmentRow("Medborgare och brukare", [3, 1, 0, 1]),
            new FulfilmentRow("Medarbetare", [1, 2, 1, 0]),
            new FulfilmentRow("Ekonomi", [0, 0, 1, 2]),
        ]);
        var rows = Enumerable.Range(1, indicatorRows).Select(i => (IReadOnlyList<ReportCell>)
        [
            new ReportCell($"Andel elever i åk 9 som är behöriga till yrkesprogram, område {i}"),
            ReportCell.Of(85.5m + i, 1, "%"),
            i % 4 == 0 ? ReportCell.Empty : ReportCell.Of(80.25m + i, 1, "%"),
            ReportCell.Of(79m + i, 1, "%"),
            new ReportCell(i % 2 == 0 ? "↑ bättre" : "↓ sämre"),
            ReportCell.Of(i % 4 == 0 ? NotAssessed : i % 3 == 0 ? NotMet : Met),
        ]).ToList();
        return new ReportDocument("Tertialrapport 2", "Barn- och utbildningsnämnden", "Kumla kommun", "Tertial 2 2026",
            new DateTimeOffset(2026, 9, 15, 8, 30, 0, TimeSpan.Zero),
        [
            new ReportSection("summary", "Sammanfattning av måluppfyllelsen",
            [
                new ReportParagraph("Nämnden bedömer att två av tre perspektiv når målen. Åtgärder pågår för ekonomin."),
                new ReportChart(chart, "Medborgare och brukare: 3 uppfyllda, 1 delvis, 1 ej bedömt. Medarbetare: 1 uppfyllt, 2 delvis, 1 ej uppfyllt. Ekonomi: 1 ej uppfyllt, 2 ej bedömda.", "Perspektiv"),
                new ReportTable("Mål per status", [new("Status", CellKind.Status, 2), new("Antal", CellKind.Number), new("Andel", CellKind.Percent)],
                [
                    [ReportCell.Of(Met), ReportCell.Of(4, 0), ReportCell.Share(0.3333m)],
                    [ReportCell.Of(Partly), ReportCell.Of(3, 0), ReportCell.Share(0.25m)],
                    [ReportCell.Of(NotMet), ReportCell.Of(2, 0), ReportCell.Share(0.1667m)],
                    [ReportCell.Of(NotAssessed), ReportCell.Of(3, 0), ReportCell.Share(0.25m)],
                ]),
            ]),
            new ReportSection("goals", "Mål och resultat",
            [
                new ReportHeading(2, "Medborgare och brukare"),
                new ReportHeading(3, "1.1 Fler elever når kunskapsmålen i grundskolan"),
                new ReportStatusLine("Status", Partly, "Två av tre indikatorer når sina mål; en saknar utfall för tertialet."),
                new ReportField("Analys", "Resultaten i åk 6 har förbättrats.\nI åk 9 är skillnaderna mellan skolorna fortfarande stora."),
                new ReportField("Åtgärder", "Läsfrämjande insatser på alla skolor under hösten; uppföljning i december."),
                new ReportTable("Indikatorer för målet 1.1", IndicatorColumns, rows),
                new ReportTable("Aktiviteter för målet 1.1", [new("Aktivitet", CellKind.Text, 3), new("Ansvarig", CellKind.Text, 2), new("Status", CellKind.Text), new("Klart", CellKind.Percent)],
                [
                    [new ReportCell("Språkutvecklande arbetssätt i förskoleklass"), new ReportCell("Skolområde Öst"), new ReportCell("Pågår"), ReportCell.Share(0.6m)],
                    [new ReportCell("Ny lärplattform"), new ReportCell("Förvaltningen"), new ReportCell("Ej påbörjad"), ReportCell.Share(0m)],
                ]),
                new ReportHeading(3, "1.2 Tryggare skolmiljö"),
                new ReportStatusLine("Status", NotAssessed, "Inget utfall för tertial 2 2026."),
                new ReportPageBreak(),
                new ReportHeading(2, "Ekonomi"),
                new ReportHeading(3, "3.1 Budget i balans"),
                new ReportStatusLine("Status", NotMet, "Prognosen visar ett underskott på 4,2 mnkr."),
            ]),
            new ReportSection("programs", "Program och planer",
            [
                new ReportParagraph("Ingår inte i måluppfyllelsen.", ParagraphKind.Note),
                new ReportHeading(2, "Skolplan 2024–2027"),
                new ReportTable("Indikatorer i programmet Skolplan 2024–2027", IndicatorColumns, rows.Take(2).ToList()),
            ]),
            new ReportSection("basic-mission", "Grunduppdrag",
            [
                new ReportParagraph("Ingår inte i måluppfyllelsen.", ParagraphKind.Note),
                new ReportTable("Grunduppdragets indikatorer", IndicatorColumns, rows.Skip(2).Take(3).ToList()),
            ]),
            new ReportSection("budget", "Ekonomi",
            [
                new ReportTable("Budgetram och utfall, tkr", [new("Enhet", CellKind.Text, 3), new("Budgetram", CellKind.Number), new("Utfall", CellKind.Number), new("Avvikelse", CellKind.Number)],
                [
                    [new ReportCell("Barn- och utbildningsnämnden"), ReportCell.Of(812_400m, 0), ReportCell.Of(816_600m, 0), ReportCell.Of(-4_200m, 0)],
                ]),
            ]),
        ]);
    }

    /// <summary>A big municipality's annual report in size: <paramref name="goals"/> goals in one section, each with a status, an analysis and a table of <paramref name="rowsPerGoal"/> indicators.</summary>
    public static ReportDocument Large(int goals = 2_000, int rowsPerGoal = 10)
    {
        var statuses = new[] { Met, Partly, NotMet, NotAssessed };
        var blocks = new List<ReportBlock>(goals * 5);
        for (var g = 1; g <= goals; g++)
        {
            if (g % 200 == 1)
            {
                blocks.Add(new ReportHeading(2, $"Nämnd {(g / 200) + 1}"));
            }

            blocks.Add(new ReportHeading(3, $"{g}. Fler invånare är nöjda med kommunens service i område {g}"));
            blocks.Add(new ReportStatusLine("Status", statuses[g % 4], "Två av tre indikatorer når sina mål."));
            blocks.Add(new ReportField("Analys", "Resultaten har förbättrats jämfört med samma period i fjol, men skillnaderna mellan enheterna är fortfarande stora och behöver följas upp under året."));
            blocks.Add(new ReportTable($"Indikatorer för målet {g}", IndicatorColumns,
            [
                .. Enumerable.Range(1, rowsPerGoal).Select(i => (IReadOnlyList<ReportCell>)
                [
                    new ReportCell($"Andel brukare som är nöjda med verksamheten, enhet {i}"),
                    ReportCell.Of(80m + i, 1, "%"),
                    ReportCell.Of(75.5m + i, 1, "%"),
                    ReportCell.Of(74m + i, 1, "%"),
                    new ReportCell(i % 2 == 0 ? "↑ bättre" : "↓ sämre"),
                    ReportCell.Of(statuses[(g + i) % 4]),
                ]),
            ]));
        }

        var tertial = Tertial();
        return tertial with
        {
            Title = "Årsredovisning 2026",
            Period = "År 2026",
            Sections = [tertial.Sections[0], new ReportSection("goals", "Mål och resultat", blocks), .. tertial.Sections.Skip(2)],
        };
    }
}
