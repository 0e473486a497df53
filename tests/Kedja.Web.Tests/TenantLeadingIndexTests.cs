using System.Data.Common;
using Kedja.Data;
using Kedja.Data.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kedja.Web.Tests;

/// <summary>
/// With 300 municipalities in one database (issue 17) an index that does not start with tenant_id mixes every
/// tenant's rows, so a query through it reads other tenants' rows or sorts them away. This reads the migrated schema
/// of both databases and holds every index of every table with a tenant_id column (primary and unique keys included)
/// to tenant_id first, except the few below, each with the reason it is not a tenant's query path.
/// </summary>
public class TenantLeadingIndexTests
{
    /// <summary>"table (columns)" of the indexes allowed not to lead with tenant_id, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> Exceptions = new Dictionary<string, string>
    {
        // Identity row numbers: the table's own key, which no query looks up by; every tenant read seeks an index
        // that leads with tenant_id. tenant_id may be null in the audit (the installation's own entries), so it cannot
        // be part of the key, and SQLite generates only a single-column integer key.
        ["audit_entries (id)"] = "identitet; läses via (tenant_id, sequence), (tenant_id, at), (tenant_id, entity, entity_id)",
        ["status_changes (id)"] = "identitet; läses och gallras via (tenant_id, version)",
        ["mail_outbox (id)"] = "radens egen nyckel; skickaren hämtar den efter att ha gjort anspråk via köindexet",

        // Queues that the background workers of every node claim across all tenants (oldest first): the query has no
        // tenant, and leading with one would make the claim walk every tenant.
        ["kolada_schedules (next_run_at)"] = "arbetskö över alla kommuner",
        ["mail_outbox (state,next_try_at)"] = "arbetskö över alla kommuner",
        ["outcome_imports (state,requested_at)"] = "arbetskö över alla kommuner",
        ["report_jobs (state,requested_at)"] = "arbetskö över alla kommuner",

        // Looked up before a tenant is known, or across the tenants of one account.
        ["mail_outbox (key)"] = "globalt unik idempotensnyckel: samma brev köas aldrig två gånger",
        ["mail_outbox (user_id)"] = "ett kontos brev över alla kommuner (kontot tas bort)",
        ["memberships (user_id)"] = "ett kontos kommuner vid inloggning och i kommunväljaren",
        ["tenant_email_domains (domain)"] = "en e-postdomän hör till en kommun; slås upp vid inloggning innan kommunen är känd",
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_index_of_a_tenant_table_leads_with_tenant_id_but_the_stated_exceptions(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var options = new DbContextOptionsBuilder<KedjaDbContext>();
        KedjaDatabase.Configure(options, database.Provider, database.ConnectionString);
        await using (var db = new KedjaDbContext(options.Options, new TenantScope(), new FixedActor("test")))
        {
            await new SchemaMigrator(db).MigrateAsync();
        }

        var indexes = await ReadAsync(database);

        // The reader must see the tenant tables and their keys, or an empty answer would pass.
        indexes.Select(i => i.Table).Distinct().Count().ShouldBeGreaterThanOrEqualTo(60);
        indexes.ShouldContain(i => i.Table == "outcomes" && i.Columns[0] == "tenant_id");
        var notLeading = indexes.Where(i => i.Columns[0] != "tenant_id").Select(i => $"{i.Table} ({string.Join(",", i.Columns)})").Distinct().Order(StringComparer.Ordinal).ToList();
        notLeading.ShouldBe(Exceptions.Keys.Order(StringComparer.Ordinal).ToList(), $"index som inte börjar med tenant_id på {provider}");
    }

    private sealed record TableIndex(string Table, string Name, IReadOnlyList<string> Columns);

    /// <summary>Every index (primary and unique keys included) of every table that has a tenant_id column.</summary>
    private static async Task<List<TableIndex>> ReadAsync(TestDatabase database)
    {
        var found = new List<TableIndex>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(database.ConnectionString);
            await connection.OpenAsync();
            var tables = await SchemaReader.Query(connection, "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'tenant_id')");
            foreach (var table in tables.Select(t => t[0]))
            {
                // A single INTEGER primary key is the rowid: the table's own B-tree, listed by no pragma_index_list.
                var key = await SchemaReader.Query(connection, $"SELECT name, type FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk");
                if (key.Count == 1 && key[0][1].Equals("INTEGER", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(new TableIndex(table, "rowid", [key[0][0]]));
                }

                foreach (var index in await SchemaReader.Query(connection, $"SELECT name FROM pragma_index_list('{table}')"))
                {
                    var columns = await SchemaReader.Query(connection, $"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno");
                    found.Add(new TableIndex(table, index[0], [.. columns.Select(c => c[0])]));
                }
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            const string sql = """
                SELECT t.relname, i.relname,
                       (SELECT string_agg(coalesce(a.attname, '(expression)'), ',' ORDER BY k.ord)
                          FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
                FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relnamespace = 'public'::regnamespace
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                """;
            found.AddRange((await SchemaReader.Query(connection, sql)).Select(r => new TableIndex(r[0], r[1], r[2].Split(','))));

            // pg_indexes is what an operator reads: it must list the same indexes as the catalogue query above.
            var listed = await SchemaReader.Query(connection, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
            found.Select(i => i.Name).ShouldBeSubsetOf(listed.Select(l => l[0]));
        }

        return found;
    }
}
