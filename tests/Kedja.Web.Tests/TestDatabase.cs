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

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == nameof(DatabaseProvider.Sqlite))
        {
            var file = Path.Combine(Path.GetTempPath(), "kedja-tests", $"{Guid.NewGuid():N}.db");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False", null);
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

    /// <summary>A new database with this one's content: a copied file on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL.</summary>
    public async Task<TestDatabase> CopyAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            var file = Path.Combine(Path.GetDirectoryName(source)!, $"{Guid.NewGuid():N}.db");
            File.Copy(source, file);
            return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False", null);
        }

        var name = $"kedja_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {PostgresName}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString, name);
    }

    /// <summary>Closes every pooled connection, so that the database can be copied (PostgreSQL refuses a template in use).</summary>
    public void Release()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            NpgsqlConnection.ClearAllPools();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
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

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
