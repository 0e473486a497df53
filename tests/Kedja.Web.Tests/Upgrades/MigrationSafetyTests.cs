using Kedja.Data;
using Kedja.Data.Migrations;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Upgrades;

/// <summary>
/// Issue 18, upgrades without downtime (docs/adr/0052-upgrades-and-faults.md): several nodes starting together migrate a
/// database once, and a migration that fails leaves it at the version it had.
/// </summary>
public class MigrationSafetyTests
{
    private static KedjaDbContext Context(TestDatabase database) => SchemaTests.Context(database);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Three_nodes_starting_together_apply_each_script_exactly_once_and_the_others_find_nothing_to_do(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var all = SchemaMigrator.Scripts(database.Provider).Select(s => s.Id).ToList();

        // Three contexts, three connections, released together: as three app nodes (or migrate verbs) starting at once.
        var start = new TaskCompletionSource();
        var nodes = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using var db = Context(database);
            return await new SchemaMigrator(db).MigrateAsync();
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(nodes);

        results.Count(r => r.Count > 0).ShouldBe(1, "one node applies the pending scripts, in one transaction");
        results.Single(r => r.Count > 0).ShouldBe(all);
        results.Count(r => r.Count == 0).ShouldBe(2, "the others waited for the lock and found nothing to do");
        await using (var db = Context(database))
        {
            (await new SchemaMigrator(db).AppliedAsync()).ShouldBe(all, "each script recorded once");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failing_migration_leaves_the_history_and_the_schema_at_the_previous_version(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = Context(database))
        {
            await new SchemaMigrator(db).MigrateAsync();
        }

        var historyBefore = await HistoryAsync(database);
        var schemaBefore = await SchemaReader.ReadAsync(database);

        // The next release's two scripts: a good expand step (a column and a table) and then a script that fails half-way,
        // after a statement of its own succeeded.
        var next = SchemaMigrator.Scripts(database.Provider).Concat(
        [
            new MigrationScript("9998_expand_ok", "ALTER TABLE tenants ADD COLUMN upgrade_probe varchar(40) NULL;\nCREATE TABLE upgrade_probe_rows (id integer NOT NULL PRIMARY KEY);"),
            new MigrationScript("9999_fails", "INSERT INTO upgrade_probe_rows (id) VALUES (1);\nALTER TABLE no_such_table ADD COLUMN x integer NULL;"),
        ]).ToList();
        await using (var db = Context(database))
        {
            await Should.ThrowAsync<Exception>(() => new SchemaMigrator(db, next).MigrateAsync());
        }

        (await HistoryAsync(database)).ShouldBe(historyBefore, "no script of the failed run is recorded");
        (await SchemaReader.ReadAsync(database)).ShouldBe(schemaBefore, "no column or table of the failed run remains");

        // The app of the previous version goes on, and the fixed release migrates from where it stood.
        var fixedNext = next.Take(next.Count - 1).ToList();
        await using (var db = Context(database))
        {
            (await new SchemaMigrator(db, fixedNext).MigrateAsync()).ShouldBe(["9998_expand_ok"]);
        }
    }

    private static async Task<List<string>> HistoryAsync(TestDatabase database)
    {
        await using var db = Context(database);
        return await db.Database.SqlQueryRaw<string>($"SELECT id || '@' || applied_at AS \"Value\" FROM {SchemaMigrator.HistoryTable} ORDER BY id").ToListAsync();
    }
}
