using Microsoft.Extensions.Caching.Memory;

namespace Kedja.Web.FollowUp;

/// <summary>
/// What one app node holds of results computed from a tenant's data (ADR 19): a slot per key with the newest result and
/// the data version it was computed for. A newer version replaces the older result, which is then released, so memory
/// holds one result per slot, bounded in all by a size limit (least recently used slots go first). However many
/// readers ask for a version at once, one computation runs for it and the others await it. The cache is only ever
/// behind the database: a reader always names the version it read, and every node brings its own slots up to date,
/// so nodes never need to talk.
/// </summary>
/// <param name="sizeLimit">The most that all held results may weigh together, in the unit of <paramref name="sizeOf"/>.</param>
public class VersionedCache<T>(long sizeLimit, Func<T, long> sizeOf) : IDisposable
    where T : class
{
    private readonly MemoryCache slots = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, sizeLimit) });

    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(30);

    private long computations;

    /// <summary>Computations run on this node since it started (results from a slot or an awaited flight not counted).</summary>
    public long Computations => Interlocked.Read(ref computations);

    /// <summary>Whether this node holds a result for the key, of whatever version.</summary>
    public bool Holds(object key) => slots.TryGetValue(key, out Slot? slot) && slot is { LatestVersion: >= 0 };

    /// <summary>The held result for the key if it is of <paramref name="version"/> or newer.</summary>
    public T? Find(object key, long version)
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
    public async Task<T> GetAsync(object key, long version, Func<T?, long, Task<T>> compute, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var slot = slots.GetOrCreate(key, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = Unused;
                return new Slot();
            })!;
            TaskCompletionSource<T>? lead = null;
            Task<T> flight;
            T? previous;
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
                    lead = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
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

    private async Task<T> LeadAsync(object key, Slot slot, long version, T? previous, long previousVersion, Func<T?, long, Task<T>> compute, TaskCompletionSource<T> lead)
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
            slots.Set(key, slot, new MemoryCacheEntryOptions { Size = Math.Max(1, sizeOf(result)), SlidingExpiration = Unused });
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

    public void Dispose()
    {
        slots.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Slot
    {
        public T? Latest;

        public long LatestVersion = -1;

        public Flight? Flight;
    }

    private sealed record Flight(long Version, Task<T> Task);
}
