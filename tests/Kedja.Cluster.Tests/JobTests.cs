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

    [ClusterFact]
    public async Task Killing_the_node_that_renders_a_report_makes_another_node_finish_it_once_the_lease_ran_out()
    {
        using var admin = cluster.Client(cluster.Token);
        var template = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{ClusterFixture.Slug}/report-templates"))[0].GetProperty("key").GetString();
        async Task<Guid> OrderAsync()
        {
            var ordered = await admin.PostAsJsonAsync($"/api/v1/tenants/{ClusterFixture.Slug}/reports", new { unitId = cluster.Unit, templateKey = template, format = "html" });
            ordered.IsSuccessStatusCode.ShouldBeTrue(await ordered.Content.ReadAsStringAsync());
            return (await ordered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        async Task<string[]> RowAsync(Guid id) => (await cluster.SqlAsync($"select lower(state), attempts, coalesce(lease_owner, '') from report_jobs where id = '{id}'")).Split('|');

        async Task<string[]> WaitAsync(Guid id, Func<string[], bool> until, TimeSpan limit, string what)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var row = await RowAsync(id);
                if (until(row))
                {
                    return row;
                }

                watch.Elapsed.ShouldBeLessThan(limit, $"{what}: {string.Join("|", row)}");
                await Task.Delay(50);
            }
        }

        // The tenant's two running slots held by two finished jobs: the next order waits queued until the test frees them.
        var fillers = new[] { await OrderAsync(), await OrderAsync() };
        foreach (var filler in fillers)
        {
            await WaitAsync(filler, r => r[0] == "done", TimeSpan.FromSeconds(60), "a first report done");
        }

        var victimPid = 0;
        var victim = "";
        Guid id;
        try
        {
            await cluster.SqlAsync($"update report_jobs set slot = case id when '{fillers[0]}' then 1 else 2 end where id in ('{fillers[0]}', '{fillers[1]}')");
            id = await OrderAsync();
            await Task.Delay(500);
            (await RowAsync(id))[0].ShouldBe("queued", "no free slot yet");

            // The report's builder reads the units first thing: with them locked, the node that claims the job holds it,
            // renewing its lease, until it is killed.
            await using (await cluster.LockAsync("org_units"))
            {
                await cluster.SqlAsync($"update report_jobs set slot = null where id in ('{fillers[0]}', '{fillers[1]}')");
                var claimed = await WaitAsync(id, r => r[0] == "running" && r[2].Length > 0, TimeSpan.FromSeconds(20), "claimed by a node");
                claimed[1].ShouldBe("1");
                victimPid = int.Parse(claimed[2].Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
                victim = new[] { "app1", "app2", "app3" }.Single(n => cluster.Pid(n) == victimPid);
                ClusterFixture.Kill(victimPid);
                output.WriteLine($"report {id} claimed by {victim} (pid {victimPid}), which was killed while rendering");
            }

            // The dead node's lease (60 s, renewed every half second while it lived) still holds: nobody takes the job.
            await Task.Delay(TimeSpan.FromSeconds(4));
            var held = await RowAsync(id);
            (held[0], held[1]).ShouldBe(("running", "1"), $"row: {string.Join("|", held)}");
            held[2].ShouldContain($"/{victimPid}/");

            // Every node's clock moved past the lease: a live node takes the job over and finishes it, once.
            await File.WriteAllTextAsync(cluster.ClockFile, "90");
            var watch = Stopwatch.StartNew();
            var done = await WaitAsync(id, r => r[0] is "done" or "failed", TimeSpan.FromSeconds(60), "taken over and finished");
            (done[0], done[1], done[2]).ShouldBe(("done", "2", ""), "rendered by a second claim after the first node died");
            output.WriteLine($"report {id} finished by another node {watch.Elapsed.TotalSeconds:0.0} s after the clock passed the lease");
        }
        finally
        {
            File.Delete(cluster.ClockFile);
            await cluster.SqlAsync($"update report_jobs set slot = null where id in ('{fillers[0]}', '{fillers[1]}')");
            if (victimPid != 0)
            {
                await cluster.UpAsync();
            }
        }
    }
}
