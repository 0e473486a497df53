namespace Kedja.Domain.FollowUp;

/// <param name="NotDueReason">Set when the goal is not followed up in this period (outside its validity, a company reporting yearly ...).</param>
/// <param name="ManualStatus">The status of a saved assessment, which overrides the suggestion for the goal and for everything above it.</param>
public sealed record GoalFacts(Guid Id, string Title, Guid LevelId, Explanation? NotDueReason = null, string? ManualStatus = null);

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
public sealed record TraceLine(InputKind Kind, Guid Id, string Name, string StatusKey, bool Counted, Explanation Text);

/// <param name="SuggestedStatus">What the level's rule gives.</param>
/// <param name="Status">The status in effect: the manual assessment when there is one, else the suggestion.</param>
public sealed record GoalResult(
    Guid GoalId,
    string SuggestedStatus,
    string Status,
    bool IsManual,
    Explanation Explanation,
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
                return new GoalResult(goalId, scale.NotAssessed.Key, scale.NotAssessed.Key, false, new CircularChain(), []);
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
                    Explanation text = childResult.IsManual
                        ? new AssessedBelow(scale.Step(childResult.Status))
                        : new SuggestedBelow(scale.Step(childResult.Status), childResult.Explanation);
                    inputs.Add(new(new TraceLine(InputKind.Goal, child.Id, child.Title, childResult.Status, counted, counted ? text : child.NotDueReason!), link.Weight, false));
                }
            }

            if (rule.Kind == RollupKind.ManualOnly)
            {
                return Finish(goal, scale.NotAssessed.Key, new ManualLevel(), inputs.Select(i => i.Line).ToList());
            }

            var (status, explanation) = Apply(rule, inputs);
            return Finish(goal, status, explanation, inputs.Select(i => i.Line).ToList());
        }

        private (string Status, Explanation Explanation) Apply(RollupRule rule, List<Input> allInputs)
        {
            var counted = allInputs.Where(i => i.Line.Counted).ToList();
            if (counted.Count == 0)
            {
                return (scale.NotAssessed.Key, new NothingToAssess());
            }

            var missing = counted.Where(i => !scale.IsAssessed(i.Line.StatusKey)).ToList();
            var kinds = counted.Select(i => i.Line.Kind).Distinct().ToList();
            InputKind? kind = kinds.Count == 1 ? kinds[0] : null;
            if (missing.Count == counted.Count || (missing.Count > 0 && rule.MissingInputs == MissingInputPolicy.MakeNotAssessed))
            {
                return (scale.NotAssessed.Key, new InputsMissing(kind, missing.Count, counted.Count, missing.All(i => i.NoOutcome)));
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

            var met = counted.Count(i => i.Line.StatusKey == scale.Top.Key);
            var others = scale.Assessed.Skip(1).Select(step => (step, counted.Count(i => i.Line.StatusKey == step.Key))).Where(x => x.Item2 > 0).ToList();
            string status;
            decimal? share = null;
            switch (rule.Kind)
            {
                case RollupKind.AllMet:
                    status = considered.All(c => c.Step.Key == scale.Top.Key) ? scale.Top.Key : scale.Bottom.Key;
                    break;
                case RollupKind.WorstOf:
                    status = considered.MinBy(c => c.Step.Score).Step.Key;
                    break;
                default:
                {
                    var weighted = rule.Kind == RollupKind.Weighted;
                    var totalWeight = considered.Sum(c => weighted ? c.Weight : 1m);
                    share = totalWeight == 0m ? 0m : considered.Sum(c => c.Step.Score * (weighted ? c.Weight : 1m)) / totalWeight;
                    status = IndicatorEvaluator.Apply(new ThresholdRule(rule.Steps, scale.Bottom.Key), share.Value);
                    break;
                }
            }

            var thresholds = share is null ? [] : rule.Steps.OrderByDescending(s => s.MinimumAchievement).Select(s => (scale.Step(s.Status), s.MinimumAchievement)).ToList();
            return (status, new RolledUp(kind, counted.Count, scale.Top, met, others, scale.NotAssessed, missing.Count,
                rule.MissingInputs == MissingInputPolicy.CountAsNotMet ? scale.Bottom : null, rule.Kind, share, thresholds, scale.Step(status)));
        }

        private GoalResult Finish(GoalFacts goal, string suggested, Explanation explanation, IReadOnlyList<TraceLine> trace)
        {
            var manual = goal.ManualStatus is not null && scale.Contains(goal.ManualStatus);
            var result = new GoalResult(goal.Id, suggested, manual ? goal.ManualStatus! : suggested, manual, explanation, trace);
            results[goal.Id] = result;
            return result;
        }
    }

    /// <param name="NoOutcome">An indicator without an outcome for the period, so that the explanation can say which data is missing.</param>
    private sealed record Input(TraceLine Line, decimal Weight, bool NoOutcome);
}
