using System.Diagnostics;
using Kedja.Data;
using Npgsql;

namespace Kedja.Web.Tests.Cluster;

/// <summary>
/// pgbouncer in transaction mode (issue 17): 200 clients, each with a connection of its own held open, work at once
/// over the pool's 20 server connections, and every client's transactions are done and counted. The pooler is named
/// by KEDJA_TEST_PGBOUNCER (a connection string to it, whose user may read its admin console); .ci/run starts one.
/// </summary>
public class PgBouncerTests
{
    private const string Variable = "KEDJA_TEST_PGBOUNCER";

    private const int Clients = 200;

    private const int ServerConnections = 20;

    private const int TransactionsEach = 5;

    [PgBouncerFact]
    public async Task Two_hundred_clients_share_twenty_server_connections_and_every_transaction_is_counted()
    {
        await using var database = await TestDatabase.CreateAsync(nameof(DatabaseProvider.Postgres));
        var pooler = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(Variable))
        {
            Database = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database,
            // Each client its own connection to pgbouncer, all open at once: Npgsql's pool must not share them.
            MaxPoolSize = Clients + 10,
            Timeout = 60,
            CommandTimeout = 60,
        };
        await using (var setup = new NpgsqlConnection(pooler.ConnectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE done (client integer NOT NULL, n integer NOT NULL, PRIMARY KEY (client, n))", setup);
            await create.ExecuteNonQueryAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var connections = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            var connection = new NpgsqlConnection(pooler.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            return connection;
        }));
        var watching = new CancellationTokenSource();
        var watch = WatchAsync(pooler, watching.Token);
        try
        {
            await Task.WhenAll(connections.Select((connection, client) => Task.Run(async () =>
            {
                for (var n = 0; n < TransactionsEach; n++)
                {
                    await using var transaction = await connection.BeginTransactionAsync(timeout.Token);
                    await using var insert = new NpgsqlCommand("INSERT INTO done (client, n) VALUES (@client, @n)", connection, transaction);
                    insert.Parameters.AddWithValue("client", client);
                    insert.Parameters.AddWithValue("n", n);
                    await insert.ExecuteNonQueryAsync(timeout.Token);
                    // Holds the server connection a moment, so that the clients really wait for one another.
                    await using var pause = new NpgsqlCommand("SELECT pg_sleep(0.01)", connection, transaction);
                    await pause.ExecuteNonQueryAsync(timeout.Token);
                    await transaction.CommitAsync(timeout.Token);
                }
            }, timeout.Token)));
        }
        finally
        {
            await watching.CancelAsync();
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        var (mostServers, mostClients, looks) = await watch;
        looks.ShouldBeGreaterThan(0);
        mostServers.ShouldBeLessThanOrEqualTo(ServerConnections);
        mostServers.ShouldBeGreaterThan(0);
        mostClients.ShouldBeGreaterThanOrEqualTo(Clients);

        await using var check = new NpgsqlConnection(pooler.ConnectionString);
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT client), min(c), max(c) FROM done, LATERAL (SELECT count(*) AS c FROM done d WHERE d.client = done.client) x", check);
        await using var reader = await count.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        reader.GetInt64(0).ShouldBe(Clients * TransactionsEach);
        reader.GetInt64(1).ShouldBe(Clients);
        reader.GetInt64(2).ShouldBe(TransactionsEach);
        reader.GetInt64(3).ShouldBe(TransactionsEach);
    }

    /// <summary>
    /// Looks at pgbouncer's admin console (SHOW SERVERS, SHOW CLIENTS) until told to stop: the most server connections to
    /// the test's database and the most clients of it seen at once. The console speaks only the simple query protocol,
    /// so psql asks it.
    /// </summary>
    private static async Task<(int Servers, int Clients, int Looks)> WatchAsync(NpgsqlConnectionStringBuilder pooler, CancellationToken stop)
    {
        var (servers, clients, looks) = (0, 0, 0);
        while (!stop.IsCancellationRequested)
        {
            servers = Math.Max(servers, await CountAsync(pooler, "SHOW SERVERS"));
            clients = Math.Max(clients, await CountAsync(pooler, "SHOW CLIENTS"));
            looks++;
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (servers, clients, looks);
    }

    private static async Task<int> CountAsync(NpgsqlConnectionStringBuilder pooler, string show)
    {
        var start = new ProcessStartInfo("psql")
        {
            ArgumentList = { "-AtF", "|", "-h", pooler.Host!, "-p", pooler.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", pooler.Username!, "-d", "pgbouncer", "-c", show },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = pooler.Password ?? "";
        using var psql = Process.Start(start)!;
        var output = await psql.StandardOutput.ReadToEndAsync();
        await psql.WaitForExitAsync();
        psql.ExitCode.ShouldBe(0, await psql.StandardError.ReadToEndAsync());
        // The third column of both lists is the database.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Split('|') is { Length: > 2 } cells && cells[2] == pooler.Database);
    }
}

/// <summary>A fact skipped, with the reason, when no pgbouncer is named by KEDJA_TEST_PGBOUNCER (or no PostgreSQL by KEDJA_TEST_POSTGRES).</summary>
internal sealed class PgBouncerFactAttribute : FactAttribute
{
    public PgBouncerFactAttribute()
    {
        if (!TestDatabase.HasPostgres || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("KEDJA_TEST_PGBOUNCER")))
        {
            Skip = "pgbouncer-testet kördes inte: sätt KEDJA_TEST_PGBOUNCER till en anslutningssträng till en pgbouncer i transaktionsläge "
                + "(och KEDJA_TEST_POSTGRES till servern bakom den), som .ci/run gör.";
        }
    }
}
