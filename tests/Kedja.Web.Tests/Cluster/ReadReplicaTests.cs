using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.Public;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kedja.Web.Tests.Cluster;

/// <summary>
/// ConnectionStrings:KedjaReadOnly (issue 17): the portal, open data and report rendering read through it, and nothing
/// can write through it; the editing interface reads its own writes from the primary. The "replica" here is the same
/// database reached by a role whose sessions read only (ALTER ROLE … SET default_transaction_read_only), as a hot
/// standby refuses writes; through a pooler (whose users are fixed) the tests' own role with the app's read-only guard.
/// </summary>
public class ReadReplicaTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    [PostgresFact]
    public async Task Portal_open_data_and_reports_read_through_the_read_only_string_which_refuses_every_write()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Postgres), seedDemo: true);
        var role = $"kedja_reader_{Guid.NewGuid():N}"[..28];
        var server = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        var pooled = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("KEDJA_TEST_PGBOUNCER"))
            && new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KEDJA_TEST_PGBOUNCER")).Port == server.Port;
        var readOnly = new NpgsqlConnectionStringBuilder(app.ConnectionString) { ApplicationName = "kedja-replica" };
        if (!pooled)
        {
            await ExecuteAsync(app.ConnectionString, $"""
                CREATE ROLE {role} LOGIN PASSWORD 'lasare-2026';
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};
                ALTER ROLE {role} SET default_transaction_read_only = on;
                """);
            (readOnly.Username, readOnly.Password) = (role, "lasare-2026");
        }

        try
        {
            await using var node = app.OtherNode(new Dictionary<string, string?>(ReportJobTests.NoWorker) { ["ConnectionStrings:KedjaReadOnly"] = readOnly.ConnectionString });
            var anonymous = node.CreateClient();
            (await anonymous.GetAsync($"/p/{DemoTenant.Slug}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var catalogue = await anonymous.GetAsync($"/p/{DemoTenant.Slug}/oppna-data");
            catalogue.StatusCode.ShouldBe(HttpStatusCode.OK);
            if (!pooled)
            {
                // The portal's reads went out as the reader.
                (await ScalarAsync(app.ConnectionString, $"SELECT count(*) FROM pg_stat_activity WHERE usename = '{role}'")).ShouldBeGreaterThan(0);
            }

            // A report rendered through the replica, by the worker of this node, run here once.
            var admin = await node.ClientAsync();
            var council = await ReportJobTests.UnitAsync(node);
            var ordered = await ReportJobTests.OrderAsync(admin, new { unitId = council, periodKey = "2026-T2", templateKey = "tertialrapport", scope = "unit", format = "html" });
            var worker = ActivatorUtilities.CreateInstance<Web.Reports.ReportWorker>(node.Services);
            await worker.RunOnceAsync(CancellationToken.None);
            var done = await ReportJobTests.WaitAsync(admin, ordered.GetProperty("id").GetGuid());
            done.GetProperty("state").GetString().ShouldBe("done", done.ToString());

            // Nothing can write through either read-only context: the app refuses SaveChanges, the database the rest.
            using (var scope = node.Services.CreateScope())
            {
                var tenant = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
                var demo = await tenant.Tenants.SingleAsync(t => t.Slug == DemoTenant.Slug);
                tenant.Scope.Enter(demo.Id, demo.Slug);
                var replica = scope.ServiceProvider.GetRequiredService<ReadReplica>().Context.ShouldNotBeNull();
                (await replica.Units.CountAsync()).ShouldBeGreaterThan(0);
                var unit = await replica.Units.FirstAsync();
                replica.Attach(unit).Property(u => u.Name).CurrentValue = "Skriven via repliken";
                await Should.ThrowAsync<InvalidOperationException>(() => replica.SaveChangesAsync());
                var refused = await Should.ThrowAsync<PostgresException>(() => replica.Database.ExecuteSqlRawAsync("UPDATE org_units SET name = 'Skriven via repliken'"));
                refused.SqlState.ShouldBe(PostgresErrorCodes.ReadOnlySqlTransaction);

                await using var published = (await scope.ServiceProvider.GetRequiredService<PublishedDatabase>().OpenAsync(DemoTenant.Slug, TimeProvider.System)).ShouldNotBeNull();
                var portalWrite = await Should.ThrowAsync<PostgresException>(() => published.Database.ExecuteSqlRawAsync("UPDATE tenants SET name = 'Skriven via portalen'"));
                portalWrite.SqlState.ShouldBe(PostgresErrorCodes.ReadOnlySqlTransaction);
            }

            (await ScalarAsync(app.ConnectionString, "SELECT count(*) FROM org_units WHERE name = 'Skriven via repliken'")).ShouldBe(0);

            // The editing interface reads its own write at once, from the primary.
            var created = await admin.PostAsJsonAsync($"{Base}/units", FailoverTests.Unit("Nyss skapad nämnd", council));
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            (await admin.GetFromJsonAsync<JsonElement>($"{Base}/units")).EnumerateArray().ShouldContain(u => u.GetProperty("name").GetString() == "Nyss skapad nämnd");
        }
        finally
        {
            if (!pooled)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(app.ConnectionString, $"""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}';
                    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
                    DROP ROLE {role};
                    """);
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
