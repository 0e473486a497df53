using System.Diagnostics;
using Kedja.Data;
using Kedja.Data.Migrations;
using Microsoft.Data.Sqlite;

namespace Kedja.Web.Backups;

public sealed record BackupMade(string File, string Sha256, long Bytes, string Schema, TimeSpan Elapsed);

public sealed record RestoreDone(string Target, string Sha256, string Schema, string? Replaced, TimeSpan Elapsed);

/// <summary>
/// Backup and restore of a SQLite database (ADR 50). The backup is SQLite's online backup API in one step: it reads one
/// snapshot under a read transaction, which in WAL mode does not stop the app's writers, so the copy is consistent
/// while Kedja runs. The restore checks the hash, the file's integrity and its schema on a copy beside the target, and
/// only then moves that copy in: a refusal or a failure leaves the target as it was.
/// </summary>
public static class SqliteBackup
{
    public static async Task<BackupMade> BackupAsync(string connectionString, string outFile, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var source = DataSourceOf(connectionString);
        if (!File.Exists(source))
        {
            throw new BackupRefusedException($"Databasen {source} finns inte; det finns inget att säkerhetskopiera.", usage: true);
        }

        var target = Path.GetFullPath(outFile);
        if (PathsEqual(target, source))
        {
            throw new BackupRefusedException("Säkerhetskopian kan inte skrivas över databasen själv; välj en annan fil med --out.", usage: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var part = $"{target}.part-{Guid.NewGuid():N}";
        try
        {
            // No pooling: the verb's connections close with it, and nothing is left holding the copy open.
            await using (var from = Open(source, SqliteOpenMode.ReadWrite))
            await using (var to = Open(part, SqliteOpenMode.ReadWriteCreate))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);
                // A backup is one self-contained file: out of WAL mode, so that reading it later makes no -wal beside it.
                await ScalarAsync(to, "PRAGMA journal_mode=DELETE;", cancellationToken);
            }

            var schema = BackupSchema.Latest(await AppliedAsync(part, cancellationToken));
            File.Move(part, target, overwrite: true);
            var hash = await BackupHash.WriteAsync(target, cancellationToken);
            return new BackupMade(target, hash, new FileInfo(target).Length, schema, watch.Elapsed);
        }
        finally
        {
            DeleteWithSidecars(part);
        }
    }

