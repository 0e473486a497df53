using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Kedja.Data;

/// <summary>
/// Makes PostgreSQL refuse every write made through a context that only reads (the published view, reads sent to a
/// replica): each time the context opens its connection, it begins a read-only transaction, and rolls it back before
/// the connection goes back to the pool. A startup option (<c>Options=-c default_transaction_read_only=on</c>) would
/// say the same more cheaply, but pgbouncer refuses a connection that carries one ("unsupported startup parameter:
/// options"), and a session <c>SET</c> would leak, in transaction mode, to whichever client gets that server
/// connection next. A transaction is what transaction pooling keeps on one server connection from start to end.
/// </summary>
public sealed class ReadOnlyTransactions : DbConnectionInterceptor
{
    public static readonly ReadOnlyTransactions Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            using var begin = new NpgsqlCommand("BEGIN TRANSACTION READ ONLY", npgsql);
            begin.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await using var begin = new NpgsqlCommand("BEGIN TRANSACTION READ ONLY", npgsql);
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        End(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        // Npgsql ends an open transaction itself when a connection goes back to its pool; the explicit end keeps a
        // pooler's server connection from waiting in a transaction until then. A broken connection has nothing to end.
        End(connection);
        return ValueTask.FromResult(result);
    }

    private static void End(DbConnection connection)
    {
        if (connection is NpgsqlConnection { State: System.Data.ConnectionState.Open } npgsql)
        {
            try
            {
                using var rollback = new NpgsqlCommand("ROLLBACK", npgsql);
                rollback.ExecuteNonQuery();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection broke (a failover, a terminated backend): the pool drops it, and the server ended the transaction.
            }
        }
    }
}

/// <summary>Refuses SaveChanges on a context that only reads, before anything reaches the database.</summary>
public sealed class RefusesWrites : SaveChangesInterceptor
{
    public static readonly RefusesWrites Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) => throw Refused();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        throw Refused();

    private static InvalidOperationException Refused() => new("Läsrepliken är skrivskyddad: skrivningar går till huvuddatabasen.");
}
