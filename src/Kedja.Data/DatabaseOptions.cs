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

    public static string DefaultSqliteConnectionString(string contentRoot) =>
        $"Data Source={Path.Combine(contentRoot, "data", "kedja.db")}";
}

public static class KedjaDatabase
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return builder.UseNpgsql(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
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

        return builder.UseSqlite(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
    }

    public static DatabaseProvider ProviderOf(DbContext db) =>
        db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
}
