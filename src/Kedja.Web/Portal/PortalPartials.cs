using Kedja.Web.FollowUp;
using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>The choice between published periods (_PeriodNav): newest first, the one shown marked.</summary>
/// <param name="Url">The page's address for a period key.</param>
public sealed record PeriodChoice(IReadOnlyList<PublicPeriodDto> Periods, string Current, Func<string, string> Url);

/// <summary>Goals by perspective with their status (_GoalList), each linked to its page.</summary>
/// <param name="Heading">The level of the perspectives' headings (2 or 3).</param>
/// <param name="Explanations">Whether the engine's explanation is written under each status.</param>
public sealed record GoalListView(string Slug, string PeriodKey, IReadOnlyList<PublicScorecardGroupDto> Groups, int Heading, bool Explanations);

/// <summary>Indicators of a scorecard with outcome, target and status in the period (_IndicatorList), each linked to its page.</summary>
public sealed record IndicatorListView(string Slug, string PeriodKey, IReadOnlyList<ScorecardIndicatorDto> Indicators);

/// <summary>Activities with what was reported on them for the period (_ActivityList).</summary>
public sealed record ActivityListView(string PeriodName, IReadOnlyList<PublicActivityDto> Activities);
