using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

/// <summary>
/// Every sentence the engine writes about a goal, for each count form (none, one, several) and for en-words
/// (indikator) and ett-words (mål, underlag) alike.
/// </summary>
public class ExplanationTests
{
    private static readonly PeriodRef T2 = PeriodRef.Parse("2025-T2");
    private static readonly Guid Level = Guid.NewGuid();

    private readonly List<GoalFacts> goals = [];
    private readonly List<GoalLinkFacts> links = [];
    private readonly List<IndicatorFacts> indicators = [];
    private RollupRule rule = RollupRule.StandardShare;

    private Guid Goal(string? manual = null)
    {
        var goal = new GoalFacts(Guid.NewGuid(), $"Mål {goals.Count + 1}", Level, null, manual);
        goals.Add(goal);
        return goal.Id;
    }

    /// <summary>Indicators on the goal with the given T2 outcomes against a target of 100: 100 is met, 85 partly met, 0 not met, null missing.</summary>
    private void Indicators(Guid goal, params decimal?[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            indicators.Add(new IndicatorFacts(Guid.NewGuid(), $"Indikator {indicators.Count + 1}", Direction.HigherIsBetter, PeriodKind.Tertial,
                new Dictionary<string, decimal?> { ["2025-T2"] = outcome },
                new Dictionary<string, TargetFacts> { ["2025"] = new(100m) },
                GoalId: goal));
        }
    }

    private void IndicatorWithoutTarget(Guid goal) =>
        indicators.Add(new IndicatorFacts(Guid.NewGuid(), "Utan målvärde", Direction.HigherIsBetter, PeriodKind.Tertial,
            new Dictionary<string, decimal?> { ["2025-T2"] = 50m }, new Dictionary<string, TargetFacts>(), GoalId: goal));

    /// <summary>Contributing goals, each with one indicator of the given outcome (see <see cref="Indicators"/>).</summary>
    private void Children(Guid parent, params decimal?[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var child = Goal();
            Indicators(child, outcome);
            links.Add(new GoalLinkFacts(parent, child));
        }
    }

