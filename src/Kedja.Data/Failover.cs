using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Kedja.Data;

/// <summary>
/// Recognises the errors a PostgreSQL failover (or a restart) gives a client, and what to do about its pool. When the
/// primary dies, every connection to it breaks; Npgsql drops a connector that broke, but the idle ones in its pool still
/// point at the old server (or, after a demotion, at a server that now only reads), and each would fail once more when
/// taken. Clearing the pools at the first such error makes the next open go through the host list (Target Session
/// Attributes=primary), pgbouncer or haproxy to the new primary.
/// </summary>
public static class Failover
{
    /// <summary>Seconds a client is asked to wait before it tries a write again (Retry-After): a Patroni promotion takes 10–30 s.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The server went away or cannot take the statement now: admin shutdown (57P01, pg_terminate_backend too), crash
    /// shutdown (57P02), cannot connect now (57P03: starting or in recovery), a connection exception (class 08), a read-only
    /// transaction (25006: the node was demoted to a replica), too many connections while a pooler reconnects (53300), or a
    /// broken socket or timeout on the way (an <see cref="NpgsqlException"/> without a server error). Serialization
    /// failures and deadlocks are not: they are the app's own conflicts, answered as such.
    /// </summary>
    public static bool IsFailover(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p:
                    return p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.TooManyConnections
                        || p.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException n when n.InnerException is System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException
                    || (n.InnerException is null && n.Message.Contains("Exception while", StringComparison.Ordinal)):
                    return true;
                case InvalidOperationException { Message: var m } when m.Contains("connection is broken", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Closes every idle pooled connection of this process, so that the next ones are opened to the new primary.</summary>
    public static void ForgetConnections() => NpgsqlConnection.ClearAllPools();
}

/// <summary>
/// Retries a read that a failover broke, and nothing else (issue 17): a query (a command that begins with SELECT) run
/// outside a transaction is tried again a few times with a short back-off while the cluster promotes a replica; a
/// write, or anything in a transaction, fails at once, since the server may have done it before the connection broke
/// and only the caller can tell whether doing it twice is right (the app answers 503 with Retry-After instead).
/// </summary>
public sealed class FailoverRetry(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, MaxRetries, TimeSpan.FromSeconds(2))
{
    /// <summary>With the back-off below, about 7 s of waiting: enough for a pooler's reconnect, a good part of a promotion.</summary>
    public const int MaxRetries = 6;

    /// <summary>The text of the command each context sent (or was about to send) last.</summary>
    private static readonly ConditionalWeakTable<DbContext, string> Commands = [];

    public static readonly DbCommandInterceptor Recorder = new FailedCommandRecorder();

    protected override void OnFirstExecution()
    {
        // The base refuses a retrying strategy inside a transaction the app began; this one never retries there
        // (ShouldRetryOn), so it lets them be.
        ExceptionsEncountered.Clear();
    }

    protected override bool ShouldRetryOn(Exception exception)
    {
        var context = Dependencies.CurrentContext.Context;
        if (!Failover.IsFailover(exception))
        {
            return false;
        }

        if (context.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            NpgsqlConnection.ClearPool(connection);
        }

        return context.Database.CurrentTransaction is null
            && Commands.TryGetValue(context, out var text) && IsRead(text);
    }

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var tried = ExceptionsEncountered.Count;
        return tried > MaxRetryCount ? null : TimeSpan.FromMilliseconds(Math.Min(2000, 200 * (1 << Math.Min(tried - 1, 4))));
    }

    /// <summary>A plain query: EF's reads all begin with SELECT; an INSERT, UPDATE or DELETE, with or without RETURNING, never does.</summary>
    internal static bool IsRead(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        while (trimmed.StartsWith("--"))
        {
            var end = trimmed.IndexOf('\n');
            trimmed = end < 0 ? [] : trimmed[(end + 1)..].TrimStart();
        }

        return trimmed.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && !trimmed.Contains("pg_advisory", StringComparison.OrdinalIgnoreCase)
            && !trimmed.Contains("nextval", StringComparison.OrdinalIgnoreCase)
            && !trimmed.Contains(";", StringComparison.Ordinal);
    }

    /// <summary>
    /// Remembers each command once EF has given it its text, before it opens the connection: an operation whose open
    /// failed (the primary is gone and no other took over yet) is judged by the command it was about to send.
    /// </summary>
    private sealed class FailedCommandRecorder : DbCommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            if (eventData.Context is { } context)
            {
                Commands.AddOrUpdate(context, result.CommandText);
            }

            return result;
        }
    }
}
