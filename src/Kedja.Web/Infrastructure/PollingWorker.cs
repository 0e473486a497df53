namespace Kedja.Web.Infrastructure;

/// <summary>
/// A background loop that every app node runs: look, wait, look again. What a look does must be safe with several nodes
/// looking at once (a claim by lease, version or unique key, in the look itself); the loop adds nothing shared. A failed
/// look is logged and tried again at the next one, so a database away for a while stops nothing for good. Tests turn the
/// loop off (<see cref="Enabled"/>) and drive the look themselves.
/// </summary>
public abstract class PollingWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock the loop waits by; the worker reads the time from it too, so a test's clock moves both.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>Whether this node's loop still looks, for readiness (issue 18, ADR 51).</summary>
    public Observability.LoopWatch Watch { get; } = new();

    /// <summary>Whether this node runs the loop at all.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>What is logged when a look fails (Swedish, for the operator).</summary>
    protected abstract string FailureMessage { get; }

    /// <summary>One look.</summary>
    protected abstract Task LookAsync(CancellationToken cancellationToken);

    /// <summary>How long to wait before the next look.</summary>
    protected abstract TimeSpan UntilNextLook();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        // The host's start is not held up by the first look.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Watch.Begin(UntilNextLook());
            try
            {
                await LookAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Failure}", FailureMessage);
            }
            finally
            {
                Watch.End();
            }

            try
            {
                await Task.Delay(UntilNextLook(), Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
