using Kedja.Data;
using Npgsql;

namespace Kedja.Web.Tests;

/// <summary>
/// A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL database on the server named by
/// KEDJA_TEST_POSTGRES (a connection string to a server where tests may create databases).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string PostgresVariable = "KEDJA_TEST_POSTGRES";

    private TestDatabase(DatabaseProvider provider, string connectionString, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        PostgresName = postgresName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    private string? PostgresName { get; }

    /// <summary>SQLite always; PostgreSQL too when a server is configured. CI sets the variable, so both run there.</summary>
    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { nameof(DatabaseProvider.Sqlite) };
            if (HasPostgres)
            {
                data.Add(nameof(DatabaseProvider.Postgres));
            }

            return data;
        }
    }

    public static bool HasPostgres => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable));

    /// <summary>Why the PostgreSQL cases are missing from a run, shown as the reason of a skipped test.</summary>
    public const string PostgresMissing =
        "PostgreSQL-testerna kördes inte: sätt " + PostgresVariable + " till en server där testerna får skapa databaser, "
        + "t.ex. KEDJA_TEST_POSTGRES=\"Host=127.0.0.1;Username=postgres;Password=postgres\" dotnet test";

    /// <summary>
    /// SQLite test files live in memory where the machine offers it (/dev/shm): a test's database is thrown away, so
    /// waiting for the disk at each commit buys nothing. The app opens them as it opens any file.
    /// </summary>
    private static readonly string SqliteFolder =
        Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "kedja-tests");

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == nameof(DatabaseProvider.Sqlite))
        {
            var file = Path.Combine(SqliteFolder, $"{Guid.NewGuid():N}.db");
            Directory.CreateDirectory(SqliteFolder);
            return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", null);
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"{PostgresVariable} är inte satt.");
        var name = $"kedja_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(DatabaseProvider.Postgres, builder.ConnectionString, name);
    }

    /// <summary>
    /// The same database reached without a transaction pooler: KEDJA_TEST_POSTGRES_DIRECT names the server itself when the
    /// suite goes through pgbouncer (.ci/run). pg_dump and pg_restore set session state (an empty search_path) that a
    /// transaction pooler would hand on to the next client, so backups and restores go to the server (docs/operations.md).
    /// </summary>
    public static string Direct(string connectionString)
    {
        var direct = Environment.GetEnvironmentVariable("KEDJA_TEST_POSTGRES_DIRECT");
        if (string.IsNullOrWhiteSpace(direct))
        {
            return connectionString;
        }

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        return new NpgsqlConnectionStringBuilder(direct) { Database = database }.ConnectionString;
    }

    /// <summary>A new database with this one's content: a copied file on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL.</summary>
    public async Task<TestDatabase> CopyAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            var file = Path.Combine(Path.GetDirectoryName(source)!, $"{Guid.NewGuid():N}.db");
            File.Copy(source, file);
            return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", null);
        }

        // A copy takes the server a third of a second; the next one is made while this one's test runs.
        Task<TestDatabase> copy;
        lock (aheadLock)
        {
            copy = ahead ?? CopyOnServerAsync();
            ahead = CopyOnServerAsync();
        }

        return await copy;
    }

    private async Task<TestDatabase> CopyOnServerAsync()
    {
        var name = $"kedja_test_{Guid.NewGuid():N}";
        // A pooler in front of the server (pgbouncer, as CI runs the suite) keeps its own server connections to the
        // template after this process let go of its pool; PostgreSQL copies no database that anyone is connected to.
        // It may open one again between the two statements (a connection it was still handing out): end them and try again.
        for (var attempt = 1; ; attempt++)
        {
            await ServerCommandAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{PostgresName}' AND pid <> pg_backend_pid()");
            try
            {
                await ServerCommandAsync($"CREATE DATABASE {name} TEMPLATE {PostgresName}");
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(50 * attempt);
            }
        }

        return new TestDatabase(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString, name);
    }

    private static async Task ServerCommandAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private readonly Lock aheadLock = new();

    private bool isTemplate;

    /// <summary>On a PostgreSQL template: the copy that the next test will get.</summary>
    private Task<TestDatabase>? ahead;

    /// <summary>Drops of PostgreSQL test databases, which the tests do not wait for.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<Task> Dropping = [];

    private static readonly System.Collections.Concurrent.ConcurrentBag<TestDatabase> MadeTemplates = [];

    /// <summary>
    /// Closes every pooled connection, so that the database can be copied (PostgreSQL refuses a template in use). A
    /// template is dropped when the run ends, after every copy (<see cref="DropTemplatesAsync"/>).
    /// </summary>
    public void BecomeTemplate()
    {
        isTemplate = true;
        MadeTemplates.Add(this);
        if (Provider == DatabaseProvider.Postgres)
        {
            using var pooled = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(pooled);
        }
        else
        {
            using var pooled = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            using (var pooled = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
            }

            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // A pooled handle may still be open on some platforms; the temp folder is cleaned by the OS.
                }
            }

            return;
        }

        // Only this database's pool: clearing them all would close the connections of tests running beside this one.
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var drop = ServerCommandAsync($"DROP DATABASE IF EXISTS {PostgresName} WITH (FORCE)");
        if (isTemplate)
        {
            await drop;
            return;
        }

        // The test need not wait for its database to go; the end of the run waits for them all.
        Dropping.Add(drop);
    }

    /// <summary>
    /// At the end of the run (<see cref="KedjaTestFramework"/>): the copies made ahead for tests that never came, then
    /// every drop still under way, then the templates. A failed drop is reported as the run's cleanup failure.
    /// </summary>
    public static async Task DropTemplatesAsync()
    {
        try
        {
            foreach (var unused in await Task.WhenAll(MadeTemplates.Select(t => t.ahead).OfType<Task<TestDatabase>>()))
            {
                await unused.DisposeAsync();
            }

            await Task.WhenAll(Dropping);
        }
        finally
        {
            foreach (var template in MadeTemplates)
            {
                await template.DisposeAsync();
            }
        }
    }
}
