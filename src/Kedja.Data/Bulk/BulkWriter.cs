using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kedja.Data.Bulk;

/// <summary>
/// Writes many rows fast with multi-row INSERT statements built from the EF model (table, column names and value
/// converters), on SQLite and PostgreSQL alike. For generated and imported volumes where change tracking would cost
/// minutes. It bypasses SaveChanges, so callers check the tenant and write their own audit entry.
/// </summary>
public sealed class BulkWriter(KedjaDbContext db)
{
    private const int MaxParameters = 30_000;

    public async Task<long> InsertAsync<T>(IEnumerable<T> rows, CancellationToken cancellationToken = default)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} ingår inte i modellen.");
        var table = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsKey() || p.ClrType != typeof(long)).ToList();
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(store)!)));
        // SQLite looks up each named parameter linearly, so very wide statements get slower per row; PostgreSQL
        // gains from fewer round trips.
        var maxRows = KedjaDatabase.ProviderOf(db) == DatabaseProvider.Sqlite ? 8 : 1000;
        var rowsPerStatement = Math.Max(1, Math.Min(maxRows, MaxParameters / properties.Count));
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        long written = 0;
        var batch = new List<T>(rowsPerStatement);
        DbCommand? full = null;
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == rowsPerStatement)
            {
                full ??= Command(connection, transaction, table, columns, properties.Count, rowsPerStatement);
                await Execute(full, batch, properties, cancellationToken);
                written += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await using var last = Command(connection, transaction, table, columns, properties.Count, batch.Count);
            await Execute(last, batch, properties, cancellationToken);
            written += batch.Count;
        }

        if (full is not null)
        {
            await full.DisposeAsync();
        }

        return written;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string table, string columns, int width, int rows)
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
        command.CommandTimeout = 600;
        return command;
    }

    private static async Task Execute<T>(DbCommand command, List<T> batch, List<IProperty> properties, CancellationToken cancellationToken)
    {
        var i = 0;
        foreach (var row in batch)
        {
            foreach (var property in properties)
            {
                var value = property.GetGetter().GetClrValue(row!);
                var converter = property.GetTypeMapping().Converter;
                if (converter is not null && value is not null)
                {
                    value = converter.ConvertToProvider(value);
                }

                command.Parameters[i++].Value = value ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string name) => "\"" + name + "\"";
}
