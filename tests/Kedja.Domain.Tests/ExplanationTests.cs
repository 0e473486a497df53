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
        T2.Start, T2.End).Goals[goal].Explanation;

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
}
