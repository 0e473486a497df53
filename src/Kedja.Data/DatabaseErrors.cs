using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kedja.Data;

/// <summary>Recognises database errors that mean "someone else got there first" on either provider.</summary>
public static class DatabaseErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>An insert hit a unique key: another request created the same row between our read and our write.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException e => e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>The same for a bulk update (ExecuteUpdate), which throws the provider's exception as it is.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        DbUpdateException e => IsUniqueViolation(e),
        SqliteException e => e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => exception.InnerException is { } inner && IsUniqueViolation(inner),
    };
}
