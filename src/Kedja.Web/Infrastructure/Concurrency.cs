using Kedja.Data;
using Kedja.Domain;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Infrastructure;

/// <summary>Optimistic concurrency as every editing endpoint uses it: the client sends the version it read.</summary>
public static class Concurrency
{
    /// <summary>Saving fails with a conflict unless the row still has the version the client read.</summary>
    public static void ExpectVersion<T>(this KedjaDbContext db, T entity, int version)
        where T : class, IVersioned
    {
        var property = db.Entry(entity).Property(nameof(IVersioned.Version));
        property.OriginalValue = version;

        // The row is always written, so every accepted edit gets a new version, also when only rows it owns changed
        // (an indicator's targets, a goal's links), and a stale version fails even when the edit changes nothing.
        property.IsModified = true;
    }

    /// <summary>
    /// Saves, or returns false when someone else changed the row first, or created the same row first (answer 409,
    /// nothing written).
    /// </summary>
    public static async Task<bool> TrySaveAsync(this KedjaDbContext db)
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Removes the row as it was read at <paramref name="version"/>: a change by someone else since is a conflict.</summary>
    public static async Task<ServiceResult<Done>> RemoveAsReadAsync<T>(this KedjaDbContext db, T entity, int version)
        where T : class, IVersioned
    {
        db.ExpectVersion(entity, version);
        db.Remove(entity);
        return await db.TrySaveAsync() ? new Done() : ServiceError.Conflict();
    }
}
