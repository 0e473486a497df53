using Kedja.Data;
using Kedja.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Kedja.Web.Tests;

public class SchemaTests
{
    internal static KedjaDbContext Context(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<KedjaDbContext>();
        KedjaDatabase.Configure(options, database.Provider, database.ConnectionString);
        return new KedjaDbContext(options.Options, new TenantScope(), new FixedActor("test"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrated_schema_matches_the_model(string provider)
    {
        await using var migratedDb = await TestDatabase.CreateAsync(provider);
        await using var modelDb = await TestDatabase.CreateAsync(provider);
        await using (var db = Context(migratedDb))
        {
            (await new SchemaMigrator(db).MigrateAsync()).ShouldBe(SchemaMigrator.Scripts(provider == "Sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres).Select(s => s.Id).ToList());
        }

        await using (var db = Context(modelDb))
        {
            await db.Database.EnsureCreatedAsync();
        }

        // The key ring has a context of its own (ADR 21); its table is created beside the others.
        var keyRing = new DbContextOptionsBuilder<Auth.KeyRingContext>();
        KedjaDatabase.Configure(keyRing, modelDb.Provider, modelDb.ConnectionString);
        await using (var keys = new Auth.KeyRingContext(keyRing.Options))
        {
            await keys.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().CreateTablesAsync();
        }

        var migrated = await SchemaReader.ReadAsync(migratedDb);
        var model = await SchemaReader.ReadAsync(modelDb);

        migrated.Where(l => !l.Contains(SchemaMigrator.HistoryTable, StringComparison.Ordinal)).ShouldBe(model, ignoreOrder: false);
        model.Count.ShouldBeGreaterThan(300);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrating_twice_does_nothing_the_second_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = Context(database);

        (await new SchemaMigrator(db).MigrateAsync()).ShouldNotBeEmpty();
        (await new SchemaMigrator(db).MigrateAsync()).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrade_keeps_existing_data(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var tenantId = Guid.NewGuid();
        var unitId = Guid.NewGuid();
        await using (var db = Context(database))
        {
            (await new SchemaMigrator(db).MigrateAsync("0001_core")).ShouldBe(["0001_core"]);

            // Rows written by a version that only had the first migration.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tenants (id, slug, name, kommunkod, created_at, version, data_version) VALUES ({0}, 'gammal', 'Gamla kommunen', '0001', {1}, 0, 0)",
                tenantId, DateTime.UtcNow);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO org_units (tenant_id, id, parent_id, name, short_name, kind, code, sort_order, is_active, version) VALUES ({0}, {1}, NULL, 'Kommunfullmäktige', 'KF', 'Council', NULL, 0, {2}, 3)",
                tenantId, unitId, true);

            (await new SchemaMigrator(db).MigrateAsync()).ShouldNotContain("0001_core");
        }

        await using (var db = Context(database))
        {
            db.Scope.Enter(tenantId, "gammal");
            var unit = await db.Units.SingleAsync();
            unit.Id.ShouldBe(unitId);
            unit.Name.ShouldBe("Kommunfullmäktige");
            unit.Version.ShouldBe(3);
            (await db.Tenants.SingleAsync()).Name.ShouldBe("Gamla kommunen");
        }
    }
}
