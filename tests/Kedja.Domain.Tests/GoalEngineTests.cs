using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

public class GoalEngineTests
{
    private static readonly PeriodRef T2 = PeriodRef.Parse("2025-T2");
    private static readonly Guid KfLevel = Guid.NewGuid();
    private static readonly Guid NamndLevel = Guid.NewGuid();

    private readonly List<GoalFacts> goals = [];
    private readonly List<GoalLinkFacts> links = [];
    private readonly List<IndicatorFacts> indicators = [];
    private readonly Dictionary<Guid, RollupRule> rules = new()
    {
        [KfLevel] = RollupRule.StandardShare,
        [NamndLevel] = RollupRule.StandardShare,
    };

    private Guid Goal(string title, Guid? level = null, string? manual = null, Explanation? notDue = null)
    {
        var goal = new GoalFacts(Guid.NewGuid(), title, level ?? NamndLevel, notDue, manual);
        goals.Add(goal);
        return goal.Id;
    }

    /// <summary>An indicator on the goal whose T2 outcome reaches the given share of a target of 100.</summary>
    private Guid Indicator(Guid goal, decimal? outcome, decimal weight = 1m, Direction direction = Direction.HigherIsBetter)
    {
        var id = Guid.NewGuid();
        indicators.Add(new IndicatorFacts(id, $"Indikator {indicators.Count + 1}", direction, PeriodKind.Tertial,
            new Dictionary<string, decimal?> { ["2025-T2"] = outcome },
            new Dictionary<string, TargetFacts> { ["2025"] = new(100m) },
            Weight: weight, GoalId: goal));
        return id;
    }

    private void Link(Guid parent, Guid child, decimal weight = 1m) => links.Add(new GoalLinkFacts(parent, child, weight));

