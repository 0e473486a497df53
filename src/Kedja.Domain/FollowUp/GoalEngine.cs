using System.Globalization;
using System.Text;

namespace Kedja.Domain.FollowUp;

/// <param name="NotDueReason">Set when the goal is not followed up in this period (outside its validity, a company reporting yearly ...).</param>
/// <param name="ManualStatus">The status of a saved assessment, which overrides the suggestion for the goal and for everything above it.</param>
public sealed record GoalFacts(Guid Id, string Title, Guid LevelId, string? NotDueReason = null, string? ManualStatus = null);

public sealed record GoalLinkFacts(Guid ParentId, Guid ChildId, decimal Weight = 1m);

public sealed record LevelFacts(Guid Id, string Name, RollupRule Rule);

public sealed record EngineInput(
    FulfilmentScale Scale,
    ThresholdRule DefaultThresholds,
    IReadOnlyList<LevelFacts> Levels,
    IReadOnlyList<GoalFacts> Goals,
    IReadOnlyList<GoalLinkFacts> Links,
    IReadOnlyList<IndicatorFacts> Indicators,
    IReadOnlyDictionary<Guid, GoalResult>? Known = null);

public enum InputKind
{
    Indicator,
    Goal,
}

/// <summary>One input to a goal's suggestion and what it contributed.</summary>
public sealed record TraceLine(InputKind Kind, Guid Id, string Name, string StatusKey, bool Counted, string Text);

/// <param name="SuggestedStatus">What the level's rule gives.</param>
/// <param name="Status">The status in effect: the manual assessment when there is one, else the suggestion.</param>
public sealed record GoalResult(
    Guid GoalId,
    string SuggestedStatus,
    string Status,
    bool IsManual,
    string Explanation,
    IReadOnlyList<TraceLine> Trace);

public sealed record EngineResult(
    IReadOnlyDictionary<Guid, GoalResult> Goals,
    IReadOnlyDictionary<Guid, IndicatorResult> Indicators);

/// <summary>
/// Computes a suggested status for every goal in a follow-up period from its indicators and contributing goals,
/// bottom-up along the whole chain. Every result carries an explanation; missing data gives "ej bedömt", never green.
/// </summary>
public static class GoalEngine
{
    public static EngineResult Compute(EngineInput input, DateOnly windowStart, DateOnly windowEnd)
    {
        var indicatorResults = new Dictionary<Guid, IndicatorResult>(input.Indicators.Count);
        var indicatorsByGoal = new Dictionary<Guid, List<(IndicatorFacts Facts, IndicatorResult Result)>>();
        foreach (var indicator in input.Indicators)
        {
            var result = IndicatorEvaluator.Evaluate(indicator, windowStart, windowEnd, input.Scale, input.DefaultThresholds);
            indicatorResults[indicator.Id] = result;

            // Programs give direction but never count toward goal fulfilment, even when an indicator also names a goal.
            if (indicator.GoalId is { } goalId && indicator.ProgramId is null)
            {
                if (!indicatorsByGoal.TryGetValue(goalId, out var list))
                {
                    indicatorsByGoal[goalId] = list = [];
                }

                list.Add((indicator, result));
            }
        }

        var goals = input.Goals.ToDictionary(g => g.Id);
        var levels = input.Levels.ToDictionary(l => l.Id);
        var children = new Dictionary<Guid, List<GoalLinkFacts>>();
        foreach (var link in input.Links)
        {
            if (!goals.ContainsKey(link.ChildId))
            {
                continue;
            }

            if (!children.TryGetValue(link.ParentId, out var list))
            {
                children[link.ParentId] = list = [];
            }

            list.Add(link);
        }

        // Goals whose results are known already (an earlier computation of goals below what changed) are not recomputed.
        var results = new Dictionary<Guid, GoalResult>(goals.Count);
        foreach (var (id, known) in input.Known ?? new Dictionary<Guid, GoalResult>())
        {
            if (goals.ContainsKey(id))
            {
                results[id] = known;
            }
        }

        var visiting = new HashSet<Guid>();
        var calculator = new Calculator(input.Scale, levels, goals, children, indicatorsByGoal, results, visiting);
        foreach (var goal in input.Goals)
        {
            calculator.Resolve(goal.Id);
        }

        return new EngineResult(results, indicatorResults);
    }

