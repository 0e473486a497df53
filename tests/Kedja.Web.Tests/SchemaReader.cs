using System.Data.Common;
using Kedja.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kedja.Web.Tests;

/// <summary>Describes a database's schema as sorted lines (tables, columns, keys, indexes, foreign keys) for comparison.</summary>
public static class SchemaReader
{
    public static async Task<List<string>> ReadAsync(TestDatabase database)
    {
        var lines = new List<string>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(database.ConnectionString);
            await connection.OpenAsync();
            var tables = await Query(connection, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
            foreach (var table in tables.Select(t => t[0]))
            {
                foreach (var c in await Query(connection, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')"))
                {
                    lines.Add($"column {table}.{c[0]} {c[1]} notnull={c[2]} pk={c[3]}");
                }

                foreach (var i in await Query(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{table}')"))
                {
                    var columns = await Query(connection, $"SELECT name FROM pragma_index_info('{i[0]}') ORDER BY seqno");
                    lines.Add($"index {table}.{i[0]} unique={i[1]} ({string.Join(",", columns.Select(x => x[0]))})");
                }

                foreach (var f in await Query(connection, $"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')"))
                {
                    lines.Add($"fk {table}.{f[1]} -> {f[0]}.{f[2]} on delete {f[3]}");
                }
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            foreach (var c in await Query(connection, "SELECT table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length, -1)::text, coalesce(numeric_precision, -1)::text, coalesce(numeric_scale, -1)::text FROM information_schema.columns WHERE table_schema = 'public'"))
            {
                lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[4]},{c[5]},{c[6]}) nullable={c[3]}");
            }

            foreach (var i in await Query(connection, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
            {
                lines.Add($"index {i[0]}.{i[1]} {i[2]}");
            }

            foreach (var f in await Query(connection, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace"))
            {
                lines.Add($"constraint {f[0]}.{f[1]} {f[2]}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Every row of a query as text (invariant culture; NULL as empty).</summary>
    internal static async Task<List<string[]>> Query(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }
}
