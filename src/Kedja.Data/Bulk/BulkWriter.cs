using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kedja.Data.Bulk;

/// <summary>
/// Writes many rows fast, with table, column names and value converters from the EF model: binary COPY on
/// PostgreSQL, multi-row INSERT statements on SQLite. For generated and imported volumes where change tracking would
/// cost minutes. It bypasses SaveChanges, so callers check the tenant and write their own audit entry. One call is
/// all or nothing: it joins the caller's transaction, or runs in its own when there is none.
/// </summary>
public sealed class BulkWriter(KedjaDbContext db)
{
    private const int MaxParameters = 30_000;
    private const int CommandTimeoutSeconds = 600;

    public async Task<long> InsertAsync<T>(IEnumerable<T> rows, CancellationToken cancellationToken = default)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} ingår inte i modellen.");
        var table = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsKey() || p.ClrType != typeof(long)).ToList();
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(store)!)));

        // The multi-row INSERTs of one call span several statements; a failure halfway must not leave the first ones.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var connection = db.Database.GetDbConnection();
        var values = properties.Select(StoreValue).ToArray();
        long written;
        if (connection is NpgsqlConnection npgsql)
        {
            written = await CopyAsync(npgsql, table, columns, [.. properties.Select(PostgresType)], values, rows, cancellationToken);
            await AnalyzeIfNeverAnalyzedAsync(npgsql, table, cancellationToken);
        }
        else
        {
            written = await InsertRowsAsync(connection, db.Database.CurrentTransaction!.GetDbTransaction(), table, columns, values, rows, cancellationToken);
        }

        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// The PostgreSQL type each column is sent as in a binary COPY, from the store type EF maps the property to. Binary
    /// COPY does no implicit casts, so a wrong type fails the import instead of converting.
    /// </summary>
    public static NpgsqlDbType PostgresType(IProperty property) => property.GetRelationalTypeMapping().StoreTypeNameBase switch
    {
        "uuid" => NpgsqlDbType.Uuid,
        "character varying" or "varchar" => NpgsqlDbType.Varchar,
        "text" => NpgsqlDbType.Text,
        "integer" or "int" or "int4" => NpgsqlDbType.Integer,
        "bigint" or "int8" => NpgsqlDbType.Bigint,
        "smallint" or "int2" => NpgsqlDbType.Smallint,
        "boolean" or "bool" => NpgsqlDbType.Boolean,
        "numeric" => NpgsqlDbType.Numeric,
        "double precision" => NpgsqlDbType.Double,
        "real" => NpgsqlDbType.Real,
        "date" => NpgsqlDbType.Date,
        "timestamp with time zone" or "timestamptz" => NpgsqlDbType.TimestampTz,
        "timestamp without time zone" or "timestamp" => NpgsqlDbType.Timestamp,
        "bytea" => NpgsqlDbType.Bytea,
        var other => throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name}: lagringstypen '{other}' saknar COPY-typ."),
    };

    private static async Task<long> CopyAsync<T>(NpgsqlConnection connection, string table, string columns, NpgsqlDbType[] types, Func<object, object?>[] values, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        long written = 0;

        // Disposed without CompleteAsync (an exception in the rows or in a value) the import is cancelled and writes nothing.
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {Quote(table)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);

        // The server checks references when the rows are all in, so completing a large table waits long on a busy
        // machine; the connection's 30 seconds suit queries, not a million rows (the INSERTs had 600 as well).
        importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < values.Length; c++)
            {
                if (values[c](row) is { } value)
                {
                    await importer.WriteAsync(value, types[c], cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }

            written++;
        }

        await importer.CompleteAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// A table that has never been analyzed (a new installation) has no statistics, and PostgreSQL then plans the
    /// reference checks of the next bulk write with any index that starts with tenant_id: on L every goal and indicator
    /// scanned all 2,500 units of the tenant for its unit. ANALYZE in the transaction gives them the primary key. Only
    /// then: ANALYZE holds a lock that another ANALYZE waits for until the transaction ends, and autovacuum keeps the
    /// statistics of a table in use. Without the right to analyze, PostgreSQL warns and skips it.
    /// </summary>
    private static async Task AnalyzeIfNeverAnalyzedAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT reltuples < 0 FROM pg_class WHERE oid = to_regclass(@table)", connection);
        command.Parameters.AddWithValue("table", Quote(table));
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            command.CommandText = $"ANALYZE {Quote(table)}";
            command.Parameters.Clear();
            command.CommandTimeout = CommandTimeoutSeconds;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<long> InsertRowsAsync<T>(DbConnection connection, DbTransaction transaction, string table, string columns, Func<object, object?>[] values, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        // SQLite looks up each named parameter linearly, so very wide statements get slower per row.
        var rowsPerStatement = Math.Max(1, Math.Min(8, MaxParameters / values.Length));
        long written = 0;
        var batch = new List<T>(rowsPerStatement);
        DbCommand? full = null;
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == rowsPerStatement)
            {
                full ??= Command(connection, transaction, table, columns, values.Length, rowsPerStatement);
                await Execute(full, batch, values, cancellationToken);
                written += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await using var last = Command(connection, transaction, table, columns, values.Length, batch.Count);
            await Execute(last, batch, values, cancellationToken);
            written += batch.Count;
        }

        if (full is not null)
        {
            await full.DisposeAsync();
        }

        return written;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string table, string columns, int width, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new System.Text.StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? "(" : ",(");
            for (var c = 0; c < width; c++)
            {
                var name = $"@p{(r * width) + c}";
                values.Append(c == 0 ? name : "," + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            values.Append(')');
        }

        command.CommandText = $"INSERT INTO {Quote(table)} ({columns}) VALUES {values}";
        command.CommandTimeout = CommandTimeoutSeconds;
        return command;
    }

    private static async Task Execute<T>(DbCommand command, List<T> batch, Func<object, object?>[] values, CancellationToken cancellationToken)
        where T : class
    {
        var i = 0;
        foreach (var row in batch)
        {
            foreach (var value in values)
            {
                command.Parameters[i++].Value = value(row) ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The value as EF stores it: through the property's value converter (JSON, enum names, UTC), null as null.</summary>
    private static Func<object, object?> StoreValue(IProperty property)
    {
        var getter = property.GetGetter();
        var converter = property.GetTypeMapping().Converter;
        return converter is null
            ? getter.GetClrValue
            : row => getter.GetClrValue(row) is { } value ? converter.ConvertToProvider(value) : null;
    }

    private static string Quote(string name) => "\"" + name + "\"";
}