    private sealed class Calculator(
        FulfilmentScale scale,
        Dictionary<Guid, LevelFacts> levels,
        Dictionary<Guid, GoalFacts> goals,
        Dictionary<Guid, List<GoalLinkFacts>> children,
        Dictionary<Guid, List<(IndicatorFacts Facts, IndicatorResult Result)>> indicatorsByGoal,
        Dictionary<Guid, GoalResult> results,
        HashSet<Guid> visiting)
    {
        public GoalResult Resolve(Guid goalId)
        {
            if (results.TryGetValue(goalId, out var done))
            {
                return done;
            }

            var goal = goals[goalId];
            if (!visiting.Add(goalId))
            {
                // A cycle in the goal links. Links are validated on save; this keeps bad data from looping forever.
                // The result is not stored: the goal's own calculation, further up the stack, stores the real one.
                return new GoalResult(goalId, scale.NotAssessed.Key, scale.NotAssessed.Key, false, "Målkedjan har en cirkelreferens; målet kan inte beräknas.", []);
            }

            try
            {
                return Calculate(goal);
            }
            finally
            {
                visiting.Remove(goalId);
            }
        }

        private GoalResult Calculate(GoalFacts goal)
        {
            if (goal.NotDueReason is not null)
            {
                return Finish(goal, scale.NotAssessed.Key, goal.NotDueReason, []);
            }

            var rule = levels.TryGetValue(goal.LevelId, out var level) ? level.Rule : RollupRule.StandardShare;
            var inputs = new List<Input>();
            if (rule.IncludeIndicators && indicatorsByGoal.TryGetValue(goal.Id, out var indicators))
            {
                foreach (var (facts, result) in indicators)
                {
                    inputs.Add(new(new TraceLine(InputKind.Indicator, facts.Id, facts.Name, result.StatusKey, result.Counts, result.Explanation), facts.Weight, result.Outcome is null));
                }
            }

            if (rule.IncludeContributingGoals && children.TryGetValue(goal.Id, out var links))
            {
                foreach (var link in links)
                {
                    var child = goals[link.ChildId];
                    var childResult = Resolve(link.ChildId);
                    var counted = child.NotDueReason is null;
                    var text = childResult.IsManual
                        ? $"Bedömt {scale.Label(childResult.Status)}."
                        : $"Förslag {scale.Label(childResult.Status)}: {childResult.Explanation}";
                    inputs.Add(new(new TraceLine(InputKind.Goal, child.Id, child.Title, childResult.Status, counted, counted ? text : child.NotDueReason!), link.Weight, false));
                }
            }

            if (rule.Kind == RollupKind.ManualOnly)
            {
                return Finish(goal, scale.NotAssessed.Key, "Målnivån bedöms manuellt; inget förslag beräknas.", inputs.Select(i => i.Line).ToList());
            }

            var (status, explanation) = Apply(rule, inputs);
            return Finish(goal, status, explanation, inputs.Select(i => i.Line).ToList());
        }

        private (string Status, string Explanation) Apply(RollupRule rule, List<Input> allInputs)
        {
            var counted = allInputs.Where(i => i.Line.Counted).ToList();
            if (counted.Count == 0)
            {
                return (scale.NotAssessed.Key, "Inga indikatorer eller bidragande mål att bedöma i perioden.");
            }

            var missing = counted.Where(i => !scale.IsAssessed(i.Line.StatusKey)).ToList();
            var noun = Noun.Of(counted);
            if (missing.Count == counted.Count)
            {
                return (scale.NotAssessed.Key, $"{noun.None} av {noun.Count(counted.Count)} {noun.Has(missing)}.");
            }

            if (missing.Count > 0 && rule.MissingInputs == MissingInputPolicy.MakeNotAssessed)
            {
                return (scale.NotAssessed.Key, $"{missing.Count} av {noun.Count(counted.Count)} {noun.Lacks(missing)}.");
            }

            var considered = new List<(ScaleStep Step, decimal Weight)>();
            foreach (var input in counted)
            {
                if (scale.IsAssessed(input.Line.StatusKey))
                {
                    considered.Add((scale[input.Line.StatusKey], input.Weight));
                }
                else if (rule.MissingInputs == MissingInputPolicy.CountAsNotMet)
                {
                    considered.Add((scale.Bottom, input.Weight));
                }
            }

            // "1 av 2 indikatorer är uppfyllda, 1 är inte uppfylld": after "N av M" the predicate agrees with the M things,
            // after "ingen av M" and after a lone count with the one thing.
            var summary = new StringBuilder();
            var met = counted.Count(i => i.Line.StatusKey == scale.Top.Key);
            summary.Append(met == 0
                ? $"{noun.None} av {noun.Count(counted.Count)} är {scale.Top.Predicate(1, noun.Gender)}"
                : $"{met} av {noun.Count(counted.Count)} är {scale.Top.Predicate(counted.Count, noun.Gender)}");
            foreach (var step in scale.Assessed.Skip(1))
            {
                var n = counted.Count(i => i.Line.StatusKey == step.Key);
                if (n > 0)
                {
                    summary.Append(CultureInfo.InvariantCulture, $", {n} är {step.Predicate(n, noun.Gender)}");
                }
            }

            if (missing.Count > 0)
            {
                summary.Append(CultureInfo.InvariantCulture, $", {missing.Count} är {scale.NotAssessed.Predicate(missing.Count, noun.Gender)}");
                summary.Append(rule.MissingInputs == MissingInputPolicy.CountAsNotMet
                    ? $" (räknas som {scale.Bottom.Predicate(missing.Count, noun.Gender)})"
                    : " (räknas inte)");
            }

            string status;
            switch (rule.Kind)
            {
                case RollupKind.AllMet:
                    status = considered.All(c => c.Step.Key == scale.Top.Key) ? scale.Top.Key : scale.Bottom.Key;
                    summary.Append(CultureInfo.InvariantCulture, $". Regel: alla ska vara {scale.Top.Predicate(counted.Count, noun.Gender)}");
                    break;
                case RollupKind.WorstOf:
                    status = considered.MinBy(c => c.Step.Score).Step.Key;
                    summary.Append(". Regel: sämsta underlaget avgör");
                    break;
                default:
                {
                    var weighted = rule.Kind == RollupKind.Weighted;
                    var totalWeight = considered.Sum(c => weighted ? c.Weight : 1m);
                    var share = totalWeight == 0m ? 0m : considered.Sum(c => c.Step.Score * (weighted ? c.Weight : 1m)) / totalWeight;
                    status = IndicatorEvaluator.Apply(new ThresholdRule(rule.Steps, scale.Bottom.Key), share);
                    summary.Append(CultureInfo.InvariantCulture, $". {(weighted ? "Viktad andel" : "Andel")} {SwedishFormat.Percent(share)}");
                    var thresholds = string.Join(", ", rule.Steps.OrderByDescending(s => s.MinimumAchievement)
                        .Select(s => $"{scale.Label(s.Status)} från {SwedishFormat.Percent(s.MinimumAchievement)}"));
                    if (thresholds.Length > 0)
                    {
                        summary.Append(CultureInfo.InvariantCulture, $" ({thresholds})");
                    }

                    break;
                }
            }

            summary.Append(CultureInfo.InvariantCulture, $" → {scale.Label(status)}.");
            return (status, summary.ToString());
        }

        private GoalResult Finish(GoalFacts goal, string suggested, string explanation, IReadOnlyList<TraceLine> trace)
        {
            var manual = goal.ManualStatus is not null && scale.Contains(goal.ManualStatus);
            var result = new GoalResult(goal.Id, suggested, manual ? goal.ManualStatus! : suggested, manual, explanation, trace);
            results[goal.Id] = result;
            return result;
        }
    }

