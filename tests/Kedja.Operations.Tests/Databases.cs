using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kedja.Operations.Tests;

/// <summary>Reading what the killed processes left: integrity checks and plain queries, on connections that are not pooled.</summary>
public static class Databases
{
    public static string Sqlite(string file) => $"Data Source={file};Pooling=False";

    public static async Task<List<string[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    public static async Task<List<string[]>> SqliteQueryAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection(Sqlite(file));
        await connection.OpenAsync();
        return await QueryAsync(connection, sql);
    }

    public static async Task<long> SqliteScalarAsync(string file, string sql) => long.Parse((await SqliteQueryAsync(file, sql))[0][0]);

    /// <summary>PRAGMA integrity_check and foreign_key_check: "ok" and nothing, or what they found.</summary>
    public static async Task SqliteIntactAsync(string file, string when)
    {
        var integrity = await SqliteQueryAsync(file, "PRAGMA integrity_check");
        string.Join("; ", integrity.Select(r => r[0])).ShouldBe("ok", $"integrity_check {when}");
        var keys = await SqliteQueryAsync(file, "PRAGMA foreign_key_check");
        keys.ShouldBeEmpty($"foreign_key_check {when}: {string.Join("; ", keys.Take(5).Select(r => string.Join(",", r)))}");
    }

    public static async Task<List<string[]>> PostgresQueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return await QueryAsync(connection, sql);
    }

    /// <summary>amcheck's bt_index_check over every B-tree index of the database's own tables (contrib, shipped with PostgreSQL).</summary>
    public static async Task PostgresIntactAsync(string connectionString, string when)
    {
        await PostgresQueryAsync(connectionString, "CREATE EXTENSION IF NOT EXISTS amcheck");
        var checkedIndexes = await PostgresQueryAsync(connectionString,
            "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam " +
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public' AND c.relpersistence = 'p' AND i.indisready AND i.indisvalid");
        long.Parse(checkedIndexes[0][0]).ShouldBeGreaterThanOrEqualTo(0, when);
    }
}
