using System.Diagnostics;

namespace Kedja.Web.Observability;

/// <summary>
/// Whether one of this node's background loops still looks for work (issue 18, ADR 51): the loop says when a look
/// begins and ends, and readiness asks whether it has gone far longer than its interval without one. A loop that was
/// never started (turned off on this node) is not watched. Real elapsed time, not the app's clock: a test that moves the
/// clock a day does not make a loop look stuck.
/// </summary>
public sealed class LoopWatch
{
    private long lastEnded;
    private long lookStarted;
    private int looking;
    private long interval;

    /// <summary>A loop is stuck after this many of its intervals without a look, and at least <see cref="LeastIdle"/>.</summary>
    public const int Intervals = 3;

    public static readonly TimeSpan LeastIdle = TimeSpan.FromMinutes(2);

    /// <summary>A look running this long is taken to hang (a report or a Kolada fetch renews its lease meanwhile).</summary>
    public static readonly TimeSpan LongestLook = TimeSpan.FromHours(2);

    public bool Started => Interlocked.Read(ref lastEnded) != 0 || Volatile.Read(ref looking) > 0;

    public void Begin(TimeSpan every)
    {
        Interlocked.Exchange(ref interval, every.Ticks);
        if (Interlocked.Increment(ref looking) == 1)
        {
            Interlocked.Exchange(ref lookStarted, Stopwatch.GetTimestamp());
        }
    }

    public void End()
    {
        Interlocked.Exchange(ref lastEnded, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref looking);
    }

    /// <summary>Whether the loop has stopped looking: idle far past its interval, or in one look for hours.</summary>
    public bool Stuck()
    {
        if (!Started)
        {
            return false;
        }

        if (Volatile.Read(ref looking) > 0)
        {
            return Stopwatch.GetElapsedTime(Interlocked.Read(ref lookStarted)) > LongestLook;
        }

        var idle = Stopwatch.GetElapsedTime(Interlocked.Read(ref lastEnded));
        var limit = TimeSpan.FromTicks(Math.Max(Interlocked.Read(ref interval) * Intervals, LeastIdle.Ticks));
        return idle > limit;
    }

    /// <summary>For a test: the loop's last look ended this long ago.</summary>
    internal void EndedAgo(TimeSpan ago) => Interlocked.Exchange(ref lastEnded, Stopwatch.GetTimestamp() - (long)(ago.TotalSeconds * Stopwatch.Frequency));
}
