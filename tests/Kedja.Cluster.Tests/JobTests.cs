using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Kedja.Cluster.Tests;

/// <summary>Background work on three nodes with their clock moved together (Kedja:Testing:ClockOffsetFile).</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [ClusterFact]
    public async Task With_the_clock_of_every_node_moved_each_report_ordered_through_any_node_is_rendered_once()
    {
        await File.WriteAllTextAsync(cluster.ClockFile, TimeSpan.FromDays(3).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await Task.Delay(300); // every node reads the file again within 100 ms
            using var admin = cluster.Client(cluster.Token);
            var template = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{ClusterFixture.Slug}/report-templates"))[0].GetProperty("key").GetString();
            var jobs = new List<(Guid Id, string Node)>();
            for (var i = 0; i < 9; i++)
            {
                var ordered = await admin.PostAsJsonAsync($"/api/v1/tenants/{ClusterFixture.Slug}/reports", new { unitId = cluster.Unit, templateKey = template, format = "html" });
                ordered.IsSuccessStatusCode.ShouldBeTrue(await ordered.Content.ReadAsStringAsync());
                jobs.Add(((await ordered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), ClusterFixture.Node(ordered)));
            }

            jobs.Select(j => j.Node).Distinct().Count().ShouldBe(3, "ordered through all three nodes");
            var watch = Stopwatch.StartNew();
            foreach (var (id, node) in jobs)
            {
                while (true)
                {
                    var job = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{ClusterFixture.Slug}/reports/{id}");
                    var state = job.GetProperty("state").GetString();
                    if (state is "done" or "Done")
                    {
                        var moved = job.GetProperty("requestedAt").GetDateTime() - DateTime.UtcNow;
                        moved.ShouldBeInRange(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(3) + TimeSpan.FromMinutes(5), $"ordered on {node} with its clock moved");
                        break;
                    }

                    state.ShouldNotBe("failed", job.ToString());
                    watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"report {id} not done: {job}");
                    await Task.Delay(100);
                }
            }

            // Each job claimed once (one attempt), by one node's worker, and rendered once.
            var rows = await cluster.SqlAsync($"select state, attempts from report_jobs where id in ({string.Join(",", jobs.Select(j => $"'{j.Id}'"))})");
            var lines = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            output.WriteLine($"reports: {jobs.Count} ordered on {string.Join(", ", jobs.GroupBy(j => j.Node).Select(g => $"{g.Key} {g.Count()}"))}; done in {watch.Elapsed.TotalSeconds:0.0} s; rows: {string.Join("; ", lines)}");
            lines.Length.ShouldBe(jobs.Count);
            lines.ShouldAllBe(l => l.EndsWith("|1", StringComparison.Ordinal), "each report rendered by exactly one claim");
        }
        finally
        {
            File.Delete(cluster.ClockFile);
        }
    }
}
