using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Data;

/// <summary>
/// The time one flow of work (a request) spends in database commands: from sending a statement until its last row
/// was read and the reader closed. EF materialises rows while it reads them, so this is the SQL floor of the work
/// plus the reading of rows: what no change above the database can take away. Server-Timing reports it as "db".
/// </summary>
public static class DatabaseTime
{
    private static readonly AsyncLocal<StrongBox<long>?> Meter = new();

    /// <summary>Starts counting for the current flow and what it awaits; the box holds the ticks counted so far.</summary>
    public static StrongBox<long> Start() => Meter.Value = new StrongBox<long>();

    internal static readonly IInterceptor Interceptor = new Counter();

    private static void Add(TimeSpan elapsed)
    {
        if (Meter.Value is { } box)
        {
            Interlocked.Add(ref box.Value, elapsed.Ticks);
        }
    }

    private sealed class Counter : DbCommandInterceptor
    {
        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            Add(eventData.Duration);
            return result;
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Add(eventData.Duration);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Add(eventData.Duration);
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            Add(eventData.Duration);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Add(eventData.Duration);
            return ValueTask.FromResult(result);
        }
    }
}
