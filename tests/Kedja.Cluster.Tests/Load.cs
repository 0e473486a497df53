using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Kedja.Cluster.Tests;

/// <summary>One request of a bounded load: when it was sent and answered (ms since the load began), how, and by which node.</summary>
public sealed record Outcome(double SentAt, double DoneAt, bool Write, HttpStatusCode? Status, string Node, Guid? Id, string? Error)
{
    public bool Succeeded => Status is { } s && (int)s is >= 200 and < 300;
}

/// <summary>
/// A bounded load of reads and writes through the load balancer (a few workers, each one request at a time, so that
/// "in flight" is at most the number of workers), stopped by time or by a condition.
/// </summary>
public sealed class Load(ClusterFixture cluster, int workers, double writeShare)
{
    public ConcurrentBag<Outcome> Outcomes { get; } = [];
    public Stopwatch Clock { get; } = new();

    public async Task RunAsync(Func<Load, bool> stop, TimeSpan limit)
    {
        Clock.Start();
        using var cancel = new CancellationTokenSource(limit);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(w, stop, cancel.Token))));
    }

    public double Now => Clock.Elapsed.TotalMilliseconds;

    private async Task WorkAsync(int worker, Func<Load, bool> stop, CancellationToken cancellationToken)
    {
        using var client = cluster.Client(cluster.Token);
        client.Timeout = TimeSpan.FromSeconds(10);
        var random = new Random(worker);
        var n = 0;
        Guid? lastId = null;
        while (!cancellationToken.IsCancellationRequested && !stop(this))
        {
            var write = lastId is null || random.NextDouble() < writeShare;
            var sent = Now;
            try
            {
                if (write)
                {
                    var (response, id) = await cluster.CreateGoalAsync(client, $"last-{worker}-{n++}", cancellationToken);
                    Outcomes.Add(new Outcome(sent, Now, true, response.StatusCode, ClusterFixture.Node(response), id, id is null ? await BodyAsync(response) : null));
                    lastId = id ?? lastId;
                    response.Dispose();
                }
                else
                {
                    using var response = await client.GetAsync($"/api/v1/tenants/{ClusterFixture.Slug}/goals/{lastId}", cancellationToken);
                    Outcomes.Add(new Outcome(sent, Now, false, response.StatusCode, ClusterFixture.Node(response), null, response.IsSuccessStatusCode ? null : await BodyAsync(response)));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                Outcomes.Add(new Outcome(sent, Now, write, null, "?", null, e.GetType().Name + ": " + e.Message));
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync();
            return body.Length > 300 ? body[..300] : body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return e.Message;
        }
    }

    /// <summary>Waits until the load has this many successes; fails at once when it cannot get going (a broken set-up).</summary>
    public async Task WarmAsync(Task run, int successes)
    {
        while (Outcomes.Count(o => o.Succeeded) < successes)
        {
            if (run.IsCompleted || Outcomes.Count(o => !o.Succeeded) > 20)
            {
                throw new InvalidOperationException("The load does not get going: " + Summary() + "; first failure: " + Outcomes.FirstOrDefault(o => !o.Succeeded));
            }

            await Task.Delay(50);
        }
    }

    public string Summary() =>
        $"{Outcomes.Count} requests ({Outcomes.Count(o => o.Write)} writes), {Outcomes.Count(o => !o.Succeeded)} failed; by node: " +
        string.Join(", ", Outcomes.Where(o => o.Succeeded).GroupBy(o => o.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
}
