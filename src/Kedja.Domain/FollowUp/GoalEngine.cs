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
    IReadOnlyList<IndicatorFacts> Indicators);

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
            if (indicator.GoalId is { } goalId)
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

        var results = new Dictionary<Guid, GoalResult>(goals.Count);
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
            var inputs = new List<(TraceLine Line, decimal Weight)>();
            if (rule.IncludeIndicators && indicatorsByGoal.TryGetValue(goal.Id, out var indicators))
            {
                foreach (var (facts, result) in indicators)
                {
                    inputs.Add((new TraceLine(InputKind.Indicator, facts.Id, facts.Name, result.StatusKey, result.Counts, result.Explanation), facts.Weight));
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
                    inputs.Add((new TraceLine(InputKind.Goal, child.Id, child.Title, childResult.Status, counted, counted ? text : child.NotDueReason!), link.Weight));
                }
            }

            if (rule.Kind == RollupKind.ManualOnly)
            {
                return Finish(goal, scale.NotAssessed.Key, "Målnivån bedöms manuellt; inget förslag beräknas.", inputs.Select(i => i.Line).ToList());
            }

            var (status, explanation) = Apply(rule, inputs);
            return Finish(goal, status, explanation, inputs.Select(i => i.Line).ToList());
        }

        private (string Status, string Explanation) Apply(RollupRule rule, List<(TraceLine Line, decimal Weight)> allInputs)
        {
            var counted = allInputs.Where(i => i.Line.Counted).ToList();
            if (counted.Count == 0)
            {
                return (scale.NotAssessed.Key, "Inga indikatorer eller bidragande mål att bedöma i perioden.");
            }

            var missing = counted.Count(i => !scale.IsAssessed(i.Line.StatusKey));
            var noun = Noun(counted);
            if (missing == counted.Count)
            {
                return (scale.NotAssessed.Key, $"Inget av {counted.Count} {noun} har utfall eller bedömning.");
            }

            if (missing > 0 && rule.MissingInputs == MissingInputPolicy.MakeNotAssessed)
            {
                return (scale.NotAssessed.Key, $"{missing} av {counted.Count} {noun} saknar utfall eller bedömning.");
            }

            var considered = new List<(ScaleStep Step, decimal Weight)>();
            foreach (var (line, weight) in counted)
            {
                if (scale.IsAssessed(line.StatusKey))
                {
                    considered.Add((scale[line.StatusKey], weight));
                }
                else if (rule.MissingInputs == MissingInputPolicy.CountAsNotMet)
                {
                    considered.Add((scale.Bottom, weight));
                }
            }

            var summary = new StringBuilder();
            var met = counted.Count(i => i.Line.StatusKey == scale.Top.Key);
            summary.Append(CultureInfo.InvariantCulture, $"{met} av {counted.Count} {noun} {scale.Top.CountedLabel}");
            foreach (var step in scale.Assessed.Skip(1))
            {
                var n = counted.Count(i => i.Line.StatusKey == step.Key);
                if (n > 0)
                {
                    summary.Append(CultureInfo.InvariantCulture, $", {n} {step.CountedLabel}");
                }
            }

            if (missing > 0)
            {
                summary.Append(CultureInfo.InvariantCulture, $", {missing} {scale.NotAssessed.CountedLabel}");
                summary.Append(rule.MissingInputs == MissingInputPolicy.CountAsNotMet
                    ? $" (räknas som {scale.Bottom.Label.ToLowerInvariant()})"
                    : " (räknas inte)");
            }

            string status;
            switch (rule.Kind)
            {
                case RollupKind.AllMet:
                    status = considered.All(c => c.Step.Key == scale.Top.Key) ? scale.Top.Key : scale.Bottom.Key;
                    summary.Append(CultureInfo.InvariantCulture, $". Regel: alla ska vara {scale.Top.CountedLabel}");
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

        private static string Noun(List<(TraceLine Line, decimal Weight)> inputs)
        {
            var indicators = inputs.Count(i => i.Line.Kind == InputKind.Indicator);
            if (indicators == inputs.Count)
            {
                return inputs.Count == 1 ? "indikator" : "indikatorer";
            }

            return indicators == 0 ? "bidragande mål" : "underlag";
        }

        private GoalResult Finish(GoalFacts goal, string suggested, string explanation, IReadOnlyList<TraceLine> trace)
        {
            var manual = goal.ManualStatus is not null && scale.Contains(goal.ManualStatus);
            var result = new GoalResult(goal.Id, suggested, manual ? goal.ManualStatus! : suggested, manual, explanation, trace);
            results[goal.Id] = result;
            return result;
        }
    }
}
