using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Kedja.Web.FollowUp;

/// <summary>Kedja:Status. How many computed results (goals and indicators) one app node keeps in memory.</summary>
public sealed class StatusOptions
{
    public const string Section = "Kedja:Status";

    /// <summary>About 75,000 per period of the largest tenant measured (L); a municipality's period is a few thousand.</summary>
    public int CachedResults { get; set; } = 400_000;
}

/// <summary>
/// The computed statuses one app node holds (ADR 19): a slot per tenant, period and view (or unit chain) with the
/// newest result and the data version it was computed for. A newer version replaces the older result, which is then
/// released, so memory holds one result per slot, bounded in all by <see cref="StatusOptions.CachedResults"/> (least
/// recently used slots go first). However many readers ask for a version at once, one computation runs for it and
/// the others await it. The cache is only ever behind the database: a reader always names the version it read, and
/// every node brings its own slots up to date from the database's record of changes, so nodes never need to talk.
/// </summary>
public sealed class StatusCache(IOptions<StatusOptions> options) : IDisposable
{
    private readonly MemoryCache slots = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CachedResults) });

    private long computations;

    private long updates;

    /// <summary>Of <see cref="Computations"/>, those that started from an earlier result and computed only what changed.</summary>
    public long Updates => Interlocked.Read(ref updates);

    internal void CountUpdate() => Interlocked.Increment(ref updates);

    /// <summary>Computations run on this node since it started (results from a slot or an awaited flight not counted).</summary>
    public long Computations => Interlocked.Read(ref computations);

    /// <summary>Whether this node holds a result for the key, of whatever version.</summary>
    public bool Holds(object key) => slots.TryGetValue(key, out Slot? slot) && slot is { LatestVersion: >= 0 };

    /// <summary>The held result for the key if it is of <paramref name="version"/> or newer.</summary>
    public PeriodStatuses? Find(object key, long version)
    {
        if (slots.TryGetValue(key, out Slot? slot) && slot is not null)
        {
            lock (slot)
            {
                return slot.LatestVersion >= version ? slot.Latest : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The result for <paramref name="version"/> or newer. <paramref name="compute"/> gets the slot's newest result
    /// and its version (null and -1 when there is none) to start from.
    /// </summary>
    public async Task<PeriodStatuses> GetAsync(object key, long version, Func<PeriodStatuses?, long, Task<PeriodStatuses>> compute, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var slot = slots.GetOrCreate(key, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = TimeSpan.FromMinutes(30);
                return new Slot();
            })!;
            TaskCompletionSource<PeriodStatuses>? lead = null;
            Task<PeriodStatuses> flight;
            PeriodStatuses? previous;
            long previousVersion;
            lock (slot)
            {
                if (slot.Latest is { } latest && slot.LatestVersion >= version)
                {
                    return latest;
                }

                (previous, previousVersion) = (slot.Latest, slot.LatestVersion);
                if (slot.Flight is { } running && running.Version >= version && !running.Task.IsFaulted && !running.Task.IsCanceled)
                {
                    flight = running.Task;
                }
                else
                {
                    lead = new TaskCompletionSource<PeriodStatuses>(TaskCreationOptions.RunContinuationsAsynchronously);
                    flight = lead.Task;
                    slot.Flight = new Flight(version, flight);
                }
            }

            if (lead is not null)
            {
                return await LeadAsync(key, slot, version, previous, previousVersion, compute, lead);
            }

            try
            {
                return await flight.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The reader who computed gave up (its request ended); this one computes instead.
            }
        }
    }

    private async Task<PeriodStatuses> LeadAsync(object key, Slot slot, long version, PeriodStatuses? previous, long previousVersion,
        Func<PeriodStatuses?, long, Task<PeriodStatuses>> compute, TaskCompletionSource<PeriodStatuses> lead)
    {
        try
        {
            var result = await compute(previous, previousVersion);
            Interlocked.Increment(ref computations);
            lock (slot)
            {
                if (version > slot.LatestVersion)
                {
                    (slot.Latest, slot.LatestVersion) = (result, version);
                }
            }

            // Set again to account for the result's size; the slot object stays the same.
            slots.Set(key, slot, new MemoryCacheEntryOptions { Size = Math.Max(1, result.Goals.Count + result.Indicators.Count), SlidingExpiration = TimeSpan.FromMinutes(30) });
            lead.SetResult(result);
            return result;
        }
        catch (OperationCanceledException e)
        {
            lead.TrySetCanceled(e.CancellationToken);
            throw;
        }
        catch (Exception e)
        {
            lead.TrySetException(e);
            _ = lead.Task.Exception; // observed here, whether or not another reader awaited it
            throw;
        }
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot
    {
        public PeriodStatuses? Latest;

        public long LatestVersion = -1;

        public Flight? Flight;
    }

    private sealed record Flight(long Version, Task<PeriodStatuses> Task);
}
