using Kedja.Domain.InternalControl;

namespace Kedja.Domain.Tests;

/// <summary>
/// The rules of risk assessment (ADR 46): value and band on every scale from 2 × 2 to 10 × 10, the band edges, which risks
/// a year's plan proposes, which measures a plan carries and when a measure is late.
/// </summary>
public class RiskScaleTests
{
    public static TheoryData<int, int> Scales()
    {
        var data = new TheoryData<int, int>();
        for (var l = RiskScale.MinSteps; l <= RiskScale.MaxSteps; l++)
        {
            for (var c = RiskScale.MinSteps; c <= RiskScale.MaxSteps; c++)
            {
                data.Add(l, c);
            }
        }

        return data;
    }

    /// <summary>A scale of the given size with three bands at a third and two thirds of its largest value.</summary>
    private static RiskSettings Scale(int likelihood, int consequence)
    {
        var max = likelihood * consequence;
        return new RiskSettings
        {
            LikelihoodLabels = [.. Enumerable.Range(1, likelihood).Select(i => $"S{i}")],
            ConsequenceLabels = [.. Enumerable.Range(1, consequence).Select(i => $"K{i}")],
            Bands = [new RiskBand(1, "Låg", "#2e7d32"), new RiskBand((max / 3) + 1, "Medel", "#f9a825"), new RiskBand((2 * max / 3) + 1, "Hög", "#c62828")],
            PlanThreshold = (max / 3) + 1,
        };
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Every_cell_of_every_scale_has_the_value_of_its_steps_and_the_band_of_that_value(int likelihood, int consequence)
    {
        var scale = Scale(likelihood, consequence);
        var max = likelihood * consequence;
        RiskScale.MaxValue(scale).ShouldBe(max);
        var (medium, high) = ((max / 3) + 1, (2 * max / 3) + 1);
        for (var l = 1; l <= likelihood; l++)
        {
            for (var c = 1; c <= consequence; c++)
            {
                var value = RiskScale.Value(l, c);
                value.ShouldBe(l * c);
                RiskScale.Band(scale, value).Name.ShouldBe(value >= high ? "Hög" : value >= medium ? "Medel" : "Låg", $"{l} × {c} = {value}");
            }
        }

        RiskScale.OnAxis(scale.LikelihoodLabels, likelihood).ShouldBeTrue();
        RiskScale.OnAxis(scale.LikelihoodLabels, likelihood + 1).ShouldBeFalse();
        RiskScale.OnAxis(scale.ConsequenceLabels, consequence).ShouldBeTrue();
        RiskScale.OnAxis(scale.ConsequenceLabels, consequence + 1).ShouldBeFalse();
        RiskScale.OnAxis(scale.ConsequenceLabels, 0).ShouldBeFalse();
    }

    [Fact]
    public void A_band_starts_at_its_value_and_ends_just_below_the_next_whatever_order_they_are_listed_in()
    {
        var scale = RiskScale.Default();
        RiskScale.Band(scale, 1).Name.ShouldBe("Låg");
        RiskScale.Band(scale, 3).Name.ShouldBe("Låg");
        RiskScale.Band(scale, 4).Name.ShouldBe("Medel");
        RiskScale.Band(scale, 7).Name.ShouldBe("Medel");
        RiskScale.Band(scale, 8).Name.ShouldBe("Hög");
        RiskScale.Band(scale, 11).Name.ShouldBe("Hög");
        RiskScale.Band(scale, 12).Name.ShouldBe("Mycket hög");
        RiskScale.Band(scale, 16).Name.ShouldBe("Mycket hög");

        // Below the first band (a value of 0 cannot be assessed, but a band list is read as given) and listed out of order.
        RiskScale.Band(scale, 0).Name.ShouldBe("Låg");
        scale.Bands = [new RiskBand(9, "Röd", "#c62828"), new RiskBand(1, "Grön", "#2e7d32"), new RiskBand(5, "Gul", "#f9a825")];
        RiskScale.Band(scale, 4).Name.ShouldBe("Grön");
        RiskScale.Band(scale, 5).Name.ShouldBe("Gul");
        RiskScale.Band(scale, 8).Name.ShouldBe("Gul");
        RiskScale.Band(scale, 9).Name.ShouldBe("Röd");

        // A settings row without bands falls back on the default bands.
        scale.Bands = [];
        RiskScale.Band(scale, 12).Name.ShouldBe("Mycket hög");
    }

    [Fact]
    public void The_default_scale_is_four_by_four_with_swedish_labels_and_a_threshold_of_eight()
    {
        var scale = RiskScale.Default();
        scale.LikelihoodLabels.ShouldBe(["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"]);
        scale.ConsequenceLabels.Count.ShouldBe(4);
        scale.PlanThreshold.ShouldBe(8);
        scale.Bands[0].MinValue.ShouldBe(1);
    }

    private static Risk Risk(int number, int firstYear = 2025, int? lastYear = null, params RiskAssessment[] assessments) =>
        new() { Number = number, Title = $"Risk {number}", FirstYear = firstYear, LastYear = lastYear, Assessments = [.. assessments] };

    private static RiskAssessment Assessed(int year, int likelihood, int consequence, int? likelihoodAfter = null, int? consequenceAfter = null) =>
        new() { Year = year, Likelihood = likelihood, Consequence = consequence, LikelihoodAfter = likelihoodAfter, ConsequenceAfter = consequenceAfter, AssessedBy = "Controller" };

    [Fact]
    public void The_value_after_existing_controls_counts_when_assessed_and_the_value_before_otherwise()
    {
        var both = Assessed(2026, 4, 4, 2, 3);
        (both.ValueBefore, both.ValueAfter, both.Value).ShouldBe((16, (int?)6, 6));
        var before = Assessed(2026, 3, 3);
        (before.ValueBefore, before.ValueAfter, before.Value).ShouldBe((9, (int?)null, 9));
        Assessed(2026, 3, 3, 2, null).ValueAfter.ShouldBeNull("both steps after or none");
    }

    [Fact]
    public void A_plan_proposes_the_risks_of_the_register_assessed_that_year_at_or_above_the_threshold_highest_first()
    {
        var scale = RiskScale.Default();
        var risks = new[]
        {
            Risk(1, assessments: Assessed(2026, 4, 4, 2, 3)),             // 16 before, 6 after: the value after counts, below 8
            Risk(2, assessments: Assessed(2026, 2, 4)),                   // 8: exactly at the threshold
            Risk(3, assessments: Assessed(2026, 4, 4, 3, 4)),             // 12 after
            Risk(4, assessments: Assessed(2025, 4, 4)),                   // assessed only the year before
            Risk(5, lastYear: 2025, assessments: Assessed(2026, 4, 4)),   // no longer in the register in 2026
            Risk(6, firstYear: 2027, assessments: Assessed(2026, 4, 4)),  // not yet in the register
            Risk(7, assessments: Assessed(2026, 1, 7)),                   // 7: just under
            Risk(8, assessments: [Assessed(2025, 1, 1), Assessed(2026, 3, 4)]), // 12, same as risk 3: by number
            Risk(9),                                                      // never assessed
        };

        RiskScale.Proposal(scale, risks, 2026).Select(r => r.Number).ShouldBe([3, 8, 2]);
        RiskScale.Proposal(scale, risks, 2025).Select(r => r.Number).ShouldBe([4], "risk 5 was assessed only for a year it is not in the register");
        scale.PlanThreshold = 1;
        RiskScale.Proposal(scale, risks, 2026).Select(r => r.Number).ShouldBe([3, 8, 2, 7, 1]);
        scale.PlanThreshold = 13;
        RiskScale.Proposal(scale, risks, 2026).ShouldBeEmpty();
    }

    [Fact]
    public void A_risk_is_in_the_register_from_its_first_year_to_its_last_and_shows_its_latest_assessment_up_to_a_year()
    {
        var risk = Risk(1, firstYear: 2024, lastYear: 2026, Assessed(2024, 1, 1), Assessed(2026, 3, 3));
        RiskScale.InRegister(risk, 2023).ShouldBeFalse();
        RiskScale.InRegister(risk, 2024).ShouldBeTrue();
        RiskScale.InRegister(risk, 2026).ShouldBeTrue();
        RiskScale.InRegister(risk, 2027).ShouldBeFalse();
        RiskScale.InRegister(Risk(2, firstYear: 2024), 2099).ShouldBeTrue();

        RiskScale.Latest(risk, 2023).ShouldBeNull();
        RiskScale.Latest(risk, 2024)!.Year.ShouldBe(2024);
        RiskScale.Latest(risk, 2025)!.Year.ShouldBe(2024);
        RiskScale.Latest(risk, 2026)!.Year.ShouldBe(2026);
    }

    private static ControlMeasure Measure(string text, MeasureStatus status, DateOnly? deadline = null, DateOnly? doneOn = null) =>
        new() { Text = text, Status = status, Deadline = deadline, DoneOn = doneOn };

    [Fact]
    public void A_plan_carries_earlier_years_open_measures_and_those_done_during_its_year_but_not_its_own_or_those_done_before()
    {
        var decided = new Dictionary<string, int>();
        ControlMeasure M(string text, int year, MeasureStatus status, DateOnly? doneOn = null)
        {
            decided[text] = year;
            return Measure(text, status, doneOn: doneOn);
        }

        var measures = new[]
        {
            M("öppen 2024", 2024, MeasureStatus.NotStarted),
            M("pågår 2025", 2025, MeasureStatus.InProgress),
            M("klar i år", 2025, MeasureStatus.Done, new DateOnly(2026, 3, 1)),
            M("klar i fjol", 2025, MeasureStatus.Done, new DateOnly(2025, 12, 31)),
            M("klar utan datum", 2025, MeasureStatus.Done),
            M("årets egen", 2026, MeasureStatus.NotStarted),
            M("nästa års", 2027, MeasureStatus.NotStarted),
        };

        RiskScale.CarriedInto(2026, measures, m => decided[m.Text]).Select(m => m.Text)
            .ShouldBe(["öppen 2024", "pågår 2025", "klar i år", "klar utan datum"]);
        RiskScale.CarriedInto(2025, measures, m => decided[m.Text]).Select(m => m.Text).ShouldBe(["öppen 2024"]);
        RiskScale.CarriedInto(2024, measures, m => decided[m.Text]).ShouldBeEmpty();
    }

    [Fact]
    public void A_measure_is_late_the_day_after_its_deadline_until_it_is_done()
    {
        var deadline = new DateOnly(2026, 6, 30);
        RiskScale.IsLate(Measure("a", MeasureStatus.NotStarted, deadline), deadline).ShouldBeFalse();
        RiskScale.IsLate(Measure("a", MeasureStatus.NotStarted, deadline), deadline.AddDays(1)).ShouldBeTrue();
        RiskScale.IsLate(Measure("a", MeasureStatus.InProgress, deadline), deadline.AddDays(1)).ShouldBeTrue();
        RiskScale.IsLate(Measure("a", MeasureStatus.Done, deadline, deadline.AddDays(3)), deadline.AddDays(10)).ShouldBeFalse();
        RiskScale.IsLate(Measure("a", MeasureStatus.NotStarted), new DateOnly(2099, 1, 1)).ShouldBeFalse("no deadline, never late");
    }
}
