using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Web.Tests;

/// <summary>
/// The SQL that EF Core sends to one test's database while <see cref="On"/>, on either provider, from EF's diagnostic
/// events: tests running beside this one use databases of their own, so their statements are left out.
/// </summary>
public sealed class StatementCount : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly (string DataSource, string Database) database;
    private readonly List<IDisposable> subscriptions = [];
    private readonly IDisposable listeners;

    public StatementCount(KedjaApp app)
    {
        using (var scope = app.Services.CreateScope())
        {
            var connection = scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Database.GetDbConnection();
            connection.Open();
            database = (connection.DataSource, connection.Database);
        }

        listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    private volatile bool on;

    public bool On { get => on; set => on = value; }

    public ConcurrentQueue<string> Statements { get; } = new();

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (On && value.Value is CommandExecutedEventData { Command: DbCommand { Connection: { } connection } command }
            && (connection.DataSource, connection.Database) == database)
        {
            Statements.Enqueue(command.CommandText);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        listeners.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
