namespace Kedja.Web.Infrastructure;

/// <summary>
/// Wakes this node's background worker when work was queued here; work queued on other nodes is found by polling.
/// One per kind of work, registered as a singleton.
/// </summary>
public abstract class WorkSignal
{
    /// <summary>How often a node does the housekeeping of a kind of work: a delete takes SQLite's write lock even when it finds nothing.</summary>
    public static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim signal = new(0);

    private long lastHousekeeping = long.MinValue;

    /// <summary>Whether this node's loops still look for work, for readiness (issue 18, ADR 51).</summary>
    public Observability.LoopWatch Watch { get; } = new();

    public void Wake()
    {
        // One waiting loop is enough: it claims everything it can before it waits again.
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A node's worker loop: housekeeping (at most every <see cref="HousekeepingInterval"/>, whichever of the node's loops
    /// comes first), then every job it can claim, then a wait for a wake-up here or the poll interval (for work queued
    /// on other nodes). An error is logged and the loop goes on; stopping the node ends it.
    /// </summary>
    public async Task LoopAsync(string worker, Func<CancellationToken, Task<bool>> runOnce, Func<CancellationToken, Task> housekeeping, TimeSpan poll, ILogger logger,
        CancellationToken stoppingToken)
    {
        // Let the app finish starting (migrations, the demo tenant) before the first look at the table.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Watch.Begin(poll);
            try
            {
                var now = TimeProvider.System.GetTimestamp();
                var last = Interlocked.Read(ref lastHousekeeping);
                if ((last == long.MinValue || TimeProvider.System.GetElapsedTime(last, now) >= HousekeepingInterval)
                    && Interlocked.CompareExchange(ref lastHousekeeping, now, last) == last)
                {
                    await housekeeping(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested && await runOnce(stoppingToken))
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Worker} kunde inte läsa sina jobb; försöker igen.", worker);
            }
            finally
            {
                Watch.End();
            }

            await WaitAsync(poll, stoppingToken);
        }
    }
}
