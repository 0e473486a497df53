using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Data.Migrations;

/// <summary>
/// Applies the versioned SQL scripts under Migrations/{Sqlite,Postgres}/ in name order, each exactly once, recorded in
/// kedja_schema_migrations. All pending scripts run in one transaction (both databases have transactional DDL),
/// under a lock so two instances starting at once do not race. See docs/adr/0003-migrations-as-sql-scripts.md.
/// </summary>
/// <param name="scripts">
/// The scripts to apply instead of the embedded ones: for tests only (a failing script proves that a failed migration
/// leaves the database at the previous version, docs/adr/0052-upgrades-and-faults.md).
/// </param>
public sealed class SchemaMigrator(KedjaDbContext db, IReadOnlyList<MigrationScript>? scripts = null)
{
    public const string HistoryTable = "kedja_schema_migrations";

    public static IReadOnlyList<MigrationScript> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new MigrationScript(n[prefix.Length..^4], Read(assembly, n)))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> AppliedAsync(CancellationToken cancellationToken = default)
    {
        await EnsureHistoryTableAsync(cancellationToken);
        return await db.Database.SqlQueryRaw<string>($"SELECT id AS \"Value\" FROM {HistoryTable} ORDER BY id").ToListAsync(cancellationToken);
    }

    /// <summary>Applies pending scripts, up to and including <paramref name="target"/> when given. Returns the ids applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(string? target = null, CancellationToken cancellationToken = default)
    {
        var provider = KedjaDatabase.ProviderOf(db);
        if (provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while a writer writes; it is a property of the database file and must be set outside a transaction.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(53740001);", cancellationToken);
        }

        // Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself (two nodes starting on an
        // empty database both pass the check and one fails on pg_type's unique index; MigrationSafetyTests found it).
        await EnsureHistoryTableAsync(cancellationToken);

        var applied = (await db.Database.SqlQueryRaw<string>($"SELECT id AS \"Value\" FROM {HistoryTable}").ToListAsync(cancellationToken)).ToHashSet();
        var done = new List<string>();
        foreach (var script in scripts ?? Scripts(provider))
        {
            if (target is not null && string.CompareOrdinal(script.Id, target) > 0)
            {
                break;
            }

            if (applied.Contains(script.Id))
            {
                continue;
            }

            await RunAsync(script, cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO {HistoryTable} (id, applied_at) VALUES ({{0}}, {{1}})",
                [script.Id, db.Clock.GetUtcNow().UtcDateTime.ToString("O")],
                cancellationToken);
            done.Add(script.Id);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    /// <summary>
    /// Code that SQL cannot do (computing hashes on SQLite) runs where a script names it, in the same transaction, on a
    /// line "-- kedja:step {name}": the statements before it run first, those after it last.
    /// </summary>
    private static readonly Dictionary<string, Func<KedjaDbContext, CancellationToken, Task>> CodeSteps = new(StringComparer.Ordinal)
    {
        ["link-audit-chain"] = AuditChain.SealExistingAsync,
    };

    private const string StepMarker = "-- kedja:step ";

    private async Task RunAsync(MigrationScript script, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder();
        foreach (var line in script.Sql.Split('\n'))
        {
            if (!line.StartsWith(StepMarker, StringComparison.Ordinal))
            {
                sql.Append(line).Append('\n');
                continue;
            }

            await ExecuteAsync(sql.ToString(), cancellationToken);
            sql.Clear();
            var name = line[StepMarker.Length..].Trim();
            var step = CodeSteps.GetValueOrDefault(name) ?? throw new InvalidOperationException($"Migreringen {script.Id} nämner ett okänt steg: {name}.");
            await step(db, cancellationToken);
        }

        await ExecuteAsync(sql.ToString(), cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(sql))
        {
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }

    private Task EnsureHistoryTableAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            $"CREATE TABLE IF NOT EXISTS {HistoryTable} (id varchar(200) NOT NULL PRIMARY KEY, applied_at varchar(40) NOT NULL)",
            cancellationToken);

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed record MigrationScript(string Id, string Sql);
