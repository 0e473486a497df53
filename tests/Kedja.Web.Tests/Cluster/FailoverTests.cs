using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Demo;
using Npgsql;

namespace Kedja.Web.Tests.Cluster;

/// <summary>
/// What a failover does to the app (issue 17), on a plain PostgreSQL server: its connections are killed under it
/// (<c>pg_terminate_backend</c>, what a dying primary does to every client) and its database turns read-only for a
/// moment (what a demoted primary answers). The app recovers without a restart: reads are tried again, a write that
/// hit the failure answers a Swedish 503 with Retry-After and leaves nothing behind, the next write goes through.
/// </summary>
public class FailoverTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [PostgresFact]
    public async Task Reads_survive_killed_connections_and_a_write_cut_off_mid_flight_answers_503_and_leaves_nothing()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Postgres), seedDemo: true);
        var admin = await app.ClientAsync();
        var council = await CouncilAsync(admin);

        // Every connection in the app's pool dies while idle; the next reads find them dead and are tried on new ones.
        await TerminateAsync(app, waitingOnly: false);
        (await admin.GetAsync($"{Base}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A write held by a lock (the insert waits inside its transaction), and its connection killed meanwhile.
        var name = $"Avbruten nämnd {Guid.NewGuid():N}"[..30];
        await using (var holder = new NpgsqlConnection(app.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await Execute(holder, "LOCK TABLE org_units IN SHARE MODE");
            var write = admin.PostAsJsonAsync($"{Base}/units", Unit(name, council));
            await WaitForLockWaitAsync(app);
            await TerminateAsync(app, waitingOnly: true);
            var response = await write;
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(Failover.RetryAfterSeconds));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("title").GetString().ShouldBe(Web.Infrastructure.DatabaseUnavailableHandler.Title);
            await transaction.RollbackAsync();
        }

        (await CountAsync(app, $"SELECT count(*) FROM org_units WHERE name = '{name}'")).ShouldBe(0);
        (await CountAsync(app, $"SELECT count(*) FROM audit_entries WHERE after LIKE '%{name}%'")).ShouldBe(0);

        // The same app, no restart: the write goes through now.
        (await admin.PostAsJsonAsync($"{Base}/units", Unit(name, council))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CountAsync(app, $"SELECT count(*) FROM org_units WHERE name = '{name}'")).ShouldBe(1);
    }

    [PostgresFact]
    public async Task A_database_that_turns_read_only_refuses_writes_with_503_keeps_reading_and_writes_again_when_it_returns()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Postgres), seedDemo: true);
        var admin = await app.ClientAsync();
        var council = await CouncilAsync(admin);
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        var person = await app.SignedInBrowserAsync(KedjaApp.AdminEmail, KedjaApp.AdminPassword);

        // A demoted primary: every new session reads only (25006 on a write).
        await ServerAsync($"ALTER DATABASE {database} SET default_transaction_read_only = on");
        await TerminateAsync(app, waitingOnly: false);
        (await admin.GetAsync($"{Base}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await admin.PostAsJsonAsync($"{Base}/units", Unit("Skrivskyddad nämnd", council));
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await CountAsync(app, "SELECT count(*) FROM org_units WHERE name = 'Skrivskyddad nämnd'")).ShouldBe(0);

        // A person signed in before reads on: the pages that read only answer while the database refuses writes.
        foreach (var page in new[] { $"/k/{DemoTenant.Slug}", $"/k/{DemoTenant.Slug}/malkort", $"/k/{DemoTenant.Slug}/organisation" })
        {
            var read = await person.GetAsync(page);
            read.StatusCode.ShouldBe(HttpStatusCode.OK, page);
        }

        // The primary is writable again: the switch back ends every session, as a promotion does (a background worker may
        // have opened a read-only one after the refusal let go of the pool). The next read is retried on a new
        // connection and leaves no dead one in the pool; the write after it succeeds.
        await ServerAsync($"ALTER DATABASE {database} RESET default_transaction_read_only");
        await TerminateAsync(app, waitingOnly: false);
        (await admin.GetAsync($"{Base}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsJsonAsync($"{Base}/units", Unit("Skrivbar nämnd", council))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    internal static object Unit(string name, Guid parent) =>
        new { id = Guid.NewGuid(), name, kind = "committee", parentId = parent, sortOrder = 99, isActive = true, serves = Array.Empty<Guid>() };

    internal static async Task<Guid> CouncilAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray().First(u => u.GetProperty("kind").GetString() == "council").GetProperty("id").GetGuid();

    /// <summary>Ends the server processes of the app's database, as a dying primary ends every client's.</summary>
    private static async Task TerminateAsync(KedjaApp app, bool waitingOnly)
    {
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        var ended = await CountAsync(app, $"""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()
            {(waitingOnly ? "AND wait_event_type = 'Lock'" : "")}
            """, onServer: true);
        if (waitingOnly)
        {
            ended.ShouldBeGreaterThan(0);
        }
    }

    private static async Task WaitForLockWaitAsync(KedjaApp app)
    {
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CountAsync(app, $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND wait_event_type = 'Lock'", onServer: true) == 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "Skrivningen väntade aldrig på låset.");
            await Task.Delay(25);
        }
    }

    private static async Task<long> CountAsync(KedjaApp app, string sql, bool onServer = false)
    {
        await using var connection = new NpgsqlConnection(onServer ? Environment.GetEnvironmentVariable("KEDJA_TEST_POSTGRES") : app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("KEDJA_TEST_POSTGRES"));
        await connection.OpenAsync();
        await Execute(connection, sql);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
