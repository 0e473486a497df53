using Kedja.Domain.Indicators;

namespace Kedja.Domain.Planning;

/// <summary>Where a proposed target comes from.</summary>
public enum ProposalKind
{
    /// <summary>The target of the year before (its year target, else the last period's target), as it was.</summary>
    LastTarget,

    /// <summary>A straight line through the yearly outcomes, read off at the planned year.</summary>
    Trend,
}

/// <summary>A target an indicator had: its period key and value or range.</summary>
public sealed record KnownTarget(string PeriodKey, decimal? Value, decimal? Min, decimal? Max);

/// <summary>An indicator's outcome for a whole year.</summary>
public sealed record YearOutcome(int Year, decimal Value);

/// <summary>What a proposal of next year's target is made from: the indicator's direction, decimals and plausible range, its last target and yearly outcomes.</summary>
public sealed record TargetFacts(Direction Direction, int Decimals, decimal? PlausibleMin, decimal? PlausibleMax, KnownTarget? LastTarget, IReadOnlyList<YearOutcome> Outcomes);

/// <summary>A target proposed for the planned year, with the explanation a person reads before accepting it.</summary>
/// <param name="Clamped">The figure was pulled back into the indicator's plausible range.</param>
public sealed record TargetProposal(ProposalKind Kind, decimal? Value, decimal? Min, decimal? Max, string Explanation, bool Clamped);

/// <summary>The proposals for an indicator, best first, and why one that might be expected is missing.</summary>
public sealed record TargetProposalSet(IReadOnlyList<TargetProposal> Proposals, string? Missing)
{
    public TargetProposal? Best => Proposals.Count > 0 ? Proposals[0] : null;
}

/// <summary>
/// Proposals of next year's targets (issue 16, ADR 47 §3): the last target carried over, or a trend from at least
/// <see cref="MinimumTrendPoints"/> yearly outcomes projected by least squares to the planned year, rounded to the
/// indicator's decimals and clamped to its plausible range. Nothing here is stored: a person accepts a proposal or not.
/// The trend is offered first where it exists and points the right way; otherwise the last target is.
/// </summary>
public static class TargetProposals
{
    public const int MinimumTrendPoints = 3;

    public static TargetProposalSet For(TargetFacts facts, int year)
    {
        var last = LastTarget(facts, year);
        var (trend, missing) = Trend(facts, year);
        var list = new List<TargetProposal>();
        if (trend is not null && (last is null || Improves(facts.Direction, trend.Value, last.Value)))
        {
            list.Add(trend);
            if (last is not null)
            {
                list.Add(last);
            }
        }
        else
        {
            if (last is not null)
            {
                list.Add(last);
            }

            if (trend is not null)
            {
                list.Add(trend);
            }
        }

        return new TargetProposalSet(list, missing);
    }

    /// <summary>The last known target carried to the planned year, or null when the indicator has none.</summary>
    public static TargetProposal? LastTarget(TargetFacts facts, int year)
    {
        if (facts.LastTarget is not { } target || (target.Value is null && target.Min is null && target.Max is null))
        {
            return null;
        }

        var clamped = false;
        decimal? Carry(decimal? v)
        {
            if (v is not { } value)
            {
                return null;
            }

            var (fitted, c) = Fit(facts, value);
            clamped |= c;
            return fitted;
        }

        var (v, min, max) = (Carry(target.Value), Carry(target.Min), Carry(target.Max));
        var figure = v is { } one ? Number(one, facts.Decimals) : $"{Number(min, facts.Decimals)}–{Number(max, facts.Decimals)}";
        var text = $"Samma mål som {target.PeriodKey}: {figure}.";
        if (clamped)
        {
            text += " " + ClampedText(facts);
        }

        return new TargetProposal(ProposalKind.LastTarget, v, min, max, text, clamped);
    }

    /// <summary>The trend proposal, or null with the reason there is none.</summary>
    public static (TargetProposal? Proposal, string? Missing) Trend(TargetFacts facts, int year)
    {
        if (facts.Direction == Direction.Neutral)
        {
            return (null, "Måttet följs utan att bedömas; ingen trend föreslås som mål.");
        }

        if (facts.Direction == Direction.TargetRange)
        {
            return (null, "Målet är ett intervall; ingen trend föreslås.");
        }

        var points = facts.Outcomes.Where(o => o.Year < year).GroupBy(o => o.Year).Select(g => g.Last()).OrderBy(o => o.Year).ToList();
        if (points.Count < MinimumTrendPoints)
        {
            return (null, $"För få årsutfall för en trend: {points.Count} av minst {MinimumTrendPoints}.");
        }

        // Least squares over (year, value), centred on the mean year so that the sums stay small.
        var n = points.Count;
        var meanX = points.Average(p => (decimal)p.Year);
        var meanY = points.Average(p => p.Value);
        var sxx = points.Sum(p => (p.Year - meanX) * (p.Year - meanX));
        var sxy = points.Sum(p => (p.Year - meanX) * (p.Value - meanY));
        var slope = sxx == 0 ? 0 : sxy / sxx;
        var projected = meanY + (slope * (year - meanX));
        var (value, clamped) = Fit(facts, projected);
        var perYear = Math.Round(slope, facts.Decimals + 1, MidpointRounding.AwayFromZero);
        var way = perYear == 0 ? "oförändrad" : (slope > 0) == (facts.Direction == Direction.HigherIsBetter) ? "förbättras" : "försämras";
        var text = $"Trend från {n} årsutfall {points[0].Year}–{points[^1].Year}: {way} med {Number(Math.Abs(perYear), facts.Decimals + 1)} per år, "
            + $"vilket ger {Number(value, facts.Decimals)} år {year}.";
        if (clamped)
        {
            text += " " + ClampedText(facts);
        }

        return (new TargetProposal(ProposalKind.Trend, value, null, null, text, clamped), null);
    }

    /// <summary>Whether a trend figure is at least as good as the last target in the indicator's direction.</summary>
    private static bool Improves(Direction direction, decimal? trend, decimal? last) =>
        trend is not { } t || last is not { } l || direction switch
        {
            Direction.HigherIsBetter => t >= l,
            Direction.LowerIsBetter => t <= l,
            _ => false,
        };

    private static (decimal Value, bool Clamped) Fit(TargetFacts facts, decimal value)
    {
        var rounded = Math.Round(value, Math.Clamp(facts.Decimals, 0, 6), MidpointRounding.AwayFromZero);
        if (facts.PlausibleMin is { } min && rounded < min)
        {
            return (min, true);
        }

        if (facts.PlausibleMax is { } max && rounded > max)
        {
            return (max, true);
        }

        return (rounded, false);
    }

    private static string ClampedText(TargetFacts facts) =>
        $"Begränsat till måttets rimliga intervall {Number(facts.PlausibleMin, facts.Decimals)}–{Number(facts.PlausibleMax, facts.Decimals)}.";

    private static string Number(decimal? value, int decimals) => value is { } v ? SwedishFormat.Number(v, decimals) : "…";
}