    private string Explain(Guid goal) => GoalEngine.Compute(
        new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard, [new LevelFacts(Level, "Nämndmål", rule)], goals, links, indicators),
        T2.Start, T2.End).Goals[goal].Explanation.Swedish;

    private static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The same result as <see cref="Explain"/>, said in English.</summary>
    private string ExplainInEnglish(Guid goal) => GoalEngine.Compute(
        new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard, [new LevelFacts(Level, "Nämndmål", rule)], goals, links, indicators),
        T2.Start, T2.End).Goals[goal].Explanation.In(English);

    /// <summary>The end of every explanation under the standard share rule.</summary>
    private static string Shared(int percent, string status) => $". Andel {percent}\u00a0% (Uppfyllt från 75\u00a0%, Delvis uppfyllt från 40\u00a0%) → {status}.";

    [Fact]
    public void No_inputs_at_all()
    {
        Explain(Goal()).ShouldBe("Inga indikatorer eller bidragande mål att bedöma i perioden.");
    }

    [Fact]
    public void None_of_one_indicator_has_an_outcome()
    {
        var goal = Goal();
        Indicators(goal, [null]);

        Explain(goal).ShouldBe("Ingen av 1 indikator har utfall.");
    }

    [Fact]
    public void None_of_several_indicators_has_an_outcome()
    {
        var goal = Goal();
        Indicators(goal, null, null);

        Explain(goal).ShouldBe("Ingen av 2 indikatorer har utfall.");
    }

    [Fact]
    public void None_of_several_indicators_has_both_outcome_and_target()
    {
        var goal = Goal();
        Indicators(goal, [null]);
        IndicatorWithoutTarget(goal);

        Explain(goal).ShouldBe("Ingen av 2 indikatorer har både utfall och målvärde.");
    }

    [Fact]
    public void None_of_one_contributing_goal_has_a_status()
    {
        var goal = Goal();
        Children(goal, [null]);

        Explain(goal).ShouldBe("Inget av 1 bidragande mål har förslag eller bedömning.");
    }

    [Fact]
    public void None_of_several_contributing_goals_has_a_status()
    {
        var goal = Goal();
        Children(goal, null, null);

        Explain(goal).ShouldBe("Inget av 2 bidragande mål har förslag eller bedömning.");
    }

    [Fact]
    public void None_of_several_mixed_inputs_has_a_status()
    {
        var goal = Goal();
        Indicators(goal, [null]);
        Children(goal, [null]);

        Explain(goal).ShouldBe("Inget av 2 underlag har utfall eller bedömning.");
    }

    [Fact]
    public void One_missing_among_several_makes_the_goal_not_assessed_when_the_level_says_so()
    {
        rule = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.MakeNotAssessed };
        var goal = Goal();
        Indicators(goal, 100m, null);

        Explain(goal).ShouldBe("1 av 2 indikatorer saknar utfall.");
    }

    [Fact]
    public void Several_missing_among_several_make_the_goal_not_assessed_when_the_level_says_so()
    {
        rule = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.MakeNotAssessed };
        var goal = Goal();
        Indicators(goal, 100m, null);
        IndicatorWithoutTarget(goal);

        Explain(goal).ShouldBe("2 av 3 indikatorer saknar utfall eller målvärde.");
    }

    [Fact]
    public void Contributing_goals_without_status_make_the_goal_not_assessed_when_the_level_says_so()
    {
        rule = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.MakeNotAssessed };
        var goal = Goal();
        Children(goal, 100m, null);

        Explain(goal).ShouldStartWith("1 av 2 bidragande mål saknar förslag eller bedömning.");
    }

    [Fact]
    public void None_of_one_indicator_is_met()
    {
        var goal = Goal();
        Indicators(goal, 0m);

        Explain(goal).ShouldBe("Ingen av 1 indikator är uppfylld, 1 är inte uppfylld" + Shared(0, "Ej uppfyllt"));
    }

    [Fact]
    public void None_of_several_indicators_is_met()
    {
        var goal = Goal();
        Indicators(goal, 0m, 0m);

        Explain(goal).ShouldBe("Ingen av 2 indikatorer är uppfylld, 2 är inte uppfyllda" + Shared(0, "Ej uppfyllt"));
    }

    [Fact]
    public void One_of_one_indicator_is_met()
    {
        var goal = Goal();
        Indicators(goal, 100m);

        Explain(goal).ShouldBe("1 av 1 indikator är uppfylld" + Shared(100, "Uppfyllt"));
    }

    [Fact]
    public void One_of_several_indicators_is_met()
    {
        var goal = Goal();
        Indicators(goal, 100m, 0m);

        Explain(goal).ShouldBe("1 av 2 indikatorer är uppfyllda, 1 är inte uppfylld" + Shared(50, "Delvis uppfyllt"));
    }

    [Fact]
    public void Several_of_several_indicators_are_met_and_several_partly()
    {
        var goal = Goal();
        Indicators(goal, 100m, 100m, 85m, 85m);

        Explain(goal).ShouldBe("2 av 4 indikatorer är uppfyllda, 2 är delvis uppfyllda" + Shared(75, "Uppfyllt"));
    }

    [Fact]
    public void One_indicator_without_outcome_is_counted_as_not_met()
    {
        var goal = Goal();
        Indicators(goal, 100m, 100m, null);

        Explain(goal).ShouldBe("2 av 3 indikatorer är uppfyllda, 1 är inte bedömd (räknas som inte uppfylld)" + Shared(67, "Delvis uppfyllt"));
    }

    [Fact]
    public void Several_indicators_without_outcome_are_counted_as_not_met()
    {
        var goal = Goal();
        Indicators(goal, 100m, null, null);

        Explain(goal).ShouldBe("1 av 3 indikatorer är uppfyllda, 2 är inte bedömda (räknas som inte uppfyllda)" + Shared(33, "Ej uppfyllt"));
    }

    [Fact]
    public void An_indicator_without_outcome_is_left_out_when_the_level_says_so()
    {
        rule = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.Exclude };
        var goal = Goal();
        Indicators(goal, 100m, null);

        Explain(goal).ShouldBe("1 av 2 indikatorer är uppfyllda, 1 är inte bedömd (räknas inte)" + Shared(100, "Uppfyllt"));
    }

    [Fact]
    public void None_of_one_contributing_goal_is_met()
    {
        var goal = Goal();
        Children(goal, 0m);

        Explain(goal).ShouldBe("Inget av 1 bidragande mål är uppfyllt, 1 är inte uppfyllt" + Shared(0, "Ej uppfyllt"));
    }

    [Fact]
    public void One_of_one_contributing_goal_is_met()
    {
        var goal = Goal();
        Children(goal, 100m);

        Explain(goal).ShouldBe("1 av 1 bidragande mål är uppfyllt" + Shared(100, "Uppfyllt"));
    }

    [Fact]
    public void Several_contributing_goals_are_met_one_partly_and_one_not_assessed()
    {
        var goal = Goal();
        Children(goal, 100m, 100m, 85m, null);

        Explain(goal).ShouldBe("2 av 4 bidragande mål är uppfyllda, 1 är delvis uppfyllt, 1 är inte bedömt (räknas som inte uppfyllt)" + Shared(63, "Delvis uppfyllt"));
    }

    [Fact]
    public void Indicators_and_goals_together_are_underlag()
    {
        var goal = Goal();
        Indicators(goal, 100m);
        Children(goal, 0m, 0m);

        Explain(goal).ShouldBe("1 av 3 underlag är uppfyllda, 2 är inte uppfyllda" + Shared(33, "Ej uppfyllt"));
    }

    [Fact]
    public void The_all_met_rule_says_what_it_requires()
    {
        rule = new RollupRule { Kind = RollupKind.AllMet };
        var goal = Goal();
        Indicators(goal, 100m, 85m);

        Explain(goal).ShouldBe("1 av 2 indikatorer är uppfyllda, 1 är delvis uppfylld. Regel: alla ska vara uppfyllda → Ej uppfyllt.");
    }

    [Fact]
    public void The_worst_of_rule_says_what_decides()
    {
        rule = new RollupRule { Kind = RollupKind.WorstOf };
        var goal = Goal();
        Children(goal, 100m, 85m);

        Explain(goal).ShouldBe("1 av 2 bidragande mål är uppfyllda, 1 är delvis uppfyllt. Regel: sämsta underlaget avgör → Delvis uppfyllt.");
    }

    [Fact]
    public void A_program_indicator_never_counts_toward_a_goal_even_when_it_names_one()
    {
        var goal = Goal();
        Indicators(goal, 100m);
        indicators.Add(new IndicatorFacts(Guid.NewGuid(), "Programmets mått", Direction.HigherIsBetter, PeriodKind.Tertial,
            new Dictionary<string, decimal?> { ["2025-T2"] = 0m }, new Dictionary<string, TargetFacts> { ["2025"] = new(100m) },
            GoalId: goal, ProgramId: Guid.NewGuid()));

        var result = GoalEngine.Compute(
            new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard, [new LevelFacts(Level, "Nämndmål", rule)], goals, links, indicators),
            T2.Start, T2.End);

        result.Goals[goal].Status.ShouldBe(StandardScale.Met);
        result.Goals[goal].Trace.Count.ShouldBe(1);
        result.Indicators[indicators[^1].Id].StatusKey.ShouldBe(StandardScale.NotMet);
    }

    [Fact]
    public void In_English_counts_agree_with_their_verbs_and_the_standard_scale_has_English_names()
    {
        var goal = Goal();
        Indicators(goal, 100m, 0m);
        ExplainInEnglish(goal).ShouldBe("1 of 2 indicators is met, 1 is not met. Share 50\u00a0% (Met from 75\u00a0%, Partly met from 40\u00a0%) → Partly met.");

        var several = Goal();
        Indicators(several, 100m, 100m, 85m, null);
        ExplainInEnglish(several).ShouldBe("2 of 4 indicators are met, 1 is partly met, 1 is not assessed (counted as not met). Share 63\u00a0% (Met from 75\u00a0%, Partly met from 40\u00a0%) → Partly met.");

        var none = Goal();
        Indicators(none, [null]);
        ExplainInEnglish(none).ShouldBe("None of 1 indicator has an outcome.");
    }

    [Fact]
    public void In_English_goals_below_and_rules_are_named_in_English_while_the_Swedish_stays_as_it_was()
    {
        rule = new RollupRule { Kind = RollupKind.WorstOf };
        var goal = Goal();
        Children(goal, 100m, 85m);
        ExplainInEnglish(goal).ShouldBe("1 of 2 contributing goals is met, 1 is partly met. Rule: the weakest input decides → Partly met.");
        Explain(goal).ShouldBe("1 av 2 bidragande mål är uppfyllda, 1 är delvis uppfyllt. Regel: sämsta underlaget avgör → Delvis uppfyllt.");

        var result = GoalEngine.Compute(
            new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard, [new LevelFacts(Level, "Nämndmål", rule)], goals, links, indicators), T2.Start, T2.End);
        var below = result.Goals[goal].Trace.First(t => t.StatusKey == StandardScale.PartlyMet).Text;
        below.In(English).ShouldStartWith("Suggested Partly met: None of 1 indicator is met, 1 is partly met");
        below.Swedish.ShouldStartWith("Förslag Delvis uppfyllt: Ingen av 1 indikator är uppfylld");
        var indicator = result.Indicators[indicators.First(i => i.Outcomes["2025-T2"] == 85m).Id].Explanation;
        indicator.In(English).ShouldBe("Outcome T2 2025 85 against target 100 (higher is better): 85\u00a0% of the target → Partly met.");
        indicator.Swedish.ShouldBe("Utfall T2 2025 85 mot målvärde 100 (högre är bättre): 85\u00a0% av målet → Delvis uppfyllt.");
    }

    [Fact]
    public void A_tenant_s_own_scale_labels_stay_as_written_in_English()
    {
        var scale = new FulfilmentScale(
        [
            new("gron", "Grönt", 1m, false),
            new("rod", "Rött", 0m, false),
            new("vit", "Vitt", 0m, true),
        ]);
        var goal = Goal();
        Indicators(goal, 100m, 0m);
        var result = GoalEngine.Compute(
            new EngineInput(scale, new ThresholdRule([new("gron", 1m)], "rod"), [new LevelFacts(Level, "Nämndmål", new RollupRule { Kind = RollupKind.AllMet })], goals, links, indicators),
            T2.Start, T2.End);
        result.Goals[goal].Explanation.In(English).ShouldBe("1 of 2 indicators is Grönt, 1 is Rött. Rule: all must be Grönt → Rött.");
    }

    [Theory]
    [InlineData("2025-T2", "T2 2025", "T2 2025")]
    [InlineData("2025", "Helår 2025", "Full year 2025")]
    [InlineData("2025-D", "Delår 2025", "Interim 2025")]
    [InlineData("2025-03", "mars 2025", "March 2025")]
    [InlineData("2025-Q3", "Kvartal 3 2025", "Quarter 3 2025")]
    [InlineData("2025-H1", "Halvår 1 2025", "Half-year 1 2025")]
    public void Periods_are_named_in_both_languages(string key, string swedish, string english)
    {
        var period = PeriodRef.Parse(key);
        period.LabelIn(System.Globalization.CultureInfo.GetCultureInfo("sv-SE")).ShouldBe(swedish);
        period.LabelIn(English).ShouldBe(english);
    }

    [Fact]
    public void The_seventeen_global_goals_have_their_UN_names_in_English()
    {
        var sv = System.Globalization.CultureInfo.GetCultureInfo("sv-SE");
        var english = Enumerable.Range(1, 17).Select(n => Domain.Goals.Agenda2030.Title(n, English)).ToList();
        english.Distinct().Count().ShouldBe(17);
        english[0].ShouldBe("No poverty");
        english[16].ShouldBe("Partnerships for the goals");
        Enumerable.Range(1, 17).Select(n => Domain.Goals.Agenda2030.Title(n, sv)).ShouldBe(Domain.Goals.Agenda2030.Goals.Select(g => g.Title));
        english.Intersect(Domain.Goals.Agenda2030.Goals.Select(g => g.Title)).ShouldBeEmpty();
    }

    [Fact]
    public void An_explanation_is_written_to_JSON_as_its_Swedish_sentence_and_read_back_as_said()
    {
        Explanation explanation = new GoalNotValid(2027);
        var json = System.Text.Json.JsonSerializer.Serialize(explanation);
        json.ShouldBe(System.Text.Json.JsonSerializer.Serialize("Målet gäller inte 2027."));
        var back = System.Text.Json.JsonSerializer.Deserialize<Explanation>(json)!;
        back.ShouldBeOfType<Said>().Text.ShouldBe("Målet gäller inte 2027.");
        explanation.In(English).ShouldBe("The goal does not apply in 2027.");
    }
}