    private EngineResult Run() => GoalEngine.Compute(
        new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard,
            [.. rules.Select(r => new LevelFacts(r.Key, r.Key == KfLevel ? "KF-mål" : "Nämndmål", r.Value))],
            goals, links, indicators),
        T2.Start, T2.End);

    [Fact]
    public void Share_met_counts_indicators_and_explains()
    {
        var goal = Goal("Fler elever klarar skolan");
        Indicator(goal, 100m);
        Indicator(goal, 110m);
        Indicator(goal, 50m);

        var result = Run().Goals[goal];

        result.SuggestedStatus.ShouldBe(StandardScale.PartlyMet);
        result.Explanation.Swedish.ShouldStartWith("2 av 3 indikatorer är uppfyllda, 1 är inte uppfylld");
        result.Trace.Count.ShouldBe(3);
        result.IsManual.ShouldBeFalse();
    }

    [Fact]
    public void All_inputs_met_gives_met()
    {
        var goal = Goal("Nöjda brukare");
        Indicator(goal, 100m);
        Indicator(goal, 100m);

        Run().Goals[goal].Status.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void No_outcomes_at_all_is_not_assessed()
    {
        var goal = Goal("Trygg kommun");
        Indicator(goal, null);
        Indicator(goal, null);

        var result = Run().Goals[goal];

        result.Status.ShouldBe(StandardScale.NotAssessed);
        result.Explanation.Swedish.ShouldBe("Ingen av 2 indikatorer har utfall.");
    }

    [Fact]
    public void Goal_without_any_input_is_not_assessed()
    {
        var goal = Goal("Mål utan mått");

        Run().Goals[goal].Status.ShouldBe(StandardScale.NotAssessed);
    }

    [Fact]
    public void Missing_outcome_counts_as_not_met_by_default_so_it_is_never_silently_green()
    {
        var goal = Goal("Hög tillgänglighet");
        Indicator(goal, 100m);
        Indicator(goal, null);

        var result = Run().Goals[goal];

        result.Status.ShouldNotBe(StandardScale.Met);
        result.Explanation.Swedish.ShouldContain("1 är inte bedömd (räknas som inte uppfylld)");
    }

    [Fact]
    public void Missing_outcome_policy_exclude_leaves_it_out_and_says_so()
    {
        rules[NamndLevel] = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.Exclude };
        var goal = Goal("Hög tillgänglighet");
        Indicator(goal, 100m);
        Indicator(goal, null);

        var result = Run().Goals[goal];

        result.Status.ShouldBe(StandardScale.Met);
        result.Explanation.Swedish.ShouldContain("(räknas inte)");
    }

    [Fact]
    public void Missing_outcome_policy_make_not_assessed()
    {
        rules[NamndLevel] = RollupRule.StandardShare with { MissingInputs = MissingInputPolicy.MakeNotAssessed };
        var goal = Goal("Hög tillgänglighet");
        Indicator(goal, 100m);
        Indicator(goal, null);

        Run().Goals[goal].Status.ShouldBe(StandardScale.NotAssessed);
    }

    [Fact]
    public void All_met_rule_fails_on_a_single_partly_met()
    {
        rules[NamndLevel] = new RollupRule { Kind = RollupKind.AllMet };
        var goal = Goal("Budget i balans");
        Indicator(goal, 100m);
        Indicator(goal, 90m);

        Run().Goals[goal].Status.ShouldBe(StandardScale.NotMet);
    }

    [Fact]
    public void Worst_of_takes_the_worst_input()
    {
        rules[NamndLevel] = new RollupRule { Kind = RollupKind.WorstOf };
        var goal = Goal("Säker vattenförsörjning");
        Indicator(goal, 100m);
        Indicator(goal, 85m);
        Indicator(goal, 100m);

        Run().Goals[goal].Status.ShouldBe(StandardScale.PartlyMet);
    }

    [Fact]
    public void Weighted_rule_uses_weights()
    {
        rules[NamndLevel] = new RollupRule
        {
            Kind = RollupKind.Weighted,
            Steps = [new(StandardScale.Met, 0.75m), new(StandardScale.PartlyMet, 0.4m)],
        };
        var heavy = Goal("Tungt vägt");
        Indicator(heavy, 100m, weight: 3m);
        Indicator(heavy, 0m, weight: 1m);
        var light = Goal("Lätt vägt");
        Indicator(light, 100m, weight: 1m);
        Indicator(light, 0m, weight: 3m);

        var result = Run();

        result.Goals[heavy].Status.ShouldBe(StandardScale.Met);
        result.Goals[heavy].Explanation.Swedish.ShouldContain("Viktad andel 75\u00a0%");
        result.Goals[light].Status.ShouldBe(StandardScale.NotMet);
    }

    [Fact]
    public void Manual_only_level_gives_no_suggestion_but_keeps_the_manual_status()
    {
        rules[NamndLevel] = RollupRule.Manual;
        var goal = Goal("Bedöms av nämnden", manual: StandardScale.PartlyMet);
        Indicator(goal, 100m);

        var result = Run().Goals[goal];

        result.SuggestedStatus.ShouldBe(StandardScale.NotAssessed);
        result.Status.ShouldBe(StandardScale.PartlyMet);
        result.IsManual.ShouldBeTrue();
    }

    [Fact]
    public void Rolls_up_along_the_chain_and_a_goal_may_contribute_to_two_parents()
    {
        var kf1 = Goal("KF 1", KfLevel);
        var kf2 = Goal("KF 2", KfLevel);
        var shared = Goal("Nämndmål som bidrar till två KF-mål");
        var only1 = Goal("Nämndmål under KF 1");
        Indicator(shared, 100m);
        Indicator(only1, 50m);
        Link(kf1, shared);
        Link(kf2, shared);
        Link(kf1, only1);

        var result = Run();

        result.Goals[kf2].Status.ShouldBe(StandardScale.Met);
        result.Goals[kf2].Explanation.Swedish.ShouldStartWith("1 av 1 bidragande mål är uppfyllt");
        result.Goals[kf1].Status.ShouldBe(StandardScale.PartlyMet);
        result.Goals[kf1].Trace.Select(t => t.Kind).ShouldAllBe(k => k == InputKind.Goal);
    }

    [Fact]
    public void Manual_assessment_below_replaces_the_suggestion_in_the_roll_up()
    {
        var kf = Goal("KF", KfLevel);
        var child = Goal("Nämndmål", manual: StandardScale.NotMet);
        Indicator(child, 100m);
        Link(kf, child);

        var result = Run();

        result.Goals[child].SuggestedStatus.ShouldBe(StandardScale.Met);
        result.Goals[child].Status.ShouldBe(StandardScale.NotMet);
        result.Goals[kf].Status.ShouldBe(StandardScale.NotMet);
    }

    [Fact]
    public void Goals_not_due_are_left_out_of_their_parents()
    {
        var kf = Goal("KF", KfLevel);
        var company = Goal("Bolagets mål", notDue: new UnitNotFollowedUp(Domain.Organisation.UnitKind.Company, PeriodRef.Parse("2025-T2")));
        var committee = Goal("Nämndens mål");
        Indicator(company, 0m);
        Indicator(committee, 100m);
        Link(kf, company);
        Link(kf, committee);

        var result = Run();

        result.Goals[company].Status.ShouldBe(StandardScale.NotAssessed);
        result.Goals[company].Explanation.Swedish.ShouldBe("Bolag följs inte upp i T2 2025.");
        result.Goals[company].Explanation.In(System.Globalization.CultureInfo.GetCultureInfo("en")).ShouldBe("The model does not follow up a company in T2 2025.");
        result.Goals[kf].Status.ShouldBe(StandardScale.Met);
        result.Goals[kf].Trace.Single(t => t.Id == company).Counted.ShouldBeFalse();
    }

    [Fact]
    public void Mixed_indicators_and_goals_are_called_underlag()
    {
        var kf = Goal("KF", KfLevel);
        var child = Goal("Nämndmål");
        Indicator(kf, 100m);
        Indicator(child, 100m);
        Link(kf, child);

        Run().Goals[kf].Explanation.Swedish.ShouldStartWith("2 av 2 underlag är uppfyllda");
    }

    [Fact]
    public void A_cycle_does_not_loop_and_is_reported()
    {
        var a = Goal("A");
        var b = Goal("B");
        Link(a, b);
        Link(b, a);
        Indicator(a, 100m);

        var result = Run();

        result.Goals.Count.ShouldBe(2);
        result.Goals[b].Trace.Single().Text.Swedish.ShouldContain("cirkelreferens");
        result.Goals[b].Status.ShouldBe(StandardScale.NotAssessed);
    }

    [Fact]
    public void Level_may_ignore_indicators_and_only_roll_up_goals()
    {
        rules[KfLevel] = RollupRule.StandardShare with { IncludeIndicators = false };
        var kf = Goal("KF", KfLevel);
        var child = Goal("Nämndmål");
        Indicator(kf, 0m);
        Indicator(child, 100m);
        Link(kf, child);

        Run().Goals[kf].Status.ShouldBe(StandardScale.Met);
    }

    [Fact]
    public void Deep_chain_of_many_goals_is_computed_without_recursion_limits_hurting()
    {
        var previous = Goal("Topp", KfLevel);
        var top = previous;
        for (var i = 0; i < 2000; i++)
        {
            var next = Goal($"Mål {i}");
            Link(previous, next);
            previous = next;
        }

        Indicator(previous, 100m);

        Run().Goals[top].Status.ShouldBe(StandardScale.Met);
    }
}
