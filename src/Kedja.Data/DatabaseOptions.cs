using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from the "Kedja:Database" section; the connection string from "ConnectionStrings:Kedja".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Kedja:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the app starts. Turn off when migrations are run by the "migrate" verb in a deploy step.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>From "ConnectionStrings:Kedja"; on SQLite, when empty, <see cref="DefaultSqliteConnectionString"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// From "ConnectionStrings:KedjaReadOnly", optional (issue 17): a read replica (or a pooler's read-only pool) for the
    /// heavy reads – the public portal, open data and report rendering. Null: they read from the primary.
    /// </summary>
    public string? ReadOnlyConnectionString { get; set; }

    public static string DefaultSqliteConnectionString(string contentRoot) =>
        $"Data Source={Path.Combine(contentRoot, "data", "kedja.db")}";
}

public static class KedjaDatabase
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        builder.AddInterceptors(DatabaseTime.Interceptor);
        if (provider == DatabaseProvider.Postgres)
        {
            // A list of ids goes to PostgreSQL as one array parameter (`= ANY(@ids)`), which its planner joins through
            // the indexes; a literal IN list of thousands of ids became a parallel scan of every outcome (ADR 19).
            // A read broken by a failover is tried again; a write never is (FailoverRetry, issue 17).
            return builder.UseNpgsql(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)
                .ExecutionStrategy(d => new FailoverRetry(d))).AddInterceptors(FailoverRetry.Recorder);
        }

        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
        }

        // SQLite's planner sees through a literal IN list and uses the covering indexes; a JSON parameter hides them.
        return builder.UseSqlite(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
            .UseParameterizedCollectionMode(ParameterTranslationMode.Constant));
    }

    public static DatabaseProvider ProviderOf(DbContext db) =>
        db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
}
