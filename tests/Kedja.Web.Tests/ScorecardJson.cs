using System.Text.Json;

namespace Kedja.Web.Tests;

/// <summary>Reading a scorecard as the API gives it.</summary>
public static class ScorecardJson
{
    /// <summary>Every goal on the scorecard, group by group.</summary>
    public static IEnumerable<JsonElement> Goals(JsonElement card) =>
        Groups(card).SelectMany(g => g.GetProperty("goals").EnumerateArray());

    /// <summary>The scorecard's groups of goals (by dimension, those without one last).</summary>
    public static IEnumerable<JsonElement> Groups(JsonElement card) => card.GetProperty("groups").EnumerateArray();
}
