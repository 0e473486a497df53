namespace Kedja.Domain.FollowUp;

/// <summary>Reach <see cref="MinimumAchievement"/> (1.0 = the target itself) to get <see cref="Status"/>.</summary>
public sealed record ThresholdStep(string Status, decimal MinimumAchievement);

/// <summary>
/// Turns an indicator's achievement of its target into a status on the scale. Steps are tried from the highest
/// minimum down; below every step the indicator gets <see cref="Otherwise"/>. Example: met at target, partly met
/// from 80 % of target, otherwise not met.
/// </summary>
public sealed record ThresholdRule(IReadOnlyList<ThresholdStep> Steps, string Otherwise)
{
    public static ThresholdRule Standard { get; } = new(
        [new(StandardScale.Met, 1.0m), new(StandardScale.PartlyMet, 0.8m)],
        StandardScale.NotMet);
}

public enum RollupKind
{
    /// <summary>No suggestion: the goal is assessed by hand only.</summary>
    ManualOnly,

    /// <summary>Met when every input is met, otherwise the lowest status.</summary>
    AllMet,

    /// <summary>The share of inputs that are met (partly met counts by its score) decides, by thresholds.</summary>
    ShareMet,

    /// <summary>The worst input decides.</summary>
    WorstOf,

    /// <summary>Like ShareMet, with each input weighted (indicator weight, goal link weight).</summary>
    Weighted,
}

/// <summary>What an input without a status (no outcome, no target, not assessed) does to a goal's suggestion.</summary>
public enum MissingInputPolicy
{
    /// <summary>Counts as the lowest status. The conservative default: missing data never makes a goal green.</summary>
    CountAsNotMet,

    /// <summary>Left out, as long as at least one input has a status; the explanation names what was left out.</summary>
    Exclude,

    /// <summary>Any missing input makes the whole goal "ej bedömt".</summary>
    MakeNotAssessed,
}

/// <summary>How a goal level turns the statuses of its indicators and contributing goals into a suggested status.</summary>
public sealed record RollupRule
{
    public RollupKind Kind { get; init; } = RollupKind.ShareMet;

    /// <summary>For ShareMet and Weighted: minimum share (0..1) for each status, tried from the highest.</summary>
    public IReadOnlyList<ThresholdStep> Steps { get; init; } = [];

    public MissingInputPolicy MissingInputs { get; init; } = MissingInputPolicy.CountAsNotMet;

    public bool IncludeIndicators { get; init; } = true;

    public bool IncludeContributingGoals { get; init; } = true;

    public static RollupRule StandardShare { get; } = new()
    {
        Kind = RollupKind.ShareMet,
        Steps = [new(StandardScale.Met, 0.75m), new(StandardScale.PartlyMet, 0.4m)],
    };

    public static RollupRule Manual { get; } = new() { Kind = RollupKind.ManualOnly };
}

/// <summary>Keys of the scale the templates use. A model may define its own scale with other keys.</summary>
public static class StandardScale
{
    public const string Met = "uppfyllt";
    public const string PartlyMet = "delvis-uppfyllt";
    public const string NotMet = "ej-uppfyllt";
    public const string NotAssessed = "ej-bedomt";
}
