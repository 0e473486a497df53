using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Web.Cli;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Kedja.Web.Tests;

/// <summary>The audit trail is a hash chain per tenant: whoever rewrites it with SQL is found out (ADR 14).</summary>
public class AuditChainTests
{
    private static async Task<List<JsonElement>> Goals(HttpClient client)
    {
        var goals = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{DemoTenant.Slug}/goals");
        return [.. goals.EnumerateArray()];
    }

    private static Task<HttpResponseMessage> Rename(HttpClient client, JsonElement goal, string title) =>
        client.PutAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/goals/{goal.GetProperty("id").GetGuid()}",
            ConcurrencyAndAuditTests.Input(goal, title, goal.GetProperty("version").GetInt32()));

    /// <summary>The demo tenant with a few edits after its import, so its chain has several entries.</summary>
    private static async Task<(KedjaApp App, Guid TenantId)> EditedDemoAsync(string provider, int edits = 3)
    {
        var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var client = await app.ClientAsync();
        var goals = await Goals(client);
        for (var i = 0; i < edits; i++)
        {
            (await Rename(client, goals[i], $"Omformulerat mål {i}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return (app, db.Scope.TenantId!.Value);
        }
    }

    private static async Task<AuditChainReport> VerifyAsync(KedjaApp app, Guid tenantId)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return await AuditChain.VerifyAsync(db, tenantId);
        }
    }

    /// <summary>What someone with database access would do: lift the append-only trigger, then change the trail.</summary>
    private static async Task TamperAsync(KedjaApp app, string sql, params object[] parameters)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.Database.ExecuteSqlRawAsync(app.Provider == DatabaseProvider.Sqlite
                ? "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;"
                : "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries;");
            await db.Database.ExecuteSqlRawAsync(sql, parameters);
        }
    }

    private static async Task<List<(long Id, long Sequence)>> EntriesAsync(KedjaApp app, Guid tenantId)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            return (await db.AuditEntries.IgnoreQueryFilters().Where(e => e.TenantId == tenantId).OrderBy(e => e.Sequence)
                .Select(e => new { e.Id, e.Sequence }).ToListAsync()).Select(e => (e.Id, e.Sequence)).ToList();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_entry_takes_the_next_place_in_its_tenants_chain_and_the_chain_verifies(string provider)
    {
        var (app, tenantId) = await EditedDemoAsync(provider);
        await using var _ = app;

        var entries = await EntriesAsync(app, tenantId);
        entries.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, entries.Count).Select(i => (long)i));
        entries.Count.ShouldBeGreaterThanOrEqualTo(4);
        var report = await VerifyAsync(app, tenantId);
        report.IsIntact.ShouldBeTrue(report.Break?.Reason);
        report.Entries.ShouldBe(entries.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_entry_changed_with_sql_is_named_as_the_first_broken_link(string provider)
    {
        var (app, tenantId) = await EditedDemoAsync(provider);
        await using var _ = app;
        var victim = (await EntriesAsync(app, tenantId))[2];

        await TamperAsync(app, "UPDATE audit_entries SET user_name = 'någon annan' WHERE id = {0}", victim.Id);

        var report = await VerifyAsync(app, tenantId);
        report.IsIntact.ShouldBeFalse();
        report.Break!.EntryId.ShouldBe(victim.Id);
        report.Break.Sequence.ShouldBe(victim.Sequence);
        report.Break.Reason.ShouldContain("har ändrats");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_entry_removed_from_the_middle_or_the_end_is_found(string provider)
    {
        var (app, tenantId) = await EditedDemoAsync(provider);
        await using var _ = app;
        var entries = await EntriesAsync(app, tenantId);

        await TamperAsync(app, "DELETE FROM audit_entries WHERE id = {0}", entries[1].Id);
        var middle = await VerifyAsync(app, tenantId);
        middle.Break!.EntryId.ShouldBe(entries[2].Id);
        middle.Break.Reason.ShouldContain("saknas");

        await TamperAsync(app, "DELETE FROM audit_entries WHERE id <> {0} AND tenant_id IS NOT NULL", entries[0].Id);
        var tail = await VerifyAsync(app, tenantId);
        tail.Break!.EntryId.ShouldBeNull();
        tail.Break.Reason.ShouldContain("tagits bort");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_writers_in_one_tenant_keep_one_unbroken_chain(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.ClientAsync()));
        var goals = await Goals(clients[0]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Rename(clients[i % clients.Length], goals[i], $"Samtidigt {i}")));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var report = await AuditChain.VerifyAsync(db, db.Scope.TenantId);
            report.IsIntact.ShouldBeTrue(report.Break?.Reason);
            report.Entries.ShouldBeGreaterThanOrEqualTo(1 + 16);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_verb_exits_non_zero_and_names_the_broken_entry(string provider)
    {
        var (app, tenantId) = await EditedDemoAsync(provider);
        await using var _ = app;
        var connection = app.Services.GetRequiredService<IConfiguration>().GetConnectionString("Kedja")!;

        var intact = await RunVerbAsync(provider, connection, "verify-audit", "--tenant", DemoTenant.Slug);
        intact.ExitCode.ShouldBe(0, intact.Output);
        intact.Output.ShouldContain("är hel");
        (await RunVerbAsync(provider, connection, "verify-audit", "--tenant", "finns-inte")).ExitCode.ShouldBe(2);
        (await RunVerbAsync(provider, connection, "verify-audit")).ExitCode.ShouldBe(2);

        var victim = (await EntriesAsync(app, tenantId))[1];
        await TamperAsync(app, "UPDATE audit_entries SET after = '{{}}' WHERE id = {0}", victim.Id);
        var broken = await RunVerbAsync(provider, connection, "verify-audit", "--tenant", DemoTenant.Slug);
        broken.ExitCode.ShouldBe(1, broken.Output);
        broken.Output.ShouldContain($"Post {victim.Id} ");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_links_the_entries_written_before_the_chain_existed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var options = new DbContextOptionsBuilder<KedjaDbContext>();
        KedjaDatabase.Configure(options, database.Provider, database.ConnectionString);
        var tenantId = Guid.NewGuid();
        await using (var db = new KedjaDbContext(options.Options, new TenantScope(), new FixedActor("test")))
        {
            await new SchemaMigrator(db).MigrateAsync("0004_membership_version");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tenants (id, slug, name, kommunkod, created_at, version, data_version) VALUES ({0}, 'gammal', 'Gamla kommunen', '0001', {1}, 0, 0)",
                tenantId, DateTime.UtcNow);
            for (var i = 0; i < 3; i++)
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO audit_entries (tenant_id, user_name, at, entity, entity_id, action, before, after) VALUES ({0}, 'a@b.se', {1}, 'Goal', {2}, 'Modified', NULL, '{{}}')",
                    tenantId, DateTime.UtcNow.AddMinutes(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await new SchemaMigrator(db).MigrateAsync();
        }

        await using (var db = new KedjaDbContext(options.Options, new TenantScope(), new FixedActor("test")))
        {
            var report = await AuditChain.VerifyAsync(db, tenantId);
            report.IsIntact.ShouldBeTrue(report.Break?.Reason);
            report.Entries.ShouldBe(3);

            // Append-only again after the upgrade.
            await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries"));
        }
    }

    /// <summary>
    /// The verb as the process runs it, in this process: what only a process shows (its streams, its exit) is tested
    /// once in VerbProcessTests, and a process start-up per run cost this class most of its time.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunVerbAsync(string provider, string connectionString, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Verbs.RunAsync(args, output, error, new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = provider,
            ["ConnectionStrings:Kedja"] = connectionString,
            ["Kedja:Demo:Seed"] = "false",
        });
        return (exitCode, output.ToString() + error);
    }
}