    /// <param name="force">Replace a database that holds data (it is kept beside as <c>{file}.replaced-{time}</c>).</param>
    public static async Task<RestoreDone> RestoreAsync(string backupFile, string connectionString, bool force, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        if (!File.Exists(backupFile))
        {
            throw new BackupRefusedException($"Filen {backupFile} finns inte.", usage: true);
        }

        var target = DataSourceOf(connectionString);
        if (PathsEqual(Path.GetFullPath(backupFile), target))
        {
            throw new BackupRefusedException("Säkerhetskopian är själva databasen som skulle återställas; ange en annan fil.", usage: true);
        }

        var hash = await BackupHash.VerifyAsync(backupFile, cancellationToken);
        await CheckTargetAsync(target, force, cancellationToken);

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var part = $"{target}.restore-{Guid.NewGuid():N}";
        try
        {
            File.Copy(backupFile, part);
            if (await BackupHash.ComputeAsync(part, cancellationToken) != hash)
            {
                throw new BackupRefusedException($"Kopian av {backupFile} blev inte lika med filen (disken?). Inget återställdes.");
            }

            string schema;
            await using (var copy = Open(part, SqliteOpenMode.ReadWrite))
            {
                await copy.OpenAsync(cancellationToken);
                var check = await ScalarAsync(copy, "PRAGMA integrity_check;", cancellationToken);
                if (check is not "ok")
                {
                    throw new BackupRefusedException($"Säkerhetskopian {backupFile} är skadad (SQLite: {check}). Inget återställdes.");
                }

                var applied = await AppliedAsync(copy, cancellationToken);
                BackupSchema.RefuseNewer(applied, DatabaseProvider.Sqlite, backupFile);
                schema = BackupSchema.Latest(applied);
                // Back to WAL, as Kedja runs its databases; closing the only connection folds the -wal into the file.
                await ScalarAsync(copy, "PRAGMA journal_mode=WAL;", cancellationToken);
            }

            // Again just before the move: a node may have been started while the copy was checked.
            await CheckTargetAsync(target, force, cancellationToken);
            var replaced = File.Exists(target) ? $"{target}.replaced-{clock.GetUtcNow():yyyyMMdd-HHmmss}" : null;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                // The old database's -wal belongs to it: left beside the new file, SQLite would replay it into the restore.
                if (File.Exists(target + suffix))
                {
                    if (replaced is null)
                    {
                        File.Delete(target + suffix);
                    }
                    else
                    {
                        File.Move(target + suffix, replaced + suffix);
                    }
                }
            }

            File.Move(part, target);
            return new RestoreDone(target, hash, schema, replaced, watch.Elapsed);
        }
        finally
        {
            DeleteWithSidecars(part);
        }
    }

    /// <summary>
    /// Refuses a target that a process has open (a running Kedja node): an exclusive lock is taken without waiting,
    /// which SQLite denies while any other connection holds the file, even an idle pooled one in WAL mode. Then
    /// refuses one with tenants or accounts unless <paramref name="force"/>.
    /// </summary>
    private static async Task CheckTargetAsync(string target, bool force, CancellationToken cancellationToken)
    {
        if (!File.Exists(target) || new FileInfo(target).Length == 0)
        {
            return;
        }

        await using var connection = Open(target, SqliteOpenMode.ReadWrite);
        await connection.OpenAsync(cancellationToken);
        await ScalarAsync(connection, "PRAGMA busy_timeout=0;", cancellationToken);
        try
        {
            await ScalarAsync(connection, "PRAGMA locking_mode=EXCLUSIVE;", cancellationToken);
            // Microsoft.Data.Sqlite retries a busy statement until the command times out: one second, not thirty.
            await ScalarAsync(connection, "BEGIN EXCLUSIVE;", cancellationToken, timeoutSeconds: 1);
            await ScalarAsync(connection, "ROLLBACK;", cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new BackupRefusedException(
                $"Databasen {target} används: en annan process har den öppen (en Kedja-nod?). Stoppa alla noder som använder den och försök igen. Inget återställdes.");
        }

        var tenants = await CountAsync(connection, "tenants", cancellationToken);
        var users = await CountAsync(connection, "users", cancellationToken);
        if ((tenants > 0 || users > 0) && !force)
        {
            throw new BackupRefusedException(
                $"Databasen {target} innehåller redan data ({tenants} kommuner, {users} konton). Ange --force för att ersätta den; " +
                "den gamla filen sparas då bredvid som .replaced-{tid}. Inget återställdes.");
        }
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        var exists = await ScalarAsync(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';", cancellationToken);
        return exists is "0" ? 0 : long.Parse(await ScalarAsync(connection, $"SELECT count(*) FROM \"{table}\";", cancellationToken) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> AppliedAsync(string file, CancellationToken cancellationToken)
    {
        await using var connection = Open(file, SqliteOpenMode.ReadOnly);
        await connection.OpenAsync(cancellationToken);
        return await AppliedAsync(connection, cancellationToken);
    }

    private static async Task<List<string>> AppliedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (await ScalarAsync(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{SchemaMigrator.HistoryTable}';", cancellationToken) is "0")
        {
            return ids;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {SchemaMigrator.HistoryTable} ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, int timeoutSeconds = 30)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(string file, SqliteOpenMode mode) =>
        new(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ConnectionString);

    public static string DataSourceOf(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            throw new BackupRefusedException("Databasen är en SQLite-databas i minnet; den har ingen fil att säkerhetskopiera eller återställa.", usage: true);
        }

        return Path.GetFullPath(source);
    }

    private static bool PathsEqual(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static void DeleteWithSidecars(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            if (File.Exists(file + suffix))
            {
                File.Delete(file + suffix);
            }
        }
    }
}