    /// <param name="NoOutcome">An indicator without an outcome for the period, so that the explanation can say which data is missing.</param>
    private sealed record Input(TraceLine Line, decimal Weight, bool NoOutcome);

    /// <summary>
    /// What a goal's inputs are called in its explanation, in number and gender: "indikator" is an en-word, "mål" and
    /// "underlag" (indicators and goals together) are ett-words.
    /// </summary>
    private sealed record Noun(string Singular, string Plural, NounGender Gender, InputKind? Kind)
    {
        private static readonly Noun Indicators = new("indikator", "indikatorer", NounGender.Common, InputKind.Indicator);
        private static readonly Noun Goals = new("bidragande mål", "bidragande mål", NounGender.Neuter, InputKind.Goal);
        private static readonly Noun Mixed = new("underlag", "underlag", NounGender.Neuter, null);

        public static Noun Of(IReadOnlyCollection<Input> inputs)
        {
            var indicators = inputs.Count(i => i.Line.Kind == InputKind.Indicator);
            return indicators == inputs.Count ? Indicators : indicators == 0 ? Goals : Mixed;
        }

        /// <summary>"Ingen" for en-words, "Inget" for ett-words.</summary>
        public string None => Gender == NounGender.Common ? "Ingen" : "Inget";

        /// <summary>"1 indikator", "2 indikatorer".</summary>
        public string Count(int count) => $"{count} {(count == 1 ? Singular : Plural)}";

        /// <summary>What none of the inputs has: "har utfall" when every indicator lacks its outcome.</summary>
        public string Has(IReadOnlyCollection<Input> missing) => Kind switch
        {
            InputKind.Indicator => missing.All(i => i.NoOutcome) ? "har utfall" : "har både utfall och målvärde",
            InputKind.Goal => "har förslag eller bedömning",
            _ => "har utfall eller bedömning",
        };

        /// <summary>What the missing inputs lack: "saknar utfall".</summary>
        public string Lacks(IReadOnlyCollection<Input> missing) => Kind switch
        {
            InputKind.Indicator => missing.All(i => i.NoOutcome) ? "saknar utfall" : "saknar utfall eller målvärde",
            InputKind.Goal => "saknar förslag eller bedömning",
            _ => "saknar utfall eller bedömning",
        };
    }
}
