using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
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

    /// <summary>The box of the current flow, if one was started: what it holds so far (the slow-request sample reads it).</summary>
    public static StrongBox<long>? Current => Meter.Value;

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
        // A reader's rows are read after ReaderExecuted: its time runs from sending the command until the reader is
        // disposed (DataReaderDisposing's own duration covers only the disposing).
        private readonly ConcurrentDictionary<Guid, long> readers = new();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            readers[eventData.CommandId] = Stopwatch.GetTimestamp();
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            readers[eventData.CommandId] = Stopwatch.GetTimestamp();
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            if (readers.TryRemove(eventData.CommandId, out var started))
            {
                Add(Stopwatch.GetElapsedTime(started));
            }

            return result;
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Forget(eventData.CommandId, eventData.Duration);

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.CommandId, eventData.Duration);
            return Task.CompletedTask;
        }

        public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Forget(eventData.CommandId, eventData.Duration);

        public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.CommandId, eventData.Duration);
            return Task.CompletedTask;
        }

        private void Forget(Guid command, TimeSpan elapsed)
        {
            readers.TryRemove(command, out _);
            Add(elapsed);
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
