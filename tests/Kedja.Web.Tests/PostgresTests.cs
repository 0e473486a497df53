using Kedja.Data;
using Npgsql;

namespace Kedja.Web.Tests;

/// <summary>
/// Every database test runs on PostgreSQL only when <c>KEDJA_TEST_POSTGRES</c> names a server. Without it this test is
/// skipped with the reason, so that `dotnet test` says that fewer tests ran: its console output names a skipped test
/// only by name (the reason shows with <c>--logger "console;verbosity=normal"</c>), so the name says it.
/// </summary>
public class PostgresTests
{
    [PostgresFact]
    public async Task Every_database_test_runs_on_PostgreSQL_too_when_KEDJA_TEST_POSTGRES_names_a_server()
    {
        ((IEnumerable<object[]>)TestDatabase.Providers).Select(row => (string)row[0]).ShouldBe([nameof(DatabaseProvider.Sqlite), nameof(DatabaseProvider.Postgres)]);
        await using var database = await TestDatabase.CreateAsync(nameof(DatabaseProvider.Postgres));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        (await command.ExecuteScalarAsync()).ShouldNotBeNull();
    }
}

/// <summary>A fact that is skipped, with <see cref="TestDatabase.PostgresMissing"/> as the reason, when no server is set.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.HasPostgres)
        {
            Skip = TestDatabase.PostgresMissing;
        }
    }
}
