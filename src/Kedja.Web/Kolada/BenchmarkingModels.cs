using Kedja.Domain.Indicators;

namespace Kedja.Web.Kolada;

/// <summary>What to compare an indicator with: a Kolada comparison group, chosen municipalities (kommunkoder or names), or both.</summary>
/// <param name="Years">How many years back from the latest Kolada has published (default 5).</param>
/// <param name="TargetYear">The year a suggestion is offered for (default next year).</param>
public sealed record BenchmarkQuery(string? Group = null, IReadOnlyList<string>? Municipalities = null, int? Years = null, int? TargetYear = null);

/// <summary>
/// An indicator's Kolada key figure for its own municipality beside a comparison set, year by year, with the comparison
/// set's statistics and target suggestions. <see cref="Unavailable"/> says why there are no figures when Kolada could
/// not be reached; everything that comes from Kedja's own database is still there then.
/// </summary>
/// <param name="Gender">Kolada's gender code of the values: T total, K women, M men (the indicator's choice).</param>
/// <param name="Rows">Every municipality with its values in the order of <see cref="Years"/>, the better first by the latest year.</param>
/// <param name="Statistics">Per year, over the comparison set (the own municipality left out of it).</param>
/// <param name="TargetYears">The years a suggestion may be taken as target for: next year and the calendar's years from this year on.</param>
/// <param name="CurrentTarget">The indicator's target for <see cref="TargetYear"/> as it is now.</param>
/// <param name="Version">The indicator's version, which accepting a suggestion sends back.</param>
public sealed record Benchmark(
    Guid IndicatorId,
    string IndicatorName,
    string UnitOfMeasure,
    int Decimals,
    Direction Direction,
    string KpiId,
    string KpiTitle,
    string Gender,
    string OwnMunicipalityId,
    string OwnMunicipalityTitle,
    BenchmarkGroup? Group,
    IReadOnlyList<int> Years,
    IReadOnlyList<BenchmarkRow> Rows,
    IReadOnlyList<BenchmarkYear> Statistics,
    IReadOnlyList<TargetSuggestion> Suggestions,
    int TargetYear,
    IReadOnlyList<int> TargetYears,
    decimal? CurrentTarget,
    int Version,
    string? Unavailable)
{
    /// <summary>Whether anything is compared: a group or municipalities besides the own one.</summary>
    public bool Compares => Rows.Any(r => r.InComparison);

    /// <summary>The latest year with a value in the comparison set, which the suggestions come from.</summary>
    public BenchmarkYear? Latest => Statistics.LastOrDefault(s => s.Count > 0);
}

public sealed record BenchmarkGroup(string Id, string Title);

/// <param name="IsOwn">The indicator's own municipality.</param>
/// <param name="InComparison">Counted in the statistics: every chosen municipality but the own one.</param>
/// <param name="Values">One per year of <see cref="Benchmark.Years"/>; null where Kolada has no figure.</param>
public sealed record BenchmarkRow(string MunicipalityId, string Title, bool IsOwn, bool InComparison, IReadOnlyList<decimal?> Values);

/// <summary>A year's comparison: how many municipalities had a value, their spread, and where the own one stands.</summary>
/// <param name="OwnRank">1 for the best by the indicator's direction, among the comparison set and the own municipality; null without a direction or a value.</param>
/// <param name="RankedOf">How many were ranked (the comparison set's values and the own one).</param>
public sealed record BenchmarkYear(
    int Year, int Count, decimal? Min, decimal? LowerQuartile, decimal? Median, decimal? UpperQuartile, decimal? Max, decimal? Own, int? OwnRank, int? RankedOf);

public enum SuggestionKind
{
    Median,

    /// <summary>The upper quartile where higher is better, the lower where lower is better ("bästa kvartilen").</summary>
    BetterQuartile,
}

/// <summary>A target value taken from the comparison of <see cref="FromYear"/>, rounded to the indicator's decimals.</summary>
/// <param name="OwnAlreadyThere">The own municipality's value that year is already as good or better.</param>
public sealed record TargetSuggestion(SuggestionKind Kind, int FromYear, decimal Value, bool OwnAlreadyThere);

/// <summary>What a person may choose to compare with, for the page's lists.</summary>
/// <param name="Groups">Comparison groups whose name holds the filter, or without a filter those the own municipality is in.</param>
/// <param name="MoreGroups">More groups matched than are listed.</param>
public sealed record BenchmarkChoices(IReadOnlyList<BenchmarkGroup> Groups, bool MoreGroups, IReadOnlyList<BenchmarkGroup> Municipalities, string? Unavailable);
