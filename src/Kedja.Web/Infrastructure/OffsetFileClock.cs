using System.Globalization;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// The wall clock moved by an offset read from a file (<c>Kedja:Testing:ClockOffsetFile</c>), so that a test can move the
/// time of running app processes – all nodes given the same file move together – to make scheduled jobs and reminders
/// due. Only timestamps move: timers, delays and <see cref="TimeProvider.GetTimestamp"/> stay real, so waits and leases
/// measured in elapsed time are unchanged. Honoured only outside Production (see <see cref="Create"/>).
/// </summary>
public sealed class OffsetFileClock(string path, TimeProvider inner) : TimeProvider
{
    /// <summary>How long an offset read is trusted: the file is read at most this often, not on every clock read.</summary>
    public static readonly TimeSpan RereadAfter = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private TimeSpan offset;
    private long readAt = long.MinValue;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>The offset in the file: a TimeSpan ("1.02:00:00", "-00:30:00") or seconds ("86400"); none or unreadable is zero.</summary>
    public TimeSpan Offset()
    {
        var now = inner.GetTimestamp();
        lock (gate)
        {
            if (readAt != long.MinValue && inner.GetElapsedTime(readAt, now) < RereadAfter)
            {
                return offset;
            }

            offset = Read(path);
            readAt = now;
            return offset;
        }
    }

    internal static TimeSpan Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return TimeSpan.Zero; // missing or being replaced: no offset rather than a failed request
        }
        catch (UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            && Math.Abs(seconds) < TimeSpan.FromDays(36_500).TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero;
    }

    /// <summary>
    /// The clock the app runs on: the system clock, or – when <c>Kedja:Testing:ClockOffsetFile</c> is given and the
    /// environment is not Production – the system clock moved by that file. Production ignores the setting (and says so),
    /// so that a stray setting can never move a real installation's deadlines.
    /// </summary>
    public static TimeProvider Create(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var path = configuration["Kedja:Testing:ClockOffsetFile"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return System;
        }

        if (environment.IsProduction())
        {
            logger.LogWarning("Kedja:Testing:ClockOffsetFile is ignored in Production; the system clock is used.");
            return System;
        }

        logger.LogWarning("The clock is moved by the offset in {Path} (Kedja:Testing:ClockOffsetFile, for tests only).", path);
        return new OffsetFileClock(path, System);
    }
}
