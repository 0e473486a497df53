using System.Diagnostics;
using Kedja.Data;
using Kedja.Data.Migrations;
using Npgsql;

namespace Kedja.Web.Backups;

/// <summary>
/// Backup and restore of one PostgreSQL database through <c>pg_dump</c> and <c>pg_restore</c> (ADR 50): the verbs wrap
/// them so that a dump gets the same hash beside it and a restore the same checks as on SQLite. pg_dump reads one
/// snapshot (a repeatable-read transaction), so the dump is consistent while the nodes write. pg_restore runs in one
/// transaction and stops at the first error: a failed restore leaves the database as it was. Point-in-time recovery
/// of the whole cluster is deploy/backup (pg_basebackup and the WAL archive), not this.
/// </summary>
public static class PostgresDump
{
    public static async Task<BackupMade> BackupAsync(string connectionString, string outFile, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var target = Path.GetFullPath(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var part = $"{target}.part-{Guid.NewGuid():N}";
        try
        {
            await RunAsync("pg_dump", ["--format=custom", "--no-password", "--file", part], connectionString, "pg_dump kunde inte göra säkerhetskopian", cancellationToken);
            var schema = BackupSchema.Latest(await AppliedInDumpAsync(part, cancellationToken));
            File.Move(part, target, overwrite: true);
            var hash = await BackupHash.WriteAsync(target, cancellationToken);
            return new BackupMade(target, hash, new FileInfo(target).Length, schema, watch.Elapsed);
        }
        finally
        {
            File.Delete(part);
        }
    }

    /// <param name="force">Restore over a database that holds tables: its objects are dropped and made anew (in the same transaction).</param>
    public static async Task<RestoreDone> RestoreAsync(string backupFile, string connectionString, bool force, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        if (!File.Exists(backupFile))
        {
            throw new BackupRefusedException($"Filen {backupFile} finns inte.", usage: true);
        }

        var hash = await BackupHash.VerifyAsync(backupFile, cancellationToken);
        var applied = await AppliedInDumpAsync(backupFile, cancellationToken);
        BackupSchema.RefuseNewer(applied, DatabaseProvider.Postgres, backupFile);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var others = await ScalarAsync(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", cancellationToken);
            if (others > 0)
            {
                throw new BackupRefusedException(
                    $"Databasen {database} används: {others} andra anslutningar är öppna (Kedja-noder, pgbouncer?). Stoppa dem och försök igen. Inget återställdes.");
            }

            var tables = await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", cancellationToken);
            if (tables > 0 && !force)
            {
                throw new BackupRefusedException(
                    $"Databasen {database} innehåller redan {tables} tabeller. Ange --force för att ersätta innehållet (i en enda transaktion), eller återställ till en ny, tom databas. Inget återställdes.");
            }
        }

        string[] arguments = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-acl", "--no-password", .. force ? new[] { "--clean", "--if-exists" } : [], "--dbname", database!, backupFile];
        await RunAsync("pg_restore", arguments, connectionString, "pg_restore stoppade; allt gjordes i en transaktion, så databasen är som förut", cancellationToken);
        return new RestoreDone(database!, hash, BackupSchema.Latest(applied), null, watch.Elapsed);
    }

    /// <summary>The migration ids in a dump, read by pg_restore from the data of kedja_schema_migrations alone.</summary>
    private static async Task<List<string>> AppliedInDumpAsync(string file, CancellationToken cancellationToken)
    {
        var text = await RunAsync("pg_restore", ["--data-only", "--table", SchemaMigrator.HistoryTable, "--file", "-", file], null,
            $"{file} kunde inte läsas som en säkerhetskopia från pg_dump", cancellationToken);
        var ids = new List<string>();
        var inCopy = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("COPY ", StringComparison.Ordinal))
            {
                inCopy = true;
            }
            else if (line == "\\.")
            {
                inCopy = false;
            }
            else if (inCopy && line.Length > 0)
            {
                ids.Add(line.Split('\t')[0]);
            }
        }

        return ids;
    }

    /// <summary>
    /// Runs a PostgreSQL client with the connection given through libpq's environment variables (the password never on
    /// a command line, where another user's ps would see it). Returns standard output.
    /// </summary>
    private static async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, string? connectionString, string failure, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (connectionString is not null)
        {
            foreach (var (name, value) in LibpqEnvironment(connectionString))
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new BackupRefusedException($"{failure}: {(await error).Trim()}");
        }

        return await output;
    }

    /// <summary>Npgsql's connection string as libpq's variables: host and port lists, database, user, password, TLS.</summary>
    public static Dictionary<string, string> LibpqEnvironment(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var hosts = (csb.Host ?? "localhost").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var names = hosts.Select(h => h.Contains(':') && !h.StartsWith('[') ? h[..h.LastIndexOf(':')] : h).ToList();
        var ports = hosts.Select(h => h.Contains(':') && !h.StartsWith('[') ? h[(h.LastIndexOf(':') + 1)..] : csb.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = string.Join(',', names),
            ["PGPORT"] = string.Join(',', ports),
            ["PGDATABASE"] = csb.Database ?? "postgres",
            ["PGUSER"] = csb.Username ?? Environment.UserName,
            ["PGCONNECT_TIMEOUT"] = "10",
        };
        if (csb.Password is { Length: > 0 } password)
        {
            environment["PGPASSWORD"] = password;
        }

        if (hosts.Length > 1)
        {
            environment["PGTARGETSESSIONATTRS"] = "read-write";
        }

        if (csb.SslMode is not SslMode.Prefer)
        {
            environment["PGSSLMODE"] = csb.SslMode.ToString().ToLowerInvariant() switch { "verifyca" => "verify-ca", "verifyfull" => "verify-full", var mode => mode };
        }

        return environment;
    }

    /// <summary>
    /// The newest installed client (Debian keeps them per version in /usr/lib/postgresql/{version}/bin; pg_dump must
    /// be at least the server's version), else the one on PATH.
    /// </summary>
    public static string Executable(string tool)
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Folder: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Folder, "bin", tool)))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Folder, "bin", tool))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
        return onPath ?? throw new BackupRefusedException(
            $"{tool} finns inte på den här datorn. Installera PostgreSQL:s klientprogram (Debian: apt-get install postgresql-client) i samma version som servern eller senare.");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
