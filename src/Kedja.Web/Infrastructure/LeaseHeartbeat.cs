using Kedja.Data;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// The newest progress of a background job, 0–99 until it is done: the work reports far more often than the heartbeat
/// writes it. Reported synchronously, so that it never arrives late or out of order.
/// </summary>
public sealed class LatestProgress : IProgress<double>, IProgress<int>
{
    private int percent;

    public int Percent => Volatile.Read(ref percent);

    /// <summary>A share, 0–1 (a report's builder and writer).</summary>
    public void Report(double value) => Volatile.Write(ref percent, Math.Clamp((int)(value * 100), 0, 99));

    /// <summary>A percentage (an import).</summary>
    public void Report(int value) => Volatile.Write(ref percent, Math.Clamp(value, 0, 99));
}

/// <summary>
/// Keeps a claimed job's lease (ADR 35, 36): every half second writes its progress and a new lease end through
/// <c>renew</c>, which answers how many rows it updated; 0 means another node took the job over, and the heartbeat
/// stops. A failure to write is logged: the lease may then run out and the job be done again elsewhere. Work without a
/// progress bar (a Kolada fetch) renews less often (<c>every</c>).
/// </summary>
public static class LeaseHeartbeat
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A worker's name in the lease columns: machine and process, so that an operator (or the cluster test) can tell
    /// which node holds a job, and a random part, since one process may host several nodes (the tests' hosts).
    /// </summary>
    public static string NewOwner() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public static async Task RunAsync(IServiceScopeFactory scopes, LatestProgress progress, TimeSpan lease, TimeProvider clock,
        Func<KedjaDbContext, int, DateTime, Task<int>> renew, Action lost, Action<Exception> failed, CancellationToken cancellationToken, TimeSpan? every = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        using var timer = new PeriodicTimer(every ?? Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (await renew(db, progress.Percent, clock.GetUtcNow().UtcDateTime + lease) == 0)
                {
                    lost();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            failed(e);
        }
    }
}
