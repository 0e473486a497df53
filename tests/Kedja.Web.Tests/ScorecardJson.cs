using System.Text.Json;

namespace Kedja.Web.Tests;

/// <summary>Reading a scorecard as the API gives it.</summary>
public static class ScorecardJson
{
    /// <summary>Every goal on the scorecard, group by group.</summary>
    public static IEnumerable<JsonElement> Goals(JsonElement card) =>
        card.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("goals").EnumerateArray());
}
