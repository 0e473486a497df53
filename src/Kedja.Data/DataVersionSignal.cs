using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Data;

/// <summary>
/// Tells this node, the moment a transaction commits, which tenants' data versions it raised, so that what the node
/// holds in memory for a version (the portal's pages) is let go at once rather than at its next look at the database.
/// Other nodes learn of the change by that look, which is why nothing may rely on this signal alone.
/// </summary>
public sealed class DataVersionSignal : DbTransactionInterceptor
{
    /// <summary>Raised after the commit, with the tenant's id, on the committing request's thread: keep handlers short.</summary>
    public event Action<Guid>? Raised;

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Tell(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Tell(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    private void Tell(TransactionEndEventData eventData)
    {
        if (eventData.Context is not KedjaDbContext { RaisedVersions.Count: > 0 } db)
        {
            return;
        }

        var tenants = db.RaisedVersions.ToList();
        db.RaisedVersions.Clear();
        foreach (var tenant in tenants)
        {
            Raised?.Invoke(tenant);
        }
    }

    private static void Forget(TransactionEndEventData eventData)
    {
        if (eventData.Context is KedjaDbContext db)
        {
            db.RaisedVersions.Clear();
        }
    }
}
