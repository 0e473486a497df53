namespace Kedja.Web.Infrastructure;

/// <summary>
/// Wakes this node's background worker when work was queued here; work queued on other nodes is found by polling.
/// One per kind of work, registered as a singleton.
/// </summary>
public abstract class WorkSignal
{
    private readonly SemaphoreSlim signal = new(0);

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
}
