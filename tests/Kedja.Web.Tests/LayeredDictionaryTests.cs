using Kedja.Web.FollowUp;

namespace Kedja.Web.Tests;

/// <summary>The held results' dictionary: each version reads as a plain dictionary would, and never changes once made (ADR 19).</summary>
public class LayeredDictionaryTests
{
    [Fact]
    public void Every_version_reads_as_a_dictionary_given_the_same_changes_and_earlier_versions_stay_as_they_were()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var model = Enumerable.Range(0, 3_000).ToDictionary(i => i, i => $"v{i}");
        var versions = new List<(LayeredDictionary<int, string> Layered, Dictionary<int, string> Expected)>
        {
            (LayeredDictionary<int, string>.Of(new Dictionary<int, string>(model)), new Dictionary<int, string>(model)),
        };

        // Enough changes that the layer is folded into a new bulk several times (past an eighth of the bulk, at least 1,024).
        for (var step = 0; step < 60; step++)
        {
            var set = Enumerable.Range(0, random.Next(0, 150)).Select(_ => KeyValuePair.Create(random.Next(0, 4_000), $"s{step}")).ToList();
            var remove = Enumerable.Range(0, random.Next(0, 100)).Select(_ => random.Next(0, 4_000)).ToList();
            foreach (var key in remove)
            {
                model.Remove(key);
            }

            foreach (var (key, value) in set)
            {
                model[key] = value;
            }

            versions.Add((versions[^1].Layered.With(set, remove), new Dictionary<int, string>(model)));
        }

        foreach (var (layered, expected) in versions)
        {
            layered.Count.ShouldBe(expected.Count, $"seed {seed}");
            layered.OrderBy(p => p.Key).ShouldBe(expected.OrderBy(p => p.Key), $"seed {seed}");
            foreach (var key in Enumerable.Range(0, 4_000))
            {
                layered.TryGetValue(key, out var value).ShouldBe(expected.TryGetValue(key, out var wanted), $"seed {seed}, key {key}");
                value.ShouldBe(wanted, $"seed {seed}, key {key}");
            }
        }
    }
}
