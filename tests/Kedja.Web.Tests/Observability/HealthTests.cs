using System.Net;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Web.Infrastructure;
using Kedja.Web.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Kedja.Web.Tests.Observability;

/// <summary>
/// /health/live, /health/ready and /health (issue 18, ADR 51): ready only when every migration of the build is applied
/// and none is running and the node's loops still look; live whatever the database; /health as before (the database
/// answers), for the load balancer. None of them says more than states.
/// </summary>
public sealed class HealthTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        var text = await response.Content.ReadAsStringAsync();
        foreach (var secret in new[] { "Host=", "Data Source", "Password", "postgres", ".db", "Exception" })
        {
            text.ShouldNotContain(secret, Case.Insensitive);
        }

        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Check(JsonElement body, string name) => body.GetProperty("checks").GetProperty(name).GetString()!;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ready_is_false_while_a_migration_is_pending_or_running_or_a_loop_stopped_looking_and_live_stays_true(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var anonymous = app.CreateClient();
        async Task Others()
        {
            (await anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK, "the load balancer's check is the database's alone");
        }

        var (status, body) = await ReadyAsync(anonymous);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order().ShouldBe(["database", "jobs", "migrations"]);

        // The newest migration not applied (as on a database of an older release): not ready.
        var newest = SchemaMigrator.Scripts(app.Provider)[^1].Id;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM {SchemaMigrator.HistoryTable} WHERE id = {{0}}", newest);
            (status, body) = await ReadyAsync(anonymous);
            status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            Check(body, "migrations").ShouldBe("Unhealthy");
            await Others();
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO {SchemaMigrator.HistoryTable} (id, applied_at) VALUES ({{0}}, {{1}})", newest, DateTime.UtcNow.ToString("O"));
        }

        (await ReadyAsync(anonymous)).Status.ShouldBe(HttpStatusCode.OK);

        if (app.Provider == DatabaseProvider.Postgres)
        {
            // Another node migrating holds the migrator's lock: not ready until it lets go.
            await using var connection = new NpgsqlConnection(app.ConnectionString);
            await connection.OpenAsync();
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({Health.MigrationLock})", connection, transaction))
                {
                    await command.ExecuteNonQueryAsync();
                }

                (status, body) = await ReadyAsync(anonymous);
                status.ShouldBe(HttpStatusCode.ServiceUnavailable);
                Check(body, "migrations").ShouldBe("Unhealthy");
                await Others();
                await transaction.RollbackAsync();
            }

            (await ReadyAsync(anonymous)).Status.ShouldBe(HttpStatusCode.OK);
        }

        // A loop of this node that has not looked for far longer than its interval (housekeeping: every 10 minutes).
        var watch = app.Services.GetServices<IHostedService>().OfType<RateLimitHousekeeping>().Single().Watch;
        for (var i = 0; i < 100 && !watch.Started; i++)
        {
            await Task.Delay(20);
        }

        watch.EndedAgo(TimeSpan.FromHours(1));
        (status, body) = await ReadyAsync(anonymous);
        status.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToString());
        Check(body, "jobs").ShouldBe("Unhealthy");
        await Others();
        watch.EndedAgo(TimeSpan.Zero);
        (await ReadyAsync(anonymous)).Status.ShouldBe(HttpStatusCode.OK);
    }
}
